// The achievement count (別添7, spec §4): all 42 cells of the table, the
// CNT-002 exceptions (changed employer, organisation, 派遣元 — not 派遣先 —
// and JSIC middle class for 自営), CNT-003 (unknown organisation) and the
// CNT-004 rate. The expected grid is typed here from seed 002, independently
// of programs/senior-work/data/senior-program.count.xml, so a wrong data file fails.
#include <array>

#include "report/count.h"
#include "support.h"

using namespace yoshiki;
using report::CountRules;
using report::WorkStatus;

namespace {

const CountRules& rules() {
  static const CountRules r(test::kRoot + "/programs/senior-work/data/senior-program.count.xml",
                            test::kRoot + "/programs/senior-work/data/senior-program.xsd");
  return r;
}

// A status of category `cat` ("-" = 離職者・求職者) at workplace `where`.
WorkStatus status(const std::string& cat, const std::string& where = "株式会社テスト") {
  WorkStatus s;
  s.workplace = where;
  if (cat == "A") s.code = "1";
  if (cat == "B") s.code = "3", s.dispatch = "2";
  if (cat == "C") s.code = "5", s.dispatch = "1";
  if (cat == "D") s.code = "6";
  if (cat == "E") s.code = "7";
  if (cat == "F") s.code = "8", s.industry = "76";
  if (cat == "-") s.workplace.clear();
  return s;
}

}  // namespace

TEST_CASE("count: form choices map to 別添6 codes and codes to categories") {
  using report::FormChoices;
  CHECK(rules().status_code(FormChoices{"1", "1", "false", "", ""}) == "1");
  CHECK(rules().status_code(FormChoices{"1", "1", "true", "", ""}) == "2");
  CHECK(rules().status_code(FormChoices{"1", "2", "0", "", ""}) == "3");
  CHECK(rules().status_code(FormChoices{"1", "2", "1", "", ""}) == "4");
  CHECK(rules().status_code(FormChoices{"1", "3", "", "", ""}) == "5");
  CHECK(rules().status_code(FormChoices{"2", "", "", "1", ""}) == "6");
  CHECK(rules().status_code(FormChoices{"2", "", "", "2", ""}) == "7");
  CHECK(rules().status_code(FormChoices{"3", "", "", "", ""}) == "8");
  CHECK(rules().status_code(FormChoices{"", "", "", "", ""}).empty());
  CHECK(rules().status_code(FormChoices{"1", "", "", "", ""}).empty());  // 雇用 without (1)
  CHECK(rules().status_name("4") == "雇用(臨時でありパート)");

  for (std::string code : {"1", "2", "3", "4", "5"}) {
    WorkStatus s;
    s.code = code;
    CHECK(rules().category(s) == "A");
    s.dispatch = "2";
    CHECK(rules().category(s) == "B");
    s.dispatch = "1";
    CHECK(rules().category(s) == "C");
  }
  CHECK(rules().category(status("D")) == "D");
  CHECK(rules().category(status("E")) == "E");
  CHECK(rules().category(status("F")) == "F");
  CHECK(rules().category(status("-")) == "-");
}

TEST_CASE("count: all 42 cells of 別添7 with an unchanged workplace") {
  const std::array<std::string, 7> before = {"-", "A", "B", "C", "D", "E", "F"};
  const std::array<std::string, 6> after = {"A", "B", "C", "D", "E", "F"};
  // Seed 002 別添7, row by row: o = ○ counts, x = × does not.
  const std::array<std::string, 7> grid = {
      "oooooo",  // 離職者・求職者
      "xooooo",  // A 直接雇用
      "oxoooo",  // B 派遣 (シルバー以外)
      "ooxxoo",  // C シルバー派遣
      "ooxxoo",  // D シルバー就業
      "ooooxo",  // E その他就業
      "ooooox",  // F 自営
  };
  int cells = 0, counted = 0;
  for (size_t r = 0; r < before.size(); ++r) {
    for (size_t c = 0; c < after.size(); ++c) {
      const bool expected = grid[r][c] == 'o';
      auto result = rules().evaluate(status(before[r]), status(after[c]), true);
      INFO("before " << before[r] << " after " << after[c]);
      CHECK(result.before == before[r]);
      CHECK(result.after == after[c]);
      CHECK(rules().table_counts(before[r], after[c]) == expected);
      CHECK(result.counted == expected);
      CHECK(result.rule == (expected ? "CNT-001" : "CNT-002"));
      ++cells;
      counted += result.counted;
    }
  }
  CHECK(cells == 42);
  CHECK(counted == 34);  // 8 × cells
}

