// The overlap check (layout/overlap.h) over every sample of samples/*/, the
// blank forms, and long-value stress data that drives the shrink and wrap
// paths: no text may touch a rule, a box, a mark or other text. A doctored
// layout (a label moved across its cell's edge) must give exactly that collision.
// The static cells recorded once (layout::StaticDrawing) and replayed give
// the same pages as a fresh layout, and keep no value; written to PDF, they
// are each page's first content stream, made once and the same in every
// document, and the two streams draw what one stream draws.
#include <libxml/tree.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "layout/layout.h"
#include "layout/overlap.h"
#include "layout/template.h"
#include "pdf/write/writer.h"
#include "rules/rules.h"
#include "support.h"
#include "text/font.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace layout = yoshiki::layout;
namespace xml = yoshiki::xml;
using namespace yoshiki::test;

namespace {

struct Form {
  std::unique_ptr<yoshiki::rules::RuleSet> rules;  // its y: functions (dated parameters)
  layout::Template tmpl;
};

// Every catalogue form's template, loaded as the engine loads it.
const std::map<std::string, Form>& forms() {
  static const auto built = [] {
    std::map<std::string, Form> out;
    const auto cat = yoshiki::catalog::load(kRoot);
    static const auto tschema = layout::template_schema(cat.template_schema);
    static const xml::Schema rschema(cat.rules_schema);
    for (const auto& info : cat.forms) {
      Form f;
      if (!info.rules_path.empty())
        f.rules = std::make_unique<yoshiki::rules::RuleSet>(info.rules_path, rschema);
      f.tmpl = layout::load_template(info.template_path, *tschema,
                                     f.rules ? &f.rules->functions() : nullptr);
      f.tmpl.id = info.id;
      out.emplace(info.id, std::move(f));
    }
    return out;
  }();
  return built;
}

const yoshiki::text::FontSet& fonts() {
  static const yoshiki::text::FontSet f(kRoot + "/fonts/fonts.xml");
  return f;
}

const yoshiki::Settings& organisation() {
  static const auto s = yoshiki::load_settings(kRoot + "/samples/organisation.xml");
  return s;
}

layout::LaidOutDocument lay_out(const std::string& form, xmlDoc* doc,
                                const yoshiki::Settings& settings,
                                std::vector<yoshiki::Diagnostic>& problems, bool fillable = false,
                                const layout::StaticDrawing* statics = nullptr,
                                layout::StaticDrawing* record = nullptr) {
  const Form& f = forms().at(form);
  layout::LayoutInput in{&f.tmpl,  doc,      &settings,
                         &fonts(), fillable, f.rules ? &f.rules->functions() : nullptr};
  in.statics = statics;
  in.record = record;
  return layout::lay_out(in, problems);
}

// Drawing operations as text, every number and glyph id exactly.
void ops_text(std::string& out, const std::vector<layout::DrawOp>& ops) {
  auto n = [&](double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%a ", v);
    out += b;
  };
  for (const auto& op : ops) {
    out += std::to_string(op.index()) + ": ";
    if (const auto* t = std::get_if<layout::TextOp>(&op)) {
      n(t->x), n(t->baseline), n(t->size);
      out += t->run.font ? t->run.font->path() : "-";
      for (const auto& g : t->run.glyphs) {
        out += ' ';
        out += std::to_string(g.gid);
        out += '/';
        out += g.text;
      }
    } else if (const auto* l = std::get_if<layout::LineOp>(&op)) {
      n(l->x1), n(l->y1), n(l->x2), n(l->y2), n(l->width);
    } else if (const auto* r = std::get_if<layout::RectOp>(&op)) {
      n(r->x), n(r->y), n(r->w), n(r->h), n(r->width);
    } else if (const auto* e = std::get_if<layout::EllipseOp>(&op)) {
      n(e->cx), n(e->cy), n(e->rx), n(e->ry), n(e->width);
    }
    out += "\n";
  }
}

// What the text operations of a layout's pages draw, one a line.
std::string drawn_text(const layout::LaidOutDocument& doc) {
  std::string out;
  for (const auto& page : doc.pages)
    for (const auto& op : page.ops)
      if (const auto* t = std::get_if<layout::TextOp>(&op)) {
        for (const auto& g : t->run.glyphs) out += g.text;
        out += "\n";
      }
  return out;
}

std::string pages_text(const layout::LaidOutDocument& doc) {
  std::string out;
  for (const auto& page : doc.pages) {
    out += "page\n";
    ops_text(out, page.ops);
    for (const auto& f : page.fields) {
      out += "field " + f.name + " " + f.label + " " + f.value + "\n";
      ops_text(out, f.appearance);
    }
  }
  return out;
}

// Every collision of the document, one a line: form, page, the two items.
std::string collisions_of(const std::string& what, const layout::LaidOutDocument& doc) {
  std::string out;
  for (size_t p = 0; p < doc.pages.size(); ++p)
    for (const auto& c : layout::collisions(doc.pages[p]))
      out += what + " page " + std::to_string(p + 1) + ": " + c.describe() + "\n";
  return out;
}

std::string form_of(xmlDoc* doc) { return xml::attr(xmlDocGetRootElement(doc), "formId"); }

// The samples a form is rendered from: samples/<form>/*.xml and the
// linked forms of samples/senior-program/.
std::vector<std::string> sample_files() {
  std::vector<std::string> out;
  for (const auto& d : std::filesystem::directory_iterator(kRoot + "/samples"))
    if (d.is_directory())
      for (const auto& f : xml_files(d.path().string())) out.push_back(f);
  std::sort(out.begin(), out.end());
  return out;
}

// Free text of the data (anything with a character outside ASCII: names,
// addresses, course and job titles, notes), for stress data.
void free_text_nodes(xmlNode* n, std::vector<xmlNode*>& out) {
  for (xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) {
      free_text_nodes(c, out);
    } else if (c->type == XML_TEXT_NODE && c->content && n->children == c && !c->next) {
      const std::string t = reinterpret_cast<const char*>(c->content);
      if (std::any_of(t.begin(), t.end(), [](char ch) { return (ch & 0x80) != 0; }))
        out.push_back(c);
    }
  }
}

