#include "xml/schema_text.h"

#include <libxml/xmlerror.h>

#include <cstdlib>
#include <vector>

#include "xml/xml.h"

namespace yoshiki::xml {
namespace {

const xmlChar* const kXsd = reinterpret_cast<const xmlChar*>("http://www.w3.org/2001/XMLSchema");
// A schema is trusted data, but --resources may point anywhere: recursive
// types stop at this depth, and a schema yields at most this many paths.
constexpr int kMaxDepth = 32;
constexpr std::size_t kMaxPaths = 20000;

bool is_xs(const xmlNode* n, std::string_view local) {
  return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, kXsd) && name(n) == local;
}

std::string without_prefix(std::string qname) {
  auto colon = qname.find(':');
  return colon == std::string::npos ? qname : qname.substr(colon + 1);
}

// The xs:documentation xml:lang="ja" of a declaration, or "".
std::string japanese_doc(const xmlNode* decl) {
  for (xmlNode* a : children(decl, "annotation")) {
    for (xmlNode* d : children(a, "documentation")) {
      xmlChar* lang = xmlGetNsProp(d, reinterpret_cast<const xmlChar*>("lang"), XML_XML_NAMESPACE);
      bool ja = lang && xmlStrEqual(lang, reinterpret_cast<const xmlChar*>("ja"));
      xmlFree(lang);
      if (ja) return text(d);
    }
  }
  return "";
}

struct LabelWalk {
  std::map<std::string, const xmlNode*, std::less<>> complex_types;
  std::map<std::string, std::string, std::less<>>& out;
  const std::set<std::string, std::less<>>& date_types;  // simple types restricting xs:date
  std::set<std::string, std::less<>>& dates;             // paths of date elements
  std::map<std::string, long, std::less<>>& max_occurs;

  void element(const xmlNode* decl, const std::string& path, int depth) {
    if (depth > kMaxDepth || out.size() >= kMaxPaths) return;
    out.emplace(path, japanese_doc(decl));
    if (has_attr(decl, "maxOccurs")) {
      const std::string max = attr(decl, "maxOccurs");
      char* end = nullptr;
      const long n = std::strtol(max.c_str(), &end, 10);
      if (!max.empty() && *end == '\0' && n > 0) max_occurs.emplace(path, n);
    }
    if (has_attr(decl, "type") &&
        (attr(decl, "type") == "xs:date" || date_types.count(without_prefix(attr(decl, "type")))))
      dates.insert(path);
    const xmlNode* type = nullptr;
    if (has_attr(decl, "type")) {
      auto it = complex_types.find(without_prefix(attr(decl, "type")));
      if (it != complex_types.end()) type = it->second;
    } else if (auto local = children(decl, "complexType"); !local.empty()) {
      type = local.front();
    }
    if (type) content(type, path, depth + 1);
  }

  // Element declarations anywhere in a content model (sequence, choice,
  // all, complexContent, and the base type an extension names).
  void content(const xmlNode* model, const std::string& path, int depth) {
    if (depth > kMaxDepth) return;
    for (xmlNode* c = model->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE || is_xs(c, "annotation")) continue;
      if (is_xs(c, "element")) {
        if (has_attr(c, "name")) element(c, path + "/" + attr(c, "name"), depth);
        continue;
      }
      if ((is_xs(c, "extension") || is_xs(c, "restriction")) && has_attr(c, "base")) {
        auto it = complex_types.find(without_prefix(attr(c, "base")));
        if (it != complex_types.end()) content(it->second, path, depth + 1);
      }
      content(c, path, depth + 1);
    }
  }
};

// The strings libxml2 quotes in a message ('…'), in order.
std::vector<std::string> quoted(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t at = s.find('\''); at != std::string::npos;) {
    auto end = s.find('\'', at + 1);
    if (end == std::string::npos) break;
    out.push_back(s.substr(at + 1, end - at - 1));
    at = s.find('\'', end + 1);
  }
  return out;
}

// "Expected is ( a, b )." / "Expected is one of ( a, b )." → {a, b}.
std::vector<std::string> expected_names(const std::string& s) {
  std::vector<std::string> out;
  auto at = s.find("Expected is");
  if (at == std::string::npos) return out;
  auto open = s.find("( ", at), close = s.find(" )", at);
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::string list = s.substr(open + 2, close - open - 2);
  for (std::size_t from = 0; from <= list.size();) {
    auto comma = list.find(", ", from);
    std::string n =
        list.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    if (auto brace = n.rfind('}'); brace != std::string::npos) n.erase(0, brace + 1);  // {ns}name
    if (!n.empty() && n != "##other") out.push_back(n);
    if (comma == std::string::npos) break;
    from = comma + 2;
  }
  return out;
}

