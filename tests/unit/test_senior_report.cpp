// yoshiki::senior_report over samples/senior-program (eleven trainees whose
// expected count the samples' README gives), and over altered copies: the
// status known on the report date, the 3-month snapshot, linking problems
// (duplicate and unlinked 管理番号, a form without one, X-001), files that
// are not report forms, and the redacted list.
#include <filesystem>
#include <map>
#include <set>

#include "support.h"
#include "yoshiki/senior_work.h"

using namespace yoshiki;

namespace {

const std::string kSeniorSamples = test::kRoot + "/samples/senior-program";

std::vector<std::string> sample_files() { return test::xml_files(kSeniorSamples); }

SeniorReport run(const std::vector<std::string>& files, const std::string& as_of,
                 bool redact = false) {
  SeniorReportOptions options;
  options.as_of = as_of;
  options.redact = redact;
  return senior_report(test::engine(), files, options);
}

const TraineeOutcome& trainee(const SeniorReport& r, const std::string& number) {
  for (const auto& t : r.trainees)
    if (t.control_number == number) return t;
  FAIL("no trainee " << number);
  throw;
}

std::vector<const Diagnostic*> with_code(const SeniorReport& r, const std::string& code) {
  std::vector<const Diagnostic*> out;
  for (const auto& d : r.diagnostics)
    if (d.code == code) out.push_back(&d);
  return out;
}

// The samples copied into `dir` (file name → text), minus `skip`, plus `extra`.
std::vector<std::string> copy_samples(const test::TempDir& dir,
                                      const std::map<std::string, std::string>& extra = {},
                                      const std::string& skip = "") {
  std::vector<std::string> files;
  for (const auto& f : sample_files()) {
    const std::string name = std::filesystem::path(f).filename().string();
    if (name == skip || extra.count(name)) continue;
    files.push_back(dir.write(name, test::slurp(f)));
  }
  for (const auto& [name, text] : extra) files.push_back(dir.write(name, text));
  std::sort(files.begin(), files.end());
  return files;
}

std::string sample(const std::string& name) { return test::slurp(kSeniorSamples + "/" + name); }

// The cell of column `id` in row `row`.
std::string cell(const ReportTable& t, size_t row, const std::string& id) {
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].id == id) return t.rows.at(row).at(i);
  FAIL("no column " << id);
  return "";
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  s.replace(at, from.size(), to);
  return s;
}

}  // namespace

TEST_CASE("senior report: the samples' count, rate and aggregates") {
  auto r = run(sample_files(), "2025-03-31");
  INFO(test::all(r.diagnostics));
  CHECK(r.diagnostics.empty());
  CHECK(r.as_of == "2025-03-31");
  REQUIRE(r.trainees.size() == 11);
  // Expected: samples/senior-program/README.md.
  const std::vector<std::tuple<std::string, bool, std::string, std::string, std::string>> expected =
      {
          {"2024-0101", true, "-", "A", "CNT-001"},  {"2024-0102", true, "A", "A", "CNT-002"},
          {"2024-0103", false, "A", "A", "CNT-002"}, {"2024-0104", true, "B", "B", "CNT-002"},
          {"2024-0105", false, "D", "C", "CNT-002"}, {"2024-0106", true, "F", "F", "CNT-002"},
          {"2024-0107", false, "-", "E", "CNT-003"}, {"2024-0108", false, "-", "-", "CNT-001"},
          {"2024-0109", false, "-", "E", "CNT-004"}, {"2024-0110", true, "E", "F", "CNT-001"},
          {"2024-0111", true, "-", "C", "CNT-001"},
      };
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& [number, counted, before, after, rule] = expected[i];
    const auto& t = r.trainees[i];
    INFO(number);
    CHECK(t.control_number == number);
    CHECK(t.course_ended);
    CHECK(t.counted == counted);
    CHECK(t.before == before);
    CHECK(t.after == after);
    CHECK(t.rule == rule);
  }
  CHECK_FALSE(trainee(r, "2024-0109").completer);
  CHECK(r.starters == 11);
  CHECK(r.completers == 10);
  CHECK(r.dropouts == 1);
  CHECK(r.counted == 6);
  CHECK(r.employment_rate == Approx(60.0));

  REQUIRE(r.aggregates.size() == 4);
  const ReportTable& by_course = r.aggregates[0];
  CHECK(by_course.title == "講習別・就業形態別雇用者数（2025-03-31現在）");
  REQUIRE(by_course.rows.size() == 3);
  // 講習番号, 講習名, 開始, 修了, 途中修了, 常用, うちパート, 臨時, うちパート, 日雇, 就業, 自営,
  // 計, 就職率
  CHECK(by_course.rows[0] == std::vector<std::string>{"13011", "調理スタッフ", "3", "3", "0", "0",
                                                      "0", "0", "0", "0", "0", "2", "2", "66.7"});
  CHECK(by_course.rows[1] == std::vector<std::string>{"13015", "マンション管理員養成", "5", "4",
                                                      "1", "1", "0", "0", "0", "1", "0", "0", "2",
                                                      "50.0"});
  CHECK(by_course.rows[2] == std::vector<std::string>{"13019", "パソコン基礎", "3", "3", "0", "1",
                                                      "1", "1", "1", "0", "0", "0", "2", "66.7"});
  const ReportTable& by_age = r.aggregates[1];
  REQUIRE(by_age.rows.size() == 5);
  CHECK(by_age.rows[0].front() == "55～59歳");
  CHECK(by_age.rows[1] ==
        std::vector<std::string>{"60～64歳", "2", "1", "1", "1", "0", "0", "1", "4"});
  CHECK(r.aggregates[2].title ==
        "講習別・就業形態別雇用者数（講習修了後3ヶ月経過時点、2025-03-31現在）");
}

