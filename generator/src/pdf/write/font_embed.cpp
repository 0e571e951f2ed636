#include "pdf/write/font_embed.h"

#include <hb-subset.h>
#include <libdeflate.h>
#include <unicode/ucnv.h>
#include <unicode/uset.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <vector>

#include "pdf/write/serial.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::pdf {
namespace {

// UTF-8 → UTF-16BE hex digits appended to `out`, for ToUnicode entries.
void utf16_hex(std::string& out, std::string_view utf8) {
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t cp;
    int n;
    if (c < 0x80) {
      cp = c;
      n = 1;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1F;
      n = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0F;
      n = 3;
    } else {
      cp = c & 0x07;
      n = 4;
    }
    for (int k = 1; k < n && i + k < utf8.size(); ++k) cp = (cp << 6) | (utf8[i + k] & 0x3F);
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      hex4(out, 0xD800 + (cp >> 10));
      hex4(out, 0xDC00 + (cp & 0x3FF));
    } else {
      hex4(out, cp);
    }
  }
}

// A subset tag that is stable for the same glyph set (deterministic output)
// but differs between subsets: FNV-1a of the glyph ids, in base 26.
std::string subset_tag(const GlyphTexts& glyphs) {
  std::uint64_t h = 1469598103934665603ull;
  for (auto& [gid, t] : glyphs) {
    h ^= gid;
    h *= 1099511628211ull;
  }
  std::string tag(6, 'A');
  for (auto& ch : tag) {
    ch = static_cast<char>('A' + h % 26);
    h /= 26;
  }
  return tag;
}

std::string to_unicode_cmap(const GlyphTexts& entries) {
  std::string s =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  s.reserve(s.size() + entries.size() * 20 + 128);
  for (size_t i = 0; i < entries.size(); i += 100) {
    size_t n = std::min<size_t>(100, entries.size() - i);
    put_uint(s, n);
    s += " beginbfchar\n";
    for (size_t k = i; k < i + n; ++k) {
      s += '<';
      hex4(s, entries[k].first);
      s += "> <";
      utf16_hex(s, entries[k].second);
      s += ">\n";
    }
    s += "endbfchar\n";
  }
  s += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return s;
}

Error subset_error(const text::Font& f) {
  return Error(ErrorKind::Io, {{Severity::Error, "font.subset", "hb-subset failed", f.path()}});
}

// Streams in the zlib format (FlateDecode) by libdeflate, one compressor per
// thread and level kept for the thread's life: zlib set up ~256 KB of window
// and hash tables per call (fresh pages, zeroed) and took ~5× the time of
// libdeflate's level 1 on a page's content stream, which also comes out
// ~10 % smaller. libdeflate's output is deterministic for a given input and
// level, so the same input still gives the same bytes.
std::string zlib_deflate(const char* data, std::size_t len, int level) {
  level = std::clamp(level, 0, 12);
  struct Compressors {
    std::array<libdeflate_compressor*, 13> by_level{};
    ~Compressors() {
      for (auto* c : by_level) libdeflate_free_compressor(c);  // null is allowed
    }
  };
  thread_local Compressors compressors;
  auto*& c = compressors.by_level[static_cast<std::size_t>(level)];
  if (!c) c = libdeflate_alloc_compressor(level);
  if (!c)
    throw Error(ErrorKind::Io, {{Severity::Error, "pdf.deflate", "libdeflate: out of memory"}});
  // Into a buffer left uninitialised, then copied at its deflated size: a
  // string of the bound's size was zero-filled first. (Not kept per thread:
  // it would hold a document's data after the document.)
  const std::size_t bound = libdeflate_zlib_compress_bound(c, len);
  const auto scratch = std::make_unique_for_overwrite<char[]>(bound);
  const std::size_t n = libdeflate_zlib_compress(c, data, len, scratch.get(), bound);
  if (n == 0)  // cannot happen with the bound's room; never a silent empty stream
    throw Error(ErrorKind::Io, {{Severity::Error, "pdf.deflate", "libdeflate failed"}});
  return std::string(scratch.get(), n);
}

void put_width(std::string& out, std::int64_t scaled) {
  put_real(out, static_cast<double>(scaled) / PreparedFont::kWidthScale);
}

// /W without the glyphs of the default width (/DW 1000); runs of three or
// more equal widths as "first last width", the rest as "first [widths]".
struct WRun {
  std::uint32_t first = 0, last = 0;  // last: a stretch of equal widths
  bool stretch = false;
  std::vector<std::int64_t> widths;  // one for a stretch
};

