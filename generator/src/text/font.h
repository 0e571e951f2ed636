// font — one loaded font file: the HarfBuzz face used for shaping and
// subsetting (preprocessed once, because subsetting from a preprocessed face
// is ~15x faster) and the FreeType-read metrics the PDF font descriptor needs.
// Immutable after loading, so shared freely between threads.
#pragma once

#include <hb.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "yoshiki/yoshiki.h"

namespace yoshiki::text {

struct FontMetrics {
  int units_per_em = 1000;
  int ascender = 0, descender = 0, cap_height = 0;  // font units
  int bbox[4] = {0, 0, 0, 0};
  std::string postscript_name;
};

class Font {
 public:
  // Loads face `index` of `path`, read through `io`. Throws Error(Io) if it
  // cannot be used.
  Font(const std::string& path, unsigned index, const Io& io = *system_io());
  ~Font();
  Font(const Font&) = delete;
  Font& operator=(const Font&) = delete;

  enum class Outlines { TrueType, Cff };  // glyf (IPAex) or CFF (Noto CJK)

  const std::string& path() const { return path_; }
  // What the font is, not where it lives: a hash and the size of its bytes
  // and the face index. Caches of what is built from a font (the whole font
  // embedded for typing) are keyed by this, never by the Font's address.
  const std::string& content_key() const { return content_key_; }
  Outlines outlines() const { return outlines_; }
  const FontMetrics& metrics() const { return metrics_; }
  hb_font_t* hb() const { return font_; }
  hb_face_t* subset_source() const { return subset_source_; }
  bool has_codepoint(std::uint32_t cp) const;
  // Advance of a glyph in font units (unscaled).
  int advance(std::uint32_t gid) const;
  // What HarfBuzz gives `cp` in a run of plain characters (text/plain_glyphs.h):
  // glyph id | advance << 16, or 0 when `cp` is not plain.
  std::uint32_t plain(std::uint32_t cp) const { return cp < plain_.size() ? plain_[cp] : 0; }
  // Whether HarfBuzz shapes Han, Hiragana and Katakana text (language ja)
  // with the same lookups in this font: one shaper, and language systems
  // whose features are the same tags over the same lookups.
  bool cjk_scripts_alike() const { return cjk_scripts_alike_; }

 private:
  std::string path_;
  std::string bytes_;  // the font file; blob_ and the faces point into it
  std::string content_key_;
  hb_blob_t* blob_ = nullptr;
  hb_face_t* face_ = nullptr;
  hb_face_t* subset_source_ = nullptr;
  hb_font_t* font_ = nullptr;
  FontMetrics metrics_;
  std::vector<std::uint32_t> plain_;  // per BMP code point
  Outlines outlines_ = Outlines::TrueType;
  bool cjk_scripts_alike_ = false;
};

// Font roles ("gothic", "mincho") to loaded fonts, from fonts/fonts.xml:
// each role lists candidate files; the first that exists is used. The map and
// the font files are read through `io`.
class FontSet {
 public:
  explicit FontSet(const std::string& font_map_path, const Io& io = *system_io());
  // Throws Error(Usage) naming the role if it is unknown.
  const Font& role(const std::string& name) const;
  std::vector<std::string> roles() const;

 private:
  std::map<std::string, std::shared_ptr<const Font>> roles_;
};

}  // namespace yoshiki::text
