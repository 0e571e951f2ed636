#include "pdf/write/font_embed.h"

#include <hb-subset.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <vector>

#include "yoshiki/yoshiki.h"

using namespace PoDoFo;

namespace yoshiki::pdf {
namespace {

// UTF-8 → UTF-16BE hex digits, for ToUnicode entries.
std::string utf16_hex(const std::string& utf8) {
  std::string out;
  char buf[8];
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
      std::snprintf(buf, sizeof buf, "%04X", 0xD800 + (cp >> 10));
      out += buf;
      std::snprintf(buf, sizeof buf, "%04X", 0xDC00 + (cp & 0x3FF));
      out += buf;
    } else {
      std::snprintf(buf, sizeof buf, "%04X", cp);
      out += buf;
    }
  }
  return out;
}

// A subset tag that is stable for the same glyph set (deterministic output)
// but differs between subsets: FNV-1a of the glyph ids, in base 26.
std::string subset_tag(const FontUsage& usage) {
  std::uint64_t h = 1469598103934665603ull;
  for (auto& [gid, t] : usage.glyphs) {
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

std::string to_unicode_cmap(const std::vector<std::pair<std::uint32_t, std::string>>& entries) {
  std::string s =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  char buf[16];
  for (size_t i = 0; i < entries.size(); i += 100) {
    size_t n = std::min<size_t>(100, entries.size() - i);
    s += std::to_string(n) + " beginbfchar\n";
    for (size_t k = i; k < i + n; ++k) {
      std::snprintf(buf, sizeof buf, "<%04X> <", entries[k].first);
      s += buf + utf16_hex(entries[k].second) + ">\n";
    }
    s += "endbfchar\n";
  }
  s += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return s;
}

Error subset_error(const text::Font& f) {
  return Error(ErrorKind::Io, {{Severity::Error, "font.subset", "hb-subset failed", f.path()}});
}

// The objects every embedded font needs, around its font program `file`:
// FontDescriptor, the CID font (with /W), the ToUnicode CMap and the Type0
// font that pages name. Returns the Type0 font.
PdfObject* cid_font_objects(PdfMemDocument& doc, const text::Font& font, const std::string& name,
                            PdfObject* file, bool cff, const PdfArray& widths,
                            const std::string& cmap) {
  const auto& m = font.metrics();
  auto scale = [&](double v) {
    return static_cast<long>(std::lround(v * 1000.0 / m.units_per_em));
  };
  PdfVecObjects* objs = &doc.GetObjects();

  PdfObject* desc = objs->CreateObject("FontDescriptor");
  auto& dd = desc->GetDictionary();
  dd.AddKey("FontName", PdfName(name));
  dd.AddKey("Flags", pdf_integer(4));  // symbolic
  PdfArray bbox;
  for (int v : m.bbox) bbox.push_back(pdf_integer(scale(v)));
  dd.AddKey("FontBBox", bbox);
  dd.AddKey("ItalicAngle", pdf_integer(0));
  dd.AddKey("Ascent", pdf_integer(scale(m.ascender)));
  dd.AddKey("Descent", pdf_integer(scale(m.descender)));
  dd.AddKey("CapHeight", pdf_integer(scale(m.cap_height)));
  dd.AddKey("StemV", pdf_integer(80));
  dd.AddKey(cff ? "FontFile3" : "FontFile2", file->Reference());

  PdfObject* cid = objs->CreateObject("Font");
  auto& cd = cid->GetDictionary();
  cd.AddKey("Subtype", PdfName(cff ? "CIDFontType0" : "CIDFontType2"));
  cd.AddKey("BaseFont", PdfName(name));
  PdfDictionary info;
  info.AddKey("Registry", PdfString("Adobe"));
  info.AddKey("Ordering", PdfString("Identity"));
  info.AddKey("Supplement", pdf_integer(0));
  cd.AddKey("CIDSystemInfo", info);
  cd.AddKey("FontDescriptor", desc->Reference());
  cd.AddKey("DW", pdf_integer(1000));
  cd.AddKey("W", widths);
  if (!cff) cd.AddKey("CIDToGIDMap", PdfName("Identity"));

  PdfObject* tounicode = objs->CreateObject();
  tounicode->GetStream()->Set(cmap.data(), static_cast<pdf_long>(cmap.size()));

  PdfObject* type0 = objs->CreateObject("Font");
  auto& td = type0->GetDictionary();
  td.AddKey("Subtype", PdfName("Type0"));
  td.AddKey("BaseFont", PdfName(name));
  td.AddKey("Encoding", PdfName("Identity-H"));
  PdfArray descendants;
  descendants.push_back(cid->Reference());
  td.AddKey("DescendantFonts", descendants);
  td.AddKey("ToUnicode", tounicode->Reference());
  return type0;
}

}  // namespace

void FontUsage::add(const text::ShapedRun& run) {
  for (const auto& g : run.glyphs) {
    auto [it, inserted] = glyphs.emplace(g.gid, g.text);
    if (!inserted && it->second.empty()) it->second = g.text;
  }
}

EmbeddedFont embed_subset(PdfMemDocument& doc, const FontUsage& usage) {
  const text::Font& font = *usage.font;
  const auto& m = font.metrics();

  const bool cff = font.outlines() == text::Font::Outlines::Cff;
  hb_subset_input_t* input = hb_subset_input_create_or_fail();
  if (!input) throw subset_error(font);
  // CFF (Noto CJK): keep glyph ids, so that the CIDs in content, /W and
  // ToUnicode are the font's own (CID = GID in Noto's CID-keyed CFF).
  // Hinting instructions are for screens at small sizes; PDF viewers do
  // their own. Dropping them halves the subset and the time to deflate it.
  hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING | (cff ? HB_SUBSET_FLAGS_RETAIN_GIDS
                                                                     : HB_SUBSET_FLAGS_DEFAULT));
  hb_set_t* gids = hb_subset_input_glyph_set(input);
  hb_set_add(gids, 0);
  for (auto& [gid, t] : usage.glyphs) hb_set_add(gids, gid);
  // Shaping is done; the PDF needs outlines and metrics only.
  hb_set_t* drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
  for (hb_tag_t t :
       {HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
        HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'), HB_TAG('V', 'O', 'R', 'G')})
    hb_set_add(drop, t);
  hb_subset_plan_t* plan = hb_subset_plan_create_or_fail(font.subset_source(), input);
  hb_subset_input_destroy(input);
  if (!plan) throw subset_error(font);
  EmbeddedFont out;
  const hb_map_t* mapping = hb_subset_plan_old_to_new_glyph_mapping(plan);
  for (auto& [gid, t] : usage.glyphs) {
    hb_codepoint_t n = hb_map_get(mapping, gid);
    if (n != HB_MAP_VALUE_INVALID) out.new_gid[gid] = n;
  }
  hb_face_t* subset = hb_subset_plan_execute_or_fail(plan);
  hb_subset_plan_destroy(plan);
  if (!subset) throw subset_error(font);
  // TrueType: the whole subset font (FontFile2). CFF: only its 'CFF ' table
  // (FontFile3 /CIDFontType0C) — the one wrapping poppler and MuPDF both read.
  hb_blob_t* blob = cff ? hb_face_reference_table(subset, HB_TAG('C', 'F', 'F', ' '))
                        : hb_face_reference_blob(subset);
  unsigned len = 0;
  const char* data = hb_blob_get_data(blob, &len);

  const std::string name = subset_tag(usage) + "+" + m.postscript_name;
  auto scale = [&](double v) {
    return static_cast<long>(std::lround(v * 1000.0 / m.units_per_em));
  };
  PdfVecObjects* objs = &doc.GetObjects();

  PdfObject* file = objs->CreateObject();
  file->GetStream()->Set(data, len);
  if (cff)
    file->GetDictionary().AddKey("Subtype", PdfName("CIDFontType0C"));
  else
    file->GetDictionary().AddKey("Length1", pdf_integer(len));
  hb_blob_destroy(blob);
  hb_face_destroy(subset);

  // /W: consecutive new glyph ids share one array.
  std::map<std::uint32_t, std::uint32_t> by_new;  // new → old
  for (auto& [old_gid, new_gid] : out.new_gid) by_new[new_gid] = old_gid;
  PdfArray w;
  PdfArray run;
  std::uint32_t run_start = 0, prev = 0;
  bool open = false;
  for (auto& [new_gid, old_gid] : by_new) {
    int width = static_cast<int>(scale(font.advance(old_gid)));
    out.width[new_gid] = width;
    if (open && new_gid != prev + 1) {
      w.push_back(pdf_integer(run_start));
      w.push_back(run);
      run.clear();
      open = false;
    }
    if (!open) {
      run_start = new_gid;
      open = true;
    }
    run.push_back(pdf_integer(width));
    prev = new_gid;
  }
  if (open) {
    w.push_back(pdf_integer(run_start));
    w.push_back(run);
  }

  std::vector<std::pair<std::uint32_t, std::string>> entries;
  for (auto& [new_gid, old_gid] : by_new) {
    const std::string& t = usage.glyphs.at(old_gid);
    if (!t.empty()) entries.emplace_back(new_gid, t);
  }
  out.type0 = cid_font_objects(doc, font, name, file, cff, w, to_unicode_cmap(entries));
  return out;
}

namespace {

struct FullFont {
  std::string deflated;  // the font file, zlib-compressed
  std::size_t length = 0;
  std::vector<std::pair<std::uint32_t, int>> widths;  // gid → width (1/1000 em)
  std::string cmap;                                   // ToUnicode
};

// One code point per glyph for ToUnicode: IPAex maps some glyphs from two
// code points (日 U+65E5 and ⽇ U+2F47; U+3000 and U+2003). Prefer the
// ordinary character, or viewers cannot find the glyph for a typed 日.
int preference(hb_codepoint_t cp) {
  if (cp >= 0x2E80 && cp <= 0x2FDF) return 0;  // CJK / Kangxi radicals
  if (cp >= 0xF900 && cp <= 0xFAFF) return 0;  // compatibility ideographs
  if (cp >= 0x2000 && cp <= 0x206F) return 1;  // general punctuation spaces
  return 2;
}

std::shared_ptr<const FullFont> build_full(const text::Font& font) {
  auto ff = std::make_shared<FullFont>();
  hb_blob_t* blob = hb_face_reference_blob(hb_font_get_face(font.hb()));
  unsigned len = 0;
  const char* data = hb_blob_get_data(blob, &len);
  ff->length = len;
  uLongf bound = compressBound(len);
  ff->deflated.resize(bound);
  compress2(reinterpret_cast<Bytef*>(ff->deflated.data()), &bound,
            reinterpret_cast<const Bytef*>(data), len, 6);
  ff->deflated.resize(bound);
  hb_blob_destroy(blob);

  hb_face_t* face = hb_font_get_face(font.hb());
  hb_set_t* unicodes = hb_set_create();
  hb_face_collect_unicodes(face, unicodes);
  std::map<std::uint32_t, hb_codepoint_t> glyph_cp;
  for (hb_codepoint_t cp = HB_SET_VALUE_INVALID; hb_set_next(unicodes, &cp);) {
    hb_codepoint_t gid;
    if (!hb_font_get_nominal_glyph(font.hb(), cp, &gid)) continue;
    auto it = glyph_cp.find(gid);
    if (it == glyph_cp.end() || preference(cp) > preference(it->second) ||
        (preference(cp) == preference(it->second) && cp < it->second))
      glyph_cp[gid] = cp;
  }
  hb_set_destroy(unicodes);
  std::vector<std::pair<std::uint32_t, std::string>> entries;
  for (auto& [g, c] : glyph_cp) {
    std::string utf8;
    if (c < 0x80)
      utf8 += static_cast<char>(c);
    else if (c < 0x800)
      utf8 += static_cast<char>(0xC0 | (c >> 6)), utf8 += static_cast<char>(0x80 | (c & 0x3F));
    else if (c < 0x10000)
      utf8 += static_cast<char>(0xE0 | (c >> 12)),
          utf8 += static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
          utf8 += static_cast<char>(0x80 | (c & 0x3F));
    else
      utf8 += static_cast<char>(0xF0 | (c >> 18)),
          utf8 += static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
          utf8 += static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
          utf8 += static_cast<char>(0x80 | (c & 0x3F));
    entries.emplace_back(g, utf8);
  }
  ff->cmap = to_unicode_cmap(entries);
  const unsigned glyphs = hb_face_get_glyph_count(face);
  const double upem = font.metrics().units_per_em;
  for (unsigned g = 0; g < glyphs; ++g)
    ff->widths.emplace_back(g, static_cast<int>(std::lround(font.advance(g) * 1000.0 / upem)));
  return ff;
}

// Built once per font content in the process (≈4 MB deflated per font).
// Keyed by content, not by the Font's address: an Engine's Font may be freed
// and another one, another file, made at the same address.
const FullFont& full_font(const text::Font& font) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const FullFont>> cache;
  std::lock_guard lock(mu);
  auto& entry = cache[font.content_key()];
  if (!entry) entry = build_full(font);
  return *entry;
}

}  // namespace

PdfObject* embed_full(PdfMemDocument& doc, const text::Font& font) {
  if (font.outlines() != text::Font::Outlines::TrueType) {
    throw Error(ErrorKind::Usage,
                {{Severity::Error, "font.typing",
                  "the typing font must have TrueType outlines (IPAex)", font.path()}});
  }
  const FullFont& ff = full_font(font);
  const auto& m = font.metrics();
  PdfVecObjects* objs = &doc.GetObjects();

  PdfObject* file = objs->CreateObject();
  PdfMemoryInputStream in(ff.deflated.data(), static_cast<pdf_long>(ff.deflated.size()));
  file->GetStream()->SetRawData(&in, static_cast<pdf_long>(ff.deflated.size()));
  file->GetDictionary().AddKey("Filter", PdfName("FlateDecode"));
  file->GetDictionary().AddKey("Length1", pdf_integer(static_cast<long>(ff.length)));

  const std::string name = m.postscript_name;  // not a subset: no tag
  PdfArray w;
  long start = -1;
  int prev_width = -1;
  // Runs of equal widths compress best as "first last width".
  for (size_t i = 0; i <= ff.widths.size(); ++i) {
    int width = i < ff.widths.size() ? ff.widths[i].second : -2;
    if (width != prev_width) {
      if (start >= 0 && prev_width != 1000) {
        w.push_back(pdf_integer(start));
        w.push_back(pdf_integer(static_cast<long>(i) - 1));
        w.push_back(pdf_integer(prev_width));
      }
      start = static_cast<long>(i);
      prev_width = width;
    }
  }
  return cid_font_objects(doc, font, name, file, false, w, ff.cmap);
}

}  // namespace yoshiki::pdf
