// Unit tests of the 失業認定申告書 (form shitsugyo-nintei): its business rules
// SN-001 … SN-012 (their pass/fail sample pairs run in test_conformance.cpp),
// the top-level samples the issue asks for, and the dated parameters (a new value with a
// later effective date changes the outcome without any code change).
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <variant>

#include "layout/layout.h"
#include "layout/template.h"
#include "rules/rules.h"
#include "support.h"
#include "text/font.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace fs = std::filesystem;
using yoshiki::Diagnostic;
using yoshiki::Severity;
using yoshiki::ValidateOptions;
using yoshiki::ValidationResult;
namespace xml = yoshiki::xml;
namespace rules = yoshiki::rules;
using namespace yoshiki::test;

namespace {

const std::string kSnSamples = kRoot + "/samples/shitsugyo-nintei";

ValidateOptions today() {
  ValidateOptions o;
  o.today = "2026-01-01";
  return o;
}

// Rule ids reported at `severities` (codes of the rules, not "normalized").
std::set<std::string> codes(const std::vector<Diagnostic>& ds, std::set<Severity> severities) {
  std::set<std::string> out;
  for (const auto& d : ds)
    if (severities.count(d.severity) && d.code.starts_with("SN-")) out.insert(d.code);
  return out;
}
std::set<std::string> ew(const ValidationResult& r) {
  return codes(r.diagnostics, {Severity::Error, Severity::Warning});
}

const xml::Schema& rules_schema() {
  static const xml::Schema s(kRoot + "/schemas/rules.xsd");
  return s;
}

// The real rule file copied into `dir` with `value` (a made-up, test-only
// <value> element) added after the text `after`: the data change a yearly
// revision makes, and nothing else.
rules::RuleSet rules_with_value(const TempDir& dir, const std::string& after,
                                const std::string& value) {
  fs::create_directories(dir.path / "codes");
  for (const char* f : {"sn-activity-counting.csv", "sn-activity-not-counting.csv"})
    fs::copy_file(kRoot + "/schemas/codes/" + f, dir.path / "codes" / f);
  std::string rules_xml = slurp(kRoot + "/schemas/shitsugyo-nintei.rules.xml");
  const auto at = rules_xml.find(after);
  REQUIRE(at != std::string::npos);
  rules_xml.insert(at + after.size(), "\n    " + value);
  return rules::RuleSet(dir.write("shitsugyo-nintei.rules.xml", rules_xml), rules_schema());
}

// A second min-daily-wage value, 2,900円 from 2024-08-01.
rules::RuleSet rules_with_new_wage(const TempDir& dir) {
  return rules_with_value(dir, "2,746円)\">2746</value>",
                          "<value from=\"2024-08-01\" source=\"test\">2900</value>");
}

}  // namespace

// SN-001, SN-008, SN-009 and SN-010 have error and warning checks; the
// conformance runner (test_conformance.cpp) accepts either, this says which
// each fail sample shows.
TEST_CASE("shitsugyo: the fail samples of rules with two severities", "[shitsugyo][samples]") {
  const std::map<std::string, Severity> cases = {{"SN-001", Severity::Warning},
                                                 {"SN-008", Severity::Error},
                                                 {"SN-009", Severity::Error},
                                                 {"SN-010", Severity::Error}};
  for (const auto& [id, severity] : cases) {
    ValidationResult r = engine().validate(kSnSamples + "/rules/" + id + "-fail.xml", today());
    INFO(id << "\n" << all(r.diagnostics));
    CHECK(r.valid == (severity != Severity::Error));
    CHECK(codes(r.diagnostics, {severity}) == std::set<std::string>{id});
  }
}

