// report — how the CLI presents validation results: a human report for a
// terminal (Japanese or English, colour on a TTY, progress bar), JSON (one
// document) or JSON Lines (one object per file, then a summary line).
// Values of fields are never printed in the human report (personal data);
// the JSON reports carry each issue's offending value unless redacted.
#pragma once

#include <cstdio>
#include <map>
#include <string>

#include "yoshiki/yoshiki.h"

namespace yoshiki::cli {

enum class ReportFormat { Human, Json, JsonLines };

// E, W or I, as reports print a severity.
const char* severity_letter(Severity s);

struct Summary {
  std::size_t files = 0, valid = 0, invalid = 0, unreadable = 0;
  std::map<std::string, std::size_t> per_rule;  // diagnostic code → count
};

class Reporter {
 public:
  // redact: no "value" in JSON reports (they may then be logged or shared).
  Reporter(ReportFormat format, std::string lang, bool colour, bool progress, std::size_t total,
           bool redact = false);
  void add(const ValidationResult& r);  // prints as results arrive
  void finish();                        // summary
  const Summary& summary() const { return summary_; }

 private:
  void clear_progress();
  void draw_progress();
  ReportFormat format_;
  std::string lang_;
  bool colour_, progress_, redact_;
  std::size_t total_;
  Summary summary_;
  bool first_json_ = true;
};

}  // namespace yoshiki::cli
