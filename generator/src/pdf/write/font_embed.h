// font_embed — one font as it goes into a PDF: the glyphs a document used,
// subset with hb-subset and written as Type0 / CIDFontType2 / FontDescriptor /
// FontFile2 with /W widths and a ToUnicode CMap built from the text each
// glyph was shaped from. Field appearances (later) reuse it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

#include "pdf/write/podofo_wrap.h"
#include "text/shape.h"

namespace yoshiki::pdf {

// The glyphs of one font used by a document, old glyph id → its text.
struct FontUsage {
  const text::Font* font = nullptr;
  std::map<std::uint32_t, std::string> glyphs;

  void add(const text::ShapedRun& run);
};

struct EmbeddedFont {
  PoDoFo::PdfObject* type0 = nullptr;
  std::unordered_map<std::uint32_t, std::uint32_t> new_gid;  // old → new (= CID)
  std::unordered_map<std::uint32_t, int> width;              // new gid → /W width (1/1000 em)
};

// Subsets and writes the font objects into `doc`. Throws Error on failure.
EmbeddedFont embed_subset(PoDoFo::PdfMemDocument& doc, const FontUsage& usage);

// The whole font (every glyph), for a form's /DR: what a viewer uses to draw
// what a person types into a field. A subset cannot show characters it does
// not hold; a non-embedded CID font shows wrong kanji or tofu in poppler and
// pdf.js (see ../shared/spec/pdf-notes.md). Costs ~4 MB per PDF for IPAex.
// TrueType fonts only. The compressed font program, /W and ToUnicode are
// built once per font and process.
PoDoFo::PdfObject* embed_full(PoDoFo::PdfMemDocument& doc, const text::Font& font);

}  // namespace yoshiki::pdf