std::string text_of(xmlNode* t) { return reinterpret_cast<const char*>(t->content); }
void set_text(xmlNode* t, const std::string& s) {
  xmlNodeSetContent(t, reinterpret_cast<const xmlChar*>(s.c_str()));
}

// The stream of object `n` of a PDF we wrote, inflated ("n 0 obj" starts a line).
std::string stream_of(const std::string& pdf, int n) {
  const auto obj = pdf.find("\n" + std::to_string(n) + " 0 obj\n");
  REQUIRE(obj != std::string::npos);
  const auto start = pdf.find("stream\n", obj) + 7;
  const auto end = pdf.find("\nendstream", start);
  REQUIRE(end != std::string::npos);
  std::string out(1 << 22, '\0');
  uLongf size = out.size();
  REQUIRE(uncompress(reinterpret_cast<Bytef*>(out.data()), &size,
                     reinterpret_cast<const Bytef*>(pdf.data() + start), end - start) == Z_OK);
  out.resize(size);
  return out;
}

// Each page's /Contents: its streams' object numbers, in order.
std::vector<std::vector<int>> page_contents(const std::string& pdf) {
  std::vector<std::vector<int>> out;
  for (auto at = pdf.find("/Contents"); at != std::string::npos;
       at = pdf.find("/Contents", at + 1)) {
    std::vector<int> refs;
    const auto value = pdf.find_first_not_of(' ', at + 9);
    const auto end = pdf[value] == '[' ? pdf.find(']', value) : pdf.find(" R", value);
    for (auto p = at + 9; p < end;) {
      p = pdf.find_first_of("0123456789", p);
      if (p >= end) break;
      std::size_t used = 0;
      refs.push_back(std::stoi(pdf.substr(p), &used));
      p += used;
      p = pdf.find(" R", p) + 2;  // past "0 R"
    }
    out.push_back(refs);
  }
  return out;
}

