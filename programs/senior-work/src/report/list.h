// report/list — the definition of the 受講申込・導入支援・フォローアップ一覧表
// (seed 002 別添6) and of where each form keeps the values the report reads
// (programs/senior-work/data/senior-program.list.xml): per form role, the
// form id, its names and named fields as compiled XPath; the checks across a
// trainee's forms; per column, a form's value or a derived one, and
// whether it is personal (removed from the labour-bureau copy, spec §5); the
// titles and headers of the tables. No form, element or title is known to
// the C++ code: they are all in that file.
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
  std::string form_id;           // catalogue id
  std::string name_ja, name_en;  // how messages name the form
  std::map<std::string, std::shared_ptr<xml::XPath>> fields;

  // The data path a diagnostic about `field` points at (its expression).
  std::string path(const std::string& field) const;

  // The field's values on `ctx`'s document (root element as context node);
  // nothing when the field is not defined or selects nothing.
  std::vector<std::string> values(const std::string& field, const xml::XPathContext& ctx) const;
  // The first value, or "".
  std::string value(const std::string& field, const xml::XPathContext& ctx) const;
};

struct ColumnDef {
  std::string id, header;
  bool personal = false;
  // Personal only when the status before ("before") or after ("after") the
  // course has one of `personal_codes` (別添6 その2): left empty in the
  // redacted copy then (a 自営 business name often carries the surname).
  std::string personal_when;
  std::vector<std::string> personal_codes;
  // Either a form's value (role + select; several nodes joined with `join`)…
  bool from_form = false;
  Role role = Role::Application;
  std::shared_ptr<xml::XPath> select;
  std::string join = "・";
  // …or a value the report derives ("row-number", "after-status", …).
  std::string value;
};

// A check across one trainee's forms: when one of the `when` fields
// of the `when_role` form has a value, one of the `require` fields of the
// `require_role` form must have one too.
struct CrossCheck {
  std::string id;
  Severity severity = Severity::Error;
  Role role = Role::Application;  // the form the finding is about…
  std::string field;              // …and its data path
  Role when_role = Role::Support;
  std::vector<std::string> when;
  Role require_role = Role::Application;
  std::vector<std::string> require;
  std::string message_en, message_ja;  // "{control-number}" = the trainee's 管理番号
};

struct ListDefinition {
  std::vector<Source> sources;  // one per role
  std::vector<CrossCheck> cross_checks;
  std::vector<ColumnDef> columns;
  std::map<std::string, std::string> texts;  // titles and headers by id
  const Source& source(Role role) const;
  const Source* source_of_form(const std::string& form_id) const;
  // The text `id` with each "{key}" replaced by its value.
  std::string text(const std::string& id,
                   const std::map<std::string, std::string>& values = {}) const;
};

// `text` with each "{key}" replaced by its value.
std::string fill_in(std::string text, const std::map<std::string, std::string>& values);

// Reads and checks the list file; throws yoshiki::Error naming the file and
// line on any problem (schema, XPath syntax, a missing role).
ListDefinition load_list(const std::string& path, const std::string& schema_path);

}  // namespace yoshiki::report
