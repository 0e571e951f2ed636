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
  hb_script_t script = HB_SCRIPT_INVALID;  // as HarfBuzz would guess it
  for (std::size_t i = 0, n = 0; i < utf8.size(); i += n) {
    std::uint32_t cp = 0;
    if (!next_code_point(utf8, i, cp, n)) return false;
    const std::uint32_t plain = font.plain(cp);
    if (!plain) return false;
    if (script == HB_SCRIPT_INVALID) {
      const hb_script_t s = hb_unicode_script(hb_unicode_funcs_get_default(), cp);
      if (s != HB_SCRIPT_COMMON && s != HB_SCRIPT_INHERITED && s != HB_SCRIPT_UNKNOWN) script = s;
    }
    Glyph& g = glyphs.emplace_back();
    g.gid = plain & 0xFFFFu;
    g.advance = static_cast<std::int32_t>(plain >> 16);
    g.cluster = static_cast<std::uint32_t>(i);
    g.text.assign(utf8.substr(i, n));
    advance += g.advance;
  }
  run.advance = advance;
  run.script = script;
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
  run.script = hb_buffer_get_script(buf);
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
    g.unsafe_to_break =
        (hb_glyph_info_get_glyph_flags(&info[i]) & HB_GLYPH_FLAG_UNSAFE_TO_BREAK) != 0;
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

