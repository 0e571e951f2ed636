// flat_text — the text a flattened or printed PDF shows, with positions:
// what is left of a filled form once its fields are gone (a viewer's
// "print to PDF", qpdf --flatten-annotations, pdftocairo). Read with
// poppler-cpp, which handles fonts, ToUnicode and transforms; like the
// PoDoFo parse, it runs on untrusted bytes, so inside the PDF worker
// (isolated.h) whenever extraction is isolated. Knows nothing of forms:
// model/flat_fields maps the characters to a template's fields.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace yoshiki::pdf {

// One character as drawn: its box in points, origin at the page's top-left
// corner, y downwards (as layout/page.h), and the word poppler put it in
// (words are split where the page leaves a gap: a space, or a new cell).
struct PageChar {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  std::string text;  // UTF-8, one code point
  int word = 0;      // index of its word on the page
};

// Choices are drawn, not printed as text (a stroked mark round the option):
// each page also comes rendered, as one bit per pixel (1: dark), row by
// row, kMaskScale pixels per point.
inline constexpr double kMaskScale = 2;
inline constexpr int kMaxMaskSide = 4000;
// Forms have a few pages: later pages are not rendered (rendering costs
// far more than reading text, and a long PDF is not a form anyway).
inline constexpr std::size_t kMaxMaskPages = 8;

struct PageText {
  double width = 0, height = 0;
  std::vector<PageChar> chars;
  int mask_w = 0, mask_h = 0;
  std::string mask;  // (mask_w * mask_h + 7) / 8 bytes; empty when the page could not be rendered

  bool dark(int x, int y) const {
    if (x < 0 || y < 0 || x >= mask_w || y >= mask_h) return false;
    const std::size_t i = static_cast<std::size_t>(y) * static_cast<std::size_t>(mask_w) +
                          static_cast<std::size_t>(x);
    return i / 8 < mask.size() && (static_cast<unsigned char>(mask[i / 8]) >> (i % 8) & 1);
  }
};

// Bounds: a form has a few pages and a few thousand characters; more is
// not a yoshiki form, and the rest is not read.
inline constexpr std::size_t kMaxTextPages = 64;
inline constexpr std::size_t kMaxPageChars = 20000;

// The pages' text; empty when poppler cannot read the file (the caller
// then says the form cannot be read, as before).
std::vector<PageText> read_page_text(std::string_view pdf);

}  // namespace yoshiki::pdf
