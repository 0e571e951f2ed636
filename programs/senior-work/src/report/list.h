// report/list — the definition of the 受講申込・導入支援・フォローアップ一覧表
// (seed 002 別添6) and of where each form keeps the values the report reads
// (programs/senior-work/data/senior-program.list.xml): per form role, named fields as compiled
// XPath; per column, a form's value or a derived one, and whether it is
// personal (removed from the labour-bureau copy, spec §5).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "xml/xml.h"

namespace yoshiki::report {

// The three forms a trainee has, by the part they play in the report.
enum class Role { Application, Support, Check };

struct Source {
  Role role = Role::Application;
  std::string form_id;  // catalogue id, e.g. "jukou-moushikomi"
  std::map<std::string, std::shared_ptr<xml::XPath>> fields;

  // The field's values on `ctx`'s document (root element as context node);
  // nothing when the field is not defined or selects nothing.
  std::vector<std::string> values(const std::string& field, const xml::XPathContext& ctx) const;
  // The first value, or "".
  std::string value(const std::string& field, const xml::XPathContext& ctx) const;
};

struct ColumnDef {
  std::string id, header;
  bool personal = false;
  // Either a form's value (role + select; several nodes joined with `join`)…
  bool from_form = false;
  Role role = Role::Application;
  std::shared_ptr<xml::XPath> select;
  std::string join = "・";
  // …or a value the report derives ("row-number", "after-status", …).
  std::string value;
};

struct ListDefinition {
  std::vector<Source> sources;  // one per role
  std::vector<ColumnDef> columns;
  const Source& source(Role role) const;
  const Source* source_of_form(const std::string& form_id) const;
};

// Reads and checks the list file; throws yoshiki::Error naming the file and
// line on any problem (schema, XPath syntax, a missing role).
ListDefinition load_list(const std::string& path, const std::string& schema_path);

}  // namespace yoshiki::report