std::vector<WRun> w_runs(const std::vector<std::pair<std::uint32_t, std::int64_t>>& width) {
  std::vector<std::pair<std::uint32_t, std::int64_t>> v;
  for (auto& [g, w] : width)
    if (w != 1000 * PreparedFont::kWidthScale) v.emplace_back(g, w);
  auto next = [&](size_t k) { return k + 1 < v.size() && v[k + 1].first == v[k].first + 1; };
  auto stretch = [&](size_t k) {  // three equal widths from k on
    return next(k) && next(k + 1) && v[k + 1].second == v[k].second &&
           v[k + 2].second == v[k].second;
  };
  std::vector<WRun> out;
  for (size_t i = 0; i < v.size();) {
    if (stretch(i)) {
      size_t j = i;
      while (next(j) && v[j + 1].second == v[i].second) ++j;
      out.push_back({v[i].first, v[j].first, true, {v[i].second}});
      i = j + 1;
      continue;
    }
    WRun run{v[i].first, 0, false, {}};
    size_t k = i;
    do {
      run.widths.push_back(v[k].second);
    } while (next(k++) && !stretch(k));
    out.push_back(std::move(run));
    i = k;
  }
  return out;
}

}  // namespace

// A font's objects around its program: the program, FontDescriptor, the
// CID font (with /W), the ToUnicode CMap and the Type0 font pages name,
// numbered from w's next number on.
int serialise_font(ObjectWriter& w, const PreparedFont& p) {
  const auto& m = p.metrics;
  auto scaled = [&](double v) { return std::lround(v * 1000.0 / m.units_per_em); };
  const int file = w.reserve(), desc = w.reserve(), cid = w.reserve(), cmap = w.reserve(),
            type0 = w.reserve();
  std::string& b = w.buf;
  w.begin(file);
  std::string dict;
  if (p.program_deflated) dict += "/Filter/FlateDecode";
  if (p.cff) {
    dict += "/Subtype/CIDFontType0C";
  } else {
    dict += "/Length1 ";
    put_uint(dict, p.length);
  }
  w.stream(dict, p.program);
  w.end();

  w.begin(desc);
  b += "<</Type/FontDescriptor/FontName";
  put_name(b, p.name);
  b += "/Flags 4/FontBBox[";  // Flags: symbolic
  for (int i = 0; i < 4; ++i) {
    if (i) b += ' ';
    put_int(b, scaled(m.bbox[static_cast<std::size_t>(i)]));
  }
  b += "]/ItalicAngle 0/Ascent ";
  put_int(b, scaled(m.ascender));
  b += "/Descent ";
  put_int(b, scaled(m.descender));
  b += "/CapHeight ";
  put_int(b, scaled(m.cap_height));
  b += p.cff ? "/StemV 80/FontFile3 " : "/StemV 80/FontFile2 ";
  w.ref(file);
  b += ">>";
  w.end();

  w.begin(cid);
  b += p.cff ? "<</Type/Font/Subtype/CIDFontType0/BaseFont"
             : "<</Type/Font/Subtype/CIDFontType2/BaseFont";
  put_name(b, p.name);
  b += "/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor ";
  w.ref(desc);
  b += "/DW 1000/W[";
  for (const auto& r : w_runs(p.width)) {
    put_uint(b, r.first);
    if (r.stretch) {
      b += ' ';
      put_uint(b, r.last);
      b += ' ';
      put_width(b, r.widths[0]);
      b += ' ';
      continue;
    }
    b += '[';
    for (std::size_t k = 0; k < r.widths.size(); ++k) {
      if (k) b += ' ';
      put_width(b, r.widths[k]);
    }
    b += ']';
  }
  b += ']';
  if (!p.cff) b += "/CIDToGIDMap/Identity";
  b += ">>";
  w.end();

  w.begin(cmap);
  w.stream(p.cmap_deflated ? "/Filter/FlateDecode" : "", p.cmap);
  w.end();

  w.begin(type0);
  b += "<</Type/Font/Subtype/Type0/BaseFont";
  put_name(b, p.name);
  b += "/Encoding/Identity-H/DescendantFonts[";
  w.ref(cid);
  b += "]/ToUnicode ";
  w.ref(cmap);
  b += ">>";
  w.end();
  return type0;
}