TEST_CASE("shitsugyo: the top-level samples are valid, with the findings each one is about",
          "[shitsugyo][rules][samples]") {
  struct Case {
    const char* file;
    std::set<std::string> warnings;
  };
  const Case cases[] = {
      {"first.xml", {}},          // one activity (the 受給者説明会) is enough the first time
      {"regular.xml", {}},        // three qualifying activities, two needed
      {"few-days-left.xml", {}},  // no activity needed with 5 days left
      {"career-bank.xml", {"SN-007"}},  // the in-work support does not count; the career bank does
      {"earlier-income.xml", {"SN-008"}},  // 4 イ: no benefit; income for earlier work is no SN-011
  };
  REQUIRE(xml_files(kSnSamples).size() == std::size(cases));
  for (const auto& c : cases) {
    ValidationResult r = engine().validate(kSnSamples + "/" + c.file, today());
    INFO(c.file << "\n" << all(r.diagnostics));
    CHECK(r.valid);
    CHECK(ew(r) == c.warnings);
  }
}

TEST_CASE("shitsugyo: SN-004 counts only qualifying activities against what the period needs",
          "[shitsugyo][rules]") {
  auto validate = [](const std::string& xml) { return engine().validate(xml, "mem.xml", today()); };
  // The 受給者説明会 (kind 7) is the one activity of a first period, and counts for nothing later.
  std::string first = slurp(kSnSamples + "/first.xml");
  CHECK(ew(validate(first)).empty());
  std::string later = first;
  later.replace(later.find("<first>true</first>"), 19, "<first>false</first>");
  auto r = validate(later);
  INFO(all(r.diagnostics));
  CHECK(ew(r) ==
        std::set<std::string>{"SN-001", "SN-004", "SN-006"});  // 35 days; not counted; 0 of 2
  for (const auto& d : r.diagnostics)
    if (d.code == "SN-004")
      CHECK_THAT(d.message_ja, Catch::Contains("必要な回数：2回") && Catch::Contains("先送り"));
  // The キャリア人材バンク counts at 62, not at 58.
  std::string career = slurp(kSnSamples + "/career-bank.xml");
  CHECK(ew(validate(career)) == std::set<std::string>{"SN-007"});  // kind 21 only
  std::string young = career;
  young.replace(young.find("1962-03-10"), 10, "1966-03-10");
  CHECK(ew(validate(young)) == std::set<std::string>{"SN-004", "SN-007"});  // 1 of 2 left
}

TEST_CASE("shitsugyo: the real rule file holds SN-001 … SN-012", "[shitsugyo][rules]") {
  rules::RuleSet rs(kRoot + "/schemas/shitsugyo-nintei.rules.xml", rules_schema());
  CHECK(rs.form() == "shitsugyo-nintei");
  std::set<std::string> ids;
  for (const auto& r : rs.rules()) ids.insert(r.id);
  CHECK(ids.size() == 12);
  CHECK(*ids.begin() == "SN-001");
  CHECK(*ids.rbegin() == "SN-012");
}

