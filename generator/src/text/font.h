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

namespace yoshiki::text {

struct FontMetrics {
  int units_per_em = 1000;
  int ascender = 0, descender = 0, cap_height = 0;  // font units
  int bbox[4] = {0, 0, 0, 0};
  std::string postscript_name;
};

class Font {
 public:
  // Loads face `index` of `path`. Throws Error(Io) if it cannot be used.
  Font(const std::string& path, unsigned index);
  ~Font();
  Font(const Font&) = delete;
  Font& operator=(const Font&) = delete;

  enum class Outlines { TrueType, Cff };  // glyf (IPAex) or CFF (Noto CJK)

  const std::string& path() const { return path_; }
  Outlines outlines() const { return outlines_; }
  const FontMetrics& metrics() const { return metrics_; }
  hb_font_t* hb() const { return font_; }
  hb_face_t* subset_source() const { return subset_source_; }
  bool has_codepoint(std::uint32_t cp) const;
  // Advance of a glyph in font units (unscaled).
  int advance(std::uint32_t gid) const;

 private:
  std::string path_;
  hb_blob_t* blob_ = nullptr;
  hb_face_t* face_ = nullptr;
  hb_face_t* subset_source_ = nullptr;
  hb_font_t* font_ = nullptr;
  FontMetrics metrics_;
  Outlines outlines_ = Outlines::TrueType;
};

// Font roles ("gothic", "mincho") to loaded fonts, from fonts/fonts.xml:
// each role lists candidate files; the first that exists is used.
class FontSet {
 public:
  explicit FontSet(const std::string& font_map_path);
  // Throws Error(Usage) naming the role if it is unknown.
  const Font& role(const std::string& name) const;
  std::vector<std::string> roles() const;

 private:
  std::map<std::string, std::shared_ptr<const Font>> roles_;
};

}  // namespace yoshiki::text
