// report/job — `yoshiki report` as a Job's ProgramJob (see yoshiki/job.h):
// the paths expanded as validate expands them, the report, its files
// written atomically, the diagnostics and the summary.
#include "yoshiki/job.h"

#include "report/summary.h"
#include "yoshiki/senior_work.h"

namespace yoshiki {

int SeniorReportJob::operator()(const Job& job, const Engine& engine, std::ostream& out,
                                std::ostream& err) const {
  auto report =
      senior_report(engine, expand_paths(inputs, job.input_stream()), {as_of, redact, job.pdf});
  report::print_report_diagnostics(report, lang, err);
  if (!csv.empty()) write_file(csv, to_csv(report.list));
  if (!xlsx.empty()) write_file(xlsx, to_xlsx(report));
  report::print_senior_report(report, json, lang, out);
  // Outputs are written either way; an error (a form left out, X-001) still fails the run.
  for (const auto& d : report.diagnostics)
    if (d.severity == Severity::Error) return kExitInvalid;
  return kExitOk;
}

}  // namespace yoshiki
