// data_path — elements of a data document addressed by simple paths
// ("a/b[2]/c", 1-based indices): find, create, set, remove. The model and
// the field types that edit data (read-back) share them.
#pragma once

#include <string>

#include "xml/xml.h"

namespace yoshiki::xml {

xmlNode* nth_child(xmlNode* parent, const std::string& name, int n);  // 1-based; null if none
xmlNode* find_path(xmlNode* root, const std::string& path);           // null if absent
xmlNode* make_path(xmlNode* root, const std::string& path);           // creates what is missing
void set_text(xmlNode* n, const std::string& v);
void remove(xmlNode* n);  // unlinks and frees

}  // namespace yoshiki::xml
