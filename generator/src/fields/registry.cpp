#include "fields/registry.h"

#include <deque>
#include <mutex>
#include <set>

namespace yoshiki::fields {

// yoshiki's own types, one file each.
FieldType value_type();
FieldType code_box_type();
FieldType setting_type();
FieldType gap_type();
FieldType fiscal_year_type();
FieldType computed_type();
FieldType wareki_date_type();
FieldType month_day_type();
FieldType comb_type();
FieldType choice_type();
FieldType multiline_type();
FieldType calendar_type();
FieldType page_number_type();

namespace {

struct Registry {
  std::mutex mutex;
  std::deque<FieldType> types;  // a deque: find() hands out stable pointers
  Registry() {
    for (auto make : {value_type, code_box_type, setting_type, gap_type, fiscal_year_type,
                      computed_type, wareki_date_type, month_day_type, comb_type, choice_type,
                      multiline_type, calendar_type, page_number_type})
      types.push_back(make());
  }
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

std::vector<FieldType> types() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  return {r.types.begin(), r.types.end()};
}

const FieldType* find(Placement placement, const xmlNode* n) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  const FieldType* fallback = nullptr;
  const std::string_view name = xml::name(n);
  for (const auto& t : r.types) {
    if (t.placement != placement || t.element != name) continue;
    if (t.attribute.empty()) {
      if (!fallback) fallback = &t;
    } else if (xml::attr(n, t.attribute.c_str()) == t.value) {
      return &t;
    }
  }
  return fallback;
}

bool register_type(FieldType type) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.types.push_back(std::move(type));
  return true;
}

std::vector<std::string> schema_fragments(const std::string& dir) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& t : types()) {
    if (t.schema.empty()) continue;
    std::string path = t.schema.front() == '/' ? t.schema : dir + "/" + t.schema;
    if (seen.insert(path).second) out.push_back(path);
  }
  return out;
}

}  // namespace yoshiki::fields