// What content streams draw, as sorted lines: each text line with the font
// and size it is drawn in, each path line with its line width (the state
// that q/Q, w and Tf set), so that streams drawing the same in another
// split or order compare equal.
std::vector<std::string> drawn_lines(const std::vector<std::string>& streams) {
  std::vector<std::string> out;
  for (const auto& stream : streams) {
    std::string font = "-", width = "-";
    std::size_t at = 0;
    while (at < stream.size()) {
      auto nl = stream.find('\n', at);
      if (nl == std::string::npos) nl = stream.size();
      std::string line = stream.substr(at, nl - at);
      at = nl + 1;
      if (line == "q" || line == "Q" || line == "0 G 0 g 0 J 0 j") continue;
      if (line.size() > 2 && line.ends_with(" w")) {
        width = line.substr(0, line.size() - 2);
        continue;
      }
      if (line.starts_with("BT ")) {
        const auto tf = line.find(" Tf ");
        if (tf != std::string::npos) {
          font = line.substr(3, tf - 3);
          line = "BT " + line.substr(tf + 4);
        }
        out.push_back(font + " | " + line);
      } else {
        out.push_back(width + " | " + line);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("overlap: no text touches a rule, a box, a mark or other text in any sample",
          "[layout][overlap]") {
  std::string found;
  int laid = 0;
  for (const auto& path : sample_files()) {
    xml::Doc doc = xml::parse(slurp(path), path);
    const std::string form = form_of(doc.get());
    if (!forms().count(form)) continue;
    std::vector<yoshiki::Diagnostic> problems;
    const auto out = lay_out(form, doc.get(), organisation(), problems);
    INFO(path << "\n" << all(problems));
    CHECK(problems.empty());
    found += collisions_of(std::filesystem::relative(path, kRoot).string(), out);
    ++laid;
  }
  CHECK(laid >= 16);
  CHECK(found == "");
}

TEST_CASE("overlap: blank forms have no collisions", "[layout][overlap]") {
  for (const auto& [id, f] : forms()) {
    for (const auto* settings : {&organisation(), static_cast<const yoshiki::Settings*>(nullptr)}) {
      const yoshiki::Settings none;
      std::vector<yoshiki::Diagnostic> problems;
      const auto out = lay_out(id, nullptr, settings ? *settings : none, problems);
      CHECK(all(problems) == "");
      CHECK(collisions_of(id + " (blank)", out) == "");
    }
  }
}

// Every free-text value made twice as long: the values that then no longer
// fit (an overflow naming the field, which layout reports) go back to their
// sample's length, and what is left is drawn shrunk or wrapped.
TEST_CASE("overlap: long values, shrunk or wrapped, collide with nothing", "[layout][overlap]") {
  std::string found;
  int stretched = 0;
  for (const auto& path : sample_files()) {
    if (path.find("/senior-program/") != std::string::npos) continue;  // same forms as above
    xml::Doc doc = xml::parse(slurp(path), path);
    const std::string form = form_of(doc.get());
    if (!forms().count(form)) continue;
    std::vector<xmlNode*> nodes;
    free_text_nodes(xmlDocGetRootElement(doc.get()), nodes);
    std::vector<std::string> original;
    for (auto* n : nodes) {
      original.push_back(text_of(n));
      set_text(n, original.back() + original.back());
    }
    layout::LaidOutDocument out;
    std::vector<yoshiki::Diagnostic> problems;
    for (int round = 0; round < 4; ++round) {
      problems.clear();
      out = lay_out(form, doc.get(), organisation(), problems);
      if (problems.empty()) break;
      // Back to the sample's value: every node whose element a problem names.
      for (size_t i = 0; i < nodes.size(); ++i) {
        const std::string element = xml::node_path(nodes[i]->parent);
        const std::string leaf = element.substr(element.rfind('/') + 1);
        for (const auto& p : problems)
          if (!p.field.empty() && p.field.find(leaf.substr(0, leaf.find('['))) != std::string::npos)
            set_text(nodes[i], original[i]);
      }
    }
    INFO(path << "\n" << all(problems));
    CHECK(problems.empty());
    for (size_t i = 0; i < nodes.size(); ++i) stretched += text_of(nodes[i]) != original[i];
    found += collisions_of(std::filesystem::relative(path, kRoot).string() + " (long values)", out);
  }
  CHECK(stretched > 50);
  CHECK(found == "");
}

TEST_CASE("overlap: a label moved across its cell's edge collides with exactly that rule",
          "[layout][overlap]") {
  xml::Doc doc = xml::parse(slurp(kSamples + "/complete.xml"), "complete.xml");
  std::vector<yoshiki::Diagnostic> problems;
  auto out = lay_out("jukou-moushikomi", doc.get(), organisation(), problems);
  REQUIRE(problems.empty());
  layout::Page& page = out.pages.at(0);
  REQUIRE(layout::collisions(page).empty());
  // The 「希望講習名」 label and the cell it stands in.
  size_t at = page.ops.size();
  for (size_t i = 0; i < page.ops.size(); ++i)
    if (auto* t = std::get_if<layout::TextOp>(&page.ops[i])) {
      std::string s;
      for (const auto& g : t->run.glyphs) s += g.text;
      if (s == "希望講習名") at = i;
    }
  REQUIRE(at < page.ops.size());
  auto& label = std::get<layout::TextOp>(page.ops[at]);
  const layout::RectOp* cell = nullptr;
  for (const auto& op : page.ops)
    if (auto* r = std::get_if<layout::RectOp>(&op))
      if (r->x < label.x && label.x < r->x + r->w && r->y < label.baseline &&
          label.baseline < r->y + r->h && (!cell || r->w * r->h < cell->w * cell->h))
        cell = r;
  REQUIRE(cell != nullptr);
  const layout::RectOp frame = *cell;
  // Moved right until its last glyph's advance ends 1 pt past the cell's
  // edge: it collides with that rule, which is the edge of its own cell and
  // of the cell beside it, and with nothing else.
  label.x = frame.x + frame.w + 1 - label.run.width(label.size);
  const auto found = layout::collisions(page);
  REQUIRE(found.size() == 2);
  for (const auto& c : found) {
    CHECK(c.a == "「希望講習名」 at 「名」");
    CHECK(c.b == "rect");
  }
  CHECK(found[0].rb.x == Approx(frame.x));
  CHECK(found[0].rb.w == Approx(frame.w));
  CHECK(found[1].rb.x == Approx(frame.x + frame.w));
  CHECK(found[0].describe().find("× rect (x ") != std::string::npos);
}

TEST_CASE("overlap: text in its own box or mark is contained, across an edge it collides",
          "[layout][overlap]") {
  const auto& gothic = fonts().role("gothic");
  const auto& m = gothic.metrics();
  layout::Page page;
  layout::TextOp t;
  t.x = 100;
  t.baseline = 100;
  t.size = 10;
  t.run = yoshiki::text::shape(gothic, "常用");
  REQUIRE(t.run.width(10) == Approx(20));
  // The em box's centre, where choice centres its mark.
  const double cy = 100 - 10.0 * m.ascender / (m.ascender - m.descender) + 5;
  page.ops.push_back(t);
  page.ops.push_back(layout::RectOp{94, cy - 9, 32, 18, 0.5});  // round the text: its container
  CHECK(layout::collisions(page).empty());
  // The mark round it, as choice draws it (0.3 em past the text either side): its option.
  page.ops.push_back(layout::EllipseOp{110, cy, 13, 6, 0.7});
  CHECK(layout::collisions(page).empty());
  // The box narrowed so that its right edge runs through 「用」 and the mark.
  std::get<layout::RectOp>(page.ops[1]).w = 19;
  auto found = layout::collisions(page);
  REQUIRE(found.size() == 2);
  CHECK(found[0].a == "「常用」 at 「用」");
  CHECK(found[0].b == "rect");
  CHECK(found[0].rb.x == Approx(94));
  CHECK(found[0].rb.w == Approx(19));
  CHECK(found[1].a == "mark");
  CHECK(found[1].b == "rect");
  // A second mark beside the first, 0.1 pt apart (outlines 0.7 pt wide): they touch.
  std::get<layout::RectOp>(page.ops[1]).w = 32;
  page.ops.push_back(layout::EllipseOp{123 + 0.7 + 0.1 + 13, cy, 13, 6, 0.7});
  found = layout::collisions(page);
  REQUIRE(found.size() == 2);  // the new mark × the box's right edge, and × the first mark
  CHECK(found[0].a == "mark");
  CHECK(found[0].b == "rect");
  CHECK(found[1].a == "mark");
  CHECK(found[1].b == "mark");
  // 1 pt apart: clear.
  std::get<layout::EllipseOp>(page.ops[3]).cx += 0.9;
  std::get<layout::RectOp>(page.ops[1]).w = 60;
  CHECK(layout::collisions(page).empty());
}

TEST_CASE("StaticDrawing: replayed static cells give the pages of a fresh layout, and no value",
          "[layout][render][privacy]") {
  for (const bool fillable : {false, true}) {
    for (const auto& [id, f] : forms()) {
      layout::StaticDrawing drawing;
      std::vector<yoshiki::Diagnostic> recorded;
      const std::string blank_text =
          drawn_text(lay_out(id, nullptr, organisation(), recorded, fillable, nullptr, &drawing));
      INFO(id << (fillable ? " fillable" : " flat"));
      CHECK(drawing.size() > 20);
      std::vector<std::string> paths{""};  // the blank form first
      for (const auto& path : sample_files()) paths.push_back(path);
      int compared = 0;
      for (const auto& path : paths) {
        xml::Doc doc = path.empty() ? xml::Doc() : xml::parse(slurp(path), path);
        if (doc && form_of(doc.get()) != id) continue;
        INFO(path);
        std::vector<yoshiki::Diagnostic> fresh_problems, replay_problems;
        const auto fresh = lay_out(id, doc.get(), organisation(), fresh_problems, fillable);
        const auto replayed =
            lay_out(id, doc.get(), organisation(), replay_problems, fillable, &drawing);
        CHECK(pages_text(replayed) == pages_text(fresh));
        CHECK(all(replay_problems) == all(fresh_problems));
        ++compared;
        if (!doc) continue;
        // None of the data's free text (names, addresses, notes) is kept,
        // unless the blank form prints it too (an option's text).
        std::vector<xmlNode*> nodes;
        free_text_nodes(xmlDocGetRootElement(doc.get()), nodes);
        for (auto* node : nodes) {
          INFO(text_of(node));
          if (blank_text.find(text_of(node)) == std::string::npos)
            CHECK_FALSE(drawing.holds(text_of(node)));
        }
      }
      CHECK(compared >= 2);
    }
  }
}

TEST_CASE(
    "static stream: a page's replayed cells are one stream, made once, the same in every "
    "document, and the split draws what one stream draws",
    "[layout][render][pdf]") {
  namespace pdf = yoshiki::pdf;
  for (const auto& [id, f] : forms()) {
    for (const bool fillable : {false, true}) {
      INFO(id << (fillable ? " fillable" : " flat"));
      layout::StaticDrawing drawing;
      std::vector<yoshiki::Diagnostic> ignored;
      const auto blank = lay_out(id, nullptr, organisation(), ignored, fillable, nullptr, &drawing);
      pdf::WriteOptions options;
      options.creation_date = "2024-04-01T00:00:00Z";
      options.static_fonts = pdf::prepare_static(blank);
      std::map<std::string, std::string> first_static;  // page's span layout → its stream's bytes
      int documents = 0;
      for (const auto& path : sample_files()) {
        xml::Doc doc = xml::parse(slurp(path), path);
        if (form_of(doc.get()) != id) continue;
        INFO(path);
        std::vector<yoshiki::Diagnostic> problems;
        auto laid = lay_out(id, doc.get(), organisation(), problems, fillable, &drawing);
        auto bytes = pdf::write_pdf(laid, options, nullptr);
        const std::string split(bytes.begin(), bytes.end());
        const std::size_t kept = drawing.streams().size();
        // Written again: the same bytes, nothing more kept.
        bytes = pdf::write_pdf(laid, options, nullptr);
        CHECK(std::string(bytes.begin(), bytes.end()) == split);
        CHECK(drawing.streams().size() == kept);
        // The same pages as one stream each (nothing replayed as a stream).
        for (auto& page : laid.pages) page.static_streams = nullptr;
        bytes = pdf::write_pdf(laid, options, nullptr);
        const std::string single(bytes.begin(), bytes.end());

        const auto split_pages = page_contents(split), single_pages = page_contents(single);
        REQUIRE(split_pages.size() == laid.pages.size());
        REQUIRE(single_pages.size() == laid.pages.size());
        for (std::size_t p = 0; p < laid.pages.size(); ++p) {
          INFO("page " << p + 1);
          REQUIRE(single_pages[p].size() == 1);
          // Every page of these forms has static cells: two streams.
          REQUIRE(split_pages[p].size() == 2);
          const std::string fixed = stream_of(split, split_pages[p][0]);
          CHECK(fixed.starts_with("q\n0 G 0 g 0 J 0 j\n"));
          CHECK(fixed.ends_with("Q\n"));
          CHECK(drawn_lines({fixed, stream_of(split, split_pages[p][1])}) ==
                drawn_lines({stream_of(single, single_pages[p][0])}));
          // The static stream of a page whose static cells fall alike is the
          // same bytes in every document (made once).
          std::string layout_key;  // (two pages may fall alike: continuation pages)
          for (const auto& span : laid.pages[p].spans)
            layout_key += " " + std::to_string(reinterpret_cast<std::uintptr_t>(span.serial)) +
                          "/" + std::to_string(span.count);
          const auto obj = split.find("\n" + std::to_string(split_pages[p][0]) + " 0 obj\n");
          const auto body = split.find(">>\nstream\n", obj);
          const std::string raw_body = split.substr(body, split.find("endstream", body) - body);
          auto [it, fresh] = first_static.emplace(layout_key, raw_body);
          if (!fresh) CHECK(it->second == raw_body);
        }
        ++documents;
      }
      CHECK(documents >= 2);
      // One stream per page and way its cells fall, not one per document.
      CHECK(drawing.streams().size() == first_static.size());
    }
  }
}
