// shape — HarfBuzz shaping of one run of text in one font, and the glyph
// record that layout and PDF writing share: glyph id, advance and the text
// it stands for (so the PDF's ToUnicode maps each glyph back to exactly the
// characters that produced it).
#pragma once

#include <cstdint>
#include <shared_mutex>
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
  std::string text;           // UTF-8 the glyph stands for; empty for 2nd+ glyphs of a cluster
};

struct ShapedRun {
  const Font* font = nullptr;
  std::vector<Glyph> glyphs;
  std::int64_t advance = 0;  // sum, font units

  double width(double size) const {
    return static_cast<double>(advance) * size / font->metrics().units_per_em;
  }
};

struct Font::ShapeCache {
  // Values vary per document; past this many entries new texts are shaped
  // but not kept, so memory stays flat over any number of documents.
  static constexpr std::size_t kMaxEntries = 4096;
  std::shared_mutex mu;
  std::unordered_map<std::string, ShapedRun> runs;
};

// Shapes `utf8` (cached per Font: the same text always gives the same run).
ShapedRun shape(const Font& font, std::string_view utf8);

// Seconds spent in shape() on this thread so far (for benchmark splits).
double& thread_shaping_seconds();

}  // namespace yoshiki::text