TEST_CASE("shitsugyo: a new minimum daily wage is one <value from=…> in the rules data",
          "[shitsugyo][rules][param]") {
  // A day of 5 hours paid 2,800円 is ○ under 2,746円 and × under 2,900円.
  TempDir dir;
  const rules::RuleSet changed = rules_with_new_wage(dir);
  rules::RuleSet real(kRoot + "/schemas/shitsugyo-nintei.rules.xml", rules_schema());

  // regular.xml moved to the period [start, certification day) with one day
  // of 5 hours at 2,800円 and one day of side income: SN-011 warns when that
  // day is ○ (income with no × day).
  auto with_day = [](const std::string& start, const std::string& cert, const std::string& day) {
    std::string s = slurp(kSnSamples + "/regular.xml");
    auto swap = [&](const std::string& a, const std::string& b) {
      s.replace(s.find(a), a.size(), b);
    };
    swap("<start>2024-05-07</start>", "<start>" + start + "</start>");
    swap("<certificationDate>2024-06-04</certificationDate>",
         "<certificationDate>" + cert + "</certificationDate>");
    const auto from = s.find("    <day>");
    const auto to = s.rfind("</day>") + 7;
    s.replace(from, to - from,
              "    <day><date>" + day + "</date><hours>5</hours><pay>2800</pay></day>\n");
    swap("<days>2</days>", "<days>1</days>");
    return xml::parse(s, "day.xml");
  };
  auto sn011 = [](const rules::RuleSet& rs, xmlDoc* doc) {
    int n = 0;
    for (const auto& d : rs.evaluate(doc, "day.xml", date("2026-01-01"))) n += d.code == "SN-011";
    return n;
  };
  auto may = with_day("2024-05-07", "2024-06-04", "2024-05-20");
  CHECK(sn011(real, may.get()) == 1);     // 2,800 ≥ 2,746: ○
  CHECK(sn011(changed, may.get()) == 1);  // the new value is not in force yet
  auto august = with_day("2024-08-05", "2024-09-02", "2024-08-10");
  CHECK(sn011(real, august.get()) == 1);     // still 2,746 in the real data: ○
  CHECK(sn011(changed, august.get()) == 0);  // 2,900 from 2024-08-01: ×, the income has its day
}

// ---- the calendar of item 1 (layout, internal) ---------------------------------------

namespace {

// The laid-out (fillable) form for `xml` (empty = blank form), with the y:
// functions of `rs`.
yoshiki::layout::LaidOutDocument laid_out(const rules::RuleSet& rs, const std::string& xml,
                                          std::vector<Diagnostic>* problems_out = nullptr) {
  static const yoshiki::text::FontSet fonts(kRoot + "/fonts/fonts.xml");
  static const auto tschema_owner =
      yoshiki::layout::template_schema(kRoot + "/schemas/template.xsd");
  static const xml::Schema& tschema = *tschema_owner;
  const auto tmpl = yoshiki::layout::load_template(kRoot + "/templates/shitsugyo-nintei.xml",
                                                   tschema, &rs.functions());
  xml::Doc doc;
  if (!xml.empty()) doc = xml::parse(xml, "data.xml");
  const yoshiki::Settings settings;
  yoshiki::layout::LayoutInput in{&tmpl, doc.get(), &settings, &fonts, true, &rs.functions()};
  std::vector<Diagnostic> problems;
  auto laid = yoshiki::layout::lay_out(in, problems);
  if (problems_out)
    *problems_out = problems;
  else
    CHECK(problems.empty());
  return laid;
}

// Calendar cell field → value of the laid-out form for `xml`.
std::map<std::string, std::string> calendar_cells(const rules::RuleSet& rs, const std::string& xml,
                                                  std::vector<Diagnostic>* problems_out = nullptr) {
  const auto laid = laid_out(rs, xml, problems_out);
  std::map<std::string, std::string> cells;
  for (const auto& page : laid.pages)
    for (const auto& f : page.fields)
      if (f.name.starts_with("work/day#")) cells[f.name] = f.value;
  return cells;
}

const rules::RuleSet& real_rules() {
  static const rules::RuleSet rs(kRoot + "/schemas/shitsugyo-nintei.rules.xml", rules_schema());
  return rs;
}

}  // namespace

TEST_CASE("shitsugyo: the calendar marks each day worked in its cell by the 4-hour and wage rules",
          "[shitsugyo][calendar]") {
  // regular.xml: 2024-05-07 (Tue) … 2024-06-03; the grid starts on Sunday 5 May (cell 1).
  const auto cells = calendar_cells(real_rules(), slurp(kSnSamples + "/regular.xml"));
  // Cells 3 (5/7) … 30 (6/3) are the period's 28 days; the others are struck through, no field.
  CHECK(cells.size() == 28);
  CHECK(cells.count("work/day#2") == 0);
  CHECK(cells.count("work/day#3") == 1);
  CHECK(cells.count("work/day#30") == 1);
  CHECK(cells.count("work/day#31") == 0);
  std::map<std::string, std::string> marked;
  for (const auto& [name, v] : cells)
    if (!v.empty()) marked[name] = v;
  CHECK(marked == std::map<std::string, std::string>{
                      {"work/day#6", "×"},   // 5/10: 3 hours
                      {"work/day#13", "○"},  // 5/17: 5 hours, 8,000円
                      {"work/day#20", "○"},  // 5/24: 6 hours unpaid (volunteering)
                      {"work/day#21", "×"},  // 5/25: 5 hours but 2,500円 < 2,746円
                  });
}