TEST_CASE("senior report: what is known on the report date decides the status after the course") {
  const std::vector<std::string> files = sample_files();
  // 2024-0101: course ended 2024-08-09; check of 08-30 not working; hired 09-17
  // (導入支援票 結果), confirmed by the check of 09-30.
  auto r = run(files, "2024-09-10");
  CHECK(trainee(r, "2024-0101").after == "-");
  CHECK_FALSE(trainee(r, "2024-0101").counted);
  r = run(files, "2024-09-20");
  CHECK(trainee(r, "2024-0101").after == "A");
  CHECK(trainee(r, "2024-0101").counted);
  // 2024-0106's course (調理スタッフ) ends 2024-11-01: not ended, not counted at all.
  r = run(files, "2024-10-31");
  CHECK_FALSE(trainee(r, "2024-0106").course_ended);
  CHECK(trainee(r, "2024-0106").rule.empty());
  CHECK(r.starters == 8);
}

TEST_CASE("senior report: the 3-month snapshot leaves out work begun later") {
  test::TempDir dir;
  // 2024-0108 (course ended 2024-09-27; not working on 12-20) is hired on 2025-01-10.
  std::string hired = sample("2024-0101-koyou-joukyou-2024-09-30.xml");
  hired = replaced(hired, "<controlNumber>2024-0101", "<controlNumber>2024-0108");
  hired = replaced(hired, "<checkDate>2024-09-30", "<checkDate>2025-01-20");
  hired = replaced(hired, "<previousCheckDate>2024-08-30", "<previousCheckDate>2024-12-20");
  hired = replaced(hired, "<courseEndDate>2024-08-09", "<courseEndDate>2024-09-27");
  hired = replaced(hired, "<hireDate>2024-09-17", "<hireDate>2025-01-10");
  auto files = copy_samples(dir, {{"2024-0108-koyou-joukyou-2025-01-20.xml", hired}});
  auto r = run(files, "2025-03-31");
  CHECK(trainee(r, "2024-0108").counted);
  CHECK(r.counted == 7);
  // 2024-0108 takes パソコン基礎 (13019): 3 counted now, 2 at the snapshot.
  CHECK(r.aggregates[0].rows[2][12] == "3");
  CHECK(r.aggregates[2].rows[2][12] == "2");
  // The list shows the period code: hired more than 3, less than 6 months after the course.
  CHECK(cell(r.list, 7, "control-number") == "2024-0108");
  CHECK(cell(r.list, 7, "period") == "2");
  CHECK(cell(r.list, 7, "after-date") == "2025-01-10");
  CHECK(cell(r.list, 7, "check-date") == "2025-01-20");
  CHECK(cell(r.list, 0, "period") == "1");
}

