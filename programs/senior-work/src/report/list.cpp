// report/list — see list.h.
#include "report/list.h"

#include <sstream>

namespace yoshiki::report {

namespace {

Role role_of(const std::string& s) {
  return s == "support" ? Role::Support : s == "check" ? Role::Check : Role::Application;
}

Severity severity_of(const std::string& s) {
  return s == "warning" ? Severity::Warning : s == "info" ? Severity::Info : Severity::Error;
}

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The titles and headers the report needs (senior_report.cpp).
constexpr const char* kTextIds[] = {
    "list-title", "aggregate-title", "snapshot",    "by-course", "by-age",
    "unknown",    "course-number",   "course-name", "starters",  "completers",
    "dropouts",   "age-band",        "total",       "rate"};

}  // namespace

std::vector<std::string> Source::values(const std::string& field,
                                        const xml::XPathContext& ctx) const {
  auto it = fields.find(field);
  if (it == fields.end()) return {};
  return it->second->strings(ctx);
}

std::string Source::path(const std::string& field) const {
  auto it = fields.find(field);
  return it == fields.end() ? "" : it->second->text();
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

std::string fill_in(std::string s, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    const std::string mark = "{" + key + "}";
    for (auto at = s.find(mark); at != std::string::npos; at = s.find(mark, at + value.size()))
      s.replace(at, mark.size(), value);
  }
  return s;
}

std::string ListDefinition::text(const std::string& id,
                                 const std::map<std::string, std::string>& values) const {
  auto it = texts.find(id);
  return fill_in(it == texts.end() ? "" : it->second, values);
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
      s.name_ja = xml::attr(f, "name-ja");
      s.name_en = xml::attr(f, "name-en");
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
  for (xmlNode* checks : xml::children(root, "cross-checks")) {
    for (xmlNode* c : xml::children(checks, "check")) {
      CrossCheck check;
      check.id = xml::attr(c, "id");
      check.severity = severity_of(xml::attr(c, "severity"));
      check.role = role_of(xml::attr(c, "form"));
      check.field = xml::attr(c, "field");
      for (xmlNode* w : xml::children(c, "when")) {
        check.when_role = role_of(xml::attr(w, "form"));
        check.when = words(xml::attr(w, "any"));
      }
      for (xmlNode* r : xml::children(c, "require")) {
        check.require_role = role_of(xml::attr(r, "form"));
        check.require = words(xml::attr(r, "any"));
      }
      for (xmlNode* m : xml::children(c, "message"))
        (xml::attr(m, "lang") == "ja" ? check.message_ja : check.message_en) = xml::text(m);
      for (const auto& [role, names] :
           {std::pair{check.when_role, check.when}, std::pair{check.require_role, check.require}}) {
        for (const auto& name : names) {
          if (!list.source(role).fields.count(name)) {
            throw Error(ErrorKind::InvalidInput,
                        {{Severity::Error, "report.list",
                          "check " + check.id + " names field " + name + ", which its form lacks",
                          path, xml::line(c)}});
          }
        }
      }
      list.cross_checks.push_back(std::move(check));
    }
  }
  for (xmlNode* columns : xml::children(root, "columns")) {
    for (xmlNode* c : xml::children(columns, "column")) {
      ColumnDef col;
      col.id = xml::attr(c, "id");
      col.header = xml::attr(c, "header");
      const std::string personal = xml::attr(c, "personal");
      col.personal = personal == "true" || personal == "1";
      col.personal_when = xml::attr(c, "personal-when");
      std::istringstream codes(xml::attr(c, "personal-codes"));
      for (std::string code; codes >> code;) col.personal_codes.push_back(code);
      if (col.personal_when.empty() != col.personal_codes.empty()) {
        throw Error(
            ErrorKind::InvalidInput,
            {{Severity::Error, "report.list",
              "column " + col.id + " needs both personal-when and personal-codes, or neither", path,
              xml::line(c)}});
      }
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
  for (xmlNode* texts : xml::children(root, "texts"))
    for (xmlNode* t : xml::children(texts, "text")) list.texts[xml::attr(t, "id")] = xml::text(t);
  for (const char* id : kTextIds) {
    if (!list.texts.count(id)) {
      throw Error(ErrorKind::InvalidInput, {{Severity::Error, "report.list",
                                             std::string("the list has no text ") + id, path}});
    }
  }
  return list;
}

}  // namespace yoshiki::report
