#include "layout/template.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>

namespace yoshiki::layout {
namespace {

struct Loader {
  std::string file;
  const xml::XPathEnv* functions = nullptr;

  Error error(const xmlNode* n, const std::string& msg) const {
    return Error(ErrorKind::InvalidInput, {{Severity::Error, "template", msg, file, xml::line(n)}});
  }

  double number(const xmlNode* n, const char* a, double fallback) const {
    if (!xml::has_attr(n, a)) return fallback;
    std::string v = xml::attr(n, a);
    char* end = nullptr;
    double d = std::strtod(v.c_str(), &end);
    if (end == v.c_str() || *end)
      throw error(n, std::string("attribute ") + a + " is not a number");
    // template.xsd bounds every number; this keeps the layout's arithmetic
    // (and its int conversions) safe for a template that bypassed it.
    if (!(std::fabs(d) <= 1e6)) throw error(n, std::string("attribute ") + a + " is out of range");
    return d;
  }

  std::shared_ptr<xml::XPath> xpath(const xmlNode* n, const std::string& expr) const {
    return std::make_shared<xml::XPath>(expr, file + ":" + std::to_string(xml::line(n)), functions);
  }

  Align align(const std::string& v, Align fallback) const {
    if (v == "left") return Align::Left;
    if (v == "center") return Align::Center;
    if (v == "right") return Align::Right;
    return fallback;
  }

  Style style(const xmlNode* n, Style s) const {
    s.font = xml::attr(n, "font", s.font);
    s.size = number(n, "size", s.size);
    s.pad = number(n, "pad", s.pad);
    s.leading = number(n, "leading", s.leading);
    s.align = align(xml::attr(n, "align"), s.align);
    if (xml::has_attr(n, "valign")) s.valign_top = xml::attr(n, "valign") == "top";
    return s;
  }

  // XML whitespace in templates is layout, not content: a run containing a
  // newline disappears (Japanese has no spaces between words), other runs
  // become one space.
  static std::string collapse(const std::string& s) {
    std::string out;
    size_t i = 0;
    while (i < s.size()) {
      if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
        size_t j = i;
        bool newline = false;
        while (j < s.size() && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r')) {
          newline |= s[j] == '\n';
          ++j;
        }
        if (!newline) out += ' ';
        i = j;
      } else {
        out += s[i++];
      }
    }
    return out;
  }

  Inline inline_item(const xmlNode* n) const {
    Inline it;
    it.line = xml::line(n);
    it.label = xml::attr(n, "label");
    std::string_view nm = xml::name(n);
    if (nm == "opt") {
      it.kind = Inline::Kind::Option;
      it.text = collapse(xml::text(n));
      std::string test = xml::attr(n, "test");
      if (test.empty()) test = "(" + xml::attr(n, "path") + ") = '" + xml::attr(n, "value") + "'";
      it.test = xpath(n, "boolean(" + test + ")");
      it.field = xml::attr(n, "field", xml::attr(n, "path"));
      it.on = xml::attr(n, "on", xml::attr(n, "value"));
      it.multi = xml::attr(n, "multi") == "1" || xml::attr(n, "multi") == "true";
    } else if (nm == "value") {
      it.kind = Inline::Kind::Value;
      it.path = xpath(n, xml::attr(n, "path"));
      std::string w = xml::attr(n, "w");
      it.fill = w == "*";
      it.width_mm = it.fill ? 0 : number(n, "w", 0);
      it.min_size = number(n, "min-size", 0);
      it.align = align(xml::attr(n, "align"), Align::Left);
    } else if (nm == "date") {
      it.kind = Inline::Kind::Date;
      it.path = xpath(n, xml::attr(n, "path"));
      it.blank_era = xml::attr(n, "blank-era");
      if (xml::attr(n, "format") == "month-day") {
        it.month_day = true;
        it.fill = xml::attr(n, "w") == "*";
        it.width_mm = it.fill ? 0 : number(n, "w", 0);
        it.align = Align::Center;
      }
    } else if (nm == "digits") {
      it.kind = Inline::Kind::Digits;
      it.path = xpath(n, xml::attr(n, "path"));
      it.count = static_cast<int>(number(n, "n", 1));
      it.split = xml::attr(n, "split");
      it.part = static_cast<int>(number(n, "part", 0));
    } else if (nm == "gap") {
      it.kind = Inline::Kind::Gap;
      it.width_mm = number(n, "w", 2);
    } else if (nm == "box") {
      it.kind = Inline::Kind::Box;
      it.width_mm = number(n, "w", 10);
      it.path = xml::has_attr(n, "path") ? xpath(n, xml::attr(n, "path")) : nullptr;
      it.align = Align::Center;
    } else if (nm == "setting") {
      it.kind = Inline::Kind::Setting;
      it.text = xml::attr(n, "key");
      it.fallback = xml::attr(n, "default", it.fallback);
    } else if (nm == "fiscal-year") {
      it.kind = Inline::Kind::FiscalYear;
      it.path = xpath(n, xml::attr(n, "path"));
      it.offset = static_cast<int>(number(n, "offset", 0));
      it.blank_era = xml::attr(n, "blank-era", "令和");
    } else {
      throw error(n, "unexpected element <" + std::string(nm) + "> in content");
    }
    return it;
  }

