// job/reporters — how a Job presents validation results: a human report for
// a terminal (Japanese or English, colours, progress bar), JSON (one
// document) or JSON Lines (one object per file, then a summary line).
// Values of fields are never printed in the human report (personal data);
// the JSON reports carry each issue's offending value unless redacted.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "yoshiki/job.h"

namespace yoshiki::job {

using ReportFormat = ValidateJob::Format;

// FILE or DIR (every *.xml and *.pdf below it, sorted) appended to `out`; a
// path that does not exist is kept, for its run to report it unreadable.
void add_paths(const std::string& arg, std::vector<std::string>& out);

// E, W or I, as reports print a severity.
const char* severity_letter(Severity s);

// JSON text of a report. Strings are bytes: a file name in Shift_JIS (a
// folder unpacked from a Windows archive) or a hostile PDF's field name is
// not UTF-8, and bytes that are not become U+FFFD instead of failing the run.
std::string json_text(const nlohmann::json& j, int indent = -1);

// Adds `key` = the file name to `j`, and, when the name is not UTF-8,
// `key`Hex = its bytes in hex, so that the file can still be found.
void put_file_name(nlohmann::json& j, const std::string& key, const std::string& file);

// One diagnostic as the JSON reports write it (an element of "issues"):
// rule, severity, field, line, column, message {en, ja}, and the offending
// value unless redacted.
nlohmann::json issue_json(const Diagnostic& d, bool redact);

// "\r[####      ] done/total  what count" on a terminal's line.
void progress_bar(std::ostream& err, std::size_t done, std::size_t total, const std::string& what,
                  std::size_t count);

struct Summary {
  std::size_t files = 0, valid = 0, invalid = 0, unreadable = 0;
  std::map<std::string, std::size_t> per_rule;  // diagnostic code → count
};

class Reporter {
 public:
  // redact: no "value" in JSON reports (they may then be logged or shared).
  // Reports go to `out`, the progress bar to `err`.
  Reporter(std::ostream& out, std::ostream& err, ReportFormat format, std::string lang, bool colour,
           bool progress, std::size_t total, bool redact = false);
  void add(const ValidationResult& r);  // prints as results arrive
  void finish();                        // summary
  const Summary& summary() const { return summary_; }

 private:
  void clear_progress();
  void draw_progress();
  std::ostream& out_;
  std::ostream& err_;
  ReportFormat format_;
  std::string lang_;
  bool colour_, progress_, redact_;
  std::size_t total_;
  Summary summary_;
  bool first_json_ = true;
};

}  // namespace yoshiki::job