TEST_CASE("shitsugyo: a blank calendar has a typable cell for every day of six weeks",
          "[shitsugyo][calendar]") {
  const auto cells = calendar_cells(real_rules(), "");
  CHECK(cells.size() == 42);
  for (const auto& [name, v] : cells) CHECK(v.empty());
}

TEST_CASE("shitsugyo: an explicit mark wins, and a period longer than the grid is reported",
          "[shitsugyo][calendar]") {
  std::string s = slurp(kSnSamples + "/regular.xml");
  s.replace(s.find("<hours>3</hours><pay>3000</pay>"), 31,
            "<hours>3</hours><pay>3000</pay><mark>○</mark>");
  CHECK(calendar_cells(real_rules(), s).at("work/day#6") == "○");
  s.replace(s.find("<start>2024-05-07</start>"), 25, "<start>2024-03-01</start>");
  std::vector<Diagnostic> problems;
  calendar_cells(real_rules(), s, &problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].code == "layout.overflow");
  CHECK(problems[0].field == "work/day");
  CHECK_THAT(problems[0].message, Catch::Contains("needs 15 weeks"));
}

TEST_CASE("shitsugyo: the calendar follows a new minimum daily wage added to the rules data",
          "[shitsugyo][calendar][param]") {
  TempDir dir;
  const rules::RuleSet changed = rules_with_new_wage(dir);
  // A period from Monday 5 August 2024; Saturday 10 August (cell 7): 5 hours at 2,800円.
  std::string s = slurp(kSnSamples + "/regular.xml");
  s.replace(s.find("<start>2024-05-07</start>"), 25, "<start>2024-08-05</start>");
  s.replace(s.find("<certificationDate>2024-06-04</certificationDate>"), 49,
            "<certificationDate>2024-09-02</certificationDate>");
  const auto from = s.find("    <day>");
  const auto to = s.rfind("</day>") + 7;
  s.replace(from, to - from,
            "    <day><date>2024-08-10</date><hours>5</hours><pay>2800</pay></day>\n");
  CHECK(calendar_cells(real_rules(), s).at("work/day#7") == "○");
  CHECK(calendar_cells(changed, s).at("work/day#7") == "×");
}

// ---- parameters: printed from the table, missing or due for review (#15 items 4, 5) ----------

namespace {

// The text page `page` (0-based) prints, glyph by glyph.
std::string page_text(const yoshiki::layout::LaidOutDocument& d, size_t page) {
  REQUIRE(d.pages.size() > page);
  std::string out;
  for (const auto& op : d.pages[page].ops)
    if (const auto* t = std::get_if<yoshiki::layout::TextOp>(&op))
      for (const auto& g : t->run.glyphs) out += g.text;
  return out;
}

// regular.xml moved to [start, certification day).
std::string regular_moved(const std::string& start, const std::string& cert) {
  std::string s = slurp(kSnSamples + "/regular.xml");
  auto swap = [&](const std::string& a, const std::string& b) {
    const auto at = s.find(a);
    REQUIRE(at != std::string::npos);
    s.replace(at, a.size(), b);
  };
  swap("<start>2024-05-07</start>", "<start>" + start + "</start>");
  swap("<certificationDate>2024-06-04</certificationDate>",
       "<certificationDate>" + cert + "</certificationDate>");
  swap("<submissionDate>2024-06-04</submissionDate>",
       "<submissionDate>" + cert + "</submissionDate>");
  return s;
}

// What page 2 prints between `before` and the next `after`.
std::string printed_between(const rules::RuleSet& rs, const std::string& xml,
                            const std::string& before, const std::string& after) {
  const std::string text = page_text(laid_out(rs, xml), 1);
  const auto at = text.find(before);
  REQUIRE(at != std::string::npos);
  return text.substr(at + before.size(), text.find(after, at) - at - before.size());
}

}  // namespace

