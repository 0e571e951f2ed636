#include "text/shape.h"

#include <algorithm>
#include <chrono>

#include "text/kept_registry.h"

namespace yoshiki::text {

double& thread_shaping_seconds() {
  thread_local double seconds = 0;
  return seconds;
}

namespace {
struct ShapeTimer {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  ~ShapeTimer() {
    thread_shaping_seconds() +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
};
}  // namespace

namespace {

// The code point at `i` of strict UTF-8 (no overlong form, no surrogate),
// its length in `n`; false for anything else.
bool next_code_point(std::string_view s, std::size_t i, std::uint32_t& cp, std::size_t& n) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) {
    cp = c, n = 1;
    return true;
  }
  if (c >= 0xC2 && c < 0xE0) {
    cp = c & 0x1Fu, n = 2;
  } else if (c >= 0xE0 && c < 0xF0) {
    cp = c & 0x0Fu, n = 3;
  } else if (c >= 0xF0 && c < 0xF5) {
    cp = c & 0x07u, n = 4;
  } else {
    return false;
  }
  if (i + n > s.size()) return false;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return false;
    cp = cp << 6 | (byte(i + k) & 0x3Fu);
  }
  static constexpr std::uint32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};
  return cp >= kLeast[n] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
}

// A run of plain characters only (text/plain_glyphs.h) from the font's
// table: the glyphs HarfBuzz would give it. False if any is not plain.
bool shape_plain(const Font& font, std::string_view utf8, ShapedRun& run) {
  std::vector<Glyph> glyphs;
  glyphs.reserve(utf8.size());
  std::int64_t advance = 0;
  for (std::size_t i = 0, n = 0; i < utf8.size(); i += n) {
    std::uint32_t cp = 0;
    if (!next_code_point(utf8, i, cp, n)) return false;
    const std::uint32_t plain = font.plain(cp);
    if (!plain) return false;
    Glyph& g = glyphs.emplace_back();
    g.gid = plain & 0xFFFFu;
    g.advance = static_cast<std::int32_t>(plain >> 16);
    g.cluster = static_cast<std::uint32_t>(i);
    g.text.assign(utf8.substr(i, n));
    advance += g.advance;
  }
  run.advance = advance;
  run.glyphs = GlyphList(std::move(glyphs));
  return true;
}

}  // namespace

ShapedRun shape_harfbuzz(const Font& font, std::string_view utf8) {
  // Timed here only: a clock reading (~26 ns) per look-up and per plain run
  // was ~5 % of a render (~1,000 calls per document).
  ShapeTimer timer;
  ShapedRun run;
  run.font = &font;
  if (utf8.empty()) return run;
  // One buffer per thread, cleared after each run: shaping is called for
  // every value of every document, and creating a buffer allocates.
  thread_local std::unique_ptr<hb_buffer_t, decltype(&hb_buffer_destroy)> owned(hb_buffer_create(),
                                                                                &hb_buffer_destroy);
  static const hb_language_t ja = hb_language_from_string("ja", 2);
  hb_buffer_t* buf = owned.get();
  hb_buffer_add_utf8(buf, utf8.data(), static_cast<int>(utf8.size()), 0,
                     static_cast<int>(utf8.size()));
  hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
  hb_buffer_set_language(buf, ja);
  hb_buffer_guess_segment_properties(buf);
  hb_shape(font.hb(), buf, nullptr, 0);
  unsigned n = 0;
  hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
  hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &n);
  std::vector<Glyph> glyphs;
  glyphs.reserve(n);
  for (unsigned i = 0; i < n; ++i) {
    Glyph g;
    g.gid = info[i].codepoint;
    g.advance = pos[i].x_advance;
    g.cluster = info[i].cluster;
    run.advance += g.advance;
    glyphs.push_back(std::move(g));
  }
  hb_buffer_clear_contents(buf);  // a value's glyphs are not kept past its shaping
  // The text of a cluster goes to its first glyph: from its cluster offset
  // to the next larger cluster offset (LTR, so clusters never decrease).
  for (size_t i = 0; i < glyphs.size(); ++i) {
    if (i > 0 && glyphs[i].cluster == glyphs[i - 1].cluster) continue;
    size_t end = utf8.size();
    for (size_t j = i + 1; j < glyphs.size(); ++j) {
      if (glyphs[j].cluster != glyphs[i].cluster) {
        end = glyphs[j].cluster;
        break;
      }
    }
    glyphs[i].text = std::string(utf8.substr(glyphs[i].cluster, end - glyphs[i].cluster));
  }
  run.glyphs = GlyphList(std::move(glyphs));
  return run;
}

