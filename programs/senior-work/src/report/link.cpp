// report/link — see link.h.
#include "report/link.h"

#include <algorithm>
#include <map>

namespace yoshiki::report {

Diagnostic note(Severity severity, std::string code, std::string en, std::string ja,
                std::string file, std::string field) {
  Diagnostic d(severity, std::move(code), std::move(en), std::move(file), 0, 0, std::move(field));
  d.message_ja = std::move(ja);
  return d;
}

namespace {

// The trainee's form in `role`; checks are not single forms: none.
const FormDoc* form_of(const LinkedTrainee& t, Role role) {
  return role == Role::Application ? t.application : role == Role::Support ? t.support : nullptr;
}

// Whether one of `fields` has a value on `doc` (none when there is no form).
bool any_value(const ListDefinition& list, Role role, const std::vector<std::string>& fields,
               const FormDoc* doc) {
  if (!doc) return false;
  const Source& source = list.source(role);
  for (const auto& f : fields)
    if (!source.value(f, *doc->ctx).empty()) return true;
  return false;
}

}  // namespace

std::vector<LinkedTrainee> link(const std::vector<FormDoc>& forms, const ListDefinition& list,
                                std::vector<Diagnostic>& out) {
  std::map<std::string, LinkedTrainee> by_number;
  std::vector<const FormDoc*> later;  // support records and checks, linked after every application
  for (const auto& f : forms) {
    const Source& source = list.source(f.role);
    const std::string &ja = source.name_ja, &en = source.name_en;
    const std::string number_path = source.path("control-number");
    if (f.control_number.empty()) {
      out.push_back(note(Severity::Error, "report.no-control-number",
                         "the " + en + " has no 管理番号 and cannot be linked; it is left out",
                         ja + "に管理番号がないため、突合できません（集計から除外）", f.file,
                         number_path));
      continue;
    }
    if (f.role != Role::Application) {
      later.push_back(&f);
      continue;
    }
    auto [it, fresh] = by_number.try_emplace(f.control_number);
    if (!fresh) {
      out.push_back(note(Severity::Error, "report.duplicate",
                         "管理番号 " + f.control_number + " has a second " + en +
                             " (first: " + it->second.application->file + "); this one is left out",
                         "管理番号 " + f.control_number + " の" + ja + "が重複しています（先の " +
                             it->second.application->file + " を使用、これは除外）",
                         f.file, number_path));
      continue;
    }
    it->second.control_number = f.control_number;
    it->second.application = &f;
  }
  const Source& application = list.source(Role::Application);
  const Source& support = list.source(Role::Support);
  const Source& check = list.source(Role::Check);
  for (const FormDoc* f : later) {
    const Source& source = list.source(f->role);
    const std::string &ja = source.name_ja, &en = source.name_en;
    const std::string number_path = source.path("control-number");
    auto it = by_number.find(f->control_number);
    if (it == by_number.end()) {
      out.push_back(note(Severity::Warning, "report.unlinked",
                         "no " + application.name_en + " has 管理番号 " + f->control_number +
                             "; this " + en + " is left out",
                         "管理番号 " + f->control_number + " の" + application.name_ja +
                             "がないため、この" + ja + "は除外",
                         f->file, number_path));
      continue;
    }
    LinkedTrainee& t = it->second;
    if (f->role == Role::Support) {
      if (t.support) {
        out.push_back(note(Severity::Error, "report.duplicate",
                           "管理番号 " + f->control_number + " has a second " + en +
                               " (first: " + t.support->file + "); this one is left out",
                           "管理番号 " + f->control_number + " の" + ja +
                               "が重複しています（先の " + t.support->file +
                               " を使用、これは除外）",
                           f->file, number_path));
        continue;
      }
      t.support = f;
    } else {
      t.checks.push_back(f);
    }
  }
  std::vector<LinkedTrainee> trainees;
  for (auto& [number, t] : by_number) {
    std::stable_sort(t.checks.begin(), t.checks.end(), [](const FormDoc* a, const FormDoc* b) {
      return a->check_date < b->check_date;
    });
    for (size_t i = 1; i < t.checks.size(); ++i) {
      if (t.checks[i]->check_date == t.checks[i - 1]->check_date) {
        out.push_back(note(Severity::Warning, "report.duplicate-check",
                           "管理番号 " + number + " has two " + check.name_en +
                               "s of the same date (other: " + t.checks[i - 1]->file + ")",
                           "管理番号 " + number + " の" + check.name_ja +
                               "に同じ確認日のものが2件あります（他方: " + t.checks[i - 1]->file +
                               "）",
                           t.checks[i]->file, check.path("check-date")));
      }
    }
    // KJ-004 across the forms: while not yet employed, the person is checked
    // at least monthly (seed 002 別添5); a skipped month shows only here, since
    // each form's 前回確認年月日 is typed by hand.
    for (size_t i = 1; i < t.checks.size(); ++i) {
      const FormDoc& before = *t.checks[i - 1];
      const FormDoc& after = *t.checks[i];
      if (!before.check_date || !after.check_date ||
          !check.value("status.work-type", *before.ctx).empty() ||
          !(text::add_months(*before.check_date, 1) < *after.check_date))
        continue;
      out.push_back(note(Severity::Warning, "KJ-004",
                         "管理番号 " + number + ": more than one month between the " +
                             check.name_en + "s " + before.file + " and " + after.file +
                             " while not yet employed (checks at least monthly until employed)",
                         "管理番号 " + number + "：未就職の間の" + check.name_ja + "（" +
                             before.file + " と " + after.file +
                             "）の間隔が1ヶ月を超えています（就職するまで最低でも1ヶ月ごとに確認）",
                         after.file, check.path("check-date")));
    }
    if (!t.support) {
      out.push_back(
          note(Severity::Warning, "report.no-support-record",
               "管理番号 " + number + " has no " + support.name_en + ": listed, not counted",
               "管理番号 " + number + " の" + support.name_ja +
                   "がありません（一覧表に記載、実績の対象外）",
               t.application->file, application.path("control-number")));
    }
    // Checks across the forms, as the list file defines them.
    for (const CrossCheck& c : list.cross_checks) {
      if (!any_value(list, c.when_role, c.when, form_of(t, c.when_role)) ||
          any_value(list, c.require_role, c.require, form_of(t, c.require_role)))
        continue;
      const FormDoc* about = form_of(t, c.role);
      const std::map<std::string, std::string> values{{"control-number", number}};
      out.push_back(note(c.severity, c.id, fill_in(c.message_en, values),
                         fill_in(c.message_ja, values), about ? about->file : "", c.field));
    }
    trainees.push_back(std::move(t));
  }
  return trainees;
}

}  // namespace yoshiki::report
