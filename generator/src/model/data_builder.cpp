#include "model/data_builder.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "fields/common.h"
#include "fields/naming.h"
#include "io/io.h"
#include "xml/data_path.h"

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

// Drops whitespace-only text between elements, then elements left empty.
bool prune(xmlNode* n, bool is_root) {
  for (xmlNode* c = n->children; c;) {
    xmlNode* next = c->next;
    if (c->type == XML_ELEMENT_NODE) {
      if (prune(c, false)) xml::remove(c);
    } else if (c->type == XML_TEXT_NODE && xmlFirstElementChild(n)) {
      xml::remove(c);
    } else if (c->type == XML_COMMENT_NODE) {
      xml::remove(c);
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

// Repeated rows are made one by one up to the highest index (make_path),
// so an index is refused unless it is within the rows the PDF's fields
// hold (a form has a field for every row it lays out, 1 to n: n distinct
// indexes), or within kRowsAnyway (a filler may drop empty rows' fields),
// and never past kMaxRows. One field named consultation[200000]/date made
// 200,000 rows in quadratic time; the test is linear in the fields.
constexpr std::size_t kRowsAnyway = 1000;
constexpr std::size_t kMaxRows = 10000;

// The bindings with those of repeated rows ("[#]") made concrete for every
// row index the PDF holds a field for (each names its own index); an index
// beyond the rows is an error naming the first such field per row path,
// with the count of the others.
// Plain bindings are not copied: `rows` holds the concrete ones (a deque:
// the pointers stay valid as it grows).
std::vector<const fields::Binding*> with_row_indices(const std::vector<fields::Binding>& bindings,
                                                     const pdf::PdfFormContent& pdf,
                                                     const std::string& data_root,
                                                     const std::string& source,
                                                     std::deque<fields::Binding>& made,
                                                     std::vector<Diagnostic>& notes) {
  std::vector<const fields::Binding*> out;
  out.reserve(bindings.size());
  struct Row {
    const fields::Binding* binding;
    std::string field, index;
  };
  std::map<std::string, std::vector<Row>> rows;       // row path ("a/b") → fields of its rows
  std::map<std::string, std::set<std::string>> seen;  // row path → distinct indexes
  for (const auto& b : bindings) {
    if (!fields::naming::indexed(b.field)) {
      out.push_back(&b);
      continue;
    }
    const std::string row_path = b.path.substr(0, b.path.find(fields::naming::kRowIndex));
    auto add = [&](const std::string& name) {
      auto index = fields::naming::row_index(b.field, name);
      if (!index) return;
      rows[row_path].push_back({&b, name, *index});
      seen[row_path].insert(*index);
    };
    for (const auto& entry : pdf.text) add(entry.first);
    for (const auto& entry : pdf.buttons) add(entry.first);
  }
  for (const auto& [row_path, list] : rows) {
    const std::size_t limit = std::min(std::max(seen[row_path].size(), kRowsAnyway), kMaxRows);
    const Row* first_refused = nullptr;
    std::size_t refused = 0;
    for (const Row& r : list) {
      // Indexes have no leading zeros (row_index): more digits, more rows.
      const std::string most = std::to_string(limit);
      const bool within =
          r.index.size() < most.size() || (r.index.size() == most.size() && r.index <= most);
      if (within) {
        fields::Binding& row = made.emplace_back(*r.binding);
        row.field = r.field;
        row.path = fields::naming::with_index(r.binding->path, r.index);
        out.push_back(&row);
      } else if (refused++ == 0 || r.field < first_refused->field) {
        first_refused = &r;
      }
    }
    if (!first_refused) continue;
    const std::string n = std::to_string(limit), others = std::to_string(refused - 1);
    Diagnostic d(Severity::Error, "pdf.row-index",
                 "row " + first_refused->index + " is past the " + n +
                     " rows this PDF's form can hold" +
                     (refused > 1 ? " (and " + others + " more fields past them)" : "") +
                     "; those fields were not read",
                 source, 0, 0, "/" + data_root + "/" + first_refused->field);
    d.message_ja = "行番号" + first_refused->index + "は、このPDFの欄がある" + n +
                   "行を超えています" + (refused > 1 ? "（ほかに" + others + "欄）" : "") +
                   "。これらの欄は読み取りませんでした。";
    notes.push_back(std::move(d));
  }
  return out;
}

// What the field types read back, gathered before the document changes:
// values by path, parts of split values, radio choices, ticked boxes.
class Edits final : public fields::DataEdits {
 public:
  explicit Edits(xmlNode* root) : root_(root) {}
  std::map<std::string, std::string> values;                // path → value; "" = remove
  std::set<std::string> keep_if_unchosen;                   // radio paths no option sets
  std::map<std::string, std::vector<std::string>> checked;  // path → values ticked

  void set(const std::string& path, const std::string& value) override { values[path] = value; }

  void set_part(const std::string& path, const std::string& split, int part,
                const std::string& value) override {
    auto& parts = parts_[path];
    if (parts.size() < static_cast<size_t>(part)) parts.resize(part);
    parts[part - 1] = value;
    std::string joined;
    bool any = false;
    for (size_t i = 0; i < parts.size(); ++i) {
      joined += (i ? split : "") + parts[i];
      any |= !parts[i].empty();
    }
    values[path] = any ? joined : "";
  }

  void choose(const std::string& path, const std::string& value,
              const std::vector<std::string>& options) override {
    values[path] = value;
    // No option ticked, and the data holds a value none of them sets
    // (anyHours=false for the single option "true"): that agrees.
    if (xmlNode* n = value.empty() ? xml::find_path(root_, path) : nullptr) {
      std::string v = xml::trim(xml::text(n));
      if (std::find(options.begin(), options.end(), v) == options.end())
        keep_if_unchosen.insert(path);
    }
  }

  void tick(const std::string& path, const std::string& value, bool ticked) override {
    auto& list = checked[path];
    if (ticked) list.push_back(value);
  }

 private:
  xmlNode* root_;
  std::map<std::string, std::vector<std::string>> parts_;
};

}  // namespace

ElementOrder element_order(const std::string& xsd_path, const Io& io) {
  auto doc = io::parse_file(io, xsd_path);
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

BuiltData build_data(const std::vector<fields::Binding>& bindings, const pdf::PdfFormContent& pdf,
                     xml::Doc base, const FormInfo& form, const ElementOrder& order,
                     const xml::XPathEnv* functions, const std::string& source) {
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

  // Each field type reads its widgets' values back.
  Edits edits(root);
  std::deque<fields::Binding> rows;
  for (const fields::Binding* b :
       with_row_indices(bindings, pdf, form.data_root, source, rows, out.notes))
    b->item->read_back(*b, pdf, edits);

  auto conflict = [&](const std::string& path) {
    out.notes.push_back(fields::field_wins(source, "/" + form.data_root + "/" + path));
  };
  for (const auto& [path, v] : edits.values) {
    if (edits.keep_if_unchosen.count(path)) continue;
    xmlNode* n = xml::find_path(root, path);
    if (had_base && n && xml::trim(xml::text(n)) != v) conflict(path);
    if (v.empty()) {
      if (n) xml::remove(n);
    } else {
      xml::set_text(n ? n : xml::make_path(root, path), v);
    }
  }
  for (const auto& [path, list] : edits.checked) {
    // A repeated element: replace all of them by the boxes ticked.
    auto steps = path.rfind('/');
    xmlNode* parent =
        steps == std::string::npos ? root : xml::find_path(root, path.substr(0, steps));
    std::string leaf = steps == std::string::npos ? path : path.substr(steps + 1);
    std::vector<std::string> before;
    if (parent) {
      for (xmlNode* c : xml::children(parent, leaf.c_str())) {
        before.push_back(xml::trim(xml::text(c)));
        xml::remove(c);
      }
    }
    if (had_base && before != list) conflict(path);
    if (list.empty()) continue;
    if (!parent) parent = xml::make_path(root, path.substr(0, steps));
    for (const auto& v : list)
      xmlNewTextChild(parent, nullptr, BAD_CAST leaf.c_str(), BAD_CAST v.c_str());
  }
  prune(root, true);
  // Types that rebuild elements from many widgets at once (calendars).
  std::set<const fields::Item*> completed;
  fields::ReadBackDocument rb{pdf, base.get(), functions, source, out.notes};
  for (const auto& b : bindings)
    if (completed.insert(b.item).second) b.item->complete(rb);
  reorder(root, order);
  out.doc = std::move(base);
  return out;
}

}  // namespace yoshiki::model