TEST_CASE("shitsugyo: page 2 prints the minimum daily wage and its date from the parameter table",
          "[shitsugyo][param][print]") {
  auto printed = [&](const rules::RuleSet& rs, const std::string& xml) {
    return printed_between(rs, xml, "賃金日額の最低額（", "。");
  };
  TempDir dir;
  const rules::RuleSet changed = rules_with_new_wage(dir);  // + 2,900円 from 2024-08-01
  CHECK(printed(real_rules(), slurp(kSnSamples + "/regular.xml")) == "令和6年4月現在2,746円");
  CHECK(printed(real_rules(), "") == "令和6年4月現在2,746円");  // blank: the latest value
  CHECK(printed(changed, slurp(kSnSamples + "/regular.xml")) == "令和6年4月現在2,746円");
  CHECK(printed(changed, regular_moved("2024-08-05", "2024-09-02")) == "令和6年8月現在2,900円");
  CHECK(printed(changed, "") == "令和6年8月現在2,900円");
}

TEST_CASE("shitsugyo: a rule asking for a parameter before its first value is an error naming it",
          "[shitsugyo][param]") {
  // Every parameter starts 2024-04-01: a period certified on 2024-03-26 has none.
  const auto r = engine().validate(regular_moved("2024-02-27", "2024-03-26"), "early.xml", today());
  INFO(all(r.diagnostics));
  CHECK_FALSE(r.valid);
  std::vector<const Diagnostic*> missing;
  for (const auto& d : r.diagnostics)
    if (d.code == "rules.parameter") missing.push_back(&d);
  // SN-004 (activities-needed on the certification day) and SN-011 (the days' hours and wage)
  // are not checked; no SN-004 with an empty 「必要な回数：回」.
  CHECK(ew(r).count("SN-004") == 0);
  REQUIRE_FALSE(missing.empty());
  const Diagnostic* sn004 = nullptr;
  for (const auto* d : missing) {
    CHECK(d->severity == Severity::Error);
    if (d->message.starts_with("rule SN-004 ")) sn004 = d;
  }
  REQUIRE(sn004 != nullptr);
  CHECK(sn004->field == "/unemploymentCertification");
  CHECK_THAT(sn004->message,
             Catch::Contains("parameter 'activities-needed' has no value for 2024-03-26 (its first "
                             "value is from 2024-04-01)"));
  // regular.xml gives remainingDays: few-days-left is asked for first.
  CHECK_THAT(sn004->message_ja,
             Catch::StartsWith("ルールSN-004を確認できません：パラメータ「few-days-left」に"
                               "2024-03-26時点の値がありません（最初の値は2024-04-01から）、"
                               "パラメータ「activities-needed」に2024-03-26時点の値がありません"));
  for (const auto& d : r.diagnostics) CHECK(d.message_ja.find("回数：回") == std::string::npos);
  // The same period from 2024-04-01 on has its values: no such error.
  const auto ok = engine().validate(regular_moved("2024-04-02", "2024-04-30"), "ok.xml", today());
  for (const auto& d : ok.diagnostics) CHECK(d.code != "rules.parameter");
}

