// Unit tests of text/wareki: ISO dates, era (和暦) conversion, formatting and
// parsing. Data-driven: each table row is one case; INFO names it on failure.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support.h"
#include "text/wareki.h"

using yoshiki::test::date;
using yoshiki::text::CivilDate;
using yoshiki::text::era_year_text;
using yoshiki::text::format_iso_date;
using yoshiki::text::format_wareki;
using yoshiki::text::is_valid_date;
using yoshiki::text::parse_iso_date;
using yoshiki::text::parse_wareki;
using yoshiki::text::to_era;

namespace {

// Days since 1970-01-01 and back (H. Hinnant's algorithms), an oracle
// independent of the library for walking through the calendar.
long oracle_days(CivilDate d) {
  int y = d.year - (d.month <= 2);
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

CivilDate oracle_civil(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long y = static_cast<long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

}  // namespace

TEST_CASE("parse_iso_date accepts real calendar days", "[wareki][iso]") {
  struct Case {
    const char* text;
    CivilDate expected;
  };
  const std::vector<Case> cases = {
      {"2024-02-29", {2024, 2, 29}},  // leap year
      {"2000-02-29", {2000, 2, 29}},  // divisible by 400: leap
      {"2019-05-01", {2019, 5, 1}},  {"1868-01-25", {1868, 1, 25}},  {"2023-12-31", {2023, 12, 31}},
      {"0001-01-01", {1, 1, 1}},     {"9999-12-31", {9999, 12, 31}},
  };
  for (const auto& c : cases) {
    INFO("input: " << c.text);
    auto d = parse_iso_date(c.text);
    REQUIRE(d.has_value());
    CHECK(d->year == c.expected.year);
    CHECK(d->month == c.expected.month);
    CHECK(d->day == c.expected.day);
    CHECK(format_iso_date(*d) == c.text);
  }
}

TEST_CASE("parse_iso_date rejects impossible days and other shapes", "[wareki][iso]") {
  const std::vector<const char*> cases = {
      "2023-02-29",  // not a leap year
      "1900-02-29",  // divisible by 100, not by 400
      "2024-13-01",  // month 13
      "2024-00-10",  // month 0
      "2024-04-31",  // April has 30 days
      "2024-01-00",  // day 0
      "2024-01-32",  // day 32
      "2024-1-01",   // month not zero-padded
      "2024-01-1",   // day not zero-padded
      "24-01-01",    // two-digit year
      "2024/01/01",  // wrong separator
      "2024-01-01T00:00:00Z",
      " 2024-01-01",  // leading space
      "2024-0a-01",
      "0000-01-01",  // year 0 does not exist
      "",
  };
  for (const char* c : cases) {
    INFO("input: '" << c << "'");
    CHECK_FALSE(parse_iso_date(c).has_value());
  }
}

TEST_CASE("format_iso_date zero-pads", "[wareki][iso]") {
  CHECK(format_iso_date({2019, 5, 1}) == "2019-05-01");
  CHECK(format_iso_date({987, 12, 3}) == "0987-12-03");
  CHECK(is_valid_date({2024, 2, 29}));
  CHECK_FALSE(is_valid_date({2023, 2, 29}));
  CHECK_FALSE(is_valid_date({2024, 6, 31}));
}

TEST_CASE("era_year_text prints 元 for the first year", "[wareki]") {
  CHECK(era_year_text(1) == "元");
  CHECK(era_year_text(2) == "2");
  CHECK(era_year_text(64) == "64");
}

TEST_CASE("to_era and format_wareki at every era boundary", "[wareki][era]") {
  struct Case {
    const char* iso;
    const char* era;
    int year;
    const char* wareki;
  };
  const std::vector<Case> cases = {
      {"1868-01-25", "明治", 1, "明治元年1月25日"},  {"1868-12-31", "明治", 1, "明治元年12月31日"},
      {"1869-01-01", "明治", 2, "明治2年1月1日"},    {"1912-07-29", "明治", 45, "明治45年7月29日"},
      {"1912-07-30", "大正", 1, "大正元年7月30日"},  {"1912-12-31", "大正", 1, "大正元年12月31日"},
      {"1913-01-01", "大正", 2, "大正2年1月1日"},    {"1926-12-24", "大正", 15, "大正15年12月24日"},
      {"1926-12-25", "昭和", 1, "昭和元年12月25日"}, {"1927-01-01", "昭和", 2, "昭和2年1月1日"},
      {"1958-11-03", "昭和", 33, "昭和33年11月3日"}, {"1989-01-07", "昭和", 64, "昭和64年1月7日"},
      {"1989-01-08", "平成", 1, "平成元年1月8日"},   {"1990-01-01", "平成", 2, "平成2年1月1日"},
      {"2019-04-30", "平成", 31, "平成31年4月30日"}, {"2019-05-01", "令和", 1, "令和元年5月1日"},
      {"2019-12-31", "令和", 1, "令和元年12月31日"}, {"2020-01-01", "令和", 2, "令和2年1月1日"},
      {"2024-06-10", "令和", 6, "令和6年6月10日"},
  };
  for (const auto& c : cases) {
    SECTION(c.iso) {
      INFO("date: " << c.iso);
      const CivilDate d = date(c.iso);
      auto e = to_era(d);
      REQUIRE(e.has_value());
      CHECK(e->era == c.era);
      CHECK(e->year == c.year);
      CHECK(e->month == d.month);
      CHECK(e->day == d.day);
      CHECK(format_wareki(d) == c.wareki);
    }
  }
}

TEST_CASE("to_era has nothing before 明治", "[wareki][era]") {
  for (const char* s : {"1868-01-24", "1868-01-01", "1867-12-31", "1600-10-21", "0001-01-01"}) {
    INFO("date: " << s);
    CHECK_FALSE(to_era(date(s)).has_value());
  }
}

TEST_CASE("parse_wareki accepts the documented spellings", "[wareki][parse]") {
  struct Case {
    const char* text;
    const char* iso;
  };
  const std::vector<Case> cases = {
      {"令和元年5月1日", "2019-05-01"},
      {"令和1年5月1日", "2019-05-01"},
      {"令和1年05月01日", "2019-05-01"},
      {"令和１年５月１日", "2019-05-01"},  // full-width digits
      {"令和６年４月１日", "2024-04-01"},
      {"令和元年１２月３１日", "2019-12-31"},  // two full-width digits
      {"R1.5.1", "2019-05-01"},
      {"R6.4.1", "2024-04-01"},
      {"H31.4.30", "2019-04-30"},
      {"S64.1.7", "1989-01-07"},
      {"T15.12.24", "1926-12-24"},
      {"M45.7.29", "1912-07-29"},
      {"平成31/4/30", "2019-04-30"},
      {"平成31-4-30", "2019-04-30"},
      {"平成３１／４／３０", "2019-04-30"},                // full-width separators
      {"昭和 64年 1月 7日", "1989-01-07"},                 // spaces
      {"  昭和64年1月7日  ", "1989-01-07"},                // leading and trailing spaces
      {"昭和\u300064年\u30001月\u30007日", "1989-01-07"},  // ideographic spaces
      {"平成元年1月8日", "1989-01-08"},
      {"大正元年7月30日", "1912-07-30"},
      {"明治元年1月25日", "1868-01-25"},
      {"昭和元年12月25日", "1926-12-25"},
      {"令和6年2月29日", "2024-02-29"},  // leap day
      {"令和6年6月10", "2024-06-10"},    // 日 is optional
  };
  for (const auto& c : cases) {
    SECTION(c.text) {
      INFO("input: '" << c.text << "'");
      auto d = parse_wareki(c.text);
      REQUIRE(d.has_value());
      CHECK(format_iso_date(*d) == c.iso);
    }
  }
}

TEST_CASE("parse_wareki rejects dates outside their era and garbage", "[wareki][parse]") {
  const std::vector<const char*> cases = {
      "平成32年1月1日",    // belongs to 令和
      "平成31年5月1日",    // first day of 令和
      "令和元年4月30日",   // before 令和 began
      "昭和64年1月8日",    // first day of 平成
      "大正15年12月25日",  // first day of 昭和
      "明治45年7月30日",   // first day of 大正
      "明治元年1月24日",   // before 明治 began
      "令和0年5月1日",     // no year 0
      "令和5年2月29日",    // 2023 is not a leap year
      "令和6年13月1日",
      "令和6年4月31日",
      "令和6年4月0日",
      "令和6年",  // incomplete
      "令和6年4月",
      "令和",
      "天保3年1月1日",       // unsupported era
      "X1.5.1",              // unknown era letter
      "2019-05-01",          // ISO, not 和暦
      "令和元年5月1日です",  // trailing garbage
      "令和元年五月一日",    // kanji numerals other than 元
      "hello",
      "",
  };
  for (const char* c : cases) {
    SECTION(c[0] ? c : "(empty)") {
      INFO("input: '" << c << "'");
      auto d = parse_wareki(c);
      // Names the wrongly accepted date on failure.
      CHECK((d ? format_iso_date(*d) : std::string("nullopt")) == "nullopt");
    }
  }
}

TEST_CASE("format_wareki then parse_wareki round-trips 1900..2030", "[wareki][roundtrip]") {
  const long first = oracle_days({1900, 1, 1});
  const long last = oracle_days({2030, 12, 31});
  int checked = 0;
  for (long z = first; z <= last; z += 97) {
    const CivilDate d = oracle_civil(z);
    REQUIRE(is_valid_date(d));
    const std::string w = format_wareki(d);
    INFO(format_iso_date(d) << " -> " << w);
    auto back = parse_wareki(w);
    REQUIRE(back.has_value());
    CHECK(*back == d);
    ++checked;
  }
  CHECK(checked == (last - first) / 97 + 1);
}

TEST_CASE("format_wareki then parse_wareki round-trips around each boundary",
          "[wareki][roundtrip]") {
  for (const char* b : {"1868-01-25", "1912-07-30", "1926-12-25", "1989-01-08", "2019-05-01"}) {
    const long z0 = oracle_days(date(b));
    for (long z = z0 - 3; z <= z0 + 3; ++z) {
      const CivilDate d = oracle_civil(z);
      if (d < CivilDate{1868, 1, 25}) continue;
      const std::string w = format_wareki(d);
      INFO(format_iso_date(d) << " -> " << w);
      auto back = parse_wareki(w);
      REQUIRE(back.has_value());
      CHECK(*back == d);
    }
  }
}

TEST_CASE("format_wareki then parse_wareki round-trips every day 1868..2099",
          "[wareki][roundtrip]") {
  // Exhaustive; failures are counted so that one bug does not flood the report.
  const long first = oracle_days({1868, 1, 25});
  const long last = oracle_days({2099, 12, 31});
  long failures = 0;
  std::string first_failure;
  for (long z = first; z <= last; ++z) {
    const CivilDate d = oracle_civil(z);
    const std::string w = format_wareki(d);
    auto back = parse_wareki(w);
    if (!back || !(*back == d)) {
      if (failures++ == 0) first_failure = format_iso_date(d) + " -> " + w;
    }
  }
  INFO("first failure: " << first_failure);
  CHECK(failures == 0);
}

TEST_CASE("to_era agrees with an independent table of era start days", "[wareki][era]") {
  // Every day from 1868-01-25 to 2030-12-31: era and year from the start days.
  struct Start {
    const char* era;
    CivilDate start;
  };
  const Start starts[] = {{"令和", {2019, 5, 1}},
                          {"平成", {1989, 1, 8}},
                          {"昭和", {1926, 12, 25}},
                          {"大正", {1912, 7, 30}},
                          {"明治", {1868, 1, 25}}};
  long failures = 0;
  std::string first_failure;
  for (long z = oracle_days({1868, 1, 25}); z <= oracle_days({2030, 12, 31}); ++z) {
    const CivilDate d = oracle_civil(z);
    const Start* s = nullptr;
    for (const auto& st : starts)
      if (!(d < st.start)) {
        s = &st;
        break;
      }
    auto e = to_era(d);
    const bool ok = s && e && e->era == s->era && e->year == d.year - s->start.year + 1 &&
                    e->month == d.month && e->day == d.day;
    if (!ok && failures++ == 0) first_failure = format_iso_date(d);
  }
  INFO("first failure: " << first_failure);
  CHECK(failures == 0);
}

TEST_CASE("parse_seireki and parse_date_as_typed take dates as people write them",
          "[wareki][parse][typed]") {
  const CivilDate may21{2024, 5, 21};
  for (const char* typed :
       {"2024/5/21", "2024/05/21", "2024-5-21", "2024.5.21", "2024年5月21日", "2024年5月21",
        " 2024 / 5 / 21 ", "２０２４／５／２１", "２０２４年５月２１日", "2024．5．21"}) {
    INFO(typed);
    CHECK(yoshiki::text::parse_seireki(typed) == may21);
    CHECK(yoshiki::text::parse_date_as_typed(typed) == may21);
  }
  for (const char* typed : {"2024-05-21", "令和6年5月21日", "R6.5.21", "令和６年５月２１日"}) {
    INFO(typed);
    CHECK(yoshiki::text::parse_date_as_typed(typed) == may21);
  }
  // Not dates, or not these: a day that does not exist, two-digit years,
  // five digits, missing parts, trailing text.
  for (const char* typed : {"2024/2/30", "24/5/21", "20245/5/21", "2024/5", "2024/5/21 午前",
                            "2024年13月1日", "元/5/21", "", "5/21"}) {
    INFO(typed);
    CHECK_FALSE(yoshiki::text::parse_seireki(typed));
    CHECK_FALSE(yoshiki::text::parse_date_as_typed(typed));
  }
}
