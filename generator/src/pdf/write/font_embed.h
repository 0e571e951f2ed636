// font_embed — one font as it goes into a PDF: the glyphs a document used,
// subset with hb-subset and written as Type0 / CIDFontType2 / FontDescriptor /
// FontFile2 with /W widths and a ToUnicode CMap built from the text each
// glyph was shaped from. Field appearances (later) reuse it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/shape.h"

namespace yoshiki::pdf {

// Glyphs and the text each stands for (ToUnicode), by old glyph id,
// ascending, one entry per glyph.
using GlyphTexts = std::vector<std::pair<std::uint32_t, std::string_view>>;

// The glyphs of one font used by a document, old glyph id → its text (the
// first non-empty one it was shaped from). The texts are views: the runs
// (or strings) added must outlive the usage's subset.
struct FontUsage {
  const text::Font* font = nullptr;

  void add(const text::ShapedRun& run);
  void add(std::uint32_t gid, std::string_view text);
  GlyphTexts glyphs() const;

 private:
  // Per glyph a node and a string in a std::map was most of what a
  // document's subset cost us besides hb-subset: an open-addressing table
  // by glyph id into `entries_` instead (an index as large as the font's
  // glyph ids cost as much to clear), sorted once.
  std::vector<std::uint32_t> slots_;  // entries_ index + 1; 0 = free
  int slot_bits_ = 0;                 // slots_.size() == 1 << slot_bits_
  GlyphTexts entries_;                // first-use order

  std::uint32_t& slot_of(std::uint32_t gid);
};

// A subset ready to go into any number of documents: hb-subset, /W, the
// ToUnicode CMap and deflate are done once (the static part of a form's text
// and the typing font are built once and reused; values per document).
struct PreparedFont {
  text::FontMetrics metrics;  // a copy: the cache outlives no Font it was built from
  std::string name;           // "TAGTAG+PostScriptName"
  bool cff = false;
  std::string program;  // the font program (FontFile2 / FontFile3), deflated unless level 0
  bool program_deflated = true;
  std::size_t length = 0;  // its length before deflating (/Length1)
  std::string cmap;        // ToUnicode, deflated unless level 0
  bool cmap_deflated = true;
  // /W widths in thousandths of the PDF's 1/1000 em (/W writes them with
  // up to three decimals): rounded to whole units, a glyph whose advance is
  // not (IPAex's 2048 units per em: most Latin letters and digits) needed a
  // TJ adjustment wherever it was drawn — ~220 per filled form.
  static constexpr int kWidthScale = 1000;
  // (64 bits: an advance of 65,535 units at 16 units per em is ~4e9.)
  std::vector<std::pair<std::uint32_t, std::int64_t>>
      width;  // (new gid, /W width × kWidthScale), ascending
  // Old gid → new (= CID), kNoGlyph when not in the subset, and CID → width:
  // dense tables, looked up once per glyph drawn (a hash map was 4 % of a
  // render).
  static constexpr std::uint32_t kNoGlyph = 0xFFFFFFFF;
  std::vector<std::uint32_t> cid_of;
  std::vector<std::int64_t> width_of;  // × kWidthScale

  std::uint32_t cid(std::uint32_t gid) const {
    return gid < cid_of.size() ? cid_of[gid] : kNoGlyph;
  }
};

// `content` deflated at zlib `level`, with a window and hash sized to it.
std::string deflate_bytes(std::string_view content, int level);

// Four upper-case hex digits of `v` written at `out` (CIDs in content
// streams, ToUnicode entries): a table, not snprintf — content streams are
// mostly glyph ids. Inline: it runs once per glyph.
inline void hex4(char* out, std::uint32_t v) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  out[0] = kDigits[(v >> 12) & 15];
  out[1] = kDigits[(v >> 8) & 15];
  out[2] = kDigits[(v >> 4) & 15];
  out[3] = kDigits[v & 15];
}

// The same, appended to `out`.
inline void hex4(std::string& out, std::uint32_t v) {
  char d[4];
  hex4(d, v);
  out.append(d, 4);
}

// Subsets `usage`; `level` is the zlib level for the program and CMap (0:
// both go in as they are).
// Throws Error on failure.
std::shared_ptr<const PreparedFont> prepare_subset(const FontUsage& usage, int level);

// The typing font for a form's /DR: what a viewer uses to draw what a person
// types into a field. A subset of the page's text cannot show characters it
// does not hold; a non-embedded CID font shows wrong kanji or tofu in
// poppler and pdf.js (see ../shared/spec/pdf-notes.md). So: the font's
// glyphs for the Windows-31J repertoire (JIS X 0208, the NEC and IBM
// extensions, ASCII, half-width kana: what Japanese keyboards and systems
// type), ~1.9 MB for IPAex instead of ~4 MB for the whole font. TrueType
// fonts only. Built once per font content and process.
std::shared_ptr<const PreparedFont> prepared_typing(const text::Font& font);

struct ObjectWriter;

// Serialises a prepared font's five objects (program, descriptor, CID font,
// ToUnicode, Type0) into `w` under its next numbers; returns the Type0's.
int serialise_font(ObjectWriter& w, const PreparedFont& p);

// Code points of the typing repertoire that `font` has no glyph for.
std::vector<std::uint32_t> typing_gaps(const text::Font& font);

}  // namespace yoshiki::pdf
