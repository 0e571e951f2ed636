// report/count — the achievement count of the Senior Work Program
// (実績カウント整理表, seed 002 別添7; spec §4 CNT-001…CNT-004). Owns the count
// data (programs/senior-work/data/senior-program.count.xml: 別添6 status codes, categories A…F,
// the 7×6 ○/× table, the 修了者 threshold, periods, employment types, age
// bands) and the decision for one trainee. It knows no form: its input is a
// plain value per trainee, filled by report/link from whatever form said it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "text/wareki.h"

namespace yoshiki::report {

// The choices a form offers for a work situation (受講申込書 受講前の状況,
// 導入支援票 結果, 雇用状況確認事項 現在の状況), as the form's code numbers.
struct FormChoices {
  std::string work_type;  // 1 雇用 2 就業 3 自営(起業); "" = not working
  std::string term;       // 1 常用 2 臨時 3 日雇
  std::string part_time;  // "true" / "false" (xs:boolean, also 1 / 0)
  std::string work_kind;  // 1 シルバー人材センターでの就業 2 その他就業(NPO等)
  std::string dispatch;   // 派遣形態 1 シルバー 2 シルバー以外; "" = not dispatched
};

// A work situation in the terms of 別添6, with what CNT-002 compares.
struct WorkStatus {
  std::string code;       // 別添6 その2 "1"…"8"; "" = not working (離職者・求職者)
  std::string dispatch;   // 派遣形態 "1" / "2"; "" = not dispatched
  std::string workplace;  // employer or organisation; for a dispatched worker the 派遣元
  std::string client;     // 派遣先 of a dispatched worker: never compared (CNT-002)
  std::string industry;   // JSIC 13th revision middle class (2 digits), for 自営
  // The form names a kind of work (雇用, 就業, 自営) whose choices give no
  // 別添6 code (e.g. 常用 without パートの別): it can be neither counted nor
  // treated as not working.
  bool unmapped = false;
  bool workplace_known = true;           // false: the organisation is unknown (CNT-003)
  std::optional<text::CivilDate> since;  // start of this work, if known
};

struct CountResult {
  std::string before, after;  // categories "A"…"F"; "-" = 離職者・求職者 / not working
  bool counted = false;
  // The rule that decided: CNT-001 (the table), CNT-002 (a × cell whose
  // workplace or industry changed, or did not), CNT-003 (unknown
  // organisation), CNT-004 (not a 修了者: outside the count).
  std::string rule;
  std::string reason_ja, reason_en;  // one short sentence, no personal data
};

struct EmploymentType {
  std::string id, name;
  std::vector<std::string> codes;  // 別添6 その2 codes counted in this column
};

struct AgeBand {
  int from = 0, to = -1;  // to = -1: open-ended
  std::string name;
};

// Loaded once, then read-only: safe to share between threads.
class CountRules {
 public:
  // Reads and checks (against `schema_path`) the count data; throws
  // yoshiki::Error naming the file and line on any problem.
  CountRules(const std::string& path, const std::string& schema_path);

  // The 別添6 その2 code of a form's choices, or "" when they name none
  // (not working, or incomplete choices).
  std::string status_code(const FormChoices& choices) const;
  const std::string& status_name(const std::string& code) const;

  // "A"…"F" for a working status; "-" when not working or unclassifiable.
  std::string category(const WorkStatus& status) const;

  // Whether the table's cell (before, after) is ○. `before` "-" = 離職者・求職者.
  bool table_counts(const std::string& before, const std::string& after) const;

  // 修了者: attended ≥ min-attendance-percent of the course hours.
  bool is_completer(double course_hours, double attended_hours) const;

  // CNT-001…CNT-004 for one trainee; `after` empty = not working after the course.
  CountResult evaluate(const WorkStatus& before, const WorkStatus& after, bool completer) const;

  // 期間 code (別添6) of a start `months` after the course end; "" beyond the last period.
  std::string period_code(const text::CivilDate& course_end, const text::CivilDate& start) const;

  const std::vector<EmploymentType>& employment_types() const { return types_; }
  const std::vector<AgeBand>& age_bands() const { return bands_; }
  int snapshot_months() const { return snapshot_months_; }

 private:
  struct Status {
    std::string code, name, work_type, term, part_time, work_kind;
  };
  struct Category {
    std::string id, name, dispatch;
    std::vector<std::string> codes;
    bool compare_industry = false, unknown_never_counts = false;
  };
  struct Period {
    std::string code;
    int months = 0;
  };
  const Category* find_category(const std::string& id) const;

  std::vector<Status> statuses_;
  std::vector<Category> categories_;
  std::vector<std::string> table_;  // "before|after" of each ○ cell
  double min_attendance_percent_ = 80;
  std::vector<Period> periods_;
  std::vector<EmploymentType> types_;
  std::vector<AgeBand> bands_;
  int snapshot_months_ = 3;
};

// Counts of CNT-004: starters, 修了者, 途中修了者 (= starters − 修了者),
// counted persons and the employment rate (counted / 修了者, percent).
struct Achievement {
  int starters = 0, completers = 0, dropouts = 0, counted = 0;
  double rate_percent = 0;  // 0 when nobody completed
};
Achievement achievement(int starters, int completers, int counted);

// The same workplace for CNT-002: names compared after NFKC, without spaces.
bool same_workplace(const std::string& a, const std::string& b);

}  // namespace yoshiki::report
