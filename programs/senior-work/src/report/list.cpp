// report/list — see list.h.
#include "report/list.h"

namespace yoshiki::report {

namespace {

Role role_of(const std::string& s) {
  return s == "support" ? Role::Support : s == "check" ? Role::Check : Role::Application;
}

}  // namespace

std::vector<std::string> Source::values(const std::string& field,
                                        const xml::XPathContext& ctx) const {
  auto it = fields.find(field);
  if (it == fields.end()) return {};
  return it->second->strings(ctx);
}

std::string Source::value(const std::string& field, const xml::XPathContext& ctx) const {
  auto v = values(field, ctx);
  return v.empty() ? "" : v.front();
}

const Source& ListDefinition::source(Role role) const {
  for (const auto& s : sources)
    if (s.role == role) return s;
  throw Error(ErrorKind::InvalidInput,
              {{Severity::Error, "report.list", "the list defines no source for a form role"}});
}

const Source* ListDefinition::source_of_form(const std::string& form_id) const {
  for (const auto& s : sources)
    if (s.form_id == form_id) return &s;
  return nullptr;
}

ListDefinition load_list(const std::string& path, const std::string& schema_path) {
  xml::Doc doc = xml::parse_file(path);
  auto problems = xml::Schema(schema_path).validate(doc.get(), path);
  if (!problems.empty()) throw Error(ErrorKind::InvalidInput, std::move(problems));
  xmlNode* root = xmlDocGetRootElement(doc.get());
  auto where = [&](const xmlNode* n) { return path + ":" + std::to_string(xml::line(n)); };
  ListDefinition list;
  for (xmlNode* sources : xml::children(root, "sources")) {
    for (xmlNode* f : xml::children(sources, "form")) {
      Source s;
      s.role = role_of(xml::attr(f, "role"));
      s.form_id = xml::attr(f, "id");
      for (xmlNode* field : xml::children(f, "field"))
        s.fields[xml::attr(field, "name")] =
            std::make_shared<xml::XPath>(xml::attr(field, "select"), where(field));
      if (!s.fields.count("control-number")) {
        throw Error(ErrorKind::InvalidInput,
                    {{Severity::Error, "report.list",
                      "form " + s.form_id + " has no control-number field", path, xml::line(f)}});
      }
      list.sources.push_back(std::move(s));
    }
  }
  for (xmlNode* columns : xml::children(root, "columns")) {
    for (xmlNode* c : xml::children(columns, "column")) {
      ColumnDef col;
      col.id = xml::attr(c, "id");
      col.header = xml::attr(c, "header");
      const std::string personal = xml::attr(c, "personal");
      col.personal = personal == "true" || personal == "1";
      col.value = xml::attr(c, "value");
      if (xml::has_attr(c, "form") != xml::has_attr(c, "select") ||
          xml::has_attr(c, "form") == !col.value.empty()) {
        throw Error(
            ErrorKind::InvalidInput,
            {{Severity::Error, "report.list",
              "column " + col.id + " needs either form and select, or value", path, xml::line(c)}});
      }
      if (xml::has_attr(c, "form")) {
        col.from_form = true;
        col.role = role_of(xml::attr(c, "form"));
        col.select = std::make_shared<xml::XPath>(xml::attr(c, "select"), where(c));
        if (xml::has_attr(c, "join")) col.join = xml::attr(c, "join");
      }
      list.columns.push_back(std::move(col));
    }
  }
  return list;
}

}  // namespace yoshiki::report