namespace {

// An hb-subset input for a kind of subset (its flags and dropped tables),
// made once per thread and kind: making one set up its default sets each
// time (~0.04 M instructions per document). Only its glyph and code point
// sets change per subset, and prepare() empties them once the plan is made.
hb_subset_input_t*& kept_subset_input(bool cff, bool typing) {
  struct Inputs {
    std::array<hb_subset_input_t*, 4> by_kind{};
    ~Inputs() {
      for (auto* i : by_kind) hb_subset_input_destroy(i);  // null is allowed
    }
  };
  thread_local Inputs inputs;
  return inputs.by_kind[(cff ? 2u : 0u) + (typing ? 1u : 0u)];
}

hb_subset_input_t* subset_input(bool cff, bool typing) {
  hb_subset_input_t*& input = kept_subset_input(cff, typing);
  if (input) return input;
  input = hb_subset_input_create_or_fail();
  if (!input) return nullptr;
  // CFF (Noto CJK): keep glyph ids, so that the CIDs in content, /W and
  // ToUnicode are the font's own (CID = GID in Noto's CID-keyed CFF).
  // Hinting instructions are for screens at small sizes; PDF viewers do
  // their own. Dropping them halves the subset and the time to deflate it.
  hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING | (cff ? HB_SUBSET_FLAGS_RETAIN_GIDS
                                                                     : HB_SUBSET_FLAGS_DEFAULT));
  // Shaping is done; the PDF needs outlines and metrics only.
  hb_set_t* drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
  for (hb_tag_t t :
       {HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
        HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'), HB_TAG('V', 'O', 'R', 'G')})
    hb_set_add(drop, t);
  // Nor does a font that only draws the page's glyphs (all but the typing
  // font, which viewers type with: it keeps them) need cmap, name, OS/2,
  // post (glyph names), gasp or BASE: content names glyphs by CID = GID
  // (/CIDToGIDMap /Identity), the descriptor carries the metrics, and ISO
  // 32000 9.9 requires none of them of a CIDFontType2 (cmap only of simple
  // TrueType fonts). Subsetting them was ~60 % of hb_subset_plan_execute
  // per document.
  if (!typing)
    for (hb_tag_t t :
         {HB_TAG('c', 'm', 'a', 'p'), HB_TAG('n', 'a', 'm', 'e'), HB_TAG('O', 'S', '/', '2'),
          HB_TAG('p', 'o', 's', 't'), HB_TAG('g', 'a', 's', 'p'), HB_TAG('B', 'A', 'S', 'E')})
      hb_set_add(drop, t);
  return input;
}

// hb-subset of `glyphs` (old gid → text for ToUnicode) and, for the typing
// font, the code points whose cmap entries the subset keeps.
std::shared_ptr<const PreparedFont> prepare(const text::Font& font, const GlyphTexts& glyphs,
                                            const std::vector<hb_codepoint_t>& unicodes,
                                            int level) {
  const auto& m = font.metrics();
  const bool cff = font.outlines() == text::Font::Outlines::Cff;
  hb_subset_input_t* input = subset_input(cff, !unicodes.empty());
  if (!input) throw subset_error(font);
  hb_set_t* gids = hb_subset_input_glyph_set(input);
  hb_set_t* cps = hb_subset_input_unicode_set(input);
  hb_set_add(gids, 0);
  for (auto& [gid, t] : glyphs) hb_set_add(gids, gid);
  for (hb_codepoint_t cp : unicodes) hb_set_add(cps, cp);
  hb_subset_plan_t* plan = hb_subset_plan_create_or_fail(font.subset_source(), input);
  // The plan has its own copies: no document's glyphs stay in the input.
  hb_set_clear(gids);
  hb_set_clear(cps);
  if (!plan) {
    // (A set that failed to grow stays in error: the next subset starts afresh.)
    hb_subset_input_t*& kept = kept_subset_input(cff, !unicodes.empty());
    hb_subset_input_destroy(kept);
    kept = nullptr;
    throw subset_error(font);
  }
  auto out = std::make_shared<PreparedFont>();
  out->metrics = m;
  out->cff = cff;
  const hb_map_t* mapping = hb_subset_plan_old_to_new_glyph_mapping(plan);
  // (new gid, index in `glyphs`), sorted by new gid below.
  std::vector<std::pair<std::uint32_t, std::size_t>> by_new;
  by_new.reserve(glyphs.size());
  if (!glyphs.empty()) out->cid_of.assign(glyphs.back().first + 1, PreparedFont::kNoGlyph);
  for (std::size_t i = 0; i < glyphs.size(); ++i) {
    const std::uint32_t gid = glyphs[i].first;
    hb_codepoint_t n = hb_map_get(mapping, gid);
    if (n == HB_MAP_VALUE_INVALID) continue;
    out->cid_of[gid] = n;
    by_new.emplace_back(n, i);
  }
  std::sort(by_new.begin(), by_new.end());
  hb_face_t* subset = hb_subset_plan_execute_or_fail(plan);
  hb_subset_plan_destroy(plan);
  if (!subset) throw subset_error(font);
  // TrueType: the whole subset font (FontFile2). CFF: only its 'CFF ' table
  // (FontFile3 /CIDFontType0C) — the one wrapping poppler and MuPDF both read.
  hb_blob_t* blob = cff ? hb_face_reference_table(subset, HB_TAG('C', 'F', 'F', ' '))
                        : hb_face_reference_blob(subset);
  unsigned len = 0;
  const char* data = hb_blob_get_data(blob, &len);
  out->length = len;
  try {
    if (level > 0)
      out->program = zlib_deflate(data, len, level);
    else
      out->program.assign(data, len);
    out->program_deflated = level > 0;
  } catch (...) {
    hb_blob_destroy(blob);
    hb_face_destroy(subset);
    throw;
  }
  hb_blob_destroy(blob);
  hb_face_destroy(subset);

  out->name = subset_tag(glyphs) + "+" + m.postscript_name;
  GlyphTexts entries;  // (new gid, text)
  entries.reserve(by_new.size());
  out->width.reserve(by_new.size());
  if (!by_new.empty())
    out->width_of.assign(by_new.back().first + 1, 1000 * PreparedFont::kWidthScale);
  for (auto& [new_gid, i] : by_new) {
    const auto& [old_gid, t] = glyphs[i];
    const std::int64_t w =
        std::llround(font.advance(old_gid) * 1000.0 * PreparedFont::kWidthScale / m.units_per_em);
    out->width.emplace_back(new_gid, w);
    out->width_of[new_gid] = w;
    if (!t.empty()) entries.emplace_back(new_gid, t);
  }
  const std::string cmap = to_unicode_cmap(entries);
  // Level 0 (a document's own subset): its ToUnicode (~1 KB) goes in as it
  // is too — deflating it was ~0.1 M instructions per document for ~0.6 KB.
  out->cmap_deflated = level > 0;
  out->cmap = level > 0 ? zlib_deflate(cmap.data(), cmap.size(), level) : cmap;
  return out;
}

}  // namespace

// The slot holding `gid`, or the free one where it goes (Fibonacci hashing,
// linear probing; the table is at most half full).
std::uint32_t& FontUsage::slot_of(std::uint32_t gid) {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = (gid * 0x9E3779B1u) >> (32 - slot_bits_);; i = (i + 1) & mask) {
    std::uint32_t& at = slots_[i];
    if (!at || entries_[at - 1].first == gid) return at;
  }
}

