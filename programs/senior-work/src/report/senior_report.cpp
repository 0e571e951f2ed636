// report/senior_report — the public senior_report(): reads every file (data
// XML or filled PDF) as validate does, links the forms (report/link), works
// out each trainee's status before the course and after it, counts
// (report/count) and builds the 一覧表 and the aggregates.
//
// Status after the course, on a date T, knowing what the forms say up to the
// report date K (Y, spec §4 "latest status after the course"): each check
// (and the 導入支援票's 結果) is an observation made on its check date. The
// latest observation up to K decides when it shows work begun by T;
// otherwise the latest observation made by T does (work begun by T, or not
// working). T = K for the report date, T = course end + 3 months for the
// snapshot (never after K).
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "api/form_data.h"
#include "catalog/catalog.h"
#include "io/io.h"
#include "report/count.h"
#include "report/link.h"
#include "report/list.h"
#include "yoshiki/senior_work.h"

namespace yoshiki {

namespace {

using report::CountRules;
using report::FormDoc;
using report::LinkedTrainee;
using report::Role;
using report::Source;
using report::WorkStatus;
using text::CivilDate;

struct Observation {
  CivilDate known;  // when a form said it
  WorkStatus status;
};

// A status read through the fields <prefix>.work-type … of a form.
WorkStatus read_status(const CountRules& rules, const Source& source, const std::string& prefix,
                       const xml::XPathContext& ctx) {
  auto v = [&](const char* field) { return source.value(prefix + "." + field, ctx); };
  WorkStatus s;
  const std::string work_type = v("work-type");
  s.code = rules.status_code({work_type, v("term"), v("part-time"), v("work-kind"), v("dispatch")});
  s.unmapped = s.code.empty() && !work_type.empty();
  if (s.code.empty()) return s;
  s.dispatch = v("dispatch");
  s.workplace = v("workplace");
  s.workplace_known = !s.workplace.empty();
  s.industry = v("industry");
  s.since = text::parse_iso_date(v("since"));
  return s;
}

// A status that cannot be mapped counts as begun: what it says is unknown,
// so it must not fall back to an earlier observation or to "not working".
WorkStatus status_at(const std::vector<Observation>& observations, const CivilDate& at,
                     const CivilDate& known_by) {
  auto begun = [&](const Observation& o) {
    return o.status.unmapped ||
           (!o.status.code.empty() && (!o.status.since || *o.status.since <= at));
  };
  const Observation* latest = nullptr;
  const Observation* latest_by_t = nullptr;
  for (const auto& o : observations) {
    if (o.known > known_by) continue;
    latest = &o;
    if (o.known <= at) latest_by_t = &o;
  }
  if (latest && begun(*latest)) return latest->status;
  if (latest_by_t && begun(*latest_by_t)) return latest_by_t->status;
  return {};
}

double number(const std::string& s) {
  try {
    size_t used = 0;
    double d = std::stod(s, &used);
    return used == s.size() ? d : -1;
  } catch (const std::exception&) {
    return -1;
  }
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// Everything the list and the aggregates need about one trainee.
struct Evaluated {
  const LinkedTrainee* linked = nullptr;
  const FormDoc* latest_check = nullptr;  // by the report date
  TraineeOutcome outcome;
  WorkStatus before, after, after_snapshot;
  bool counted_snapshot = false;
  std::string course_number, course_name, period;
  int age = -1;
};

// A business rule's id ("JK-005", "DS-002a"), as opposed to "xsd" or "data.form-id":
// validate runs the rules only on XSD-valid documents, so rule findings leave
// the form usable, anything else does not.
bool is_rule_id(const std::string& code) {
  const auto dash = code.find('-');
  if (dash == std::string::npos || dash == 0 || code.size() < dash + 4) return false;
  for (size_t i = 0; i < dash; ++i)
    if (code[i] < 'A' || code[i] > 'Z') return false;
  for (size_t i = dash + 1; i < dash + 4; ++i)
    if (code[i] < '0' || code[i] > '9') return false;
  return true;
}

// Reads one file as validate does; a readable form of the report goes to `docs`.
void load_file(const Engine& engine, const report::ListDefinition& list, const std::string& path,
               const std::string& as_of, const SeniorReportOptions& report,
               std::vector<FormDoc>& docs, std::vector<Diagnostic>& out) {
  std::string bytes;
  try {
    bytes = read_input(engine, path, report.pdf);
  } catch (const Error& e) {
    out.push_back(
        report::note(Severity::Error, "report.unreadable",
                     "the file cannot be read as a form: " + e.diagnostics().front().message,
                     "フォームとして読めないファイルです（集計から除外）", path));
    return;
  }
  ValidateOptions options;
  options.today = as_of;
  options.settings = report.settings;
  ValidationResult r = engine.validate(bytes, path, options);
  if (!r.readable) {
    // No formId (e.g. organisation settings) is simply not a form; anything
    // else (malformed XML, an unsupported version) is a broken input.
    const bool not_a_form = !r.diagnostics.empty() && r.diagnostics.front().code == "data.form-id";
    Diagnostic d = report::note(not_a_form ? Severity::Info : Severity::Error,
                                not_a_form ? "report.skipped" : "report.unreadable",
                                not_a_form ? "not a form yoshiki knows: skipped"
                                           : "the file cannot be read as a form: left out",
                                not_a_form ? "集計の対象外のファイルです"
                                           : "フォームとして読めないファイルです（集計から除外）",
                                path);
    if (!not_a_form && !r.diagnostics.empty()) d.line = r.diagnostics.front().line;
    out.push_back(std::move(d));
    return;
  }
  const Source* source = list.source_of_form(r.form_id);
  if (!source) {
    out.push_back(report::note(Severity::Info, "report.skipped",
                               "not one of the report's forms (" + r.form_id + "): skipped",
                               "集計の対象外のファイルです", path));
    return;
  }
  std::vector<std::string> xsd;
  std::set<std::string> rules, warnings;  // rule ids, each once, sorted
  for (const auto& d : r.diagnostics) {
    if (d.severity == Severity::Warning && is_rule_id(d.code)) warnings.insert(d.code);
    if (d.severity != Severity::Error) continue;
    if (is_rule_id(d.code))
      rules.insert(d.code);
    else
      xsd.push_back(d.code + (d.field.empty() ? "" : " " + d.field));
  }
  if (!xsd.empty()) {
    out.push_back(report::note(
        Severity::Error, "report.invalid",
        "the form is not valid (" + join(xsd, ", ") + "): left out; see yoshiki validate",
        "様式に合わないため除外（yoshiki validate で確認）", path));
    return;
  }
  const std::string broken = join({rules.begin(), rules.end()}, ", ");
  if (!rules.empty()) {
    out.push_back(report::note(Severity::Warning, "report.rules",
                               "the form breaks business rules " + broken + "; it is used as it is",
                               "業務ルール " + broken + " に違反があります（そのまま集計）", path));
  }
  // Rule warnings (DS-005: the 講習番号's prefecture is not the
  // organisation's, known only with --settings) are said, not counted.
  const std::string warned = join({warnings.begin(), warnings.end()}, ", ");
  if (!warnings.empty()) {
    out.push_back(
        report::note(Severity::Info, "report.rule-warnings",
                     "business rules " + warned + " warn about the form; it is used as it is",
                     "業務ルール " + warned + " の警告があります（そのまま集計）", path));
  }
  FormDoc doc;
  doc.role = source->role;
  doc.file = path;
  doc.data = engine.load_data(bytes, path);
  doc.ctx = std::make_unique<xml::XPathContext>(detail::state_of(doc.data)->doc.get());
  doc.control_number = source->value("control-number", *doc.ctx);
  if (doc.role == Role::Check)
    doc.check_date = text::parse_iso_date(source->value("check-date", *doc.ctx));
  docs.push_back(std::move(doc));
}

// The status of the item `prefix` ("before", "result", "status") of `doc`;
// one that names a kind of work but gives no 別添6 code is a warning naming
// the item and the 管理番号 (never counted as a guess).
WorkStatus read_status_noted(const CountRules& rules, const report::ListDefinition& list,
                             const Source& source, const std::string& prefix, const FormDoc& doc,
                             std::vector<Diagnostic>& out) {
  WorkStatus s = read_status(rules, source, prefix, *doc.ctx);
  if (!s.unmapped) return s;
  const std::string item = list.text(prefix + "-item");
  out.push_back(report::note(
      Severity::Warning, "report.unmapped-status",
      "管理番号 " + doc.control_number + ": the " + source.name_en + "'s " + item +
          " names no 別添6 code (a choice is missing, e.g. パート or not for 常用 and 臨時); "
          "this person is left out of the count",
      "管理番号 " + doc.control_number + "：" + source.name_ja + "の「" + item +
          "」を別添6のコードにできません（常用・臨時のパートの別など、選択が不足）。実績カウン"
          "トから除外します",
      doc.file, source.path(prefix + ".work-type")));
  return s;
}

Evaluated evaluate(const CountRules& rules, const report::ListDefinition& list,
                   const LinkedTrainee& t, const CivilDate& as_of, std::vector<Diagnostic>& out) {
  Evaluated e;
  e.linked = &t;
  e.outcome.control_number = t.control_number;
  const Source& application = list.source(Role::Application);
  const Source& support = list.source(Role::Support);
  const Source& check = list.source(Role::Check);
  e.age = static_cast<int>(number(application.value("age", *t.application->ctx)));
  e.before = read_status_noted(rules, list, application, "before", *t.application, out);
  std::vector<Observation> observations;
  std::optional<CivilDate> end;
  double hours = -1, attended = -1;
  if (t.support) {
    const auto& ctx = *t.support->ctx;
    e.course_number = support.value("course-number", ctx);
    e.course_name = support.value("course-name", ctx);
    end = text::parse_iso_date(support.value("course-end", ctx));
    hours = number(support.value("course-hours", ctx));
    attended = number(support.value("course-attended", ctx));
    WorkStatus result = read_status_noted(rules, list, support, "result", *t.support, out);
    if ((!result.code.empty() || result.unmapped) && result.since)
      observations.push_back({*result.since, result});
  }
  if (e.course_name.empty()) e.course_name = application.value("course-name", *t.application->ctx);
  for (const FormDoc* c : t.checks) {
    if (!c->check_date) continue;
    observations.push_back(
        {*c->check_date, read_status_noted(rules, list, check, "status", *c, out)});
    if (*c->check_date <= as_of) e.latest_check = c;
  }
  std::stable_sort(observations.begin(), observations.end(),
                   [](const Observation& a, const Observation& b) { return a.known < b.known; });
  e.after = status_at(observations, as_of, as_of);
  e.outcome.course_number = e.course_number;
  e.outcome.course_ended = end && *end <= as_of;
  if (!e.outcome.course_ended) return e;
  e.outcome.completer = rules.is_completer(hours, attended);
  if (attended < 0 || hours <= 0) {
    out.push_back(report::note(Severity::Warning, "report.no-attendance",
                               "管理番号 " + t.control_number + ": the " + support.name_en +
                                   " gives no course hours or hours attended; not a 修了者",
                               "管理番号 " + t.control_number + "：" + support.name_ja +
                                   "に時間数または受講時間数がないため、修了者としない",
                               t.support->file, support.path("course-attended")));
  }
  // A status that names no 別添6 code leaves the person out of the count
  // (a warning already named the item): no rule decides, nothing is counted.
  if (e.outcome.completer && (e.before.unmapped || e.after.unmapped)) {
    e.outcome.reason_ja = "状況を別添6のコードにできないため、カウントしない";
    e.outcome.reason_en = "a status that names no 別添6 code: left out of the count";
    return e;
  }
  auto r = rules.evaluate(e.before, e.after, e.outcome.completer);
  e.outcome.counted = r.counted;
  e.outcome.before = r.before;
  e.outcome.after = r.after;
  e.outcome.rule = r.rule;
  e.outcome.reason_ja = r.reason_ja;
  e.outcome.reason_en = r.reason_en;
  if (!e.after.code.empty() && e.after.since) e.period = rules.period_code(*end, *e.after.since);
  const CivilDate snapshot = std::min(text::add_months(*end, rules.snapshot_months()), as_of);
  e.after_snapshot = status_at(observations, snapshot, as_of);
  e.counted_snapshot = !e.after_snapshot.unmapped &&
                       rules.evaluate(e.before, e.after_snapshot, e.outcome.completer).counted;
  return e;
}

std::string derived(const Evaluated& e, const std::string& name, size_t row) {
  const TraineeOutcome& o = e.outcome;
  if (name == "row-number") return std::to_string(row);
  if (name == "control-number") return o.control_number;
  if (name == "completion") return o.course_ended ? (o.completer ? "1" : "2") : "";
  if (name == "before-status") return e.before.code;
  if (name == "before-dispatch") return e.before.dispatch;
  if (name == "before-workplace") return e.before.workplace;
  if (name == "before-industry") return e.before.industry;
  if (name == "after-status") return e.after.code;
  if (name == "after-dispatch") return e.after.dispatch;
  if (name == "after-since") return e.after.since ? text::format_iso_date(*e.after.since) : "";
  if (name == "after-workplace") return e.after.workplace;
  if (name == "after-industry") return e.after.industry;
  if (name == "period") return e.period;
  if (name == "count-before") return o.rule.empty() ? "" : o.before;
  if (name == "count-after") return o.rule.empty() ? "" : o.after;
  if (name == "counted") return o.rule.empty() ? "" : o.counted ? "○" : "×";
  if (name == "count-rule") return o.rule;
  return "";
}

ReportTable build_list(const report::ListDefinition& list, const std::vector<Evaluated>& trainees,
                       bool redact) {
  ReportTable table;
  table.title = list.text("list-title");
  std::vector<const report::ColumnDef*> columns;
  for (const auto& c : list.columns) {
    if (redact && c.personal) continue;
    columns.push_back(&c);
    table.columns.push_back({c.id, c.header, c.personal});
  }
  for (size_t i = 0; i < trainees.size(); ++i) {
    const Evaluated& e = trainees[i];
    std::vector<std::string> row;
    for (const auto* c : columns) {
      if (redact && !c->personal_when.empty()) {
        const std::string& code = (c->personal_when == "before" ? e.before : e.after).code;
        if (std::find(c->personal_codes.begin(), c->personal_codes.end(), code) !=
            c->personal_codes.end()) {
          row.emplace_back();
          continue;
        }
      }
      if (!c->from_form) {
        row.push_back(derived(e, c->value, i + 1));
        continue;
      }
      const FormDoc* doc = c->role == Role::Application ? e.linked->application
                           : c->role == Role::Support   ? e.linked->support
                                                        : e.latest_check;
      row.push_back(doc ? join(c->select->strings(*doc->ctx), c->join) : "");
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::string percent(int counted, int completers) {
  if (completers == 0) return "";
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(1);
  s << report::achievement(completers, completers, counted).rate_percent;
  return s.str();
}

// Employed (counted) persons by a key × employment type, at the report date
// or at the snapshot.
ReportTable aggregate(const CountRules& rules, const report::ListDefinition& list,
                      const std::vector<Evaluated>& trainees, bool by_course, bool snapshot,
                      const std::string& as_of) {
  ReportTable t;
  const std::string months = std::to_string(rules.snapshot_months());
  t.title = list.text("aggregate-title",
                      {{"by", list.text(by_course ? "by-course" : "by-age")},
                       {"snapshot", snapshot ? list.text("snapshot", {{"months", months}}) : ""},
                       {"as-of", as_of}});
  auto column = [&](const char* id) { t.columns.push_back({id, list.text(id)}); };
  if (by_course) {
    for (const char* id : {"course-number", "course-name", "starters", "completers", "dropouts"})
      column(id);
  } else {
    column("age-band");
  }
  for (const auto& type : rules.employment_types()) t.columns.push_back({type.id, type.name});
  column("total");
  if (by_course) column("rate");

  struct Line {
    std::vector<std::string> key;
    int starters = 0, completers = 0, counted = 0;
    std::vector<int> types;
  };
  std::map<std::string, Line> lines;  // sorted by key
  // Age bands in their order (every band gets a line), courses by number.
  auto band_key = [](size_t i) {
    return "band " + std::string(4 - std::to_string(i).size(), '0') + std::to_string(i);
  };
  if (!by_course) {
    for (size_t i = 0; i < rules.age_bands().size(); ++i)
      lines[band_key(i)].key = {rules.age_bands()[i].name};
  }
  for (const auto& e : trainees) {
    if (!e.outcome.course_ended) continue;
    std::string key = "~unknown";
    std::vector<std::string> label = {list.text("unknown")};
    if (by_course) {
      key = e.course_number + "\t" + e.course_name;
      label = {e.course_number, e.course_name};
    } else {
      for (size_t i = 0; i < rules.age_bands().size(); ++i) {
        const auto& b = rules.age_bands()[i];
        if (e.age >= b.from && (b.to < 0 || e.age <= b.to)) key = band_key(i);
      }
    }
    Line& line = lines[key];
    if (line.key.empty()) line.key = label;
    line.types.resize(rules.employment_types().size());
    ++line.starters;
    line.completers += e.outcome.completer;
    const bool counted = snapshot ? e.counted_snapshot : e.outcome.counted;
    if (!counted) continue;
    ++line.counted;
    const std::string& code = (snapshot ? e.after_snapshot : e.after).code;
    for (size_t i = 0; i < rules.employment_types().size(); ++i) {
      const auto& codes = rules.employment_types()[i].codes;
      if (std::find(codes.begin(), codes.end(), code) != codes.end()) ++line.types[i];
    }
  }
  for (auto& [key, line] : lines) {
    line.types.resize(rules.employment_types().size());
    std::vector<std::string> row = line.key;
    if (by_course) {
      row.push_back(std::to_string(line.starters));
      row.push_back(std::to_string(line.completers));
      row.push_back(std::to_string(line.starters - line.completers));
    }
    for (int n : line.types) row.push_back(std::to_string(n));
    row.push_back(std::to_string(line.counted));
    if (by_course) row.push_back(percent(line.counted, line.completers));
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

SeniorReport senior_report(const Engine& engine, const std::vector<std::string>& paths,
                           const SeniorReportOptions& options) {
  const CivilDate as_of = io::date_option(engine.io(), options.as_of, "as-of");
  // The program's data files are resources of its catalogue entry.
  const auto program = catalog::load(engine.resource_root()).program("senior-work");
  const std::string& schema = program.resource("schema");
  const CountRules rules(program.resource("count"), schema);
  const report::ListDefinition list = report::load_list(program.resource("list"), schema);

  SeniorReport out;
  out.as_of = text::format_iso_date(as_of);
  std::vector<FormDoc> docs;
  for (const auto& path : paths)
    load_file(engine, list, path, out.as_of, options, docs, out.diagnostics);
  const auto linked = report::link(docs, list, out.diagnostics);

  std::vector<Evaluated> trainees;
  for (const auto& t : linked) trainees.push_back(evaluate(rules, list, t, as_of, out.diagnostics));
  int starters = 0, completers = 0, counted = 0;
  for (const auto& e : trainees) {
    out.trainees.push_back(e.outcome);
    if (!e.outcome.course_ended) continue;
    ++starters;
    completers += e.outcome.completer;
    counted += e.outcome.counted;
  }
  auto a = report::achievement(starters, completers, counted);
  out.starters = a.starters;
  out.completers = a.completers;
  out.dropouts = a.dropouts;
  out.counted = a.counted;
  out.employment_rate = a.rate_percent;
  out.list = build_list(list, trainees, options.redact);
  for (bool snapshot : {false, true})
    for (bool by_course : {true, false})
      out.aggregates.push_back(aggregate(rules, list, trainees, by_course, snapshot, out.as_of));
  for (auto& d : out.diagnostics) d.value.clear();
  return out;
}

}  // namespace yoshiki