  void content(const xmlNode* n, Cell& cell) const {
    Block line;
    line.kind = Block::Kind::Line;
    line.line = xml::line(n);
    auto flush = [&] {
      if (!line.items.empty()) cell.blocks.push_back(std::move(line));
      line = Block{};
      line.kind = Block::Kind::Line;
    };
    for (xmlNode* c = n->children; c; c = c->next) {
      if (c->type == XML_TEXT_NODE) {
        std::string t = collapse(reinterpret_cast<const char*>(c->content));
        if (t.empty() || t == " ") continue;
        Inline it;
        it.kind = Inline::Kind::Text;
        it.text = t;
        it.line = xml::line(c);
        if (line.items.empty()) line.line = it.line;
        line.items.push_back(std::move(it));
        continue;
      }
      if (c->type != XML_ELEMENT_NODE) continue;
      std::string_view nm = xml::name(c);
      if (nm == "br") {
        flush();
      } else if (nm == "para") {
        flush();
        Block b;
        b.kind = Block::Kind::Para;
        b.line = xml::line(c);
        for (xmlNode* p = c->children; p; p = p->next) {
          if (p->type == XML_TEXT_NODE) {
            Inline it;
            it.text = collapse(reinterpret_cast<const char*>(p->content));
            if (!it.text.empty()) b.items.push_back(std::move(it));
          } else if (p->type == XML_ELEMENT_NODE && xml::name(p) == "br") {
            Inline it;
            it.text = "\n";
            b.items.push_back(std::move(it));
          } else if (p->type == XML_ELEMENT_NODE) {
            b.items.push_back(inline_item(p));
          }
        }
        cell.blocks.push_back(std::move(b));
      } else if (nm == "area") {
        flush();
        Block b;
        b.kind = Block::Kind::Area;
        b.line = xml::line(c);
        b.path = xpath(c, xml::attr(c, "path"));
        b.label = xml::attr(c, "label");
        b.min_size = number(c, "min-size", 0);
        cell.blocks.push_back(std::move(b));
      } else {
        if (line.items.empty()) line.line = xml::line(c);
        line.items.push_back(inline_item(c));
      }
    }
    flush();
  }

  Cell cell(const xmlNode* n, const Style& parent) const {
    Cell c;
    c.line = xml::line(n);
    c.w_mm = number(n, "w", 0);
    c.style = style(n, parent);
    c.border = xml::attr(n, "border", "1") != "0";
    auto rows = xml::children(n, "row");
    if (!rows.empty()) {
      for (xmlNode* r : rows) c.rows.push_back(row(r, c.style));
    } else {
      content(n, c);
    }
    return c;
  }

  Row row(const xmlNode* n, const Style& parent) const {
    Row r;
    r.line = xml::line(n);
    r.h_mm = number(n, "h", 0);
    Style s = style(n, parent);
    for (xmlNode* c : xml::children(n, "cell")) r.cells.push_back(cell(c, s));
    return r;
  }

