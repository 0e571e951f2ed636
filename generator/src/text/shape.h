// shape — HarfBuzz shaping of one run of text in one font, and the glyph
// record that layout and PDF writing share: glyph id, advance and the text
// it stands for (so the PDF's ToUnicode maps each glyph back to exactly the
// characters that produced it).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/font.h"

namespace yoshiki::text {

struct Glyph {
  std::uint32_t gid = 0;
  std::int32_t advance = 0;   // font units
  std::uint32_t cluster = 0;  // byte offset into the shaped string
  // HarfBuzz's HB_GLYPH_FLAG_UNSAFE_TO_BREAK: text broken at this glyph's
  // cluster must be shaped again (see shape_part).
  bool unsafe_to_break = false;
  std::string text;  // UTF-8 the glyph stands for; empty for 2nd+ glyphs of a cluster
};

// The glyphs of a run, shared rather than copied: a shaped run goes into
// every TextOp drawing it, and a template's labels into every document.
// Read-only, with the vector's reading interface.
class GlyphList {
 public:
  using const_iterator = std::vector<Glyph>::const_iterator;
  GlyphList() = default;
  explicit GlyphList(std::vector<Glyph> glyphs)
      : glyphs_(std::make_shared<const std::vector<Glyph>>(std::move(glyphs))) {}
  const_iterator begin() const { return all().begin(); }
  const_iterator end() const { return all().end(); }
  std::size_t size() const { return all().size(); }
  bool empty() const { return all().empty(); }
  const Glyph& operator[](std::size_t i) const { return all()[i]; }
  const Glyph& front() const { return all().front(); }
  const Glyph& back() const { return all().back(); }

 private:
  const std::vector<Glyph>& all() const {
    static const std::vector<Glyph> none;
    return glyphs_ ? *glyphs_ : none;
  }
  std::shared_ptr<const std::vector<Glyph>> glyphs_;
};

struct ShapedRun {
  const Font* font = nullptr;
  GlyphList glyphs;
  std::int64_t advance = 0;                // sum, font units
  hb_script_t script = HB_SCRIPT_INVALID;  // as HarfBuzz guessed it from the text

  double width(double size) const {
    return static_cast<double>(advance) * size / font->metrics().units_per_em;
  }
};

// A line of wrapped text: bytes [begin, end) of the text.
struct LineSpan {
  std::size_t begin = 0, end = 0;
};

struct BreakOpportunity {
  size_t offset;  // UTF-8 byte offset a line may start at
  bool hard;      // a forced break (after a newline)
};

// Texts shaped and broken into lines once: a template's static text (labels,
// notes, option texts, settings) for one template and settings, built by
// laying out the blank form in a recording TextScope, then immutable and
// shared between threads. It never holds a data value: the blank has none.
class StaticText {
 public:
  StaticText() : StaticText(true) {}
  ~StaticText();
  StaticText(const StaticText&) = delete;
  StaticText& operator=(const StaticText&) = delete;

  const ShapedRun* run(const Font& font, std::string_view utf8) const;
  const std::vector<BreakOpportunity>* breaks(std::string_view utf8) const;
  // Lines of a wrap() of `utf8` in `font` at `size` into `max_width`.
  const std::vector<LineSpan>* lines(const Font& font, double size, double max_width,
                                     std::string_view utf8) const;
  // Whether `utf8` is kept here, shaped, broken or wrapped (for tests).
  bool holds(std::string_view utf8) const;

