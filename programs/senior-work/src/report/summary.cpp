// report/summary — see summary.h.
#include "report/summary.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "job/reporters.h"
#include "yoshiki/version.h"

namespace yoshiki::report {

using job::json_text;
using job::put_file_name;
using job::severity_letter;

namespace {

nlohmann::json table_json(const ReportTable& t) {
  nlohmann::json columns = nlohmann::json::array();
  for (const auto& c : t.columns) columns.push_back({{"id", c.id}, {"header", c.header}});
  return {{"title", t.title}, {"columns", columns}, {"rows", t.rows}};
}

std::string rate_text(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", rate);
  return buf;
}

}  // namespace

void print_senior_report(const SeniorReport& r, bool json, const std::string& lang,
                         std::ostream& out) {
  const bool ja = lang != "en";
  if (json) {
    nlohmann::json trainees = nlohmann::json::array();
    for (const auto& t : r.trainees) {
      trainees.push_back({{"controlNumber", t.control_number},
                          {"course", t.course_number},
                          {"courseEnded", t.course_ended},
                          {"completer", t.completer},
                          {"before", t.before},
                          {"after", t.after},
                          {"counted", t.counted},
                          {"rule", t.rule},
                          {"reason", {{"en", t.reason_en}, {"ja", t.reason_ja}}}});
    }
    nlohmann::json diagnostics = nlohmann::json::array();
    for (const auto& d : r.diagnostics) {
      nlohmann::json j{
          {"code", d.code},
          {"severity", severity_letter(d.severity)},
          {"field", d.field},
          {"message",
           {{"en", d.message}, {"ja", d.message_ja.empty() ? d.message : d.message_ja}}}};
      put_file_name(j, "file", d.file);
      diagnostics.push_back(std::move(j));
    }
    nlohmann::json aggregates = nlohmann::json::array();
    for (const auto& a : r.aggregates) aggregates.push_back(table_json(a));
    nlohmann::json doc{{"asOf", r.as_of},
                       {"starters", r.starters},
                       {"completers", r.completers},
                       {"dropouts", r.dropouts},
                       {"counted", r.counted},
                       {"employmentRate", r.employment_rate},
                       {"trainees", trainees},
                       {"aggregates", aggregates},
                       {"diagnostics", diagnostics},
                       {"yoshiki", {{"version", version()}, {"format", YOSHIKI_REPORT_FORMAT}}}};
    out << json_text(doc, 2) << "\n";
    return;
  }
  out << (ja ? "管理番号\t講習番号\t修了\t受講前\t受講後\t実績\t根拠\n"
             : "control\tcourse\tcompleter\tbefore\tafter\tcounted\trule\n");
  for (const auto& t : r.trainees) {
    out << t.control_number << "\t" << t.course_number << "\t"
        << (t.course_ended ? (t.completer ? (ja ? "修了" : "yes") : (ja ? "途中修了" : "no")) : "-")
        << "\t" << (t.rule.empty() ? "" : t.before) << "\t" << (t.rule.empty() ? "" : t.after)
        << "\t"
        << (t.rule.empty() ? ""
            : t.counted    ? "○"
                           : "×")
        << "\t" << t.rule << (t.rule.empty() ? "" : " ") << (ja ? t.reason_ja : t.reason_en)
        << "\n";
  }
  if (ja) {
    out << r.as_of << " 現在: 講習開始者 " << r.starters << "、修了者 " << r.completers
        << "、途中修了者 " << r.dropouts << "、実績 " << r.counted << "、就職率 "
        << rate_text(r.employment_rate) << "%\n";
  } else {
    out << "as of " << r.as_of << ": starters " << r.starters << ", completers " << r.completers
        << ", dropouts " << r.dropouts << ", counted " << r.counted << ", employment rate "
        << rate_text(r.employment_rate) << "%\n";
  }
  for (const auto& a : r.aggregates) {
    out << "\n" << a.title << "\n";
    for (size_t i = 0; i < a.columns.size(); ++i) out << (i ? "\t" : "") << a.columns[i].header;
    out << "\n";
    for (const auto& row : a.rows) {
      for (size_t i = 0; i < row.size(); ++i) out << (i ? "\t" : "") << row[i];
      out << "\n";
    }
  }
}

void print_report_diagnostics(const SeniorReport& report, const std::string& lang,
                              std::ostream& err) {
  for (Diagnostic d : report.diagnostics) {
    if (lang != "en" && !d.message_ja.empty()) d.message = d.message_ja;
    err << "yoshiki: " << printable(d.to_string()) << "\n";
  }
}

}  // namespace yoshiki::report