TEST_CASE("shitsugyo: a parameter used on or after its review-by date is a warning to check it",
          "[shitsugyo][param]") {
  // min-daily-wage 2,746円 (from 2024-04-01) is to be reviewed by 2024-08-01 (yearly revision).
  auto review = [](const ValidationResult& r) {
    std::vector<const Diagnostic*> out;
    for (const auto& d : r.diagnostics)
      if (d.code == "rules.parameter-review") out.push_back(&d);
    return out;
  };
  const auto before =
      engine().validate(regular_moved("2024-07-01", "2024-07-29"), "july.xml", today());
  CHECK(review(before).empty());
  // A side-income period whose days are judged on 2024-08-10: the value is due for review.
  std::string s = regular_moved("2024-08-05", "2024-09-02");
  const auto from = s.find("    <day>");
  const auto to = s.rfind("</day>") + 7;
  s.replace(from, to - from,
            "    <day><date>2024-08-10</date><hours>5</hours><pay>2800</pay></day>\n");
  const auto r = engine().validate(s, "august.xml", today());
  INFO(all(r.diagnostics));
  const auto found = review(r);
  REQUIRE(found.size() == 1);  // once per document and value
  CHECK(found[0]->severity == Severity::Warning);
  CHECK_THAT(found[0]->message,
             Catch::StartsWith("parameter 'min-daily-wage' = 2746 from 2024-04-01 (seed 004 "
                               "(2024年4月現在は2,746円)) was to be reviewed by 2024-08-01 and is "
                               "used for 2024-08-10: check for a newer value"));
  CHECK_THAT(found[0]->message_ja, Catch::Contains("新しい値がないか確認"));
}

TEST_CASE("shitsugyo: SN-010 asks for the full name, not for a space in it (seed 004)",
          "[shitsugyo][rules][SN-010]") {
  const std::string regular = slurp(kSnSamples + "/rules/SN-010-pass.xml");
  for (const auto& [name, fails] : std::vector<std::pair<std::string, bool>>{
           {"鈴木一郎", false},
           {"鈴木　一郎", false},
           {"鈴木 一郎", false},
           {"　　", true},
           {" 　 ", true},
       }) {
    INFO(name);
    std::string s = regular;
    s.replace(s.find("<name>鈴木　一郎</name>"), std::string("<name>鈴木　一郎</name>").size(),
              "<name>" + name + "</name>");
    const auto r = engine().validate(s, "name.xml", today());
    INFO(all(r.diagnostics));
    CHECK(ew(r) == (fails ? std::set<std::string>{"SN-010"} : std::set<std::string>{}));
  }
}

// SN-002 names the item whose date lies outside the period (#15 item 8):
// each of the four items, inside (pass) and on the certification day (fail).
TEST_CASE("shitsugyo: SN-002 says which item's date lies outside the period",
          "[shitsugyo][rules][SN-002]") {
  struct Case {
    std::string from, to, field, ja;
  };
  const std::string tail = "が認定期間（前回認定日から今回認定日の前日まで）の外にあります。";
  const std::vector<Case> cases = {
      {"<day><date>2024-05-17</date>", "<day><date>2024-06-04</date>",
       "/unemploymentCertification/work/day[2]/date", "1のカレンダーの働いた日（2件目）" + tail},
      {"<date>2024-05-20</date>", "<date>2024-05-06</date>",
       "/unemploymentCertification/jobSearch/activity[2]/date",
       "3(1)の求職活動の活動日（2行目）" + tail},
      {"<date>2024-05-22</date>", "<date>2024-06-04</date>",
       "/unemploymentCertification/jobSearch/application/date", "3(2)の応募日（1行目）" + tail},
      {"<payDate>2024-05-31</payDate>", "<payDate>2024-06-05</payDate>",
       "/unemploymentCertification/sideIncome/payment/payDate",
       "2の収入のあった日（1行目）" + tail},
  };
  const std::string regular = slurp(kSnSamples + "/regular.xml");
  CHECK(ew(engine().validate(regular, "in.xml", today())).empty());  // every date inside: pass
  for (const auto& c : cases) {
    INFO(c.field);
    std::string s = regular;
    s.replace(s.find(c.from), c.from.size(), c.to);
    const auto r = engine().validate(s, "out.xml", today());
    INFO(all(r.diagnostics));
    std::vector<const Diagnostic*> sn002;
    for (const auto& d : r.diagnostics)
      if (d.code == "SN-002") sn002.push_back(&d);
    REQUIRE(sn002.size() == 1);
    CHECK(sn002[0]->field == c.field);
    CHECK(sn002[0]->message_ja == c.ja);
  }
}

