#include "fields/naming.h"

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
  const std::string marker = kRowIndex;
  const size_t at = pattern.find(marker);
  if (at == std::string::npos) return std::nullopt;
  const std::string head = pattern.substr(0, at) + "[",
                    tail = std::string(1, ']').append(pattern, at + marker.size());
  if (name.size() <= head.size() + tail.size() || name.compare(0, head.size(), head) != 0 ||
      name.compare(name.size() - tail.size(), tail.size(), tail) != 0)
    return std::nullopt;
  std::string index = name.substr(head.size(), name.size() - head.size() - tail.size());
  if (index.find_first_not_of("0123456789") != std::string::npos || index[0] == '0')
    return std::nullopt;
  return index;
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