  Grid grid(const xmlNode* n, const Style& parent) const {
    Grid g;
    g.line = xml::line(n);
    g.x_mm = number(n, "x", 0);
    g.y_mm = number(n, "y", 0);
    g.w_mm = number(n, "w", 0);
    g.style = style(n, parent);
    for (xmlNode* c : xml::children(n)) {
      if (xml::name(c) == "row") {
        RowGroup rg;
        rg.rows.push_back(row(c, g.style));
        g.groups.push_back(std::move(rg));
      } else if (xml::name(c) == "rows") {
        g.groups.push_back(repeated_row(c, g.style));
      } else if (xml::name(c) == "frame") {
        RowGroup rg;
        rg.frame_width = number(c, "width", 1.5);
        Style fs = style(c, g.style);
        for (xmlNode* r : xml::children(c, "row")) rg.rows.push_back(row(r, fs));
        g.groups.push_back(std::move(rg));
      }
    }
    return g;
  }

  Calendar calendar(const xmlNode* n, const Style& parent) const {
    Calendar c;
    c.line = xml::line(n);
    c.x_mm = number(n, "x", 0);
    c.y_mm = number(n, "y", 0);
    c.w_mm = number(n, "w", 0);
    c.h_mm = number(n, "h", 0);
    c.weeks = static_cast<int>(number(n, "weeks", 5));
    c.from = xpath(n, xml::attr(n, "from"));
    c.to = xpath(n, xml::attr(n, "to"));
    c.days = xpath(n, xml::attr(n, "days"));
    c.date = xpath(n, xml::attr(n, "date", "date"));
    c.mark = xpath(n, xml::attr(n, "mark"));
    c.set = xml::attr(n, "set", "mark");
    c.label = xml::attr(n, "label");
    c.style = style(n, parent);
    return c;
  }