// Issue #15 item 1: a status the report cannot map to a 別添6 code is never
// counted as a guess. 2024-0103 (A 臨時 before, A 常用 at the same employer
// after: ×) without パートの別 used to read as 離職者 and count ○ (70%).
TEST_CASE("senior report: a status without a 別添6 code is a warning and no count",
          "[report][unmapped]") {
  test::TempDir dir;
  const std::string name = "2024-0103-jukou-moushikomi.xml";
  const std::string no_part_time = replaced(sample(name), "    <partTime>false</partTime>\n", "");
  auto r = run(copy_samples(dir, {{name, no_part_time}}), "2025-03-31");
  INFO(test::all(r.diagnostics));
  const auto unmapped = with_code(r, "report.unmapped-status");
  REQUIRE(unmapped.size() == 1);
  const Diagnostic& d = *unmapped.front();
  CHECK(d.severity == Severity::Warning);
  CHECK(d.file == dir.path.string() + "/" + name);
  CHECK(d.field == "statusBeforeCourse[situation = '2']/workType");
  CHECK(d.message_ja ==
        "管理番号 2024-0103：受講申込書の「受講前の雇用・就業状況」を別添6のコードにできません"
        "（常用・臨時のパートの別など、選択が不足）。実績カウントから除外します");
  CHECK_THAT(d.message,
             Catch::Contains("管理番号 2024-0103") && Catch::Contains("受講前の雇用・就業状況"));
  // JK-005 names the missing item on the form itself.
  const auto rules = with_code(r, "report.rules");
  REQUIRE(rules.size() == 1);
  CHECK_THAT(rules.front()->message, Catch::Contains("JK-005"));

  const auto& t = trainee(r, "2024-0103");
  CHECK(t.completer);
  CHECK_FALSE(t.counted);
  CHECK(t.rule.empty());
  CHECK(r.completers == 10);
  CHECK(r.counted == 6);
  CHECK(r.employment_rate == Approx(60.0));
  // The list leaves the count columns blank rather than guessing.
  CHECK(cell(r.list, 2, "control-number") == "2024-0103");
  CHECK(cell(r.list, 2, "counted") == "");
  CHECK(cell(r.list, 2, "count-before") == "");
}

TEST_CASE("senior report: a check whose status has no 別添6 code is not read as not working",
          "[report][unmapped]") {
  test::TempDir dir;
  // 2024-0101 (離職中 → A 常用, ○): the 導入支援票 結果 and the check both lose パートの別.
  const std::string check = "2024-0101-koyou-joukyou-2024-09-30.xml";
  const std::string support = "2024-0101-dounyu-shien.xml";
  auto r =
      run(copy_samples(
              dir, {{check, replaced(sample(check), "    <partTime>false</partTime>\n", "")},
                    {support, replaced(sample(support), "    <partTime>false</partTime>\n", "")}}),
          "2025-03-31");
  INFO(test::all(r.diagnostics));
  const auto unmapped = with_code(r, "report.unmapped-status");
  REQUIRE(unmapped.size() == 2);
  std::set<std::string> fields;
  for (const auto* d : unmapped) {
    fields.insert(d->field);
    CHECK_THAT(d->message_ja, Catch::StartsWith("管理番号 2024-0101："));
  }
  CHECK(fields == std::set<std::string>{"result/workType", "status[. != '4']"});
  CHECK_THAT(unmapped[0]->message_ja + unmapped[1]->message_ja,
             Catch::Contains("導入支援票の「結果」") &&
                 Catch::Contains("雇用状況確認事項の「現在の状況」"));
  const auto& t = trainee(r, "2024-0101");
  CHECK_FALSE(t.counted);
  CHECK(t.rule.empty());
  CHECK(r.counted == 5);
}

