#include "catalog/catalog.h"

#include "xml/xml.h"

namespace yoshiki::catalog {

std::vector<FormInfo> load(const std::string& root) {
  const std::string path = root + "/schemas/catalog.xml";
  auto doc = xml::parse_file(path);
  std::vector<FormInfo> forms;
  for (xmlNode* f : xml::children(xmlDocGetRootElement(doc.get()), "form")) {
    FormInfo info;
    info.id = xml::attr(f, "id");
    info.version = xml::attr(f, "version");
    info.title = xml::attr(f, "title");
    info.data_root = xml::attr(f, "root");
    info.template_path = root + "/" + xml::attr(f, "template");
    info.schema_path = root + "/" + xml::attr(f, "schema");
    if (xml::has_attr(f, "rules")) info.rules_path = root + "/" + xml::attr(f, "rules");
    if (info.id.empty() || info.version.empty()) {
      throw Error(ErrorKind::Io, {{Severity::Error, "catalog", "form entry without id or version",
                                   path, xml::line(f)}});
    }
    forms.push_back(std::move(info));
  }
  return forms;
}

}  // namespace yoshiki::catalog
