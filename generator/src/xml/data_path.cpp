#include "xml/data_path.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace yoshiki::xml {
namespace {

struct Step {
  std::string name;
  int index = 1;
};

std::vector<Step> parse_path(const std::string& path) {
  std::vector<Step> steps;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    std::string s = path.substr(pos, end - pos);
    Step st;
    size_t br = s.find('[');
    st.name = s.substr(0, br);
    if (br != std::string::npos) st.index = std::max(1, std::atoi(s.c_str() + br + 1));
    if (!st.name.empty()) steps.push_back(st);
    pos = end + 1;
  }
  return steps;
}

}  // namespace

xmlNode* nth_child(xmlNode* parent, const std::string& name, int n) {
  int seen = 0;
  for (xmlNode* c : children(parent, name.c_str()))
    if (++seen == n) return c;
  return nullptr;
}

xmlNode* find_path(xmlNode* root, const std::string& path) {
  xmlNode* cur = root;
  for (const auto& st : parse_path(path)) {
    cur = nth_child(cur, st.name, st.index);
    if (!cur) return nullptr;
  }
  return cur;
}

xmlNode* make_path(xmlNode* root, const std::string& path) {
  xmlNode* cur = root;
  for (const auto& st : parse_path(path)) {
    xmlNode* next = nth_child(cur, st.name, st.index);
    while (!next) {
      xmlNewChild(cur, nullptr, BAD_CAST st.name.c_str(), nullptr);
      next = nth_child(cur, st.name, st.index);
    }
    cur = next;
  }
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