namespace {

ShapedRun shape_uncached(const Font& font, std::string_view utf8) {
  ShapedRun run;
  run.font = &font;
  if (!utf8.empty() && shape_plain(font, utf8, run)) return run;
  return shape_harfbuzz(font, utf8);
}

}  // namespace

// ---- StaticText ----------------------------------------------------------
namespace {
thread_local TextScope* current_scope = nullptr;
}  // namespace

StaticText::StaticText(bool registered) : registered_(registered) {
  if (registered_) KeptRegistry<StaticText>::add(this);
}

StaticText::~StaticText() {
  if (registered_) KeptRegistry<StaticText>::remove(this);
}

const ShapedRun* StaticText::run(const Font& font, std::string_view utf8) const {
  auto f = runs_.find(&font);
  if (f == runs_.end()) return nullptr;
  auto it = f->second.find(utf8);
  return it == f->second.end() ? nullptr : &it->second;
}

const std::vector<BreakOpportunity>* StaticText::breaks(std::string_view utf8) const {
  auto it = breaks_.find(utf8);
  return it == breaks_.end() ? nullptr : &it->second;
}

const std::vector<std::string>* StaticText::lines(std::string_view key) const {
  auto it = lines_.find(key);
  return it == lines_.end() ? nullptr : &it->second;
}

std::string wrap_key(const Font& font, double size, double max_width, std::string_view utf8) {
  std::string key;
  key.reserve(sizeof(&font) + 2 * sizeof(double) + utf8.size());
  const Font* f = &font;
  key.append(reinterpret_cast<const char*>(&f), sizeof f);
  key.append(reinterpret_cast<const char*>(&size), sizeof size);
  key.append(reinterpret_cast<const char*>(&max_width), sizeof max_width);
  key += utf8;
  return key;
}

bool StaticText::holds(std::string_view utf8) const {
  if (breaks_.find(utf8) != breaks_.end()) return true;
  for (const auto& [key, lines] : lines_)
    if (key.size() >= utf8.size() && key.compare(key.size() - utf8.size(), utf8.size(), utf8) == 0)
      return true;
  for (const auto& [font, runs] : runs_)
    if (runs.find(utf8) != runs.end()) return true;
  return false;
}

// ---- TextScope -------------------------------------------------------------
TextScope::TextScope(const StaticText* statics) : statics_(statics), outer_(current_scope) {
  current_scope = this;
}

TextScope::TextScope(StaticText& build) : scratch_(&build), bounded_(false), outer_(current_scope) {
  current_scope = this;
}

TextScope::~TextScope() { current_scope = outer_; }

TextScope* TextScope::current() { return current_scope; }

const ShapedRun* TextScope::run(const Font& font, std::string_view utf8) const {
  if (statics_)
    if (const ShapedRun* r = statics_->run(font, utf8)) return r;
  return scratch_->run(font, utf8);
}

const std::vector<BreakOpportunity>* TextScope::breaks(std::string_view utf8) const {
  if (statics_)
    if (const auto* b = statics_->breaks(utf8)) return b;
  return scratch_->breaks(utf8);
}

void TextScope::keep(const Font& font, std::string_view utf8, const ShapedRun& run) {
  if (bounded_ && kept_ >= kMaxScratch) return;
  ++kept_;
  scratch_->runs_[&font].emplace(std::string(utf8), run);
}

const std::vector<BreakOpportunity>* TextScope::keep(std::string_view utf8,
                                                     std::vector<BreakOpportunity> breaks) {
  if (bounded_ && kept_ >= kMaxScratch) return nullptr;
  ++kept_;
  return &scratch_->breaks_.emplace(std::string(utf8), std::move(breaks)).first->second;
}

const std::vector<std::string>* TextScope::lines(std::string_view key) const {
  if (statics_)
    if (const auto* l = statics_->lines(key)) return l;
  return scratch_->lines(key);
}

void TextScope::keep_lines(std::string key, const std::vector<std::string>& lines) {
  // Only the blank's (static) wraps: a value is wrapped once per size.
  if (bounded_) return;
  scratch_->lines_.emplace(std::move(key), lines);
}

bool TextScope::holds(std::string_view utf8) const { return scratch_->holds(utf8); }

bool text_is_kept(std::string_view utf8) {
  for (const TextScope* s = current_scope; s; s = s->outer_)
    if (s->holds(utf8)) return true;
  return KeptRegistry<StaticText>::any_holds(utf8);
}

ShapedRun shape(const Font& font, std::string_view utf8) {
  TextScope* scope = current_scope;
  if (scope)
    if (const ShapedRun* r = scope->run(font, utf8)) return *r;
  ShapedRun run = shape_uncached(font, utf8);
  if (scope) scope->keep(font, utf8, run);
  return run;
}

}  // namespace yoshiki::text
