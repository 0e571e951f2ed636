// yoshiki/senior_work — the Senior Work Program report (seed 002 別添6,
// 別添7; spec §4–§5), a program built on the yoshiki Engine: it reads files
// only through the Engine's public calls (read_input, validate, load_data),
// and the forms it links, what it reads from them, its titles, its
// cross-form checks and its count table are its own data files
// (programs/senior-work/data/). Library yoshiki::senior_work; the core
// library knows nothing of it.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "yoshiki/job.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki {

// senior_report() reads the three forms of each trainee — 受講申込書,
// 導入支援票 and 雇用状況確認事項, as data XML or filled PDFs — links them by 管理番号,
// applies the achievement count (CNT-001…CNT-004) and builds the
// 受講申込・導入支援・フォローアップ一覧表 and the aggregates. What it reads
// from each form, the list's columns, titles and checks and the count table
// are data:
// programs/senior-work/data/senior-program.list.xml and
// senior-program.count.xml, found under the Engine's resource root.

// A table of text cells (the list, or an aggregate).
struct ReportTable {
  struct Column {
    std::string id, header;
    bool personal = false;  // removed entirely from the redacted copy
  };
  std::string title;
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // each as long as `columns`
};

struct SeniorReportOptions {
  std::string
      as_of;  // "YYYY-MM-DD": the report date (what is known, and counted, then); "" = today
  bool redact = false;  // the labour-bureau copy: personal columns removed (spec §5)
  PdfIsolation pdf;     // how filled PDFs among the inputs are parsed (see PdfIsolation)
  // The organisation's settings for the rule check of each file (DS-005
  // compares the 講習番号's prefecture with org.prefecture); none: such
  // rules note rules.setting-missing and decide nothing.
  Settings settings;
};

// One trainee's count, without personal data.
struct TraineeOutcome {
  std::string control_number, course_number;
  bool course_ended = false;  // the skills course ended on or before the report date
  bool completer = false;     // 修了者: attended ≥ 80% of the hours (CNT-004)
  bool counted = false;       // counts as employed for the program's results
  std::string before, after;  // count categories A…F, "-" = 離職者・求職者 / not working
  // CNT-001…CNT-004: which rule decided; "" = course not ended, or a status
  // that names no 別添6 code (warning report.unmapped-status): not counted.
  std::string rule;
  std::string reason_ja, reason_en;
};

struct SeniorReport {
  std::string as_of;
  // Files left out or suspicious, unlinked or duplicate 管理番号, X-001.
  // Messages and fields only: `value` is always empty here.
  std::vector<Diagnostic> diagnostics;
  std::vector<TraineeOutcome> trainees;  // in 管理番号 order, as the list's rows
  // CNT-004, over the courses ended by the report date: starters, 修了者,
  // 途中修了者 (= starters − 修了者), counted persons, counted / 修了者 in percent.
  int starters = 0, completers = 0, dropouts = 0, counted = 0;
  double employment_rate = 0;
  ReportTable list;  // 別添6, one row per trainee
  std::vector<ReportTable>
      aggregates;  // per course and per age band × employment type,
                   // as of the report date and 3 months after each course ended
};

// Throws Error for a bad option or unreadable report data; problems with
// single files go to SeniorReport::diagnostics and never stop the report.
SeniorReport senior_report(const Engine& engine, const std::vector<std::string>& paths,
                           const SeniorReportOptions& options = {});

// RFC 4180 CSV, UTF-8 with a byte order mark (Excel reads it as UTF-8), CRLF.
// A text cell starting with = + - @ tab or CR is written with a leading
// apostrophe (no spreadsheet formula can be smuggled in through a form).
std::string to_csv(const ReportTable& table);

// An XLSX workbook (libxlsxwriter): sheet 一覧表 holds `report.list` exactly
// as to_csv writes it, sheet 集計 the aggregates one below the other.
std::vector<std::uint8_t> to_xlsx(const SeniorReport& report);

// `yoshiki report DIR...` as a ProgramJob of a yoshiki::Job (job.h): the
// paths expanded as validate expands them (PDFs parsed as the Job's `pdf`
// says), the report, the CSV and XLSX asked for (written atomically), the
// diagnostics to `err` and the summary to `out` — text in `lang`, or one
// JSON document; only 管理番号, codes and counts, never a person's data.
// Returns kExitInvalid when any diagnostic is an error (the files are
// written all the same).
struct SeniorReportJob {
  std::vector<std::string> inputs;  // folders or files
  std::string files_from;           // a file listing paths, one a line ("-": the input stream)
  std::string as_of;                // "YYYY-MM-DD"; "" = today
  std::string settings;             // organisation settings XML (load_settings); "" = none
  std::string csv, xlsx;            // files to write; "" = none
  bool redact = false;              // the labour-bureau copy
  bool json = false;                // the summary as JSON
  std::string lang = "ja";          // "ja" or "en"

  int operator()(const Job& job, const Engine& engine, std::ostream& out, std::ostream& err) const;
};

}  // namespace yoshiki
