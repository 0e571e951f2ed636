// plain_glyphs — the characters HarfBuzz shapes one by one in a font: each
// to its nominal glyph at that glyph's advance, one cluster per character,
// whatever surrounds it, so long as its neighbours are plain too. A run of
// them is read from this table instead of shaped (shape.cpp): ~20
// instructions per character against HarfBuzz's ~800.
//
// A character is plain when all of these hold:
// - the font maps it (cmap) to a glyph other than .notdef, and HarfBuzz
//   would keep that glyph: a character the font has is never decomposed
//   (hb-ot-shape-normalize keeps a one-character cluster it can show);
// - no lookup HarfBuzz may apply by default (ccmp, locl, rlig, liga, calt,
//   clig, rclt, kern, mark, mkmk, curs, dist, abvm, blwm, rvrn, frac/numr/
//   dnom, ltra/ltrm/rtla/rtlm, rand; and any langsys's required feature) in
//   GSUB or GPOS, for any script or language, reads or writes the glyph, and
//   GDEF does not class it as a mark, ligature or component;
// - it is not a mark, grapheme extender (U+FF9E ﾞ, U+FF9F ﾟ join the
//   character before them), control, format or default-ignorable character, a
//   separator of lines or paragraphs, private use or a surrogate, nor U+2044
//   (which turns on HarfBuzz's fractions), and its script is Common, Latin,
//   Greek, Cyrillic, Han, Hiragana or Katakana (HarfBuzz's default shaper);
// - the font has no kern, kerx, morx, mort or trak table (HarfBuzz applies
//   those outside GSUB/GPOS): with one, no character is plain.
// Only the Basic Multilingual Plane is tabled; other characters are shaped.
// tests/unit/test_text.cpp checks every plain character of the fonts, and
// random runs, against HarfBuzz.
#pragma once

#include <hb.h>

#include <cstdint>
#include <vector>

namespace yoshiki::text {

// Per BMP code point: glyph id | advance << 16 (font units), 0 if not plain.
std::vector<std::uint32_t> plain_glyphs(hb_face_t* face, hb_font_t* font);

}  // namespace yoshiki::text
