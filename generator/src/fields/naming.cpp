#include "fields/naming.h"

#include <string_view>

namespace yoshiki::fields::naming {

std::string part(const std::string& path, int part) { return path + "#" + std::to_string(part); }

std::string check_box(const std::string& field, const std::string& on) { return field + "#" + on; }

std::string calendar_cell(const std::string& days, int cell) {
  return days + "#" + std::to_string(cell);
}

std::string row_prefix(const std::string& path, int index) {
  return path + "[" + std::to_string(index) + "]/";
}

std::string row_pattern(const std::string& path) { return path + kRowIndex + "/"; }

bool indexed(const std::string& name) { return name.find(kRowIndex) != std::string::npos; }

std::optional<std::string> row_index(const std::string& pattern, const std::string& name) {
  // Compared in place: read-back asks this of every PDF field for every
  // repeated row's binding, and almost all of them are misses.
  const std::string_view marker = kRowIndex, p = pattern, n = name;
  const size_t at = p.find(marker);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view head = p.substr(0, at), tail = p.substr(at + marker.size());
  // name = head "[" index "]" tail
  if (n.size() <= head.size() + tail.size() + 2 || n.substr(0, head.size()) != head ||
      n[head.size()] != '[' || n.substr(n.size() - tail.size()) != tail ||
      n[n.size() - tail.size() - 1] != ']')
    return std::nullopt;
  const std::string_view index =
      n.substr(head.size() + 1, n.size() - head.size() - tail.size() - 2);
  if (index.find_first_not_of("0123456789") != std::string_view::npos || index[0] == '0')
    return std::nullopt;
  return std::string(index);
}

std::string with_index(const std::string& pattern, const std::string& index) {
  std::string out = pattern;
  const size_t at = out.find(kRowIndex);
  if (at != std::string::npos)
    out.replace(at, std::char_traits<char>::length(kRowIndex), "[" + index + "]");
  return out;
}

std::string form_field_value(const std::string& id, const std::string& version) {
  return id + " " + version;
}

std::optional<FormIdentity> parse_form_field(const std::string& value) {
  const size_t space = value.find(' ');
  if (space == std::string::npos || space == 0 || space + 1 == value.size() ||
      value.find(' ', space + 1) != std::string::npos)
    return std::nullopt;
  return FormIdentity{value.substr(0, space), value.substr(space + 1)};
}

std::string radio_value(const std::string& state) { return state.substr(0, state.find('~')); }

}  // namespace yoshiki::fields::naming