TEST_CASE("count: CNT-002 a × cell counts when the workplace changed") {
  SECTION("A: another employer counts, the same employer (spaces, width) does not") {
    auto r =
        rules().evaluate(status("A", "株式会社中野製作所"), status("A", "株式会社杉並商事"), true);
    CHECK(r.counted);
    CHECK(r.rule == "CNT-002");
    r = rules().evaluate(status("A", "株式会社 中野製作所"), status("A", "株式会社中野製作所"),
                         true);
    CHECK_FALSE(r.counted);
    CHECK(r.rule == "CNT-002");
    r = rules().evaluate(status("A", "ＡＢＣ商事"), status("A", "ABC商事"), true);
    CHECK_FALSE(r.counted);
  }
  SECTION("B: another 派遣元 counts; another 派遣先 with the same 派遣元 does not") {
    WorkStatus before = status("B", "株式会社アクトスタッフ"),
               after = status("B", "株式会社アクトスタッフ");
    before.client = "中野区役所";
    after.client = "新宿区役所";
    auto r = rules().evaluate(before, after, true);
    CHECK_FALSE(r.counted);
    CHECK(r.rule == "CNT-002");
    CHECK(r.reason_en == "the same (or an unknown) dispatching employer: not counted");
    after.workplace = "株式会社ミライ派遣";
    after.client = before.client;  // same 派遣先, other 派遣元
    r = rules().evaluate(before, after, true);
    CHECK(r.counted);
    CHECK(r.reason_en == "another dispatching employer (派遣元): counted");
  }
  SECTION("C, D: another シルバー人材センター counts, also between C and D") {
    auto counts = [](const std::string& from, const std::string& to, const std::string& centre) {
      return rules()
          .evaluate(status(from, "中野区シルバー人材センター"), status(to, centre), true)
          .counted;
    };
    for (std::string from : {"C", "D"}) {
      for (std::string to : {"C", "D"}) {
        INFO(from << " → " << to);
        CHECK(counts(from, to, "杉並区シルバー人材センター"));
        CHECK_FALSE(counts(from, to, "中野区　シルバー人材センター"));
      }
    }
  }
  SECTION("E: another organisation counts") {
    CHECK(rules()
              .evaluate(status("E", "NPO法人みどり"), status("E", "NPO法人あおぞら"), true)
              .counted);
    CHECK_FALSE(
        rules().evaluate(status("E", "NPO法人みどり"), status("E", "NPO法人みどり"), true).counted);
  }
  SECTION("F: another JSIC middle class counts; another name in the same class does not") {
    WorkStatus before = status("F", "山本商店"), after = status("F", "山本商店");
    after.industry = "58";
    auto r = rules().evaluate(before, after, true);
    CHECK(r.counted);
    CHECK(r.rule == "CNT-002");
    after = status("F", "やまもとカフェ");  // same class 76, other business name
    r = rules().evaluate(before, after, true);
    CHECK_FALSE(r.counted);
    after.industry.clear();  // unknown industry: cannot show a change
    CHECK_FALSE(rules().evaluate(before, after, true).counted);
  }
  SECTION("an unknown workplace before or after cannot show a change") {
    CHECK_FALSE(rules().evaluate(status("A", ""), status("A", "株式会社杉並商事"), true).counted);
    WorkStatus after = status("A", "株式会社杉並商事");
    after.workplace_known = false;
    CHECK_FALSE(rules().evaluate(status("A", "株式会社中野製作所"), after, true).counted);
  }
}