TEST_CASE("shitsugyo: a day worked before the parameters' first value is an error, not a silent ×",
          "[shitsugyo][param]") {
  // A period in March 2024 (every parameter starts 2024-04-01) with one day of 5 hours.
  std::string s = regular_moved("2024-03-01", "2024-03-29");
  const auto from = s.find("    <day>");
  const auto to = s.rfind("</day>") + 7;
  s.replace(from, to - from, "    <day><date>2024-03-08</date><hours>5</hours></day>\n");
  const auto r = engine().validate(s, "march.xml", today());
  INFO(all(r.diagnostics));
  std::vector<const Diagnostic*> sn003;
  for (const auto& d : r.diagnostics)
    if (d.code == "rules.parameter" && d.message.starts_with("rule SN-003 ")) sn003.push_back(&d);
  REQUIRE(sn003.size() == 1);
  CHECK(sn003[0]->field == "/unemploymentCertification/work/day");
  CHECK(sn003[0]->message ==
        "rule SN-003 could not be checked: parameter 'full-day-hours' has no value for 2024-03-08 "
        "(its first value is from 2024-04-01); parameter 'min-daily-wage' has no value for "
        "2024-03-08 (its first value is from 2024-04-01); add the value in force on that date to " +
            kRoot + "/schemas/shitsugyo-nintei.rules.xml");
  // The same day with an explicit mark needs no parameter.
  std::string marked = s;
  marked.replace(marked.find("<hours>5</hours>"), 16, "<hours>5</hours><mark>○</mark>");
  for (const auto& d : engine().validate(marked, "marked.xml", today()).diagnostics)
    CHECK_FALSE((d.code == "rules.parameter" && d.message.starts_with("rule SN-003 ")));
}

// #15 item 10 (labels): page 2's list of activity kinds prints each code with the label of
// its code table, one per line; page 1's 3イ asks for the reason in the official words.
TEST_CASE("shitsugyo: page 2 prints every activity kind as its code table says",
          "[shitsugyo][print]") {
  const auto laid = laid_out(real_rules(), slurp(kSnSamples + "/regular.xml"));
  const std::string page2 = page_text(laid, 1);
  int labels = 0;
  for (const char* table : {"sn-activity-counting.csv", "sn-activity-not-counting.csv"}) {
    std::istringstream csv(slurp(kRoot + "/schemas/codes/" + table));
    std::string line;
    std::getline(csv, line);  // header
    while (std::getline(csv, line)) {
      const auto comma = line.find(',');
      const std::string code = line.substr(0, comma);
      const std::string label = line.substr(comma + 1, line.rfind(',') - comma - 1);
      INFO(code << " " << label);
      CHECK(page2.find(code + "　" + label) != std::string::npos);
      ++labels;
    }
  }
  CHECK(labels == 18);
  // 17 and 18 are separate lines: no text op holds both.
  for (const auto& op : laid.pages[1].ops)
    if (const auto* t = std::get_if<yoshiki::layout::TextOp>(&op)) {
      std::string line;
      for (const auto& g : t->run.glyphs) line += g.text;
      CHECK_FALSE(
          (line.find("17　") != std::string::npos && line.find("18　") != std::string::npos));
    }
  CHECK(page_text(laid, 0).find("その理由を具体的に") != std::string::npos);
}

