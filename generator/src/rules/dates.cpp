#include "rules/dates.h"

#include "text/normalize.h"
#include "text/wareki.h"

namespace yoshiki::rules {
namespace {

bool has_digit(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= '0' && b <= '9') return true;
    if (b == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC &&
        static_cast<unsigned char>(s[i + 2]) >= 0x90 &&
        static_cast<unsigned char>(s[i + 2]) <= 0x99)
      return true;
  }
  return false;
}

void visit(xmlNode* n, const xml::Schema& schema, const std::string& name,
           std::vector<Diagnostic>& out) {
  for (xmlNode* c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (xmlFirstElementChild(c)) {
      visit(c, schema, name, out);
      continue;
    }
    const std::string before = xml::text(c);
    // Cheap tests first: a date has digits (ASCII or full-width), and an ISO
    // one is already right; only then is the element's path looked up.
    if (!has_digit(before) || text::parse_iso_date(before)) continue;
    const std::string path = xml::node_path(c);
    if (!schema.is_date(path)) continue;
    const auto date = text::parse_date_as_typed(text::normalize_numeric(xml::trim(before)));
    if (!date) continue;  // the XSD reports it
    const std::string after = text::format_iso_date(*date);
    xmlNodeSetContent(c, nullptr);
    xmlNodeAddContent(c, reinterpret_cast<const xmlChar*>(after.c_str()));
    out.push_back({Severity::Info, "normalized",
                   "a date written another way converted to YYYY-MM-DD", name, xml::line(c), 0,
                   path});
    out.back().message_ja = "日付を西暦の YYYY-MM-DD 形式に変換しました。";
  }
}

}  // namespace

std::vector<Diagnostic> normalize_dates(xmlDoc* doc, const xml::Schema& schema,
                                        const std::string& name) {
  std::vector<Diagnostic> out;
  if (xmlNode* root = xmlDocGetRootElement(doc)) visit(root, schema, name, out);
  return out;
}

}  // namespace yoshiki::rules