TEST_CASE("count: CNT-003 就業 at an unknown organisation never counts") {
  for (std::string cat : {"D", "E"}) {
    for (std::string before : {"-", "A", "B", "C", "D", "E", "F"}) {
      WorkStatus after = status(cat, "");
      auto r = rules().evaluate(status(before, "株式会社中野製作所"), after, true);
      INFO(before << " → " << cat);
      CHECK_FALSE(r.counted);
      CHECK(r.rule == "CNT-003");
      after = status(cat, "NPO法人みどり");
      after.workplace_known = false;
      CHECK(rules().evaluate(status(before), after, true).rule == "CNT-003");
    }
  }
  // Not 就業: an employment with a known category is decided by the table.
  CHECK(rules().evaluate(status("-"), status("A", ""), true).rule == "CNT-001");
}

TEST_CASE("count: CNT-004 修了者, 途中修了者 and the employment rate") {
  CHECK(rules().is_completer(40, 32));          // exactly 80%
  CHECK_FALSE(rules().is_completer(40, 31.5));  // 78.75%
  CHECK(rules().is_completer(36, 28.8));        // 80% with a fraction
  CHECK_FALSE(rules().is_completer(0, 0));
  CHECK_FALSE(rules().is_completer(40, -1));

  auto r = rules().evaluate(status("-"), status("A"), false);
  CHECK_FALSE(r.counted);
  CHECK(r.rule == "CNT-004");
  r = rules().evaluate(status("-"), status("-"), true);
  CHECK_FALSE(r.counted);
  CHECK(r.after == "-");

  auto a = report::achievement(10, 8, 4);
  CHECK(a.dropouts == 2);
  CHECK(a.rate_percent == 50.0);
  a = report::achievement(25, 25, 12);
  CHECK(a.rate_percent == Approx(48.0));
  CHECK(report::achievement(3, 0, 0).rate_percent == 0.0);
}

TEST_CASE("count: period codes, employment types and age bands come from the data") {
  auto end = test::date("2024-09-30");
  CHECK(rules().period_code(end, test::date("2024-12-30")) == "1");
  CHECK(rules().period_code(end, test::date("2024-12-31")) ==
        "2");  // add_months clamps 9/30 → 12/30
  CHECK(rules().period_code(end, test::date("2025-03-30")) == "2");
  CHECK(rules().period_code(end, test::date("2025-03-31")) == "");
  CHECK(rules().period_code(end, test::date("2024-09-01")) == "");
  CHECK(text::add_months(test::date("2024-11-30"), 3) == test::date("2025-02-28"));
  REQUIRE(rules().employment_types().size() == 7);
  CHECK(rules().employment_types()[1].name == "常用うちパート");
  REQUIRE(rules().age_bands().size() == 5);
  CHECK(rules().age_bands().back().to == -1);
  CHECK(rules().snapshot_months() == 3);
}

TEST_CASE("count: a broken count file is an error naming the file") {
  test::TempDir dir;
  std::string bad =
      test::slurp(test::kRoot + "/programs/senior-work/data/senior-program.count.xml");
  const std::string cell = "A=\"×\"";
  bad.replace(bad.find(cell), cell.size(), "A=\"?\"");
  auto path = dir.write("count.xml", bad);
  auto e = test::expect_error(
      [&] { CountRules(path, test::kRoot + "/programs/senior-work/data/senior-program.xsd"); });
  REQUIRE_FALSE(e.diagnostics().empty());
  CHECK(e.diagnostics().front().file == path);
  CHECK(e.diagnostics().front().line > 0);
}