// Issue #15 item 6: KJ-004 across a trainee's checks. 2024-0108 (not employed) is
// checked on 10-25, 11-22 and 12-20: monthly. Without the 11-22 check, a month is skipped.
TEST_CASE("senior report: a skipped month of checks while not yet employed is KJ-004",
          "[report][KJ-004]") {
  test::TempDir dir;
  auto r = run(copy_samples(dir, {}, "2024-0108-koyou-joukyou-2024-11-22.xml"), "2025-03-31");
  INFO(test::all(r.diagnostics));
  const auto found = with_code(r, "KJ-004");
  REQUIRE(found.size() == 1);
  const std::string dec = dir.path.string() + "/2024-0108-koyou-joukyou-2024-12-20.xml";
  const std::string oct = dir.path.string() + "/2024-0108-koyou-joukyou-2024-10-25.xml";
  CHECK(found[0]->severity == Severity::Warning);
  CHECK(found[0]->file == dec);
  CHECK(found[0]->field == "checkDate");
  CHECK(found[0]->message_ja ==
        "管理番号 2024-0108：未就職の間の雇用状況確認事項（" + oct + " と " + dec +
            "）の間隔が1ヶ月を超えています（就職するまで最低でも1ヶ月ごとに確認）");
  // Monthly checks (the samples), and a gap after the person was employed, are no finding:
  // 2024-0101 is employed at its 09-30 check; another check half a year later is fine.
  CHECK(with_code(run(sample_files(), "2025-03-31"), "KJ-004").empty());
  std::string late = sample("2024-0101-koyou-joukyou-2024-09-30.xml");
  late = replaced(late, "<checkDate>2024-09-30", "<checkDate>2025-03-10");
  late = replaced(late, "<previousCheckDate>2024-08-30", "<previousCheckDate>2024-09-30");
  test::TempDir dir2;
  auto r2 =
      run(copy_samples(dir2, {{"2024-0101-koyou-joukyou-2025-03-10.xml", late}}), "2025-03-31");
  INFO(test::all(r2.diagnostics));
  CHECK(with_code(r2, "KJ-004").empty());
  CHECK(trainee(r2, "2024-0101").counted);
}

TEST_CASE("senior report: linking problems are reported with file and field, never values") {
  test::TempDir dir;
  std::string no_card = sample("2024-0102-jukou-moushikomi.xml");
  const auto from = no_card.find("<helloWorkCard>"), to = no_card.find("</helloWorkCard>");
  REQUIRE(from != std::string::npos);
  no_card.erase(from, to + std::string("</helloWorkCard>").size() - from);
  std::string no_number = replaced(sample("2024-0103-jukou-moushikomi.xml"),
                                   "<controlNumber>2024-0103</controlNumber>", "");
  std::string stray = replaced(sample("2024-0104-koyou-joukyou-2024-10-20.xml"),
                               "<controlNumber>2024-0104", "<controlNumber>2024-0999");
  std::string no_attended =
      replaced(sample("2024-0104-dounyu-shien.xml"), "<hoursAttended>48</hoursAttended>", "");
  std::string broken = replaced(sample("2024-0105-jukou-moushikomi.xml"), "<age>", "<age>age ");
  // JK-001: the age does not match the birth date; the form is still used.
  std::string wrong_age =
      replaced(sample("2024-0106-jukou-moushikomi.xml"), "<age>65<", "<age>66<");
  auto files = copy_samples(
      dir, {
               {"2024-0102-jukou-moushikomi.xml", no_card},
               {"2024-0103-jukou-moushikomi.xml", no_number},
               {"2024-0101-copy-jukou-moushikomi.xml", sample("2024-0101-jukou-moushikomi.xml")},
               {"2024-0101-copy-dounyu-shien.xml", sample("2024-0101-dounyu-shien.xml")},
               {"stray-check.xml", stray},
               {"2024-0105-jukou-moushikomi.xml", broken},
               {"2024-0106-jukou-moushikomi.xml", wrong_age},
               {"2024-0104-dounyu-shien.xml", no_attended},
           });
  files.push_back(
      dir.write("organisation.xml", test::slurp(test::kRoot + "/samples/organisation.xml")));
  auto r = run(files, "2025-03-31");
  INFO(test::all(r.diagnostics));

  auto x001 = with_code(r, "X-001");
  REQUIRE(x001.size() == 1);
  CHECK(x001[0]->severity == Severity::Error);
  CHECK(x001[0]->file == dir.path / "2024-0102-jukou-moushikomi.xml");
  CHECK(x001[0]->field == "helloWorkCard");
  CHECK(x001[0]->message.find("2024-0102") != std::string::npos);

  auto no_cn = with_code(r, "report.no-control-number");
  REQUIRE(no_cn.size() == 1);
  CHECK(no_cn[0]->file == dir.path / "2024-0103-jukou-moushikomi.xml");

  auto dup = with_code(r, "report.duplicate");
  REQUIRE(dup.size() == 2);  // the second application and the second support record of 2024-0101
  CHECK(dup[0]->file == dir.path / "2024-0101-jukou-moushikomi.xml");
  CHECK(dup[0]->message.find("2024-0101-copy-jukou-moushikomi.xml") != std::string::npos);

  auto invalid = with_code(r, "report.invalid");
  REQUIRE(invalid.size() == 1);
  CHECK(invalid[0]->file == dir.path / "2024-0105-jukou-moushikomi.xml");
  // Unlinked: the support records and checks of 2024-0103 and 2024-0105 (their
  // applications are left out) and the stray check.
  auto unlinked = with_code(r, "report.unlinked");
  REQUIRE(unlinked.size() == 5);
  CHECK(unlinked[4]->file == dir.path / "stray-check.xml");
  CHECK(unlinked[4]->severity == Severity::Warning);
  // 2024-0104's hours attended are missing: a warning, and not a 修了者.
  auto no_attendance = with_code(r, "report.no-attendance");
  REQUIRE(no_attendance.size() == 1);
  CHECK(no_attendance[0]->file == dir.path / "2024-0104-dounyu-shien.xml");
  CHECK_FALSE(trainee(r, "2024-0104").completer);
  CHECK(trainee(r, "2024-0104").rule == "CNT-004");
  auto rules = with_code(r, "report.rules");
  REQUIRE(rules.size() == 1);
  CHECK(rules[0]->severity == Severity::Warning);
  CHECK(rules[0]->file == dir.path / "2024-0106-jukou-moushikomi.xml");
  CHECK(rules[0]->message == "the form breaks business rules JK-001; it is used as it is");
  CHECK(trainee(r, "2024-0106").counted);
  auto skipped = with_code(r, "report.skipped");
  REQUIRE(skipped.size() == 1);
  CHECK(skipped[0]->severity == Severity::Info);

  for (const auto& d : r.diagnostics) {
    CHECK(d.value.empty());
    for (const std::string personal : {"中村", "age 6", "13040"})
      CHECK(d.message.find(personal) == std::string::npos);
  }
  CHECK(r.trainees.size() == 9);  // 11 − 2024-0103 − 2024-0105
  CHECK(r.completers == 7);       // 2024-0109 is 途中修了, 2024-0104 without attendance
}

