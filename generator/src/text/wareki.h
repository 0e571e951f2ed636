// wareki — the Japanese era calendar (和暦): ISO dates to era dates and back.
// Era boundaries are exact days; the first year of an era prints as 元年.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace yoshiki::text {

struct CivilDate {
  int year = 0, month = 0, day = 0;
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

struct EraDate {
  std::string era;  // 明治 大正 昭和 平成 令和
  int year = 0;     // 1 = 元年
  int month = 0, day = 0;
};

// "YYYY-MM-DD" (a real calendar day) or nothing.
std::optional<CivilDate> parse_iso_date(std::string_view s);
std::string format_iso_date(const CivilDate& d);
bool is_valid_date(const CivilDate& d);

// A date option ("YYYY-MM-DD"). Throws Error(Usage) naming `option` when the
// text is not a date. (Today comes from the Engine's clock: io/io.h.)
CivilDate date_option(const std::string& iso, const std::string& option);

// The same day `months` later (or earlier), clamped to the month's last day.
CivilDate add_months(const CivilDate& d, long months);

// Nothing before 明治 (1868-01-25).
std::optional<EraDate> to_era(const CivilDate& d);

// "元" for 1, the number otherwise.
std::string era_year_text(int year);

// "令和元年5月1日".
std::string format_wareki(const CivilDate& d);

// "令和元年5月1日", "令和1年05月01日", "令和６年４月１日", "R6.4.1", "平成31/4/30",
// with full- or half-width digits and optional spaces. Checks that the
// date exists and lies inside its era.
std::optional<CivilDate> parse_wareki(std::string_view s);

// 西暦 as people write it: "2024/5/21", "2024-5-21", "2024.5.21",
// "2024年5月21日", with full- or half-width digits and separators and
// optional spaces; the date must exist.
std::optional<CivilDate> parse_seireki(std::string_view s);

// Any of ISO, 西暦 as written (parse_seireki) or 和暦 (parse_wareki).
std::optional<CivilDate> parse_date_as_typed(std::string_view s);

// Day arithmetic: days since 1970-01-01 (proleptic Gregorian) and back;
// the weekday (0 = Sunday … 6 = Saturday).
long days_from_civil(const CivilDate& d);
CivilDate civil_from_days(long days);
int weekday(const CivilDate& d);

}  // namespace yoshiki::text
