// report/job — `yoshiki report` as a Job's ProgramJob (see yoshiki/job.h):
// the paths expanded as validate expands them, the report, its files
// written atomically, the diagnostics and the summary.
#include "yoshiki/job.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "report/summary.h"
#include "yoshiki/senior_work.h"

namespace yoshiki {

int SeniorReportJob::operator()(const Job& job, const Engine& engine, std::ostream& out,
                                std::ostream& err) const {
  // The report links many files: "-" cannot be one of them. Paths come as
  // arguments and, with --files-from, one a line from a file or the stream.
  std::vector<std::string> args;
  for (const auto& a : inputs) {
    if (a == kStdio)
      throw Error(ErrorKind::Usage,
                  {{Severity::Error, "option.stdin",
                    "report: '-' cannot be data here (a report links many files); "
                    "--files-from - reads a list of paths from the input stream"}});
    args.push_back(a);
  }
  if (!files_from.empty()) {
    std::ifstream file;
    std::istream* list = &job.input_stream();
    if (files_from != kStdio) {
      file.open(files_from);
      if (!file)
        throw Error(ErrorKind::Io,
                    {{Severity::Error, "io.read",
                      std::string("cannot open file: ") + std::strerror(errno), files_from}});
      list = &file;
    }
    for (std::string line; std::getline(*list, line);)
      if (!line.empty()) args.push_back(line);  // a listed "-" is a file of that name
  }
  if (args.empty())
    throw Error(ErrorKind::Usage,
                {{Severity::Error, "option.input", "report: no input (DIR... or --files-from)"}});
  std::vector<std::string> paths;
  for (const auto& a : args) {
    // expand_paths reads "-" as a list from its stream: a listed "-" is a file.
    std::istringstream none;
    auto expanded = expand_paths({a == kStdio ? "./-" : a}, none);
    paths.insert(paths.end(), expanded.begin(), expanded.end());
  }
  auto report = senior_report(
      engine, paths,
      {as_of, redact, job.pdf, settings.empty() ? Settings{} : load_settings(settings)});
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
