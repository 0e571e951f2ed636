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

const char* form_name_ja(Role role) {
  return role == Role::Application ? "受講申込書"
         : role == Role::Support   ? "導入支援票"
                                   : "雇用状況確認事項";
}
const char* form_name_en(Role role) {
  return role == Role::Application ? "course application"
         : role == Role::Support   ? "intake support record"
                                   : "employment status check";
}

}  // namespace

std::vector<LinkedTrainee> link(const std::vector<FormDoc>& forms, const ListDefinition& list,
                                std::vector<Diagnostic>& out) {
  std::map<std::string, LinkedTrainee> by_number;
  std::vector<const FormDoc*> later;  // support records and checks, linked after every application
  for (const auto& f : forms) {
    const std::string ja = form_name_ja(f.role), en = form_name_en(f.role);
    if (f.control_number.empty()) {
      out.push_back(note(Severity::Error, "report.no-control-number",
                         "the " + en + " has no 管理番号 and cannot be linked; it is left out",
                         ja + "に管理番号がないため、突合できません（集計から除外）", f.file,
                         "controlNumber"));
      continue;
    }
    if (f.role != Role::Application) {
      later.push_back(&f);
      continue;
    }
    auto [it, fresh] = by_number.try_emplace(f.control_number);
    if (!fresh) {
      out.push_back(note(Severity::Error, "report.duplicate",
                         "管理番号 " + f.control_number +
                             " has a second course application (first: " +
                             it->second.application->file + "); this one is left out",
                         "管理番号 " + f.control_number + " の受講申込書が重複しています（先の " +
                             it->second.application->file + " を使用、これは除外）",
                         f.file, "controlNumber"));
      continue;
    }
    it->second.control_number = f.control_number;
    it->second.application = &f;
  }
  for (const FormDoc* f : later) {
    const std::string ja = form_name_ja(f->role), en = form_name_en(f->role);
    auto it = by_number.find(f->control_number);
    if (it == by_number.end()) {
      out.push_back(
          note(Severity::Warning, "report.unlinked",
               "no course application has 管理番号 " + f->control_number + "; this " + en +
                   " is left out",
               "管理番号 " + f->control_number + " の受講申込書がないため、この" + ja + "は除外",
               f->file, "controlNumber"));
      continue;
    }
    LinkedTrainee& t = it->second;
    if (f->role == Role::Support) {
      if (t.support) {
        out.push_back(
            note(Severity::Error, "report.duplicate",
                 "管理番号 " + f->control_number + " has a second intake support record (first: " +
                     t.support->file + "); this one is left out",
                 "管理番号 " + f->control_number + " の導入支援票が重複しています（先の " +
                     t.support->file + " を使用、これは除外）",
                 f->file, "controlNumber"));
        continue;
      }
      t.support = f;
    } else {
      t.checks.push_back(f);
    }
  }
  std::vector<LinkedTrainee> trainees;
  const Source& application = list.source(Role::Application);
  const Source& support = list.source(Role::Support);
  for (auto& [number, t] : by_number) {
    std::stable_sort(t.checks.begin(), t.checks.end(), [](const FormDoc* a, const FormDoc* b) {
      return a->check_date < b->check_date;
    });
    for (size_t i = 1; i < t.checks.size(); ++i) {
      if (t.checks[i]->check_date == t.checks[i - 1]->check_date) {
        out.push_back(note(
            Severity::Warning, "report.duplicate-check",
            "管理番号 " + number + " has two employment status checks of the same date (other: " +
                t.checks[i - 1]->file + ")",
            "管理番号 " + number + " の雇用状況確認事項に同じ確認日のものが2件あります（他方: " +
                t.checks[i - 1]->file + "）",
            t.checks[i]->file, "checkDate"));
      }
    }
    if (!t.support) {
      out.push_back(
          note(Severity::Warning, "report.no-support-record",
               "管理番号 " + number + " has no intake support record: listed, not counted",
               "管理番号 " + number + " の導入支援票がありません（一覧表に記載、実績の対象外）",
               t.application->file, "controlNumber"));
    }
    // course members must be registered job seekers (seed 002 III 4(4)①ア).
    const bool in_course = t.support && (!support.value("course-number", *t.support->ctx).empty() ||
                                         !support.value("course-start", *t.support->ctx).empty());
    if (in_course && application.value("job-seeker-number", *t.application->ctx).empty()) {
      out.push_back(note(
          Severity::Error, "X-001",
          "管理番号 " + number +
              ": the intake support record shows a skills course, but the course application has "
              "no Hello Work card (course members must be registered job seekers)",
          "管理番号 " + number +
              "：導入支援票に技能講習の記載がありますが、受講申込書にハローワークカード（求職番号）"
              "が"
              "ありません（受講者はハローワークに求職登録した者に限る）",
          t.application->file, "helloWorkCard"));
    }
    trainees.push_back(std::move(t));
  }
  return trainees;
}

}  // namespace yoshiki::report
