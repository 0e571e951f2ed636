#include "rules/functions.h"

#include <libxml/xpathInternals.h>
#include <unicode/regex.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <unordered_map>

#include "text/normalize.h"

namespace yoshiki::rules {
namespace {

const FunctionEnv& env_of(xmlXPathParserContextPtr ctxt) {
  static const FunctionEnv none;  // no tables, no parameters, today = 2000-01-01
  auto* env = static_cast<const FunctionEnv*>(ctxt->context->userData);
  return env ? *env : none;
}

// Pops one argument as a string (any XPath type converts).
std::string pop_string(xmlXPathParserContextPtr ctxt) {
  xmlChar* s = xmlXPathPopString(ctxt);
  std::string out = s ? reinterpret_cast<const char*>(s) : "";
  xmlFree(s);
  return out;
}

std::optional<text::CivilDate> as_date(const std::string& s) {
  std::string t = s;
  while (!t.empty() && (t.back() == ' ' || t.back() == '\n')) t.pop_back();
  while (!t.empty() && (t.front() == ' ' || t.front() == '\n')) t.erase(0, 1);
  if (auto d = text::parse_iso_date(t)) return d;
  return text::parse_wareki(t);
}

// Days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant.
long days_from_civil(const text::CivilDate& d) {
  int y = d.year - (d.month <= 2);
  long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned mp = static_cast<unsigned>(d.month + (d.month > 2 ? -3 : 9));
  unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(d.day) - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

text::CivilDate civil_from_days(long z) {
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

void push_string(xmlXPathParserContextPtr ctxt, const std::string& s) {
  valuePush(ctxt, xmlXPathNewString(reinterpret_cast<const xmlChar*>(s.c_str())));
}

#define ARITY(n)                                    \
  if (nargs != (n)) {                               \
    xmlXPathErr(ctxt, XPATH_INVALID_ARITY);         \
    return;                                         \
  }

void fn_age(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(2);
  auto on = as_date(pop_string(ctxt));
  auto birth = as_date(pop_string(ctxt));
  double v = NAN;
  if (on && birth && !(*on < *birth)) v = age_on(*birth, *on);
  valuePush(ctxt, xmlXPathNewFloat(v));
}

void fn_days(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(2);
  auto b = as_date(pop_string(ctxt));
  auto a = as_date(pop_string(ctxt));
  valuePush(ctxt, xmlXPathNewFloat(a && b ? static_cast<double>(days_from_civil(*b) - days_from_civil(*a)) : NAN));
}

void fn_add_days(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(2);
  double n = xmlXPathPopNumber(ctxt);
  auto d = as_date(pop_string(ctxt));
  if (!d || std::isnan(n)) return push_string(ctxt, "");
  push_string(ctxt, text::format_iso_date(civil_from_days(days_from_civil(*d) + static_cast<long>(n))));
}

void fn_add_months(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(2);
  double n = xmlXPathPopNumber(ctxt);
  auto d = as_date(pop_string(ctxt));
  if (!d || std::isnan(n)) return push_string(ctxt, "");
  push_string(ctxt, text::format_iso_date(text::add_months(*d, static_cast<long>(n))));
}

void fn_date(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(1);
  auto d = as_date(text::normalize_numeric(pop_string(ctxt)));
  push_string(ctxt, d ? text::format_iso_date(*d) : "");
}

void fn_today(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(0);
  push_string(ctxt, text::format_iso_date(env_of(ctxt).today));
}

void fn_in_codes(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(2);
  std::string v = pop_string(ctxt);
  std::string table = pop_string(ctxt);
  const CodeTables* codes = env_of(ctxt).codes;
  bool found = false;
  if (codes) {
    auto it = codes->find(table);
    if (it == codes->end()) {
      xmlXPathErr(ctxt, XPATH_UNKNOWN_FUNC_ERROR);  // a rule names a table that does not exist
      return;
    }
    found = it->second.count(v) > 0;
  }
  valuePush(ctxt, xmlXPathNewBoolean(found));
}

void fn_is_katakana(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(1);
  valuePush(ctxt, xmlXPathNewBoolean(text::is_katakana(pop_string(ctxt))));
}

// ICU patterns are compiled once per thread and pattern.
const icu::RegexPattern* pattern(const std::string& re) {
  thread_local std::unordered_map<std::string, std::unique_ptr<icu::RegexPattern>> cache;
  auto it = cache.find(re);
  if (it != cache.end()) return it->second.get();
  UErrorCode status = U_ZERO_ERROR;
  UParseError pe;
  std::unique_ptr<icu::RegexPattern> p(
      icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(re), 0, pe, status));
  if (U_FAILURE(status)) p.reset();
  return cache.emplace(re, std::move(p)).first->second.get();
}

void fn_matches(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(2);
  std::string re = pop_string(ctxt);
  std::string s = pop_string(ctxt);
  const icu::RegexPattern* p = pattern(re);
  if (!p) {
    xmlXPathErr(ctxt, XPATH_EXPR_ERROR);
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString us = icu::UnicodeString::fromUTF8(s);
  std::unique_ptr<icu::RegexMatcher> m(p->matcher(us, status));
  bool ok = U_SUCCESS(status) && m->matches(status) && U_SUCCESS(status);
  valuePush(ctxt, xmlXPathNewBoolean(ok));
}

void fn_digit_count(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(1);
  std::string s = pop_string(ctxt);
  int n = 0;
  for (char c : s) n += c >= '0' && c <= '9';
  valuePush(ctxt, xmlXPathNewFloat(n));
}

void fn_param(xmlXPathParserContextPtr ctxt, int nargs) {
  if (nargs != 1 && nargs != 2) {
    xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
    return;
  }
  const FunctionEnv& env = env_of(ctxt);
  std::optional<text::CivilDate> on = env.today;
  if (nargs == 2) on = as_date(pop_string(ctxt));
  std::string name = pop_string(ctxt);
  if (!env.params || !env.params->count(name)) {
    xmlXPathErr(ctxt, XPATH_UNKNOWN_FUNC_ERROR);  // an unknown parameter is a rule-file bug
    return;
  }
  std::string value;
  if (on) {
    for (const auto& dv : env.params->at(name))
      if (!(*on < dv.from)) value = dv.value;
  }
  push_string(ctxt, value);
}

}  // namespace

int age_on(const text::CivilDate& birth, const text::CivilDate& on) {
  if (on < birth) return -1;
  int age = on.year - birth.year;
  // The anniversary in `on`'s year; 29 Feb in a common year becomes 1 Mar
  // (the year is gained at the end of 28 Feb, the day before the birthday).
  text::CivilDate anniversary{on.year, birth.month, birth.day};
  if (!text::is_valid_date(anniversary)) anniversary = {on.year, 3, 1};
  if (on < anniversary) --age;
  return age;
}

namespace {
const std::pair<const char*, xmlXPathFunction> kFunctions[] = {
      {"age", fn_age},           {"days", fn_days},         {"add-days", fn_add_days},
      {"add-months", fn_add_months}, {"date", fn_date},     {"today", fn_today},
      {"in-codes", fn_in_codes}, {"is-katakana", fn_is_katakana}, {"matches", fn_matches},
      {"digit-count", fn_digit_count}, {"param", fn_param},
};
}  // namespace

bool is_function(const std::string& name) {
  for (auto& [n, f] : kFunctions)
    if (name == n) return true;
  return false;
}

void FunctionEnv::install(xmlXPathContextPtr ctx) const {
  ctx->userData = const_cast<FunctionEnv*>(this);
  auto ns = reinterpret_cast<const xmlChar*>(kFunctionsNs);
  xmlXPathRegisterNs(ctx, reinterpret_cast<const xmlChar*>("y"), ns);
  for (auto& [name, f] : kFunctions)
    xmlXPathRegisterFuncNS(ctx, reinterpret_cast<const xmlChar*>(name), ns, f);
}

namespace {
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}
}  // namespace

std::set<std::string> load_code_column(const std::string& path, const std::string& column) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::Io, {{Severity::Error, "codes", "cannot open code table", path}});
  std::string line;
  std::getline(in, line);
  auto header = csv_fields(line);
  size_t col = std::find(header.begin(), header.end(), column) - header.begin();
  if (col == header.size()) {
    throw Error(ErrorKind::Io, {{Severity::Error, "codes", "no column '" + column + "' in header", path, 1}});
  }
  std::set<std::string> codes;
  while (std::getline(in, line)) {
    auto f = csv_fields(line);
    if (col < f.size() && !f[col].empty()) codes.insert(f[col]);
  }
  return codes;
}

}  // namespace yoshiki::rules
