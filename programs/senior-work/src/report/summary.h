// report/summary — how `yoshiki report` (report/job) presents a Senior Work
// Program report: the count per trainee, the figures of CNT-004 and the
// aggregates, as text (Japanese or English) or as one JSON document. Only
// 管理番号, codes and counts are printed, never a person's data; the 一覧表
// itself goes to the CSV/XLSX files the user names.
#pragma once

#include <ostream>
#include <string>

#include "yoshiki/senior_work.h"

namespace yoshiki::report {

void print_senior_report(const SeniorReport& report, bool json, const std::string& lang,
                         std::ostream& out);

// The report's diagnostics, one a line ("yoshiki: file: warning [code]: message"), in `lang`.
void print_report_diagnostics(const SeniorReport& report, const std::string& lang,
                              std::ostream& err);

}  // namespace yoshiki::report
