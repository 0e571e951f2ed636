#include "text/plain_glyphs.h"

#include <hb-ot.h>
#include <unicode/uchar.h>

#include <cstddef>
#include <memory>

namespace yoshiki::text {
namespace {

using SetPtr = std::unique_ptr<hb_set_t, decltype(&hb_set_destroy)>;
SetPtr make_set() { return SetPtr(hb_set_create(), &hb_set_destroy); }

bool has_table(hb_face_t* face, hb_tag_t tag) {
  hb_blob_t* b = hb_face_reference_table(face, tag);
  const bool present = hb_blob_get_length(b) > 0;
  hb_blob_destroy(b);
  return present;
}

// The features HarfBuzz's default shaper may turn on without being asked
// (hb-ot-shape.cc), horizontal, either direction. Not frac, numr and dnom:
// HarfBuzz sets them only around U+2044, which is never plain.
constexpr hb_tag_t kDefaultFeatures[] = {
    HB_TAG('r', 'v', 'r', 'n'), HB_TAG('l', 't', 'r', 'a'), HB_TAG('l', 't', 'r', 'm'),
    HB_TAG('r', 't', 'l', 'a'), HB_TAG('r', 't', 'l', 'm'), HB_TAG('r', 'a', 'n', 'd'),
    HB_TAG('a', 'b', 'v', 'm'), HB_TAG('b', 'l', 'w', 'm'), HB_TAG('c', 'c', 'm', 'p'),
    HB_TAG('l', 'o', 'c', 'l'), HB_TAG('m', 'a', 'r', 'k'), HB_TAG('m', 'k', 'm', 'k'),
    HB_TAG('r', 'l', 'i', 'g'), HB_TAG('c', 'a', 'l', 't'), HB_TAG('c', 'l', 'i', 'g'),
    HB_TAG('c', 'u', 'r', 's'), HB_TAG('d', 'i', 's', 't'), HB_TAG('k', 'e', 'r', 'n'),
    HB_TAG('l', 'i', 'g', 'a'), HB_TAG('r', 'c', 'l', 't'), HB_TAG_NONE};

// The lookups of every langsys's required feature (applied whatever the
// features asked), of `table`, into `lookups`.
void required_lookups(hb_face_t* face, hb_tag_t table, hb_set_t* lookups) {
  const unsigned script_count =
      hb_ot_layout_table_get_script_tags(face, table, 0, nullptr, nullptr);
  auto add = [&](unsigned script, unsigned language) {
    unsigned feature = 0;
    if (!hb_ot_layout_language_get_required_feature(face, table, script, language, &feature,
                                                    nullptr))
      return;
    unsigned indexes[256];
    unsigned start = 0, n = 256;
    do {
      n = 256;
      hb_ot_layout_feature_get_lookups(face, table, feature, start, &n, indexes);
      for (unsigned i = 0; i < n; ++i) hb_set_add(lookups, indexes[i]);
      start += n;
    } while (n == 256);
  };
  for (unsigned s = 0; s < script_count; ++s) {
    add(s, HB_OT_LAYOUT_DEFAULT_LANGUAGE_INDEX);
    const unsigned languages =
        hb_ot_layout_script_get_language_tags(face, table, s, 0, nullptr, nullptr);
    for (unsigned l = 0; l < languages; ++l) add(s, l);
  }
}

// A ligature of GSUB: its first glyph and the glyphs that must follow.
struct Ligature {
  std::uint16_t first;
  std::vector<std::uint16_t> rest;
};

// Big-endian reads from a table, bounds-checked: a read past the end fails
// the whole lookup, which then counts as touching all its glyphs.
class Reader {
 public:
  explicit Reader(hb_blob_t* blob) {
    unsigned n = 0;
    data_ = reinterpret_cast<const unsigned char*>(hb_blob_get_data(blob, &n));
    size_ = n;
  }
  bool u16(std::size_t at, std::uint16_t& v) const {
    if (!data_ || at + 2 > size_) return false;
    v = static_cast<std::uint16_t>(data_[at] << 8 | data_[at + 1]);
    return true;
  }
  bool u32(std::size_t at, std::uint32_t& v) const {
    std::uint16_t hi = 0, lo = 0;
    if (!u16(at, hi) || !u16(at + 2, lo)) return false;
    v = static_cast<std::uint32_t>(hi) << 16 | lo;
    return true;
  }