void FontUsage::add(std::uint32_t gid, std::string_view text) {
  if (2 * (entries_.size() + 1) > slots_.size()) {
    slot_bits_ = std::max(slot_bits_ + 1, 8);
    slots_.assign(std::size_t{1} << slot_bits_, 0);
    for (std::size_t k = 0; k < entries_.size(); ++k)
      slot_of(entries_[k].first) = static_cast<std::uint32_t>(k + 1);
  }
  std::uint32_t& at = slot_of(gid);
  if (!at) {
    entries_.emplace_back(gid, text);
    at = static_cast<std::uint32_t>(entries_.size());
  } else if (entries_[at - 1].second.empty()) {
    entries_[at - 1].second = text;
  }
}

void FontUsage::add(const text::ShapedRun& run) {
  for (const auto& g : run.glyphs) add(g.gid, g.text);
}

GlyphTexts FontUsage::glyphs() const {
  GlyphTexts sorted = entries_;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return sorted;
}

std::string deflate_bytes(std::string_view content, int level) {
  return zlib_deflate(content.data(), content.size(), level);
}

std::shared_ptr<const PreparedFont> prepare_subset(const FontUsage& usage, int level) {
  return prepare(*usage.font, usage.glyphs(), {}, level);
}

namespace {

// One code point per glyph for ToUnicode: IPAex maps some glyphs from two
// code points (日 U+65E5 and ⽇ U+2F47; U+3000 and U+2003). Prefer the
// ordinary character, or viewers cannot find the glyph for a typed 日.
int preference(hb_codepoint_t cp) {
  if (cp >= 0x2E80 && cp <= 0x2FDF) return 0;  // CJK / Kangxi radicals
  if (cp >= 0xF900 && cp <= 0xFAFF) return 0;  // compatibility ideographs
  if (cp >= 0x2000 && cp <= 0x206F) return 1;  // general punctuation spaces
  return 2;
}

std::string utf8(hb_codepoint_t c) {
  std::string s;
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
  return s;
}

// What people type: the round-trip set of ICU's windows-31j converter (JIS X
// 0208, NEC row 13, the NEC-selected and IBM extensions, ASCII, half-width
// kana), less controls and the user-defined area (gaiji differ per site).
const std::vector<hb_codepoint_t>& typing_repertoire() {
  static const std::vector<hb_codepoint_t> cps = [] {
    std::vector<hb_codepoint_t> out;
    UErrorCode err = U_ZERO_ERROR;
    UConverter* cnv = ucnv_open("windows-31j", &err);
    USet* set = uset_openEmpty();
    if (U_SUCCESS(err)) ucnv_getUnicodeSet(cnv, set, UCNV_ROUNDTRIP_SET, &err);
    if (cnv) ucnv_close(cnv);
    if (U_FAILURE(err)) {
      uset_close(set);
      throw Error(ErrorKind::Io, {{Severity::Error, "font.typing",
                                   "ICU has no windows-31j converter (ICU data missing?)"}});
    }
    const int32_t ranges = uset_getItemCount(set);
    for (int32_t i = 0; i < ranges; ++i) {
      UChar32 a = 0, b = 0;
      uset_getItem(set, i, &a, &b, nullptr, 0, &err);
      for (UChar32 c = a; c <= b; ++c) {
        if (c < 0x20 || c == 0x7F || (c >= 0xE000 && c <= 0xF8FF)) continue;
        out.push_back(static_cast<hb_codepoint_t>(c));
      }
    }
    uset_close(set);
    return out;
  }();
  return cps;
}

std::shared_ptr<const PreparedFont> build_typing(const text::Font& font) {
  std::map<std::uint32_t, hb_codepoint_t> glyph_cp;
  std::vector<hb_codepoint_t> present;
  for (hb_codepoint_t cp : typing_repertoire()) {
    hb_codepoint_t gid;
    if (!hb_font_get_nominal_glyph(font.hb(), cp, &gid)) continue;
    present.push_back(cp);
    auto it = glyph_cp.find(gid);
    if (it == glyph_cp.end() || preference(cp) > preference(it->second) ||
        (preference(cp) == preference(it->second) && cp < it->second))
      glyph_cp[gid] = cp;
  }
  std::vector<std::string> texts;  // (the views below point into it)
  texts.reserve(glyph_cp.size());
  GlyphTexts glyphs;
  for (auto& [g, c] : glyph_cp) glyphs.emplace_back(g, texts.emplace_back(utf8(c)));
  return prepare(font, glyphs, present, 6);
}

// Built once per font content in the process (≈1.9 MB deflated for IPAex).
// Keyed by content, not by the Font's address: an Engine's Font may be freed
// and another one, another file, made at the same address.
std::shared_ptr<const PreparedFont> typing_font(const text::Font& font) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const PreparedFont>> cache;
  std::lock_guard lock(mu);
  auto& entry = cache[font.content_key()];
  if (!entry) entry = build_typing(font);
  return entry;
}

}  // namespace

std::shared_ptr<const PreparedFont> prepared_typing(const text::Font& font) {
  if (font.outlines() != text::Font::Outlines::TrueType) {
    throw Error(ErrorKind::Usage,
                {{Severity::Error, "font.typing",
                  "the typing font must have TrueType outlines (IPAex)", font.path()}});
  }
  return typing_font(font);
}

std::vector<std::uint32_t> typing_gaps(const text::Font& font) {
  std::vector<std::uint32_t> out;
  for (hb_codepoint_t cp : typing_repertoire()) {
    hb_codepoint_t gid;
    if (!hb_font_get_nominal_glyph(font.hb(), cp, &gid)) out.push_back(cp);
  }
  return out;
}

}  // namespace yoshiki::pdf
