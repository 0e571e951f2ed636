// functions — the XPath extension functions business rules call, in the
// namespace urn:yoshiki:functions (prefix y). Every function is total: bad
// input gives NaN, '' or false, never an XPath error, so a rule on a
// half-filled form reports the rule, not a crash.
//
//   y:age(birth, on)        whole years on `on` (a year is gained at the end
//                           of the day before the birthday; 29 Feb → 1 Mar)
//   y:days(a, b)            days from a to b
//   y:add-days(d, n)        ISO date n days after d
//   y:add-months(d, n)      ISO date n months after d (day clamped)
//   y:date(s)               ISO date from ISO or 和暦 text, '' if none
//   y:today()               the validation date (from the caller, not the clock)
//   y:in-codes(table, v)    v is a code of schemas/codes/<table>.csv
//   y:is-katakana(s)        full-width katakana, ー, ・ and spaces only
//   y:matches(s, regex)     ICU regular expression, whole string
//   y:digit-count(s)        number of ASCII digits
//   y:param(name[, date])   dated parameter in force on date (default: today);
//                           a date before the table's first value is recorded
//                           in FunctionEnv::uses (RuleSet reports it as an
//                           error naming the parameter and the date) and ''
//   y:param-from(name[, date]) the effective date (ISO) of that value, ''
//                           likewise
//   y:setting(key)          the organisation's setting (ValidateOptions::settings);
//                           a key not given is recorded in FunctionEnv::unset
//                           (RuleSet says the rule was not checked) and ''
//   y:era-month(date)       令和6年4月 (the era of that day), '' if no date
//   y:grouped(n)            an integer with thousands commas (2,746), '' if NaN
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "text/wareki.h"
#include "xml/xml.h"

namespace yoshiki::rules {

inline constexpr const char* kFunctionsNs = "urn:yoshiki:functions";

// Code tables: name → set of codes, each from one column of a CSV file.
using CodeTables = std::map<std::string, std::set<std::string>>;
// The values of column `column` (named in the header line) of a UTF-8 CSV
// file (RFC 4180 quoting). Throws Error(Io) naming the file.
std::set<std::string> load_code_column(const std::string& path, const std::string& column,
                                       const Io& io = *system_io());

// A value that changes on effective dates (e.g. a wage threshold).
struct DatedValue {
  text::CivilDate from;
  std::string value;
  std::string source;                        // where the value comes from (a seed, a notice)
  std::optional<text::CivilDate> review_by;  // when to look for a newer value
};
using Parameters = std::map<std::string, std::vector<DatedValue>>;  // sorted by `from`

// A y:param call the caller must hear of: no value for the date (the date
// is before the table's first value), or a value asked for on or after its
// review-by date (a newer value may be missing from the table).
struct ParameterUse {
  enum class Kind { Missing, PastReview } kind;
  std::string name;
  text::CivilDate on;
  const DatedValue* value = nullptr;  // PastReview: the value used; Missing: the first one
};

// What y: functions see; one per validation (today differs per call).
struct FunctionEnv : xml::XPathEnv {
  const CodeTables* codes = nullptr;
  const Parameters* params = nullptr;
  text::CivilDate today{2000, 1, 1};
  // Where y:param records the calls of ParameterUse; null: not recorded
  // (load-time probes). Owned by the caller, one per evaluation.
  std::vector<ParameterUse>* uses = nullptr;
  // The organisation's settings (y:setting) and where the keys asked for but
  // not given are recorded; null: none given / not recorded.
  const Settings* settings = nullptr;
  std::set<std::string>* unset = nullptr;
  void install(xmlXPathContextPtr ctx) const override;
};

// Whether y:<name> exists (rule files are checked against this at load).
bool is_function(const std::string& name);

// Age in whole years on `on` (Japanese law); -1 if on < birth.
int age_on(const text::CivilDate& birth, const text::CivilDate& on);

// The y: functions on plain values, after XPath's argument conversions. The
// libxml2 callbacks and the native evaluator (rules/native.h) both call
// these, so the two give the same answers. std::nullopt is an XPath error
// (an unknown table or parameter, a bad pattern): a bug in the rule file.
namespace y {
double age(const std::string& birth, const std::string& on);
double days(const std::string& from, const std::string& to);
std::string add_days(const std::string& date, double n);
std::string add_months(const std::string& date, double n);
std::string date(const std::string& s);
std::string today(const FunctionEnv& env);
std::optional<bool> in_codes(const FunctionEnv& env, const std::string& table,
                             const std::string& v);
bool is_katakana(const std::string& s);
std::optional<bool> matches(const std::string& s, const std::string& regex);
double digit_count(const std::string& s);
// `on` null: today.
std::optional<std::string> param(const FunctionEnv& env, const std::string& name,
                                 const std::string* on);
// The effective date (ISO) of the value param() gives; the same nullopt and ''.
std::optional<std::string> param_from(const FunctionEnv& env, const std::string& name,
                                      const std::string* on);
std::string setting(const FunctionEnv& env, const std::string& key);
std::string era_month(const std::string& date);
std::string grouped(double n);
}  // namespace y

}  // namespace yoshiki::rules