 private:
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

// The glyphs of a Coverage table at `at`, in coverage-index order.
bool coverage(const Reader& r, std::size_t at, std::vector<std::uint16_t>& out) {
  std::uint16_t format = 0, count = 0;
  if (!r.u16(at, format) || !r.u16(at + 2, count)) return false;
  if (format == 1) {
    for (std::size_t i = 0; i < count; ++i)
      if (!r.u16(at + 4 + 2 * i, out.emplace_back())) return false;
    return true;
  }
  if (format != 2) return false;
  for (std::size_t i = 0; i < count; ++i) {
    std::uint16_t start = 0, end = 0;
    if (!r.u16(at + 4 + 6 * i, start) || !r.u16(at + 6 + 6 * i, end) || end < start) return false;
    for (std::uint32_t g = start; g <= end; ++g) out.push_back(static_cast<std::uint16_t>(g));
  }
  return true;
}

// The ligatures of a LigatureSubstFormat1 subtable at `at`.
bool ligature_subtable(const Reader& r, std::size_t at, std::vector<Ligature>& out) {
  std::uint16_t format = 0, cov = 0, sets = 0;
  if (!r.u16(at, format) || format != 1 || !r.u16(at + 2, cov) || !r.u16(at + 4, sets))
    return false;
  std::vector<std::uint16_t> firsts;
  if (!coverage(r, at + cov, firsts) || firsts.size() < sets) return false;
  for (std::size_t s = 0; s < sets; ++s) {
    std::uint16_t set_offset = 0, count = 0;
    if (!r.u16(at + 6 + 2 * s, set_offset)) return false;
    const std::size_t set = at + set_offset;
    if (!r.u16(set, count)) return false;
    for (std::size_t l = 0; l < count; ++l) {
      std::uint16_t lig_offset = 0, components = 0, skip = 0;
      if (!r.u16(set + 2 + 2 * l, lig_offset)) return false;
      const std::size_t lig = set + lig_offset;
      if (!r.u16(lig, skip) || !r.u16(lig + 2, components) || components == 0) return false;
      Ligature& out_lig = out.emplace_back();
      out_lig.first = firsts[s];
      for (std::size_t c = 1; c < components; ++c)
        if (!r.u16(lig + 4 + 2 * (c - 1), out_lig.rest.emplace_back())) return false;
    }
  }
  return true;
}

// The ligatures of GSUB lookup `index` if all its subtables are ligature
// substitutions (type 4, or type 7 extensions of them); false otherwise.
bool ligature_lookup(const Reader& r, unsigned index, std::vector<Ligature>& out) {
  std::uint16_t list = 0, count = 0, offset = 0, type = 0, flags = 0, subtables = 0;
  if (!r.u16(8, list) || !r.u16(list, count) || index >= count) return false;
  if (!r.u16(list + 2 + 2 * std::size_t{index}, offset)) return false;
  const std::size_t lookup = std::size_t{list} + offset;
  if (!r.u16(lookup, type) || !r.u16(lookup + 2, flags) || !r.u16(lookup + 4, subtables))
    return false;
  for (std::size_t i = 0; i < subtables; ++i) {
    std::uint16_t sub_offset = 0;
    if (!r.u16(lookup + 6 + 2 * i, sub_offset)) return false;
    std::size_t sub = lookup + sub_offset;
    if (type == 7) {  // extension: format 1, its real type, a 32-bit offset
      std::uint16_t format = 0, real = 0;
      std::uint32_t ext = 0;
      if (!r.u16(sub, format) || format != 1 || !r.u16(sub + 2, real) || real != 4 ||
          !r.u32(sub + 4, ext))
        return false;
      sub += ext;
    } else if (type != 4) {
      return false;
    }
    if (!ligature_subtable(r, sub, out)) return false;
  }
  return true;
}

// Every glyph a lookup HarfBuzz may apply by default reads or writes, but
// for GSUB ligature lookups, whose ligatures go to `ligatures` instead: a
// ligature applies only where all its glyphs stand in order, so its first
// glyph is plain unless all the others are plain too (plain_glyphs).
SetPtr touched_glyphs(hb_face_t* face, std::vector<Ligature>& ligatures) {
  SetPtr touched = make_set();
  for (hb_tag_t table : {HB_OT_TAG_GSUB, HB_OT_TAG_GPOS}) {
    SetPtr lookups = make_set();
    hb_ot_layout_collect_lookups(face, table, nullptr, nullptr, kDefaultFeatures, lookups.get());
    required_lookups(face, table, lookups.get());
    hb_blob_t* blob = hb_face_reference_table(face, table);
    const Reader reader(blob);
    for (hb_codepoint_t l = HB_SET_VALUE_INVALID; hb_set_next(lookups.get(), &l);) {
      std::vector<Ligature> found;
      if (table == HB_OT_TAG_GSUB && ligature_lookup(reader, l, found)) {
        ligatures.insert(ligatures.end(), found.begin(), found.end());
        continue;
      }
      hb_ot_layout_lookup_collect_glyphs(face, table, l, touched.get(), touched.get(),
                                         touched.get(), touched.get());
    }
    hb_blob_destroy(blob);
  }
  return touched;
}

bool plain_character(hb_unicode_funcs_t* ucd, hb_codepoint_t cp) {
  switch (hb_unicode_general_category(ucd, cp)) {
    case HB_UNICODE_GENERAL_CATEGORY_CONTROL:
    case HB_UNICODE_GENERAL_CATEGORY_FORMAT:
    case HB_UNICODE_GENERAL_CATEGORY_UNASSIGNED:
    case HB_UNICODE_GENERAL_CATEGORY_PRIVATE_USE:
    case HB_UNICODE_GENERAL_CATEGORY_SURROGATE:
    case HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_LINE_SEPARATOR:
    case HB_UNICODE_GENERAL_CATEGORY_PARAGRAPH_SEPARATOR:
      return false;
    default:
      break;
  }
  // Grapheme extenders (U+FF9E ﾞ, U+FF9F ﾟ, ZWNJ besides the marks) join
  // the cluster before them in HarfBuzz (hb_set_unicode_props).
  const auto u = static_cast<UChar32>(cp);
  if (cp == 0x2044 || u_hasBinaryProperty(u, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
      u_hasBinaryProperty(u, UCHAR_GRAPHEME_EXTEND))
    return false;
  switch (hb_unicode_script(ucd, cp)) {
    case HB_SCRIPT_COMMON:
    case HB_SCRIPT_LATIN:
    case HB_SCRIPT_GREEK:
    case HB_SCRIPT_CYRILLIC:
    case HB_SCRIPT_HAN:
    case HB_SCRIPT_HIRAGANA:
    case HB_SCRIPT_KATAKANA:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::vector<std::uint32_t> plain_glyphs(hb_face_t* face, hb_font_t* font) {
  std::vector<std::uint32_t> table;
  for (hb_tag_t t :
       {HB_TAG('k', 'e', 'r', 'n'), HB_TAG('k', 'e', 'r', 'x'), HB_TAG('m', 'o', 'r', 'x'),
        HB_TAG('m', 'o', 'r', 't'), HB_TAG('t', 'r', 'a', 'k')})
    if (has_table(face, t)) return table;
  std::vector<Ligature> ligatures;
  const SetPtr touched = touched_glyphs(face, ligatures);
  const bool classes = hb_ot_layout_has_glyph_classes(face);
  hb_unicode_funcs_t* ucd = hb_unicode_funcs_get_default();
  SetPtr unicodes = make_set();
  hb_face_collect_unicodes(face, unicodes.get());
  table.assign(0x10000, 0);
  SetPtr plain = make_set();  // the glyphs of the plain characters
  for (hb_codepoint_t cp = HB_SET_VALUE_INVALID;
       hb_set_next(unicodes.get(), &cp) && cp < 0x10000;) {
    if (!plain_character(ucd, cp)) continue;
    hb_codepoint_t gid = 0;
    if (!hb_font_get_nominal_glyph(font, cp, &gid) || gid == 0 || gid > 0xFFFF) continue;
    if (hb_set_has(touched.get(), gid)) continue;
    if (classes) {
      const auto c = hb_ot_layout_get_glyph_class(face, gid);
      if (c != HB_OT_LAYOUT_GLYPH_CLASS_UNCLASSIFIED && c != HB_OT_LAYOUT_GLYPH_CLASS_BASE_GLYPH)
        continue;
    }
    const hb_position_t advance = hb_font_get_glyph_h_advance(font, gid);
    if (advance < 0 || advance > 0xFFFF) continue;
    table[cp] = gid | static_cast<std::uint32_t>(advance) << 16;
    hb_set_add(plain.get(), gid);
  }
  // A ligature all of whose glyphs are plain could form in a plain run: its
  // first glyph is not plain. Until none is left (each removal can only
  // leave fewer such ligatures).
  for (bool removed = true; removed;) {
    removed = false;
    for (const auto& lig : ligatures) {
      if (!hb_set_has(plain.get(), lig.first)) continue;
      bool all = true;
      for (auto g : lig.rest) all = all && hb_set_has(plain.get(), g);
      if (!all) continue;
      hb_set_del(plain.get(), lig.first);
      removed = true;
    }
  }
  for (auto& entry : table)
    if (entry && !hb_set_has(plain.get(), entry & 0xFFFFu)) entry = 0;
  return table;
}

}  // namespace yoshiki::text
