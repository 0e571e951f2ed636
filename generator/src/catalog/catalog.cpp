#include "catalog/catalog.h"

#include "io/io.h"
#include "xml/xml.h"

namespace yoshiki::catalog {

std::string catalog_path(const std::string& root) { return root + "/schemas/catalog.xml"; }

Catalog load(const std::string& root, const Io& io) {
  Catalog c;
  c.path = catalog_path(root);
  auto doc = io::parse_file(io, c.path);
  {
    auto problems = io::schema(io, root + "/schemas/catalog.xsd")->validate(doc.get(), c.path);
    if (!problems.empty()) throw Error(ErrorKind::InvalidInput, std::move(problems));
  }
  auto path = [&](xmlNode* n, const char* attr) {
    return xml::has_attr(n, attr) ? root + "/" + xml::attr(n, attr) : std::string();
  };
  xmlNode* top = xmlDocGetRootElement(doc.get());
  for (xmlNode* r : xml::children(top, "resources")) {
    c.template_schema = path(r, "template-schema");
    c.rules_schema = path(r, "rules-schema");
    c.font_map = path(r, "fonts");
  }
  for (xmlNode* f : xml::children(top, "form")) {
    FormInfo info;
    info.id = xml::attr(f, "id");
    info.version = xml::attr(f, "version");
    info.title = xml::attr(f, "title");
    info.data_root = xml::attr(f, "root");
    info.template_path = path(f, "template");
    info.schema_path = path(f, "schema");
    info.rules_path = path(f, "rules");
    info.samples_path = path(f, "samples");
    c.forms.push_back(std::move(info));
  }
  for (xmlNode* p : xml::children(top, "program")) {
    Program program;
    program.id = xml::attr(p, "id");
    program.title = xml::attr(p, "title");
    program.catalog_path = c.path;
    for (xmlNode* u : xml::children(p, "uses")) program.forms.push_back(xml::attr(u, "form"));
    for (xmlNode* r : xml::children(p, "resource"))
      program.resources[xml::attr(r, "role")] = path(r, "path");
    c.programs.push_back(std::move(program));
  }
  return c;
}

const std::string& Program::resource(const std::string& role) const {
  auto it = resources.find(role);
  if (it == resources.end()) {
    throw Error(ErrorKind::Io,
                {{Severity::Error, "catalog", "program " + id + " has no resource '" + role + "'",
                  catalog_path}});
  }
  return it->second;
}

const Program& Catalog::program(const std::string& id) const {
  for (const auto& p : programs)
    if (p.id == id) return p;
  throw Error(ErrorKind::Usage,
              {{Severity::Error, "catalog", "the catalogue has no program '" + id + "'", path}});
}

}  // namespace yoshiki::catalog