// Every printed value of a parameter comes from the table (#15): the activities needed
// per period, the hours of a full day and the remaining days of the exemption.
TEST_CASE("shitsugyo: the notes print the activities needed and the hours from the table",
          "[shitsugyo][param][print]") {
  TempDir dir;
  const rules::RuleSet changed = rules_with_value(
      dir, "seed 004 (原則2回以上)\">2</value>",
      "<value from=\"2024-08-01\" source=\"test\">3</value>");  // made up: 3 from August
  const std::string may = slurp(kSnSamples + "/regular.xml");
  const std::string september = regular_moved("2024-08-05", "2024-09-02");
  auto needed = [&](const rules::RuleSet& rs, const std::string& xml) {
    return printed_between(rs, xml, "認定期間ごとに", "必要です");
  };
  CHECK(needed(real_rules(), may) ==
        "2回以上（初回は1回以上。雇用保険受給者説明会への出席は初回の1回に数えます）");
  CHECK(needed(changed, may).starts_with("2回以上"));
  CHECK(needed(changed, september).starts_with("3回以上"));
  CHECK(needed(changed, "").starts_with("3回以上"));  // blank: the latest value
  const std::string page2 = page_text(laid_out(real_rules(), may), 1);
  CHECK(page2.find("1日4時間以上働いた日（就職・就労）は○印、4時間未満の日") != std::string::npos);
  CHECK(page2.find("支給残日数が7日未満のときは不要です") != std::string::npos);
  CHECK(page_text(laid_out(real_rules(), may), 0).find("（1日4時間以上）") != std::string::npos);
}

namespace {

// regular.xml (period 2024-05-07 … 2024-06-03) with `n` worked days from its start.
std::string worked_every_day(int n) {
  std::string s = slurp(kSnSamples + "/regular.xml");
  const auto from = s.find("    <day>"), to = s.find("  </work>");
  std::string days;
  for (int i = 0; i < n; ++i) {
    const yoshiki::text::CivilDate d = 7 + i <= 31 ? yoshiki::text::CivilDate{2024, 5, 7 + i}
                                                   : yoshiki::text::CivilDate{2024, 6, i - 24};
    days += "    <day><date>" + yoshiki::text::format_iso_date(d) + "</date><hours>" +
            std::to_string(1 + i % 3) + "</hours><pay>" + std::to_string(1000 + i) +
            "</pay></day>\n";
  }
  return s.replace(from, to - from, days);
}

}  // namespace

TEST_CASE("shitsugyo: a 28-day period worked every day fits the record and reads back whole",
          "[shitsugyo][render][pdf]") {
  const std::string xml = worked_every_day(28);
  REQUIRE(engine().validate(std::string_view(xml), "every-day.xml", today()).valid);
  yoshiki::RenderOptions fillable;
  fillable.output = yoshiki::RenderOptions::Output::Fillable;
  fillable.creation_date = "2024-06-04T00:00:00Z";
  const auto pdf =
      engine().render("shitsugyo-nintei", engine().load_data(xml, "every-day.xml"), fillable);
  const auto back = engine().extract(
      std::string_view(reinterpret_cast<const char*>(pdf.data()), pdf.size()), "every-day.pdf");
  // Every day with its hours and pay, the last one included.
  std::size_t days = 0;
  for (auto at = back.xml.find("<day>"); at != std::string::npos;
       at = back.xml.find("<day>", at + 1))
    ++days;
  CHECK(days == 28);
  CHECK(back.xml.find("<date>2024-06-03</date>\n      <hours>1</hours>\n      <pay>1027</pay>") !=
        std::string::npos);
  // More rows than page 2 holds (30) is an XSD error naming the element.
  const auto over = engine().validate(std::string_view(worked_every_day(31)), "over.xml", today());
  CHECK_FALSE(over.valid);
  REQUIRE(over.diagnostics.size() == 1);
  CHECK(over.diagnostics[0].code == "xsd");
  CHECK(over.diagnostics[0].field == "/unemploymentCertification/work/day[31]");
}