 private:
  friend class TextScope;
  explicit StaticText(bool registered);  // a scope's scratch is not registered
  bool registered_;
  // A text with its hash: a TextScope looks a text up in its statics and
  // its scratch, hashing it once.
  struct Hashed {
    std::string_view text;
    std::size_t hash;
    explicit Hashed(std::string_view t) : text(t), hash(std::hash<std::string_view>{}(t)) {}
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    std::size_t operator()(const Hashed& h) const { return h.hash; }
  };
  struct Equal {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
    bool operator()(const Hashed& a, std::string_view b) const { return a.text == b; }
    bool operator()(std::string_view a, const Hashed& b) const { return a == b.text; }
  };
  template <class V>
  using Map = std::unordered_map<std::string, V, Hash, Equal>;
  const ShapedRun* run(const Font& font, const Hashed& utf8) const;
  const std::vector<BreakOpportunity>* breaks(const Hashed& utf8) const;
  std::unordered_map<const Font*, Map<ShapedRun>> runs_;
  Map<std::vector<BreakOpportunity>> breaks_;
  struct Wrapped {
    const Font* font;
    double size, max_width;
    std::vector<LineSpan> lines;
  };
  Map<std::vector<Wrapped>> lines_;  // by text: looked up without building a key
};

// While a TextScope is alive, shape() and line breaking on this thread look
// texts up in `statics` (may be null) and keep what they compute in the
// scope's scratch, which dies with the scope: one document's values are
// shaped once for all the sizes fitting tries, and never kept past it.
// Without a scope nothing is kept. Scopes nest; the innermost is used.
class TextScope {
 public:
  explicit TextScope(const StaticText* statics);
  // Records into `build` (the blank layout that builds a StaticText).
  explicit TextScope(StaticText& build);
  ~TextScope();
  TextScope(const TextScope&) = delete;
  TextScope& operator=(const TextScope&) = delete;

  static TextScope* current();
  const ShapedRun* run(const Font& font, std::string_view utf8) const;
  const std::vector<BreakOpportunity>* breaks(std::string_view utf8) const;
  void keep(const Font& font, std::string_view utf8, const ShapedRun& run);
  // The kept copy, or null past the scratch's bound.
  const std::vector<BreakOpportunity>* keep(std::string_view utf8,
                                            std::vector<BreakOpportunity> breaks);
  const std::vector<LineSpan>* lines(const Font& font, double size, double max_width,
                                     std::string_view utf8) const;
  void keep_lines(const Font& font, double size, double max_width, std::string_view utf8,
                  const std::vector<LineSpan>& lines);  // recording only
  // Whether this thread's scope keeps `utf8` (for tests).
  bool holds(std::string_view utf8) const;

 private:
  // A document with very many distinct texts shapes the rest afresh.
  static constexpr std::size_t kMaxScratch = 4096;
  const StaticText* statics_ = nullptr;
  StaticText own_{false};
  StaticText* scratch_ = &own_;
  std::size_t kept_ = 0;
  bool bounded_ = true;
  TextScope* outer_ = nullptr;
  friend bool text_is_kept(std::string_view utf8);
};

// Whether any StaticText alive in this process, or this thread's TextScope,
// holds `utf8` (tests: no data value may be kept).
bool text_is_kept(std::string_view utf8);

// Shapes `utf8` (looked up and kept in the current TextScope, if any): a
// run of plain characters (text/plain_glyphs.h) from the font's table, any
// other by HarfBuzz.
ShapedRun shape(const Font& font, std::string_view utf8);

// Shapes `utf8` by HarfBuzz, always (what shape() must agree with).
ShapedRun shape_harfbuzz(const Font& font, std::string_view utf8);

// shape(font, utf8.substr(begin, end - begin)) where `whole` is shape(font,
// utf8): a wrapped line. When HarfBuzz marks neither edge unsafe to break
// and the part's script shapes as the whole's, its glyphs are the slice of
// `whole` (HarfBuzz's contract for that flag); otherwise it is shaped
// afresh. Looked up and kept in the current TextScope like shape().
ShapedRun shape_part(const ShapedRun& whole, std::string_view utf8, std::size_t begin,
                     std::size_t end);

// Seconds spent shaping with HarfBuzz on this thread so far (for benchmark
// splits; look-ups in a TextScope and plain runs are not timed).
double& thread_shaping_seconds();

}  // namespace yoshiki::text