// The script hb_buffer_guess_segment_properties() takes for `utf8`: that of
// its first character whose script is not Common, Inherited or Unknown.
hb_script_t guessed_script(std::string_view utf8) {
  hb_unicode_funcs_t* unicode = hb_unicode_funcs_get_default();
  for (size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    const int len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    hb_codepoint_t cp = len == 1 ? b : b & (0x7F >> len);
    bool valid = i + static_cast<size_t>(len) <= utf8.size() && (len == 1 || b >= 0xC0);
    for (int k = 1; valid && k < len; ++k) {
      const auto c = static_cast<unsigned char>(utf8[i + static_cast<size_t>(k)]);
      valid = (c & 0xC0) == 0x80;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (!valid) return HB_SCRIPT_UNKNOWN;  // never a guess: such a part is shaped afresh
    i += static_cast<size_t>(len);
    const hb_script_t script = hb_unicode_script(unicode, cp);
    if (script != HB_SCRIPT_COMMON && script != HB_SCRIPT_INHERITED && script != HB_SCRIPT_UNKNOWN)
      return script;
  }
  return HB_SCRIPT_INVALID;
}

// Whether text of script `a` and of script `b` shape alike in `font`.
bool shapes_alike(const Font& font, hb_script_t a, hb_script_t b) {
  auto cjk = [](hb_script_t s) {
    return s == HB_SCRIPT_HAN || s == HB_SCRIPT_HIRAGANA || s == HB_SCRIPT_KATAKANA;
  };
  return a == b || (cjk(a) && cjk(b) && font.cjk_scripts_alike());
}

// The glyphs of part [begin, end) of the text `whole` was shaped from, if
// HarfBuzz says they are what shaping the part alone gives.
bool slice(const ShapedRun& whole, std::string_view utf8, size_t begin, size_t end,
           ShapedRun& out) {
  const GlyphList& g = whole.glyphs;
  const size_t n = g.size();
  auto first_at = [&](size_t offset) {  // first glyph of a cluster >= offset (LTR: sorted)
    size_t lo = 0, hi = n;
    while (lo < hi) {
      const size_t mid = (lo + hi) / 2;
      if (g[mid].cluster < offset)
        lo = mid + 1;
      else
        hi = mid;
    }
    return lo;
  };
  auto safe_edge = [&](size_t offset, size_t i) {  // a cluster starts there, safe to break
    if (i == n) return offset == utf8.size();
    if (g[i].cluster != offset) return false;
    for (size_t k = i; k < n && g[k].cluster == offset; ++k)
      if (g[k].unsafe_to_break) return false;
    return true;
  };
  const size_t i = first_at(begin), j = first_at(end);
  if (!safe_edge(begin, i) || !safe_edge(end, j) || i >= j) return false;
  const std::string_view part = utf8.substr(begin, end - begin);
  const hb_script_t script = guessed_script(part);
  if (!shapes_alike(*whole.font, script, whole.script)) return false;
  std::vector<Glyph> glyphs(g.begin() + static_cast<std::ptrdiff_t>(i),
                            g.begin() + static_cast<std::ptrdiff_t>(j));
  out.font = whole.font;
  out.script = script;
  out.advance = 0;
  for (auto& glyph : glyphs) {
    glyph.cluster -= static_cast<std::uint32_t>(begin);
    out.advance += glyph.advance;
  }
  out.glyphs = GlyphList(std::move(glyphs));
  return true;
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
  return run(font, Hashed(utf8));
}

const ShapedRun* StaticText::run(const Font& font, const Hashed& utf8) const {
  auto f = runs_.find(&font);
  if (f == runs_.end()) return nullptr;
  auto it = f->second.find(utf8);
  return it == f->second.end() ? nullptr : &it->second;
}

const std::vector<BreakOpportunity>* StaticText::breaks(std::string_view utf8) const {
  return breaks(Hashed(utf8));
}

const std::vector<BreakOpportunity>* StaticText::breaks(const Hashed& utf8) const {
  auto it = breaks_.find(utf8);
  return it == breaks_.end() ? nullptr : &it->second;
}

const std::vector<LineSpan>* StaticText::lines(const Font& font, double size, double max_width,
                                               std::string_view utf8) const {
  auto it = lines_.find(utf8);
  if (it == lines_.end()) return nullptr;
  for (const Wrapped& w : it->second)
    if (w.font == &font && w.size == size && w.max_width == max_width) return &w.lines;
  return nullptr;
}

bool StaticText::holds(std::string_view utf8) const {
  if (breaks_.find(utf8) != breaks_.end()) return true;
  if (lines_.find(utf8) != lines_.end()) return true;
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
  const StaticText::Hashed text(utf8);
  if (statics_)
    if (const ShapedRun* r = statics_->run(font, text)) return r;
  return scratch_->run(font, text);
}

const std::vector<BreakOpportunity>* TextScope::breaks(std::string_view utf8) const {
  const StaticText::Hashed text(utf8);
  if (statics_)
    if (const auto* b = statics_->breaks(text)) return b;
  return scratch_->breaks(text);
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

const std::vector<LineSpan>* TextScope::lines(const Font& font, double size, double max_width,
                                              std::string_view utf8) const {
  if (statics_)
    if (const auto* l = statics_->lines(font, size, max_width, utf8)) return l;
  // A document's scope keeps no wraps (keep_lines).
  return bounded_ ? nullptr : scratch_->lines(font, size, max_width, utf8);
}

void TextScope::keep_lines(const Font& font, double size, double max_width, std::string_view utf8,
                           const std::vector<LineSpan>& lines) {
  // Only the blank's (static) wraps: a value is wrapped once per size.
  if (bounded_) return;
  auto& wraps = scratch_->lines_[std::string(utf8)];
  for (const auto& w : wraps)
    if (w.font == &font && w.size == size && w.max_width == max_width) return;
  wraps.push_back({&font, size, max_width, lines});
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

ShapedRun shape_part(const ShapedRun& whole, std::string_view utf8, std::size_t begin,
                     std::size_t end) {
  if (begin == 0 && end == utf8.size()) return whole;
  const std::string_view part = utf8.substr(begin, end - begin);
  TextScope* scope = current_scope;
  if (scope)
    if (const ShapedRun* r = scope->run(*whole.font, part)) return *r;
  ShapedRun run;
  // A part that is plain reads as plain (what shape() gives it); else the
  // slice of the whole when HarfBuzz allows, else shaped afresh.
  run.font = whole.font;
  if (part.empty() || !(shape_plain(*whole.font, part, run) || slice(whole, utf8, begin, end, run)))
    run = shape_uncached(*whole.font, part);
  if (scope) scope->keep(*whole.font, part, run);
  return run;
}

}  // namespace yoshiki::text
