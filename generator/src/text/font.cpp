#include "text/font.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <hb-aat.h>
#include <hb-ot.h>
#include <hb-subset.h>

#include <functional>
#include <mutex>
#include <string_view>
#include <vector>

#include "text/plain_glyphs.h"
#include "text/shape.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::text {
namespace {

// A font collection (Noto CJK) is ~20 MB; nothing usable is near this.
constexpr std::size_t kMaxFontBytes = 256u << 20;

Error font_error(const std::string& path, const std::string& what) {
  return Error(ErrorKind::Io, {{Severity::Error, "font", what, path}});
}

// FreeType reads the metrics the PDF FontDescriptor needs. FT_Library is not
// thread-safe, so font loading is serialised (it happens once per Engine).
FontMetrics read_metrics(const std::string& path, const std::string& bytes, unsigned index) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  FT_Library lib;
  if (FT_Init_FreeType(&lib)) throw font_error(path, "cannot initialise FreeType");
  FT_Face face;
  if (FT_New_Memory_Face(lib, reinterpret_cast<const FT_Byte*>(bytes.data()),
                         static_cast<FT_Long>(bytes.size()), static_cast<FT_Long>(index), &face)) {
    FT_Done_FreeType(lib);
    throw font_error(path, "FreeType cannot open this font");
  }
  FontMetrics m;
  m.units_per_em = face->units_per_EM;
  m.ascender = face->ascender;
  m.descender = face->descender;
  m.bbox[0] = static_cast<int>(face->bbox.xMin);
  m.bbox[1] = static_cast<int>(face->bbox.yMin);
  m.bbox[2] = static_cast<int>(face->bbox.xMax);
  m.bbox[3] = static_cast<int>(face->bbox.yMax);
  auto* os2 = static_cast<TT_OS2*>(FT_Get_Sfnt_Table(face, FT_SFNT_OS2));
  m.cap_height = os2 && os2->version >= 2 ? os2->sCapHeight : m.ascender;
  const char* ps = FT_Get_Postscript_Name(face);
  m.postscript_name = ps ? ps : "Font";
  bool sfnt = FT_IS_SFNT(face);
  FT_Done_Face(face);
  FT_Done_FreeType(lib);
  if (!sfnt) throw font_error(path, "not an OpenType/TrueType font");
  return m;
}

// What HarfBuzz's plan for `script` (language ja) can take from `table`: the
// language system it selects, as its features' tags and lookups.
std::vector<std::vector<unsigned>> layout_features(hb_face_t* face, hb_tag_t table,
                                                   hb_script_t script) {
  static const hb_language_t ja = hb_language_from_string("ja", 2);
  hb_tag_t scripts[HB_OT_MAX_TAGS_PER_SCRIPT], languages[HB_OT_MAX_TAGS_PER_LANGUAGE];
  unsigned script_count = HB_OT_MAX_TAGS_PER_SCRIPT, language_count = HB_OT_MAX_TAGS_PER_LANGUAGE;
  hb_ot_tags_from_script_and_language(script, ja, &script_count, scripts, &language_count,
                                      languages);
  unsigned script_index = 0, language_index = 0;
  hb_tag_t chosen = 0;
  hb_ot_layout_table_select_script(face, table, script_count, scripts, &script_index, &chosen);
  hb_ot_layout_script_select_language(face, table, script_index, language_count, languages,
                                      &language_index);
  unsigned count = hb_ot_layout_language_get_feature_indexes(face, table, script_index,
                                                             language_index, 0, nullptr, nullptr);
  // The required feature (if any) first, then the others.
  std::vector<unsigned> indexes(1 + count, HB_OT_LAYOUT_NO_FEATURE_INDEX);
  hb_ot_layout_language_get_required_feature_index(face, table, script_index, language_index,
                                                   &indexes[0]);
  hb_ot_layout_language_get_feature_indexes(face, table, script_index, language_index, 0, &count,
                                            indexes.data() + 1);
  std::vector<std::vector<unsigned>> out;  // per feature: its tag, then its lookups
  for (unsigned feature : indexes) {
    if (feature == HB_OT_LAYOUT_NO_FEATURE_INDEX) continue;
    hb_tag_t tag = 0;
    unsigned one = 1;
    hb_ot_layout_table_get_feature_tags(face, table, feature, &one, &tag);
    const unsigned lookups =
        hb_ot_layout_feature_get_lookups(face, table, feature, 0, nullptr, nullptr);
    std::vector<unsigned> f(1 + lookups);
    f[0] = tag;
    unsigned n = lookups;
    hb_ot_layout_feature_get_lookups(face, table, feature, 0, &n, f.data() + 1);
    out.push_back(std::move(f));
  }
  return out;
}