TEST_CASE("senior report: the redacted list has no personal column") {
  auto full = run(sample_files(), "2025-03-31");
  auto redacted = run(sample_files(), "2025-03-31", true);
  std::vector<std::string> personal;
  for (const auto& c : full.list.columns)
    if (c.personal) personal.push_back(c.header);
  CHECK(personal == std::vector<std::string>{"氏名", "フリガナ", "生年月日", "郵便番号", "住所",
                                             "電話番号", "FAX番号", "携帯", "E-mail",
                                             "ハローワークカード 発行年月日",
                                             "ハローワークカード 求職番号"});
  CHECK(redacted.list.columns.size() == full.list.columns.size() - personal.size());
  for (const auto& c : redacted.list.columns) CHECK_FALSE(c.personal);
  REQUIRE(redacted.list.rows.size() == 11);
  for (const auto& row : redacted.list.rows) CHECK(row.size() == redacted.list.columns.size());
  const std::string csv = to_csv(redacted.list);
  CHECK(csv.find("佐藤") == std::string::npos);
  CHECK(to_csv(full.list).find("佐藤　正明") != std::string::npos);
  CHECK(csv.rfind("\xEF\xBB\xBFNo.,管理番号,申込年月日,性別,年齢,", 0) == 0);
}

// Issue #15 item 11: a 自営 business name often carries the surname (わたなべ弁当):
// the labour-bureau copy leaves it out; other employers' names stay.
TEST_CASE("senior report: the redacted list leaves out 自営 business names", "[report][redact]") {
  auto full = run(sample_files(), "2025-03-31");
  auto redacted = run(sample_files(), "2025-03-31", true);
  // Rows: 2024-0106 (自営 before, no name given, and after) is row 5, 2024-0110 (E before, 自営
  // after) row 9, 2024-0101 (離職中 → A) row 0.
  REQUIRE(redacted.list.rows.size() == 11);
  CHECK(cell(full.list, 5, "after-workplace") == "わたなべ弁当");
  CHECK(cell(redacted.list, 5, "after-workplace").empty());
  CHECK(cell(full.list, 9, "after-workplace") == "かとうのお惣菜");
  CHECK(cell(redacted.list, 9, "after-workplace").empty());
  CHECK_FALSE(cell(redacted.list, 9, "before-workplace").empty());  // an NPO: not personal
  CHECK(cell(redacted.list, 0, "after-workplace") == "株式会社東都ビルマネジメント");
  CHECK(cell(full.list, 9, "before-workplace") == cell(redacted.list, 9, "before-workplace"));
}

