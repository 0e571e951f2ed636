#include "pdf/read/flat_text.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <memory>

namespace yoshiki::pdf {
namespace {

// poppler's messages would go to stderr and may quote the file's bytes
// (personal data): dropped.
void quiet(const std::string&, void*) {}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += {static_cast<char>(0xC0 | c >> 6), static_cast<char>(0x80 | (c & 0x3F))};
  } else if (c < 0x10000) {
    out += {static_cast<char>(0xE0 | c >> 12), static_cast<char>(0x80 | (c >> 6 & 0x3F)),
            static_cast<char>(0x80 | (c & 0x3F))};
  } else {
    out += {static_cast<char>(0xF0 | c >> 18), static_cast<char>(0x80 | (c >> 12 & 0x3F)),
            static_cast<char>(0x80 | (c >> 6 & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
  }
}

// The page drawn in grey, thresholded to one bit per pixel.
void render_mask(const poppler::page& page, PageText& out) {
  // Checked before rendering: poppler would allocate the whole image first
  // (a 14,400 pt page is 800 MB of grey), whatever the check after says.
  const poppler::rectf box = page.page_rect();
  if (!(box.width() > 0 && box.height() > 0 && box.width() * kMaskScale <= kMaxMaskSide &&
        box.height() * kMaskScale <= kMaxMaskSide))
    return;
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  const poppler::image img = renderer.render_page(&page, 72 * kMaskScale, 72 * kMaskScale);
  if (!img.is_valid() || img.format() != poppler::image::format_gray8 || img.width() <= 0 ||
      img.height() <= 0 || img.width() > kMaxMaskSide || img.height() > kMaxMaskSide)
    return;
  out.mask_w = img.width(), out.mask_h = img.height();
  out.mask.assign((static_cast<std::size_t>(out.mask_w) * out.mask_h + 7) / 8, '\0');
  const char* data = img.const_data();
  for (int y = 0; y < out.mask_h; ++y) {
    const auto* row = reinterpret_cast<const unsigned char*>(data + y * img.bytes_per_row());
    for (int x = 0; x < out.mask_w; ++x) {
      if (row[x] >= 128) continue;
      const std::size_t i = static_cast<std::size_t>(y) * out.mask_w + x;
      out.mask[i / 8] = static_cast<char>(out.mask[i / 8] | 1 << (i % 8));
    }
  }
}

}  // namespace

std::vector<PageText> read_page_text(std::string_view pdf) {
  poppler::set_debug_error_function(quiet, nullptr);
  std::vector<PageText> pages;
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (!doc || doc->is_locked()) return pages;
  const int n = doc->pages();
  for (int i = 0; i < n && pages.size() < kMaxTextPages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    PageText& out = pages.emplace_back();
    if (!page) continue;
    const poppler::rectf box = page->page_rect();
    out.width = box.width();
    out.height = box.height();
    if (pages.size() <= kMaxMaskPages) render_mask(*page, out);
    int word = 0;
    for (const poppler::text_box& t : page->text_list()) {
      const poppler::ustring u = t.text();
      std::size_t glyph = 0;
      for (std::size_t k = 0; k < u.size() && out.chars.size() < kMaxPageChars; ++k, ++glyph) {
        char32_t c = u[k];
        if (c >= 0xD800 && c < 0xDC00 && k + 1 < u.size() && u[k + 1] >= 0xDC00 &&
            u[k + 1] < 0xE000)
          c = 0x10000 + ((c - 0xD800) << 10) + (u[++k] - 0xDC00);
        else if (c >= 0xD800 && c < 0xE000)
          c = 0xFFFD;
        const poppler::rectf r = t.char_bbox(glyph);
        PageChar& ch = out.chars.emplace_back();
        ch.x0 = r.left(), ch.y0 = r.top(), ch.x1 = r.right(), ch.y1 = r.bottom();
        append_utf8(ch.text, c);
        ch.word = word;
      }
      ++word;
    }
  }
  return pages;
}

}  // namespace yoshiki::pdf