// Han, Hiragana and Katakana share HarfBuzz's default shaper; with OpenType
// layout (not AAT) they shape alike when the font gives them the same
// features.
bool cjk_shapes_alike(hb_face_t* face) {
  if (hb_aat_layout_has_substitution(face) || hb_aat_layout_has_positioning(face)) return false;
  for (hb_tag_t table : {HB_OT_TAG_GSUB, HB_OT_TAG_GPOS}) {
    const auto han = layout_features(face, table, HB_SCRIPT_HAN);
    if (layout_features(face, table, HB_SCRIPT_HIRAGANA) != han ||
        layout_features(face, table, HB_SCRIPT_KATAKANA) != han)
      return false;
  }
  return true;
}

}  // namespace

Font::Font(const std::string& path, unsigned index, const Io& io)
    : path_(path), bytes_(io.read(path, kMaxFontBytes)) {
  content_key_ = std::to_string(std::hash<std::string_view>{}(bytes_)) + ":" +
                 std::to_string(bytes_.size()) + ":" + std::to_string(index);
  metrics_ = read_metrics(path, bytes_, index);
  blob_ = hb_blob_create_or_fail(bytes_.data(), static_cast<unsigned>(bytes_.size()),
                                 HB_MEMORY_MODE_READONLY, nullptr, nullptr);
  if (!blob_) throw font_error(path, "cannot read font file");
  face_ = hb_face_create(blob_, index);
  auto has_table = [&](hb_tag_t tag) {
    hb_blob_t* b = hb_face_reference_table(face_, tag);
    bool present = hb_blob_get_length(b) > 0;
    hb_blob_destroy(b);
    return present;
  };
  const bool truetype = has_table(HB_TAG('g', 'l', 'y', 'f'));
  const bool cff = has_table(HB_TAG('C', 'F', 'F', ' '));
  if (hb_face_get_glyph_count(face_) == 0 || !(truetype || cff)) {
    hb_face_destroy(face_);
    hb_blob_destroy(blob_);
    throw font_error(path, "neither TrueType (glyf) nor CFF outlines: cannot embed this font");
  }
  outlines_ = truetype ? Outlines::TrueType : Outlines::Cff;
  font_ = hb_font_create(face_);
  hb_ot_font_set_funcs(font_);
  hb_font_set_scale(font_, metrics_.units_per_em, metrics_.units_per_em);
  hb_face_make_immutable(face_);
  hb_font_make_immutable(font_);
  plain_ = plain_glyphs(face_, font_);
  cjk_scripts_alike_ = cjk_shapes_alike(face_);
  subset_source_ = hb_subset_preprocess(face_);
}

Font::~Font() {
  hb_face_destroy(subset_source_);
  hb_font_destroy(font_);
  hb_face_destroy(face_);
  hb_blob_destroy(blob_);
}

bool Font::has_codepoint(std::uint32_t cp) const {
  hb_codepoint_t gid;
  return hb_font_get_nominal_glyph(font_, cp, &gid);
}

int Font::advance(std::uint32_t gid) const { return hb_font_get_glyph_h_advance(font_, gid); }

FontSet::FontSet(const std::string& font_map_path, const Io& io) {
  auto doc = xml::parse(io.read(font_map_path, xml::kMaxDocumentBytes), font_map_path);
  xmlNode* root = xmlDocGetRootElement(doc.get());
  std::vector<Diagnostic> missing;
  for (xmlNode* role : xml::children(root, "role")) {
    std::string name = xml::attr(role, "name");
    std::string tried;
    for (xmlNode* f : xml::children(role, "font")) {
      std::string file = xml::attr(f, "file");
      if (!io.exists(file)) {
        tried += (tried.empty() ? "" : ", ") + file;
        continue;
      }
      roles_[name] = std::make_shared<const Font>(
          file, static_cast<unsigned>(std::stoul(xml::attr(f, "index", "0"))), io);
      break;
    }
    if (!roles_.count(name)) {
      missing.push_back({Severity::Error, "font.missing",
                         "no font file for role '" + name + "' (tried " + tried +
                             "); install the Debian font packages (scripts/install-deps.sh)",
                         font_map_path, xml::line(role)});
    }
  }
  if (!missing.empty()) throw Error(ErrorKind::Io, std::move(missing));
}

const Font& FontSet::role(const std::string& name) const {
  auto it = roles_.find(name);
  if (it == roles_.end())
    throw Error(ErrorKind::Usage,
                {{Severity::Error, "font.role", "unknown font role '" + name + "'"}});
  return *it->second;
}

std::vector<std::string> FontSet::roles() const {
  std::vector<std::string> out;
  for (auto& [k, v] : roles_) out.push_back(k);
  return out;
}

}  // namespace yoshiki::text
