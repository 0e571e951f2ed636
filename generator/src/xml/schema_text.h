// schema_text — Japanese sentences for XSD violations. libxml2 reports them
// in English; staff read Japanese. Each element's name on the form comes from
// the schema itself (its xs:documentation xml:lang="ja"), so the sentence
// names the item as it is printed ("生年月日"), not as it is tagged.
#pragma once

#include <libxml/tree.h>

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace yoshiki::xml {

// An occurrence count as staff read it: 1000 → "1,000".
std::string with_commas(long n);

class SchemaText {
 public:
  // Reads the labels of a schema document: every element reachable from a
  // global element, by its path from the root, and every named simple type.
  explicit SchemaText(xmlDoc* xsd);

  // The label of the element at an instance path ("/a/b[2]/c": indexes are
  // ignored), or "" when the schema gives none.
  std::string label(std::string_view instance_path) const;

  // Whether the element at an instance path is of a date type (xs:date or a
  // simple type restricting it).
  bool is_date(std::string_view instance_path) const;

  // The declared maxOccurs of the element at an instance path, or 0 when
  // the schema gives none or "unbounded".
  long max_occurs(std::string_view instance_path) const;

  // The Japanese sentence for a violation: libxml2's error code, its English
  // message (with the value already cut out), and the element's path.
  std::string japanese(int code, const std::string& english, std::string_view path) const;

  // The Japanese sentence for the nth occurrence of an element declared with
  // maxOccurs="max" (libxml2 says only "This element is not expected").
  std::string japanese_too_many(std::string_view path, long max, long nth) const;

 private:
  std::string item(std::string_view path) const;  // 「label」, or 「name」 without one
  std::map<std::string, std::string, std::less<>> elements_;  // path without indexes → label
  std::map<std::string, std::string, std::less<>> types_;     // simple type name → label
  std::set<std::string, std::less<>> dates_;                  // paths of date elements
  std::map<std::string, long, std::less<>> max_occurs_;       // path → maxOccurs (bounded only)
};

}  // namespace yoshiki::xml
