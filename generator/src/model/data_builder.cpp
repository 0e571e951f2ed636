#include "model/data_builder.h"

#include <algorithm>
#include <map>
#include <set>

#include "text/normalize.h"
#include "text/wareki.h"

namespace yoshiki::model {
namespace {

std::string local(const std::string& qname) {
  size_t c = qname.find(':');
  return c == std::string::npos ? qname : qname.substr(c + 1);
}

void sequence_children(xmlNode* n, std::vector<std::string>& out) {
  for (xmlNode* c : xml::children(n)) {
    std::string_view nm = xml::name(c);
    if (nm == "element") {
      std::string name = xml::attr(c, "name", local(xml::attr(c, "ref")));
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    } else if (nm == "sequence" || nm == "choice" || nm == "all" || nm == "complexContent" ||
               nm == "extension") {
      sequence_children(c, out);
    }
  }
}

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

xmlNode* nth_child(xmlNode* parent, const std::string& name, int n) {
  int seen = 0;
  for (xmlNode* c : xml::children(parent, name.c_str()))
    if (++seen == n) return c;
  return nullptr;
}

xmlNode* find(xmlNode* root, const std::string& path) {
  xmlNode* cur = root;
  for (const auto& st : parse_path(path)) {
    cur = nth_child(cur, st.name, st.index);
    if (!cur) return nullptr;
  }
  return cur;
}

xmlNode* make(xmlNode* root, const std::string& path) {
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

// Drops whitespace-only text between elements, then elements left empty.
bool prune(xmlNode* n, bool is_root) {
  for (xmlNode* c = n->children; c;) {
    xmlNode* next = c->next;
    if (c->type == XML_ELEMENT_NODE) {
      if (prune(c, false)) remove(c);
    } else if (c->type == XML_TEXT_NODE && xmlFirstElementChild(n)) {
      remove(c);
    } else if (c->type == XML_COMMENT_NODE) {
      remove(c);
    }
    c = next;
  }
  if (is_root || n->properties) return false;
  if (xmlFirstElementChild(n)) return false;
  std::string t = xml::text(n);
  return t.find_first_not_of(" \t\r\n") == std::string::npos;
}

void reorder(xmlNode* n, const ElementOrder& order) {
  auto kids = xml::children(n);
  for (xmlNode* c : kids) reorder(c, order);
  auto it = order.find(std::string(xml::name(n)));
  if (it == order.end() || kids.size() < 2) return;
  const auto& names = it->second;
  auto rank = [&](xmlNode* c) {
    auto p = std::find(names.begin(), names.end(), std::string(xml::name(c)));
    return p - names.begin();
  };
  std::stable_sort(kids.begin(), kids.end(),
                   [&](xmlNode* a, xmlNode* b) { return rank(a) < rank(b); });
  for (xmlNode* c : kids) {
    xmlUnlinkNode(c);
    xmlAddChild(n, c);
  }
}

Diagnostic field_wins(const std::string& source, const std::string& field) {
  Diagnostic d(Severity::Info, "extract.field-wins",
               "the field and the attached data differ; the field's value is used", source, 0, 0,
               field);
  d.message_ja = "フィールドの値と添付データが異なるため、フィールドの値を採用しました。";
  return d;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

// The bindings with those of repeated rows ("[#]") made concrete for every
// row index the PDF holds a field for (each names its own index).
std::vector<layout::Binding> with_row_indices(const std::vector<layout::Binding>& bindings,
                                              const pdf::PdfFormContent& pdf) {
  std::vector<layout::Binding> out;
  const std::string marker = layout::Binding::kRowIndex;
  for (const auto& b : bindings) {
    if (!b.indexed()) {
      out.push_back(b);
      continue;
    }
    const size_t at = b.field.find(marker);
    const std::string head = b.field.substr(0, at) + "[",
                      tail = "]" + b.field.substr(at + marker.size());
    auto add = [&](const std::string& name) {
      if (name.size() <= head.size() + tail.size() || name.compare(0, head.size(), head) != 0 ||
          name.compare(name.size() - tail.size(), tail.size(), tail) != 0)
        return;
      const std::string index = name.substr(head.size(), name.size() - head.size() - tail.size());
      if (index.find_first_not_of("0123456789") != std::string::npos || index[0] == '0') return;
      layout::Binding row = b;
      row.field = name;
      row.path.replace(row.path.find(marker), marker.size(), "[" + index + "]");
      out.push_back(std::move(row));
    };
    for (const auto& entry : pdf.text) add(entry.first);
    for (const auto& entry : pdf.buttons) add(entry.first);
  }
  return out;
}

}  // namespace

ElementOrder element_order(const std::string& xsd_path) {
  auto doc = xml::parse_file(xsd_path);
  xmlNode* root = xmlDocGetRootElement(doc.get());
  std::map<std::string, std::vector<std::string>> types;
  for (xmlNode* t : xml::children(root, "complexType"))
    sequence_children(t, types[xml::attr(t, "name")]);
  ElementOrder order;
  // Every element declaration, at any depth.
  std::vector<xmlNode*> stack{root};
  while (!stack.empty()) {
    xmlNode* n = stack.back();
    stack.pop_back();
    for (xmlNode* c : xml::children(n)) stack.push_back(c);
    if (xml::name(n) != "element" || !xml::has_attr(n, "name")) continue;
    std::string name = xml::attr(n, "name");
    if (order.count(name)) continue;
    std::vector<std::string> kids;
    if (xml::has_attr(n, "type")) {
      auto t = types.find(local(xml::attr(n, "type")));
      if (t != types.end()) kids = t->second;
    } else {
      for (xmlNode* ct : xml::children(n, "complexType")) sequence_children(ct, kids);
    }
    if (!kids.empty()) order[name] = kids;
  }
  return order;
}

BuiltData build_data(const std::vector<layout::Binding>& bindings, const pdf::PdfFormContent& pdf,
                     xml::Doc base, const FormInfo& form, const ElementOrder& order,
                     const std::string& source) {
  BuiltData out;
  if (!base) {
    base.reset(xmlNewDoc(BAD_CAST "1.0"));
    xmlNode* root = xmlNewNode(nullptr, BAD_CAST form.data_root.c_str());
    xmlDocSetRootElement(base.get(), root);
  }
  xmlNode* root = xmlDocGetRootElement(base.get());
  xmlSetProp(root, BAD_CAST "formId", BAD_CAST form.id.c_str());
  xmlSetProp(root, BAD_CAST "formVersion", BAD_CAST form.version.c_str());
  const bool had_base = xmlFirstElementChild(root) != nullptr;

  // Field name → value as the data wants it; "" = empty field.
  std::map<std::string, std::string> values;  // path → value
  std::set<std::string> keep_if_unchosen;     // radio paths whose base value no option sets
  std::map<std::string, std::vector<std::string>> comb_parts;
  std::map<std::string, std::vector<std::string>> checked;  // path → values ticked
  std::set<std::string> present;                            // paths some field in the PDF covers
  for (const auto& b : with_row_indices(bindings, pdf)) {
    switch (b.kind) {
      case layout::Binding::Kind::Text:
      case layout::Binding::Kind::Date: {
        auto it = pdf.text.find(b.field);
        if (it == pdf.text.end()) break;
        std::string v = trim(it->second);
        if (b.kind == layout::Binding::Kind::Date && !v.empty()) {
          std::string n = text::normalize_numeric(v);
          auto d = text::parse_iso_date(n);
          if (!d) d = text::parse_wareki(n);
          if (d) v = text::format_iso_date(*d);
        }
        values[b.path] = v;
        present.insert(b.path);
        break;
      }
      case layout::Binding::Kind::Comb: {
        auto it = pdf.text.find(b.field);
        if (it == pdf.text.end()) break;
        present.insert(b.path);
        if (b.part == 0) {
          values[b.path] = trim(it->second);
        } else {
          auto& parts = comb_parts[b.path];
          if (parts.size() < static_cast<size_t>(b.part)) parts.resize(b.part);
          parts[b.part - 1] = trim(it->second);
          std::string joined;
          bool any = false;
          for (size_t i = 0; i < parts.size(); ++i) {
            joined += (i ? b.split : "") + parts[i];
            any |= !parts[i].empty();
          }
          values[b.path] = any ? joined : "";
        }
        break;
      }
      case layout::Binding::Kind::Radio: {
        auto it = pdf.buttons.find(b.field);
        if (it == pdf.buttons.end()) break;
        std::string state = it->second.substr(0, it->second.find('~'));  // "true~2" → "true"
        values[b.path] = state;
        // No option ticked, and the data holds a value none of them sets
        // (anyHours=false for the single option "true"): that agrees.
        if (xmlNode* n = state.empty() ? find(root, b.path) : nullptr) {
          std::string v = trim(xml::text(n));
          if (std::find(b.ons.begin(), b.ons.end(), v) == b.ons.end())
            keep_if_unchosen.insert(b.path);
        }
        present.insert(b.path);
        break;
      }
      case layout::Binding::Kind::CheckBox: {
        auto it = pdf.buttons.find(b.field);
        if (it == pdf.buttons.end()) break;
        present.insert(b.path);
        auto& list = checked[b.path];
        if (!it->second.empty()) list.push_back(b.on);
        break;
      }
    }
  }

  auto conflict = [&](const std::string& path) {
    out.notes.push_back(field_wins(source, "/" + form.data_root + "/" + path));
  };
  for (const auto& [path, v] : values) {
    if (keep_if_unchosen.count(path)) continue;
    xmlNode* n = find(root, path);
    if (had_base && n && trim(xml::text(n)) != v) conflict(path);
    if (v.empty()) {
      if (n) remove(n);
    } else {
      set_text(n ? n : make(root, path), v);
    }
  }
  for (const auto& [path, list] : checked) {
    // A repeated element: replace all of them by the boxes ticked.
    auto steps = path.rfind('/');
    xmlNode* parent = steps == std::string::npos ? root : find(root, path.substr(0, steps));
    std::string leaf = steps == std::string::npos ? path : path.substr(steps + 1);
    std::vector<std::string> before;
    if (parent) {
      for (xmlNode* c : xml::children(parent, leaf.c_str())) {
        before.push_back(trim(xml::text(c)));
        remove(c);
      }
    }
    if (had_base && before != list) conflict(path);
    if (list.empty()) continue;
    if (!parent) parent = make(root, path.substr(0, steps));
    for (const auto& v : list)
      xmlNewTextChild(parent, nullptr, BAD_CAST leaf.c_str(), BAD_CAST v.c_str());
  }
  prune(root, true);
  reorder(root, order);
  out.doc = std::move(base);
  return out;
}

namespace {
// ○ and × as people type them.
std::string normalize_mark(const std::string& typed) {
  static const char* const kCircles[] = {"○", "〇", "◯", "o", "O", "ｏ", "Ｏ", "◎"};
  static const char* const kCrosses[] = {"×", "x", "X", "ｘ", "Ｘ", "✕", "✖", "☓", "✗", "╳"};
  const std::string t = trim(typed);
  for (const char* c : kCircles)
    if (t == c) return "○";
  for (const char* c : kCrosses)
    if (t == c) return "×";
  return t;
}
}  // namespace

void apply_calendar_marks(const std::vector<layout::CalendarBinding>& calendars,
                          const pdf::PdfFormContent& pdf, xmlDoc* doc,
                          const xml::XPathEnv* functions, const std::string& source,
                          std::vector<Diagnostic>& notes) {
  xmlNode* root = xmlDocGetRootElement(doc);
  const bool had_base = pdf.attachments.count("data.xml") > 0;  // else every mark is new
  for (const auto& cal : calendars) {
    std::map<int, std::string> typed;  // cell → mark
    for (int n = 1; n <= cal.cells; ++n) {
      auto it = pdf.text.find(cal.days + "#" + std::to_string(n));
      if (it != pdf.text.end()) typed[n] = normalize_mark(it->second);
    }
    if (typed.empty()) continue;
    xml::XPathContext ctx(doc, functions);
    auto from = text::parse_iso_date(cal.from->string(ctx));
    if (!from) {
      bool any = false;
      for (const auto& [n, v] : typed) any |= !v.empty();
      if (any) {
        notes.push_back(
            {Severity::Warning, "extract.calendar",
             "calendar marks cannot be dated without the period's first day; they are left out",
             source, 0, 0, "/" + std::string(xml::name(root)) + "/" + cal.days});
        notes.back().message_ja =
            "期間の初日がないため、カレンダーの印の日付が分かりません。印は読み込みません。";
      }
      continue;
    }
    const long anchor = text::days_from_civil(*from) - text::weekday(*from);
    // The days the data already has, by date.
    std::map<std::string, xmlNode*> days;
    for (xmlNode* day : xml::XPath(cal.days, source).nodes(ctx))
      days[trim(cal.date->string(ctx, day))] = day;
    const auto slash = cal.days.rfind('/');
    const std::string parent_path = slash == std::string::npos ? "" : cal.days.substr(0, slash);
    const std::string leaf = slash == std::string::npos ? cal.days : cal.days.substr(slash + 1);
    for (const auto& [n, mark] : typed) {
      const std::string date = text::format_iso_date(text::civil_from_days(anchor + n - 1));
      auto found = days.find(date);
      const std::string where = "/" + std::string(xml::name(root)) + "/" + cal.days + "[" +
                                cal.date_child + "='" + date + "']";
      if (found == days.end()) {
        if (mark.empty()) continue;
        xmlNode* parent = parent_path.empty() ? root : make(root, parent_path);
        xmlNode* day = xmlNewChild(parent, nullptr, BAD_CAST leaf.c_str(), nullptr);
        xmlNewTextChild(day, nullptr, BAD_CAST cal.date_child.c_str(), BAD_CAST date.c_str());
        xmlNewTextChild(day, nullptr, BAD_CAST cal.set.c_str(), BAD_CAST mark.c_str());
        if (had_base) notes.push_back(field_wins(source, where));
        continue;
      }
      xmlNode* day = found->second;
      if (mark.empty()) {
        remove(day);
        notes.push_back(field_wins(source, where));
        continue;
      }
      if (trim(cal.mark->string(ctx, day)) == mark) continue;  // what the day's data gives
      xmlNode* explicit_mark = nth_child(day, cal.set, 1);
      if (explicit_mark)
        set_text(explicit_mark, mark);
      else
        xmlNewTextChild(day, nullptr, BAD_CAST cal.set.c_str(), BAD_CAST mark.c_str());
      notes.push_back(field_wins(source, where));
    }
  }
}

void put_in_schema_order(xmlDoc* doc, const ElementOrder& order) {
  reorder(xmlDocGetRootElement(doc), order);
}

}  // namespace yoshiki::model
