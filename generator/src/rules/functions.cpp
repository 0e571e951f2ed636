#include "rules/functions.h"

#include <libxml/xpathInternals.h>
#include <unicode/regex.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "rules/native.h"
#include "text/normalize.h"

namespace yoshiki::rules {
namespace {

using text::civil_from_days;
using text::days_from_civil;

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

void push_string(xmlXPathParserContextPtr ctxt, const std::string& s) {
  valuePush(ctxt, xmlXPathNewString(reinterpret_cast<const xmlChar*>(s.c_str())));
}

// ICU patterns are compiled once per thread and pattern, each with a matcher
// that is reset to every new input instead of a new matcher per call.
icu::RegexMatcher* matcher(const std::string& re) {
  thread_local std::unordered_map<std::string, std::unique_ptr<icu::RegexMatcher>> cache;
  auto it = cache.find(re);
  if (it != cache.end()) return it->second.get();
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> m(
      new icu::RegexMatcher(icu::UnicodeString::fromUTF8(re), 0, status));
  if (U_FAILURE(status)) m.reset();
  return cache.emplace(re, std::move(m)).first->second.get();
}

}  // namespace

namespace y {

double age(const std::string& birth_text, const std::string& on_text) {
  auto on = as_date(on_text);
  auto birth = as_date(birth_text);
  return on && birth && !(*on < *birth) ? age_on(*birth, *on) : NAN;
}

double days(const std::string& from, const std::string& to) {
  auto a = as_date(from);
  auto b = as_date(to);
  return a && b ? static_cast<double>(days_from_civil(*b) - days_from_civil(*a)) : NAN;
}

std::string add_days(const std::string& date, double n) {
  auto d = as_date(date);
  if (!d || std::isnan(n)) return "";
  return text::format_iso_date(civil_from_days(days_from_civil(*d) + static_cast<long>(n)));
}

std::string add_months(const std::string& date, double n) {
  auto d = as_date(date);
  if (!d || std::isnan(n)) return "";
  return text::format_iso_date(text::add_months(*d, static_cast<long>(n)));
}

std::string date(const std::string& s) {
  auto d = as_date(text::normalize_numeric(s));
  return d ? text::format_iso_date(*d) : "";
}

std::string today(const FunctionEnv& env) { return text::format_iso_date(env.today); }

std::optional<bool> in_codes(const FunctionEnv& env, const std::string& table,
                             const std::string& v) {
  if (!env.codes) return false;
  auto it = env.codes->find(table);
  if (it == env.codes->end()) return std::nullopt;
  return it->second.count(v) > 0;
}

bool is_katakana(const std::string& s) { return text::is_katakana(s); }

std::optional<bool> matches(const std::string& s, const std::string& regex) {
  icu::RegexMatcher* m = matcher(regex);
  if (!m) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString us = icu::UnicodeString::fromUTF8(s);
  m->reset(us);
  bool ok = m->matches(status) && U_SUCCESS(status);
  static const icu::UnicodeString kNothing;
  m->reset(kNothing);  // the matcher keeps a reference to its input: not to `us`
  return ok;
}

double digit_count(const std::string& s) {
  int n = 0;
  for (char c : s) n += c >= '0' && c <= '9';
  return n;
}

namespace {
// The value of `name` in force on `on_text` (today when null); null when
// there is none, or the date cannot be read. Records what the caller must
// hear of in env.uses.
std::optional<const DatedValue*> value_in_force(const FunctionEnv& env, const std::string& name,
                                                const std::string* on_text) {
  if (!env.params || !env.params->count(name)) return std::nullopt;
  std::optional<text::CivilDate> on = env.today;
  if (on_text) on = as_date(*on_text);
  if (!on) return nullptr;
  const auto& values = env.params->at(name);
  const DatedValue* found = nullptr;
  for (const auto& dv : values)
    if (!(*on < dv.from)) found = &dv;
  if (env.uses && !found && !values.empty())
    env.uses->push_back({ParameterUse::Kind::Missing, name, *on, &values.front()});
  if (env.uses && found && found->review_by && !(*on < *found->review_by))
    env.uses->push_back({ParameterUse::Kind::PastReview, name, *on, found});
  return found;
}
}  // namespace

std::optional<std::string> param(const FunctionEnv& env, const std::string& name,
                                 const std::string* on_text) {
  auto dv = value_in_force(env, name, on_text);
  if (!dv) return std::nullopt;
  return *dv ? (*dv)->value : "";
}

std::optional<std::string> param_from(const FunctionEnv& env, const std::string& name,
                                      const std::string* on_text) {
  auto dv = value_in_force(env, name, on_text);
  if (!dv) return std::nullopt;
  return *dv ? text::format_iso_date((*dv)->from) : "";
}

std::string setting(const FunctionEnv& env, const std::string& key) {
  if (env.settings) {
    auto it = env.settings->find(key);
    if (it != env.settings->end()) {
      std::string value = native::normalize_space(it->second);
      if (!value.empty()) return value;
    }
  }
  if (env.unset) env.unset->insert(key);
  return "";
}

std::string era_month(const std::string& date) {
  auto d = as_date(date);
  if (!d) return "";
  auto e = text::to_era(*d);
  if (!e) return "";
  return e->era + text::era_year_text(e->year) + "年" + std::to_string(d->month) + "月";
}

std::string grouped(double n) {
  if (!std::isfinite(n)) return "";
  const std::string digits = std::to_string(static_cast<long long>(std::llround(std::fabs(n))));
  // Built forwards, not by insert(): GCC 12 -O3 warns (-Wrestrict) on insert.
  std::string out = n < 0 && std::llround(n) != 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace y

namespace {

#define ARITY(n)                            \
  if (nargs != (n)) {                       \
    xmlXPathErr(ctxt, XPATH_INVALID_ARITY); \
    return;                                 \
  }

void fn_age(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(2);
  std::string on = pop_string(ctxt);
  std::string birth = pop_string(ctxt);
  valuePush(ctxt, xmlXPathNewFloat(y::age(birth, on)));
}

void fn_days(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(2);
  std::string b = pop_string(ctxt);
  std::string a = pop_string(ctxt);
  valuePush(ctxt, xmlXPathNewFloat(y::days(a, b)));
}

void fn_add_days(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(2);
  double n = xmlXPathPopNumber(ctxt);
  std::string d = pop_string(ctxt);
  push_string(ctxt, y::add_days(d, n));
}

void fn_add_months(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(2);
  double n = xmlXPathPopNumber(ctxt);
  std::string d = pop_string(ctxt);
  push_string(ctxt, y::add_months(d, n));
}

void fn_date(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(1);
  push_string(ctxt, y::date(pop_string(ctxt)));
}

void fn_today(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(0);
  push_string(ctxt, y::today(env_of(ctxt)));
}

void fn_in_codes(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(2);
  std::string v = pop_string(ctxt);
  std::string table = pop_string(ctxt);
  auto found = y::in_codes(env_of(ctxt), table, v);
  if (!found) {
    xmlXPathErr(ctxt, XPATH_UNKNOWN_FUNC_ERROR);  // a rule names a table that does not exist
    return;
  }
  valuePush(ctxt, xmlXPathNewBoolean(*found));
}

void fn_is_katakana(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(1);
  valuePush(ctxt, xmlXPathNewBoolean(y::is_katakana(pop_string(ctxt))));
}

void fn_matches(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(2);
  std::string re = pop_string(ctxt);
  std::string s = pop_string(ctxt);
  auto ok = y::matches(s, re);
  if (!ok) {
    xmlXPathErr(ctxt, XPATH_EXPR_ERROR);
    return;
  }
  valuePush(ctxt, xmlXPathNewBoolean(*ok));
}

void fn_digit_count(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(1);
  valuePush(ctxt, xmlXPathNewFloat(y::digit_count(pop_string(ctxt))));
}

// y:param and y:param-from: (name[, date]) → string.
template <std::optional<std::string> (*lookup)(const FunctionEnv&, const std::string&,
                                               const std::string*)>
void fn_param_lookup(xmlXPathParserContextPtr ctxt, int nargs) {
  if (nargs != 1 && nargs != 2) {
    xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
    return;
  }
  std::optional<std::string> on;
  if (nargs == 2) on = pop_string(ctxt);
  std::string name = pop_string(ctxt);
  auto value = lookup(env_of(ctxt), name, on ? &*on : nullptr);
  if (!value) {
    xmlXPathErr(ctxt, XPATH_UNKNOWN_FUNC_ERROR);  // an unknown parameter is a rule-file bug
    return;
  }
  push_string(ctxt, *value);
}

void fn_setting(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(1);
  push_string(ctxt, y::setting(env_of(ctxt), pop_string(ctxt)));
}

void fn_era_month(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(1);
  push_string(ctxt, y::era_month(pop_string(ctxt)));
}

void fn_grouped(xmlXPathParserContextPtr ctxt, int nargs) {
  ARITY(1);
  push_string(ctxt, y::grouped(xmlXPathPopNumber(ctxt)));
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
    {"age", fn_age},
    {"days", fn_days},
    {"add-days", fn_add_days},
    {"add-months", fn_add_months},
    {"date", fn_date},
    {"today", fn_today},
    {"in-codes", fn_in_codes},
    {"is-katakana", fn_is_katakana},
    {"matches", fn_matches},
    {"digit-count", fn_digit_count},
    {"param", fn_param_lookup<y::param>},
    {"param-from", fn_param_lookup<y::param_from>},
    {"setting", fn_setting},
    {"era-month", fn_era_month},
    {"grouped", fn_grouped},
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
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        out.back() += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        out.back() += c;
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

namespace {

std::set<std::string> read_code_column(const std::string& bytes, const std::string& path,
                                       const std::string& column) {
  std::istringstream in(bytes);
  std::string line;
  std::getline(in, line);
  auto header = csv_fields(line);
  size_t col = std::find(header.begin(), header.end(), column) - header.begin();
  if (col == header.size()) {
    throw Error(ErrorKind::Io,
                {{Severity::Error, "codes", "no column '" + column + "' in header", path, 1}});
  }
  std::set<std::string> codes;
  while (std::getline(in, line)) {
    auto f = csv_fields(line);
    if (col < f.size() && !f[col].empty()) codes.insert(f[col]);
  }
  return codes;
}

}  // namespace

std::set<std::string> load_code_column(const std::string& path, const std::string& column,
                                       const Io& io) {
  // Every rule set of every Engine in the process reads the same few code
  // tables: the file is read through `io` each time (a few kilobytes), but
  // each (content, column) is parsed once.
  static std::mutex mutex;
  static std::map<std::pair<std::string, std::string>, std::set<std::string>> cache;
  const std::string bytes = io.read(path, 32u << 20);
  std::lock_guard lock(mutex);
  auto key = std::make_pair(bytes + '\0', column);  // the content itself: no collisions
  auto it = cache.find(key);
  if (it == cache.end()) {
    if (cache.size() > 64) cache.clear();  // bounded: a process reading many tables
    it = cache.emplace(key, read_code_column(bytes, path, column)).first;
  }
  return it->second;
}

}  // namespace yoshiki::rules
