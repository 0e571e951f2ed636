#include "xml/data_path.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace yoshiki::xml {
namespace {

// One step of a path: a name and its 1-based index, the name a view of
// the path (read-back resolves a few dozen paths per PDF; a copy of every
// step and a vector of every parent's children was most of it).
struct Step {
  std::string_view name;
  int index = 1;
};

// Calls `step` for each step of `path` in order until it returns false;
// empty steps ("a//b", a leading or trailing "/") are skipped.
template <class F>
bool for_each_step(const std::string& path, F&& step) {
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    const std::string_view s(path.data() + pos, end - pos);
    Step st;
    const size_t br = s.find('[');
    st.name = s.substr(0, br);
    // atoi stops at the "]" (or the "/" after a step without one).
    if (br != std::string_view::npos)
      st.index = std::max(1, std::atoi(path.c_str() + pos + br + 1));
    if (!st.name.empty() && !step(st)) return false;
    pos = end + 1;
  }
  return true;
}

xmlNode* nth_child(xmlNode* parent, std::string_view name, int n) {
  int seen = 0;
  for (xmlNode* c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && xml::name(c) == name && ++seen == n) return c;
  return nullptr;
}

}  // namespace

xmlNode* nth_child(xmlNode* parent, const std::string& name, int n) {
  return nth_child(parent, std::string_view(name), n);
}

xmlNode* find_path(xmlNode* root, const std::string& path) {
  xmlNode* cur = root;
  const bool found = for_each_step(path, [&](const Step& st) {
    cur = nth_child(cur, st.name, st.index);
    return cur != nullptr;
  });
  return found ? cur : nullptr;
}

xmlNode* make_path(xmlNode* root, const std::string& path) {
  xmlNode* cur = root;
  for_each_step(path, [&](const Step& st) {
    xmlNode* next = nth_child(cur, st.name, st.index);
    if (!next) {
      const std::string name(st.name);
      while (!next) {
        xmlNewChild(cur, nullptr, BAD_CAST name.c_str(), nullptr);
        next = nth_child(cur, st.name, st.index);
      }
    }
    cur = next;
    return true;
  });
  return cur;
}

void set_text(xmlNode* n, const std::string& v) {
  xmlNodeSetContent(n, nullptr);
  xmlNodeAddContent(n, BAD_CAST v.c_str());
}

void remove(xmlNode* n) {
  xmlUnlinkNode(n);
  xmlFreeNode(n);
}

}  // namespace yoshiki::xml
