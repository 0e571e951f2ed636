// report/link — gathers the forms of each trainee by 管理番号: one
// 受講申込書, at most one 導入支援票 and any number of 雇用状況確認事項 (in
// check-date order). Owns the diagnostics about linking — a form without
// 管理番号, a second application or support record for a number, forms whose
// number has no application — and runs the checks across a trainee's forms
// that the list file defines.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "report/list.h"
#include "text/wareki.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::report {

// One readable form of the report's input.
struct FormDoc {
  Role role = Role::Application;
  std::string file;
  FormData data;  // keeps the document alive
  std::unique_ptr<xml::XPathContext> ctx;
  std::string control_number;
  std::optional<text::CivilDate> check_date;  // 雇用状況確認事項 only
};

struct LinkedTrainee {
  std::string control_number;
  const FormDoc* application = nullptr;
  const FormDoc* support = nullptr;    // null: no 導入支援票 yet
  std::vector<const FormDoc*> checks;  // by check date, oldest first
};

// Trainees in 管理番号 order; problems are appended to `out` (never with values).
std::vector<LinkedTrainee> link(const std::vector<FormDoc>& forms, const ListDefinition& list,
                                std::vector<Diagnostic>& out);

// A diagnostic with its Japanese message.
Diagnostic note(Severity severity, std::string code, std::string en, std::string ja,
                std::string file = {}, std::string field = {});

}  // namespace yoshiki::report