  // The repeated element's path names the fields (path[index]/…), so it must
  // be a plain child path: no predicates, axes or functions.
  std::string element_path(const xmlNode* n, const char* attribute) const {
    std::string p = xml::attr(n, attribute);
    bool plain = !p.empty() && p.front() != '/' && p.back() != '/';
    for (char ch : p)
      plain = plain &&
              (std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' || ch == '_' || ch == '-');
    if (!plain || p.find("//") != std::string::npos)
      throw error(
          n, std::string("attribute ") + attribute + " must be a plain child path such as a/b");
    return p;
  }

  RowGroup repeated_row(const xmlNode* n, const Style& parent) const {
    auto rr = std::make_shared<RowRepeat>();
    rr->path = element_path(n, "path");
    rr->items = xpath(n, rr->path);
    rr->from = static_cast<int>(number(n, "from", 0));
    rr->count = static_cast<int>(number(n, "count", 1));
    rr->row = row(n, parent);
    RowGroup rg;
    rg.rows.push_back(rr->row);
    rg.repeat = std::move(rr);
    return rg;
  }

  std::shared_ptr<const PageFlow> page_flow(const xmlNode* p) const {
    if (!xml::has_attr(p, "flow")) return nullptr;
    auto f = std::make_shared<PageFlow>();
    f->path = element_path(p, "flow");
    f->items = xpath(p, f->path);
    f->from = static_cast<int>(number(p, "from", 1));
    f->per_page = static_cast<int>(number(p, "per-page", 1));
    f->min_pages = static_cast<int>(number(p, "min-pages", 1));
    return f;
  }
};

}  // namespace

namespace {
void collect(const Cell& c, std::vector<Binding>& out, std::set<std::string>& seen) {
  for (const auto& r : c.rows)
    for (const auto& cc : r.cells) collect(cc, out, seen);
  auto add = [&](Binding b) {
    if (seen.insert(b.field).second) out.push_back(std::move(b));
  };
  for (const auto& b : c.blocks) {
    if (b.kind == Block::Kind::Area)
      add({Binding::Kind::Text, b.path->text(), b.path->text(), "", 0, "", {}});
    if (b.kind != Block::Kind::Line) continue;
    for (const auto& it : b.items) {
      switch (it.kind) {
        case Inline::Kind::Value:
        case Inline::Kind::Box:
          if (it.path) add({Binding::Kind::Text, it.path->text(), it.path->text(), "", 0, "", {}});
          break;
        case Inline::Kind::Date:
          add({Binding::Kind::Date, it.path->text(), it.path->text(), "", 0, "", {}});
          break;
        case Inline::Kind::Digits: {
          bool parts = !it.split.empty() && it.part > 0;
          std::string name = it.path->text() + (parts ? "#" + std::to_string(it.part) : "");
          add({Binding::Kind::Comb,
               name,
               it.path->text(),
               parts ? it.split : "",
               parts ? it.part : 0,
               "",
               {}});
          break;
        }
        case Inline::Kind::Option:
          if (it.field.empty()) break;
          if (it.multi)
            add({Binding::Kind::CheckBox, it.field + "#" + it.on, it.field, "", 0, it.on, {}});
          else {
            add({Binding::Kind::Radio, it.field, it.field, "", 0, "", {}});
            auto b = std::find_if(out.begin(), out.end(),
                                  [&](const Binding& x) { return x.field == it.field; });
            if (std::find(b->ons.begin(), b->ons.end(), it.on) == b->ons.end())
              b->ons.push_back(it.on);
          }
          break;
        default:
          break;
      }
    }
  }
}

// The fields of a repeated row, named path[#]/relative-path.
void collect_repeated(const RowRepeat& rr, std::vector<Binding>& out, std::set<std::string>& seen) {
  std::vector<Binding> row;
  std::set<std::string> row_seen;
  for (const auto& c : rr.row.cells) collect(c, row, row_seen);
  const std::string prefix = rr.path + Binding::kRowIndex + "/";
  for (auto& b : row) {
    b.field = prefix + b.field;
    b.path = prefix + b.path;
    if (seen.insert(b.field).second) out.push_back(std::move(b));
  }
}
}  // namespace

std::vector<Binding> bindings(const Template& t) {
  std::vector<Binding> out;
  std::set<std::string> seen;
  for (const auto& p : t.pages) {
    for (const auto& g : p.grids)
      for (const auto& rg : g.groups) {
        if (rg.repeat) {
          collect_repeated(*rg.repeat, out, seen);
          continue;
        }
        for (const auto& r : rg.rows)
          for (const auto& c : r.cells) collect(c, out, seen);
      }
    for (const auto& b : p.boxes) collect(b.cell, out, seen);
  }
  return out;
}

std::vector<CalendarBinding> calendar_bindings(const Template& t) {
  std::vector<CalendarBinding> out;
  for (const auto& p : t.pages)
    for (const auto& c : p.calendars)
      out.push_back({c.days->text(), 7 * c.weeks, c.from, c.date, c.mark, c.date->text(), c.set});
  return out;
}

Template load_template(const std::string& path, const xml::Schema& template_schema,
                       const xml::XPathEnv* functions, const Io& io) {
  auto doc = xml::parse(io.read(path, xml::kMaxDocumentBytes), path);
  auto problems = template_schema.validate(doc.get(), path);
  if (!problems.empty()) throw Error(ErrorKind::InvalidInput, std::move(problems));
  Loader ld{path, functions};
  xmlNode* root = xmlDocGetRootElement(doc.get());
  Template t;
  t.path = path;
  Style base = ld.style(root, Style{});
  for (xmlNode* p : xml::children(root, "page")) {
    TemplatePage page;
    page.flow = ld.page_flow(p);
    Style ps = ld.style(p, base);
    for (xmlNode* c : xml::children(p)) {
      if (xml::name(c) == "grid") {
        page.grids.push_back(ld.grid(c, ps));
      } else if (xml::name(c) == "box") {
        Box b;
        b.x_mm = ld.number(c, "x", 0);
        b.y_mm = ld.number(c, "y", 0);
        b.h_mm = ld.number(c, "h", 0);
        b.cell = ld.cell(c, ps);
        page.boxes.push_back(std::move(b));
      } else if (xml::name(c) == "calendar") {
        page.calendars.push_back(ld.calendar(c, ps));
      }
    }
    t.pages.push_back(std::move(page));
  }
  return t;
}

}  // namespace yoshiki::layout
