#include "layout/template.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "fields/registry.h"

namespace yoshiki::layout {
namespace {

struct Loader final : fields::TemplateReader {
  std::string file;
  const xml::XPathEnv* functions = nullptr;
  Loader(std::string file, const xml::XPathEnv* functions)
      : file(std::move(file)), functions(functions) {}

  Error error(const xmlNode* n, const std::string& msg) const override {
    return Error(ErrorKind::InvalidInput, {{Severity::Error, "template", msg, file, xml::line(n)}});
  }

  double number(const xmlNode* n, const char* a, double fallback) const override {
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

  std::shared_ptr<xml::XPath> xpath(const xmlNode* n, const std::string& expr) const override {
    return std::make_shared<xml::XPath>(expr, file + ":" + std::to_string(xml::line(n)), functions);
  }
  const xml::XPathEnv* functions_env() const override { return functions; }

  Align align(const std::string& v, Align fallback) const override {
    if (v == "left") return Align::Left;
    if (v == "center") return Align::Center;
    if (v == "right") return Align::Right;
    return fallback;
  }

  Style style(const xmlNode* n, const Style& parent) const override {
    Style s = parent;
    s.font = xml::attr(n, "font", s.font);
    s.size = number(n, "size", s.size);
    s.pad = number(n, "pad", s.pad);
    s.leading = number(n, "leading", s.leading);
    s.align = align(xml::attr(n, "align"), s.align);
    if (xml::has_attr(n, "valign")) s.valign_top = xml::attr(n, "valign") == "top";
    return s;
  }

  std::string text(const xmlNode* n) const override { return collapse(xml::text(n)); }

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

  // An element of a field type (fields/registry.h) standing at `placement`.
  std::shared_ptr<const fields::Item> field(fields::Placement placement, const xmlNode* n,
                                            const Style& parent) const {
    const fields::FieldType* type = fields::find(placement, n);
    if (!type) throw error(n, "unexpected element <" + std::string(xml::name(n)) + "> in content");
    return type->parse(n, *this, parent);
  }

  void content(const xmlNode* n, Cell& cell) const {
    using fields::Placement;
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
        if (line.items.empty()) line.line = xml::line(c);
        line.items.push_back(fields::make_label(t, xml::line(c)));
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
            std::string t = collapse(reinterpret_cast<const char*>(p->content));
            if (!t.empty()) b.items.push_back(fields::make_label(t, xml::line(p)));
          } else if (p->type == XML_ELEMENT_NODE && xml::name(p) == "br") {
            b.items.push_back(fields::make_label("\n", xml::line(p)));
          } else if (p->type == XML_ELEMENT_NODE) {
            b.items.push_back(field(Placement::Inline, p, cell.style));
          }
        }
        cell.blocks.push_back(std::move(b));
      } else if (fields::find(Placement::Block, c)) {
        flush();
        Block b;
        b.kind = Block::Kind::Field;
        b.line = xml::line(c);
        b.field = field(Placement::Block, c, cell.style);
        cell.blocks.push_back(std::move(b));
      } else {
        if (line.items.empty()) line.line = xml::line(c);
        line.items.push_back(field(Placement::Inline, c, cell.style));
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

std::unique_ptr<xml::Schema> template_schema(const std::string& xsd, const Io& io) {
  const size_t slash = xsd.rfind('/');
  std::vector<std::pair<std::string, std::string>> fragments;
  for (const auto& path :
       fields::schema_fragments(slash == std::string::npos ? "." : xsd.substr(0, slash)))
    fragments.emplace_back(io.read(path, xml::kMaxDocumentBytes), path);
  return std::make_unique<xml::Schema>(io.read(xsd, xml::kMaxDocumentBytes), xsd, fragments);
}

Template load_template(const std::string& path, const xml::Schema& template_schema,
                       const xml::XPathEnv* functions, const Io& io) {
  auto doc = xml::parse(io.read(path, xml::kMaxDocumentBytes), path);
  auto problems = template_schema.validate(doc.get(), path);
  if (!problems.empty()) throw Error(ErrorKind::InvalidInput, std::move(problems));
  Loader ld(path, functions);
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
      } else {
        page.fields.push_back(ld.field(fields::Placement::Page, c, ps));
      }
    }
    t.pages.push_back(std::move(page));
  }
  return t;
}

}  // namespace yoshiki::layout