// Issue #15 item 9: hours attended may have a fraction; 48 of 60 hours is 80 %.
TEST_CASE("senior report: hours attended with a fraction are read, not refused",
          "[report][hours]") {
  for (const auto& [attended, completer] : std::vector<std::pair<std::string, bool>>{
           {"47.5", false}, {"48.0", true}, {"59.75", true}}) {
    INFO(attended);
    test::TempDir dir;
    const std::string name = "2024-0101-dounyu-shien.xml";
    const std::string s = replaced(sample(name), "<hoursAttended>60</hoursAttended>",
                                   "<hoursAttended>" + attended + "</hoursAttended>");
    auto r = run(copy_samples(dir, {{name, s}}), "2025-03-31");
    INFO(test::all(r.diagnostics));
    CHECK(r.diagnostics.empty());
    CHECK(trainee(r, "2024-0101").completer == completer);
    CHECK(trainee(r, "2024-0101").rule == (completer ? "CNT-001" : "CNT-004"));
  }
}

TEST_CASE("senior report: bad options are usage errors") {
  auto e = test::expect_error([] { run(sample_files(), "2025-02-30"); });
  CHECK(e.kind() == ErrorKind::Usage);
  CHECK(e.diagnostics().front().code == "option.as-of");
}

TEST_CASE("senior report: CSV quoting (RFC 4180)") {
  ReportTable t;
  t.columns = {{"a", "名前,カナ"}, {"b", "note"}};
  t.rows = {{"株式会社\"ABC\"", "1\n2"}, {"", "plain"}};
  CHECK(to_csv(t) ==
        "\xEF\xBB\xBF\"名前,カナ\",note\r\n\"株式会社\"\"ABC\"\"\",\"1\n2\"\r\n,plain\r\n");
}

TEST_CASE("senior report: CSV cells cannot smuggle in spreadsheet formulas") {
  ReportTable t;
  t.columns = {{"a", "=会社"}, {"b", "n"}};
  t.rows = {{"=HYPERLINK(\"http://x\",\"y\")", "-1"},
            {"+81 3", "@SUM(A1)"},
            {"\tx", "-"},
            {"-x", "+"},
            {"3.5", "-2.25"},
            {"株式会社=", "1-2"}};
  CHECK(to_csv(t) ==
        "\xEF\xBB\xBF'=会社,n\r\n"
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-1\r\n"
        "'+81 3,'@SUM(A1)\r\n"
        "'\tx,-\r\n"
        "'-x,+\r\n"
        "3.5,-2.25\r\n"
        "株式会社=,1-2\r\n");
  // Spreadsheets fold full-width and small forms and skip leading blanks of
  // any kind: those leads are guarded too; numbers after blanks stay numbers.
  ReportTable u;
  u.columns = {{"a", "a"}};
  for (const char* cell : {"＝HYPERLINK(1)", "﹦1+1", " =1+1", "\u3000=1+1", "\u00A0=1",
                           "\uFEFF@A1", "＋81", "﹣1", "＠SUM(A1)", " \u3000 -x", " -1", "会社 =1"})
    u.rows.push_back({cell});
  CHECK(to_csv(u) ==
        "\xEF\xBB\xBF"
        "a\r\n"
        "'＝HYPERLINK(1)\r\n'﹦1+1\r\n' =1+1\r\n'\u3000=1+1\r\n'\u00A0=1\r\n'\uFEFF@A1\r\n"
        "'＋81\r\n'﹣1\r\n'＠SUM(A1)\r\n' \u3000 -x\r\n -1\r\n会社 =1\r\n");
}