std::string last_step(std::string_view path) {
  auto slash = path.rfind('/');
  std::string_view step = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (auto bracket = step.find('['); bracket != std::string_view::npos)
    step = step.substr(0, bracket);
  return std::string(step);
}

std::string element_path(std::string_view path) {
  if (auto at = path.find("/@"); at != std::string_view::npos) path = path.substr(0, at);
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '[') {
      while (i < path.size() && path[i] != ']') ++i;
    } else {
      out += path[i];
    }
  }
  return out;
}

// The built-in types the forms' schemas derive from.
std::string builtin_label(std::string_view type) {
  static const std::map<std::string_view, std::string_view> kBuiltins{
      {"xs:date", "年月日（YYYY-MM-DD）"},
      {"xs:integer", "整数"},
      {"xs:nonNegativeInteger", "0以上の整数"},
      {"xs:positiveInteger", "1以上の整数"},
      {"xs:decimal", "数値"},
      {"xs:boolean", "true または false"},
      {"xs:gYear", "西暦年"},
      {"xs:string", "文字列"}};
  auto it = kBuiltins.find(type);
  return it == kBuiltins.end() ? std::string() : std::string(it->second);
}

}  // namespace

std::string with_commas(long n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

SchemaText::SchemaText(xmlDoc* xsd) {
  xmlNode* root = xsd ? xmlDocGetRootElement(xsd) : nullptr;
  if (!root) return;
  std::set<std::string, std::less<>> date_types;
  LabelWalk walk{{}, elements_, date_types, dates_, max_occurs_};
  for (xmlNode* c : children(root, nullptr)) {
    if (is_xs(c, "complexType") && has_attr(c, "name")) walk.complex_types[attr(c, "name")] = c;
    if (is_xs(c, "simpleType") && has_attr(c, "name")) {
      types_[attr(c, "name")] = japanese_doc(c);
      for (xmlNode* r : children(c, "restriction"))
        if (attr(r, "base") == "xs:date") date_types.insert(attr(c, "name"));
    }
  }
  for (xmlNode* c : children(root, nullptr)) {
    if (!is_xs(c, "element") || !has_attr(c, "name")) continue;
    // Appended, not "/" + name: GCC 12 at -O3 warns (-Wrestrict) on that
    // temporary, a known false positive.
    std::string path = "/";
    path += attr(c, "name");
    walk.element(c, path, 0);
  }
}

bool SchemaText::is_date(std::string_view instance_path) const {
  return dates_.count(element_path(instance_path)) > 0;
}

std::string SchemaText::label(std::string_view instance_path) const {
  auto it = elements_.find(element_path(instance_path));
  return it == elements_.end() ? std::string() : it->second;
}

long SchemaText::max_occurs(std::string_view instance_path) const {
  auto it = max_occurs_.find(element_path(instance_path));
  return it == max_occurs_.end() ? 0 : it->second;
}

std::string SchemaText::item(std::string_view path) const {
  std::string l = label(path);
  if (l.empty()) l = last_step(element_path(path));
  return l.empty() ? "文書" : "「" + l + "」";
}

std::string SchemaText::japanese(int code, const std::string& english,
                                 std::string_view path) const {
  const std::string it = item(path);
  // What follows "Element 'x'[, attribute 'y']: [facet 'z'] ": the element
  // and facet names are not the values the cases below look for.
  std::string detail = english;
  if (detail.rfind("Element '", 0) == 0) {
    if (auto colon = detail.find("': "); colon != std::string::npos) detail.erase(0, colon + 3);
  }
  if (detail.rfind("[facet '", 0) == 0) {
    if (auto close = detail.find("'] "); close != std::string::npos) detail.erase(0, close + 3);
  }
  const auto q = quoted(detail);
  const std::string last = q.empty() ? "" : q.back();
  auto has = [&](const char* s) { return detail.find(s) != std::string::npos; };
  auto items = [&](const std::vector<std::string>& names, std::string_view parent) {
    std::string out;
    for (const auto& n : names) {
      if (!out.empty()) out += "、";
      out += item(std::string(parent) + "/" + n);
    }
    return names.size() > 1 ? out + "のいずれか" : out;
  };
  const std::string parent = element_path(path).substr(0, element_path(path).rfind('/'));
  switch (code) {
    case XML_SCHEMAV_ELEMENT_CONTENT:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_4: {
      auto names = expected_names(detail);
      if (has("Missing child element")) {
        return it + "に必要な項目がありません" +
               (names.empty() ? "" : "（" + items(names, element_path(path)) + "）") + "。";
      }
      if (has("not expected")) {
        return it + "はこの位置に書けない項目です" +
               (names.empty() ? "" : "（ここに書けるのは" + items(names, parent) + "）") + "。";
      }
      break;
    }
    case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1:
    case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_2:
    case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_3: {
      if (last == "xs:date" || is_date(path))
        return it +
               "は日付として読めません。2024-05-21、2024/5/21、2024年5月21日、令和6年5月21日、"
               "R6.5.21 のように、実在する日付を書いてください。";
      std::string type;
      if (auto t = types_.find(last); t != types_.end()) type = t->second;
      if (type.empty()) type = builtin_label(last);
      return it + "の値が" + (type.empty() ? "" : "「" + type + "」として") + "正しくありません。";
    }
    case XML_SCHEMAV_CVC_LENGTH_VALID:
      if (q.size() >= 2) return it + "は" + q[1] + "文字で書きます（" + q[0] + "文字あります）。";
      break;
    case XML_SCHEMAV_CVC_MINLENGTH_VALID:
      if (q.size() >= 2 && q[0] == "0") return it + "が空です。";
      if (q.size() >= 2) return it + "は" + q[1] + "文字以上で書きます（" + q[0] + "文字です）。";
      break;
    case XML_SCHEMAV_CVC_MAXLENGTH_VALID:
      if (q.size() >= 2) return it + "は" + q[1] + "文字までです（" + q[0] + "文字あります）。";
      break;
    case XML_SCHEMAV_CVC_MININCLUSIVE_VALID:
      if (!last.empty()) return it + "は" + last + "以上の値です。";
      break;
    case XML_SCHEMAV_CVC_MAXINCLUSIVE_VALID:
      if (!last.empty()) return it + "は" + last + "以下の値です。";
      break;
    case XML_SCHEMAV_CVC_MINEXCLUSIVE_VALID:
      if (!last.empty()) return it + "は" + last + "より大きい値です。";
      break;
    case XML_SCHEMAV_CVC_MAXEXCLUSIVE_VALID:
      if (!last.empty()) return it + "は" + last + "未満の値です。";
      break;
    case XML_SCHEMAV_CVC_TOTALDIGITS_VALID:
    case XML_SCHEMAV_CVC_FRACTIONDIGITS_VALID:
      return it + "の桁数が多すぎます。";
    case XML_SCHEMAV_CVC_PATTERN_VALID:
      return it + "の書式が正しくありません。";
    case XML_SCHEMAV_CVC_ENUMERATION_VALID: {
      auto open = detail.find('{'), close = detail.rfind('}');
      if (open == std::string::npos || close == std::string::npos || close < open) break;
      std::string choices;
      for (const auto& c : quoted(detail.substr(open, close - open)))
        choices += (choices.empty() ? "" : "、") + c;
      return it + "の値は " + choices + " のいずれかです。";
    }
    case XML_SCHEMAV_CVC_TYPE_3_1_1:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2:
      if (!q.empty()) return it + "に属性「" + q.front() + "」は書けません。";
      break;
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_4:
      if (!q.empty()) return it + "に必要な属性「" + q.front() + "」がありません。";
      break;
    case XML_SCHEMAV_CVC_TYPE_3_1_2:
      return it + "には項目を入れられません（値だけを書きます）。";
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1:
      return it + "は空でなければなりません。";
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_2:
      return it + "には文字だけを書きます（項目は入れられません）。";
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3:
      return it + "には文字を書けません（中の項目に書きます）。";
    case XML_SCHEMAV_CVC_IDC:
      return it + "に同じ値が重複しています。";
    case XML_SCHEMAV_CVC_ELT_1:
      return "ルート要素" + it + "はこの様式の定義にありません。";
    default:
      break;
  }
  return it + "が様式の定義（XSD）に適合しません：" + english;
}

std::string SchemaText::japanese_too_many(std::string_view path, long max, long nth) const {
  return item(path) + "は" + with_commas(max) + "件までです（" + with_commas(nth) +
         "件目は書けません）。";
}

}  // namespace yoshiki::xml
