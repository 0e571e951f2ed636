// report/count — see count.h. The decision follows 別添7's own words: a ○
// cell counts; a × cell (same kind of work before and after) counts only if
// the company or organisation changed — for dispatch the 派遣元, for 自営 the
// JSIC middle class; 就業 at an unknown organisation never counts.
#include "report/count.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <sstream>

#include "xml/xml.h"

namespace yoshiki::report {

namespace {

std::vector<std::string> split_words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// xs:boolean spelled either way.
std::string boolean_text(const std::string& s) {
  if (s == "1" || s == "true") return "true";
  if (s == "0" || s == "false") return "false";
  return s;
}

[[noreturn]] void fail(const std::string& path, const xmlNode* n, const std::string& what) {
  throw Error(ErrorKind::InvalidInput, {{Severity::Error, "count.data", what, path, xml::line(n)}});
}

int int_attr(const std::string& path, const xmlNode* n, const char* name, int fallback) {
  if (!xml::has_attr(n, name)) return fallback;
  try {
    return std::stoi(xml::attr(n, name));
  } catch (const std::exception&) {
    fail(path, n, std::string("attribute ") + name + " is not a number");
  }
}

}  // namespace

CountRules::CountRules(const std::string& path, const std::string& schema_path) {
  xml::Doc doc = xml::parse_file(path);
  auto problems = xml::Schema(schema_path).validate(doc.get(), path);
  if (!problems.empty()) throw Error(ErrorKind::InvalidInput, std::move(problems));
  xmlNode* root = xmlDocGetRootElement(doc.get());
  auto section = [&](const char* name) {
    auto found = xml::children(root, name);
    if (found.empty()) fail(path, root, std::string("missing <") + name + ">");
    return found.front();
  };
  for (xmlNode* n : xml::children(section("status-codes"), "status")) {
    statuses_.push_back({xml::attr(n, "code"), xml::attr(n, "name"), xml::attr(n, "work-type"),
                         xml::attr(n, "term"), boolean_text(xml::attr(n, "part-time")),
                         xml::attr(n, "work-kind")});
  }
  for (xmlNode* n : xml::children(section("categories"), "category")) {
    Category c;
    c.id = xml::attr(n, "id");
    c.name = xml::attr(n, "name");
    c.dispatch = xml::attr(n, "dispatch");
    c.codes = split_words(xml::attr(n, "codes"));
    c.compare_industry = xml::attr(n, "changed") == "industry";
    c.unknown_never_counts = boolean_text(xml::attr(n, "unknown-never-counts")) == "true";
    for (const auto& code : c.codes) {
      if (std::none_of(statuses_.begin(), statuses_.end(),
                       [&](const Status& s) { return s.code == code; }))
        fail(path, n, "category " + c.id + " names status code " + code + ", which is not defined");
    }
    categories_.push_back(std::move(c));
  }
  for (xmlNode* row : xml::children(section("table"), "row")) {
    std::string before = xml::attr(row, "before");
    if (before == "none") before = "-";
    for (const auto& c : categories_)
      if (xml::attr(row, c.id.c_str()) == "○") table_.push_back(before + "|" + c.id);
  }
  xmlNode* completion = section("completion");
  try {
    min_attendance_percent_ = std::stod(xml::attr(completion, "min-attendance-percent"));
  } catch (const std::exception&) {
    fail(path, completion, "min-attendance-percent is not a number");
  }
  for (xmlNode* n : xml::children(section("periods"), "period"))
    periods_.push_back({xml::attr(n, "code"), int_attr(path, n, "months", 0)});
  for (xmlNode* n : xml::children(section("employment-types"), "type"))
    types_.push_back(
        {xml::attr(n, "id"), xml::attr(n, "name"), split_words(xml::attr(n, "codes"))});
  for (xmlNode* n : xml::children(section("age-bands"), "band"))
    bands_.push_back(
        {int_attr(path, n, "from", 0), int_attr(path, n, "to", -1), xml::attr(n, "name")});
  snapshot_months_ = int_attr(path, section("snapshot"), "months-after-course-end", 3);
}

std::string CountRules::status_code(const FormChoices& f) const {
  if (f.work_type.empty()) return "";
  const std::string part = boolean_text(f.part_time);
  for (const auto& s : statuses_) {
    auto fits = [](const std::string& want, const std::string& have) {
      return want.empty() || want == have;
    };
    if (s.work_type == f.work_type && fits(s.term, f.term) && fits(s.part_time, part) &&
        fits(s.work_kind, f.work_kind))
      return s.code;
  }
  return "";
}

const std::string& CountRules::status_name(const std::string& code) const {
  static const std::string none;
  for (const auto& s : statuses_)
    if (s.code == code) return s.name;
  return none;
}

std::string CountRules::category(const WorkStatus& status) const {
  for (const auto& c : categories_)
    if (contains(c.codes, status.code) && c.dispatch == status.dispatch) return c.id;
  return "-";
}

const CountRules::Category* CountRules::find_category(const std::string& id) const {
  for (const auto& c : categories_)
    if (c.id == id) return &c;
  return nullptr;
}

bool CountRules::table_counts(const std::string& before, const std::string& after) const {
  return contains(table_, before + "|" + after);
}

bool CountRules::is_completer(double course_hours, double attended_hours) const {
  if (!(course_hours > 0) || !(attended_hours >= 0)) return false;
  // Compare attended × 100 with hours × percent: no rounding at the 80% line.
  return attended_hours * 100.0 >= course_hours * min_attendance_percent_ - 1e-9;
}

CountResult CountRules::evaluate(const WorkStatus& before, const WorkStatus& after,
                                 bool completer) const {
  CountResult r;
  r.before = before.code.empty() ? "-" : category(before);
  r.after = after.code.empty() ? "-" : category(after);
  if (!completer) {
    r.rule = "CNT-004";
    r.reason_ja = "修了者（講習時間数の8割以上を受講）でないため、実績の対象外";
    r.reason_en =
        "not a course completer (attended less than the required share of hours): outside the "
        "count";
    return r;
  }
  const Category* to = find_category(r.after);
  if (!to) {
    r.rule = "CNT-001";
    r.reason_ja = "講習後に雇用・就業・自営をしていない";
    r.reason_en = "not employed, working or self-employed after the course";
    return r;
  }
  if (to->unknown_never_counts && (!after.workplace_known || after.workplace.empty())) {
    r.rule = "CNT-003";
    r.reason_ja = "修了後の就業先が不明なため、カウントしない";
    r.reason_en = "the organisation worked for after the course is unknown: never counted";
    return r;
  }
  if (table_counts(r.before, r.after)) {
    r.counted = true;
    r.rule = "CNT-001";
    r.reason_ja = "実績カウント整理表で○";
    r.reason_en = "○ in the count table";
    return r;
  }
  r.rule = "CNT-002";
  if (to->compare_industry) {
    r.counted =
        !before.industry.empty() && !after.industry.empty() && before.industry != after.industry;
    r.reason_ja = r.counted ? "自営（起業）で産業分類（中分類）が変わったためカウント"
                            : "自営（起業）で産業分類（中分類）が同じか不明なため、カウントしない";
    r.reason_en = r.counted
                      ? "self-employed in another JSIC middle class: counted"
                      : "self-employed in the same (or an unknown) JSIC middle class: not counted";
    return r;
  }
  const bool known = before.workplace_known && after.workplace_known && !before.workplace.empty() &&
                     !after.workplace.empty();
  r.counted = known && !same_workplace(before.workplace, after.workplace);
  const bool dispatched = !after.dispatch.empty();
  if (r.counted) {
    r.reason_ja = dispatched ? "派遣元事業主が変わったためカウント"
                             : "就職先の会社（団体）が変わったためカウント";
    r.reason_en = dispatched ? "another dispatching employer (派遣元): counted"
                             : "another employer or organisation: counted";
  } else {
    r.reason_ja = dispatched ? "派遣元事業主が同じか不明なため、カウントしない"
                             : "同じ会社（団体）か不明なため、カウントしない";
    r.reason_en = dispatched ? "the same (or an unknown) dispatching employer: not counted"
                             : "the same (or an unknown) employer or organisation: not counted";
  }
  return r;
}

std::string CountRules::period_code(const text::CivilDate& course_end,
                                    const text::CivilDate& start) const {
  if (start < course_end) return "";
  for (const auto& p : periods_)
    if (start <= text::add_months(course_end, p.months)) return p.code;
  return "";
}

Achievement achievement(int starters, int completers, int counted) {
  Achievement a;
  a.starters = starters;
  a.completers = completers;
  a.dropouts = starters - completers;
  a.counted = counted;
  a.rate_percent = completers > 0 ? 100.0 * counted / completers : 0.0;
  return a;
}

bool same_workplace(const std::string& a, const std::string& b) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  auto key = [&](const std::string& s) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(s), out;
    if (U_SUCCESS(status)) out = nfkc->normalize(u, status);
    std::string k;
    out.toUTF8String(k);
    std::erase_if(k, [](char c) { return c == ' ' || c == '\t'; });
    return k;
  };
  return key(a) == key(b);
}

}  // namespace yoshiki::report
