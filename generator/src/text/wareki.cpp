#include "text/wareki.h"

#include <array>
#include <cstdio>
#include <utility>
#include <vector>

#include "yoshiki/yoshiki.h"

namespace yoshiki::text {
namespace {

struct Era {
  const char* name;
  const char* letter;  // the initial used in abbreviated dates
  CivilDate start;
};

// The day each era began. 明治 is counted from 1868-01-25 (明治元年1月1日 in
// the lunar calendar); nothing earlier is supported.
constexpr std::array<Era, 5> kEras{{
    {"明治", "M", {1868, 1, 25}},
    {"大正", "T", {1912, 7, 30}},
    {"昭和", "S", {1926, 12, 25}},
    {"平成", "H", {1989, 1, 8}},
    {"令和", "R", {2019, 5, 1}},
}};

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

}  // namespace

bool is_valid_date(const CivilDate& d) {
  return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= days_in_month(d.year, d.month);
}

CivilDate date_option(const std::string& iso, const std::string& option) {
  auto d = parse_iso_date(iso);
  if (!d) {
    throw Error(ErrorKind::Usage,
                {{Severity::Error, "option." + option, "'" + iso + "' is not a YYYY-MM-DD date"}});
  }
  return *d;
}

CivilDate add_months(const CivilDate& d, long months) {
  long m = d.year * 12L + (d.month - 1) + months;
  long year = m / 12, month = m % 12;
  if (month < 0) month += 12, --year;
  CivilDate r{static_cast<int>(year), static_cast<int>(month) + 1, d.day};
  while (r.day > 28 && !is_valid_date(r)) --r.day;
  return r;
}

std::optional<CivilDate> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  CivilDate d{num(0, 4), num(5, 2), num(8, 2)};
  if (d.year < 0 || d.month < 0 || d.day < 0 || !is_valid_date(d)) return std::nullopt;
  return d;
}

std::string format_iso_date(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::optional<EraDate> to_era(const CivilDate& d) {
  for (auto it = kEras.rbegin(); it != kEras.rend(); ++it) {
    if (d >= it->start) return EraDate{it->name, d.year - it->start.year + 1, d.month, d.day};
  }
  return std::nullopt;
}

std::string era_year_text(int year) { return year == 1 ? "元" : std::to_string(year); }

std::string format_wareki(const CivilDate& d) {
  auto e = to_era(d);
  if (!e) return format_iso_date(d);
  return e->era + era_year_text(e->year) + "年" + std::to_string(e->month) + "月" +
         std::to_string(e->day) + "日";
}

namespace {

// Splits a 和暦 string into tokens: the era, numbers (half- or full-width
// digits, or 元 = 1) and separators, which are skipped.
struct Scanner {
  std::string_view s;
  size_t pos = 0;

  bool starts_with(std::string_view p) const { return s.substr(pos, p.size()) == p; }

  void skip_spaces() {
    while (pos < s.size()) {
      if (s[pos] == ' ' || s[pos] == '\t') {
        ++pos;
      } else if (starts_with("\u3000")) {
        pos += 3;
      } else {
        break;
      }
    }
  }

  // Digits: ASCII 0-9 or full-width ０-９ (EF BC 90..99).
  std::optional<int> number() {
    skip_spaces();
    if (starts_with("元")) {
      pos += 3;
      return 1;
    }
    int v = 0, n = 0;
    while (pos < s.size() && n < 5) {
      if (s[pos] >= '0' && s[pos] <= '9') {
        v = v * 10 + (s[pos] - '0');
        ++pos;
      } else if (pos + 2 < s.size() + 0 && static_cast<unsigned char>(s[pos]) == 0xEF &&
                 static_cast<unsigned char>(s[pos + 1]) == 0xBC &&
                 static_cast<unsigned char>(s[pos + 2]) >= 0x90 &&
                 static_cast<unsigned char>(s[pos + 2]) <= 0x99) {
        v = v * 10 + (static_cast<unsigned char>(s[pos + 2]) - 0x90);
        pos += 3;
      } else {
        break;
      }
      ++n;
    }
    if (n == 0) return std::nullopt;
    return v;
  }

  // After the year: a separator, the month, a separator, the day, an
  // optional 日 and nothing more but spaces: {month, day}.
  std::optional<std::pair<int, int>> month_day_to_end() {
    if (!separator({"年", ".", "/", "-", "．", "／", "－"})) return std::nullopt;
    auto m = number();
    if (!m || !separator({"月", ".", "/", "-", "．", "／", "－"})) return std::nullopt;
    auto d = number();
    if (!d) return std::nullopt;
    separator({"日"});
    skip_spaces();
    if (pos != s.size()) return std::nullopt;
    return std::make_pair(*m, *d);
  }

  // One of the separators after a number: 年 月 日 . / - (half or full width).
  bool separator(std::initializer_list<std::string_view> allowed) {
    skip_spaces();
    for (auto a : allowed) {
      if (starts_with(a)) {
        pos += a.size();
        return true;
      }
    }
    return false;
  }
};

}  // namespace

std::optional<CivilDate> parse_wareki(std::string_view s) {
  Scanner sc{s};
  sc.skip_spaces();
  const Era* era = nullptr;
  for (const auto& e : kEras) {
    if (sc.starts_with(e.name)) {
      era = &e;
      sc.pos += std::string_view(e.name).size();
      break;
    }
    if (sc.starts_with(e.letter) || (sc.pos < s.size() && s[sc.pos] == e.letter[0] + ('a' - 'A'))) {
      era = &e;
      sc.pos += 1;
      break;
    }
  }
  if (!era) return std::nullopt;
  auto y = sc.number();
  auto md = y ? sc.month_day_to_end() : std::nullopt;
  if (!md || *y < 1) return std::nullopt;
  CivilDate date{era->start.year + *y - 1, md->first, md->second};
  if (!is_valid_date(date) || date < era->start) return std::nullopt;
  // The date must not belong to a later era (平成32年 does not exist).
  auto actual = to_era(date);
  if (!actual || actual->era != era->name) return std::nullopt;
  return date;
}

std::optional<CivilDate> parse_seireki(std::string_view s) {
  Scanner sc{s};
  sc.skip_spaces();
  auto y = sc.number();
  if (!y || *y < 1000 || *y > 9999) return std::nullopt;  // four digits: no 元, no "24/5/21"
  auto md = sc.month_day_to_end();
  if (!md) return std::nullopt;
  CivilDate date{*y, md->first, md->second};
  if (!is_valid_date(date)) return std::nullopt;
  return date;
}

std::optional<CivilDate> parse_date_as_typed(std::string_view s) {
  if (auto d = parse_iso_date(s)) return d;
  if (auto d = parse_seireki(s)) return d;
  return parse_wareki(s);
}

// Days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant.
long days_from_civil(const CivilDate& d) {
  int y = d.year - (d.month <= 2);
  long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned mp = static_cast<unsigned>(d.month + (d.month > 2 ? -3 : 9));
  unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(d.day) - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

CivilDate civil_from_days(long z) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = static_cast<long>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(y + (m <= 2)), m, d};
}

int weekday(const CivilDate& d) {
  long z = days_from_civil(d);
  return static_cast<int>(((z + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
}

}  // namespace yoshiki::text
