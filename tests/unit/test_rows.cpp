// Unit tests of repeated rows and continuation pages (<rows>, <page flow>,
// <date format="month-day">) on the 導入支援票's consultation log: how many
// pages a log needs, which row each page's fields name, what flat output
// prints, the bindings the extractor expands, and the extractor itself
// reading rows back by index from field values alone.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "fields/naming.h"
#include "layout/layout.h"
#include "layout/template.h"
#include "model/data_builder.h"
#include "support.h"
#include "text/font.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace layout = yoshiki::layout;
namespace xml = yoshiki::xml;
using namespace yoshiki::test;

namespace {

const xml::Schema& template_schema() {
  static const auto s_owner = layout::template_schema(kRoot + "/schemas/template.xsd");
  static const xml::Schema& s = *s_owner;
  return s;
}

const layout::Template& support_record() {
  static const layout::Template t =
      layout::load_template(kRoot + "/templates/dounyu-shien.xml", template_schema());
  return t;
}

// A 導入支援票 with `rows` consultation rows, numbered in their content.
std::string record_with(int rows) {
  std::string s =
      "<supportRecord formId=\"dounyu-shien\" "
      "formVersion=\"1.0\"><controlNumber>T-1</controlNumber>";
  if (rows > 0) s += "<consultations>";
  for (int i = 1; i <= rows; ++i) {
    const int month = 1 + (i - 1) / 28, day = 1 + (i - 1) % 28;  // 28 rows a month
    auto two = [](int n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
    s += "<consultation><date>2024-" + two(month) + "-" + two(day) + "</date><content>row " +
         std::to_string(i) + "</content></consultation>";
  }
  if (rows > 0) s += "</consultations>";
  return s + "</supportRecord>";
}

layout::LaidOutDocument lay_out(const std::string* data, bool fillable) {
  static const yoshiki::text::FontSet fonts(kRoot + "/fonts/fonts.xml");
  xml::Doc doc;
  if (data) doc = xml::parse(*data, "data.xml");
  const yoshiki::Settings settings;
  layout::LayoutInput in{&support_record(), doc.get(), &settings, &fonts, fillable};
  std::vector<yoshiki::Diagnostic> problems;
  auto laid = layout::lay_out(in, problems);
  INFO(all(problems));
  CHECK(problems.empty());
  return laid;
}

// The content fields' names on one page, in layout order.
std::vector<std::string> content_fields(const layout::Page& page) {
  std::vector<std::string> out;
  for (const auto& f : page.fields)
    if (f.name.size() > 8 && f.name.compare(f.name.size() - 8, 8, "/content") == 0)
      out.push_back(f.name);
  return out;
}

std::string row_field(int index, const std::string& leaf) {
  return "consultations/consultation[" + std::to_string(index) + "]/" + leaf;
}

std::vector<std::string> row_fields(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i <= to; ++i) out.push_back(row_field(i, "content"));
  return out;
}

std::string page_text(const layout::Page& page) {
  std::string text;
  for (const auto& op : page.ops)
    if (auto* t = std::get_if<layout::TextOp>(&op))
      for (const auto& g : t->run.glyphs) text += g.text;
  return text;
}

}  // namespace

TEST_CASE("rows: a log flows from 5 rows on page 1 onto 20-row continuation pages",
          "[layout][rows]") {
  struct Case {
    int rows, pages;
  };
  for (const Case c :
       {Case{0, 2}, Case{5, 2}, Case{25, 2}, Case{26, 3}, Case{45, 3}, Case{60, 4}, Case{66, 5}}) {
    INFO(c.rows << " rows");
    const std::string data = record_with(c.rows);
    const auto laid = lay_out(c.rows ? &data : nullptr, true);
    REQUIRE(laid.pages.size() == static_cast<size_t>(c.pages));
    CHECK(content_fields(laid.pages[0]) == row_fields(1, 5));
    for (int p = 1; p < c.pages; ++p)
      CHECK(content_fields(laid.pages[p]) == row_fields(6 + 20 * (p - 1), 25 + 20 * (p - 1)));
  }
}

TEST_CASE("rows: each row's fields hold its own item; rows past the data are empty",
          "[layout][rows]") {
  const std::string data = record_with(60);
  const auto laid = lay_out(&data, true);
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& page : laid.pages)
    for (const auto& f : page.fields)
      if (f.name.rfind("consultations/", 0) == 0) values.emplace_back(f.name, f.value);
  REQUIRE(values.size() == 2 * 65);  // 5 + 3 × 20 rows, date and content each
  CHECK(values[0] == std::make_pair(row_field(1, "date"), std::string("令和6年1月1日")));
  CHECK(values[1] == std::make_pair(row_field(1, "content"), std::string("row 1")));
  CHECK(values[2 * 59 + 1] == std::make_pair(row_field(60, "content"), std::string("row 60")));
  CHECK(values[2 * 59] == std::make_pair(row_field(60, "date"), std::string("令和6年3月4日")));
  CHECK(values[2 * 60] == std::make_pair(row_field(61, "date"), std::string()));
  CHECK(values.back() == std::make_pair(row_field(65, "content"), std::string()));
}

TEST_CASE("rows: flat output prints month/day, and a bare / on empty rows", "[layout][rows]") {
  const std::string data = record_with(7);
  const auto laid = lay_out(&data, false);
  REQUIRE(laid.pages.size() == 2);
  CHECK(laid.pages[0].fields.empty());
  const std::string p1 = page_text(laid.pages[0]), p2 = page_text(laid.pages[1]);
  CHECK(p1.find("1/1row 1") != std::string::npos);
  CHECK(p1.find("1/5row 5") != std::string::npos);
  CHECK(p1.find("row 6") == std::string::npos);
  CHECK(p2.find("導入支援票（続き）") != std::string::npos);
  CHECK(p2.find("1/6row 6") != std::string::npos);
  CHECK(p2.find("1/7row 7") != std::string::npos);
  // Rows 8…25 are empty: each prints the "/" of the paper form; the sheet
  // names its form and place: 管理番号 and 「2 / 2」.
  CHECK(std::count(p2.begin(), p2.end(), '/') == 2 + 18 + 1);
  CHECK(p2.find("管理番号：T-1") != std::string::npos);
  CHECK(p2.find("＿") == std::string::npos);
  CHECK(p2.find("2 / 2") != std::string::npos);
}

TEST_CASE("rows: a blank 続き sheet leaves a line to write the 管理番号 on", "[layout][rows]") {
  const auto laid = lay_out(nullptr, false);
  REQUIRE(laid.pages.size() == 2);
  const std::string p2 = page_text(laid.pages[1]);
  CHECK(p2.find("管理番号：＿＿＿＿＿＿＿＿") != std::string::npos);
  CHECK(p2.find("2 / 2") != std::string::npos);
}

TEST_CASE("rows: the bindings name each row field with [#]", "[layout][rows][bindings]") {
  const auto bs = layout::field_bindings(support_record(), nullptr);
  auto find = [&](const std::string& field) {
    return std::find_if(bs.begin(), bs.end(),
                        [&](const yoshiki::fields::Binding& b) { return b.field == field; });
  };
  const auto date = find("consultations/consultation[#]/date");
  const auto content = find("consultations/consultation[#]/content");
  REQUIRE(date != bs.end());
  REQUIRE(content != bs.end());
  // Each binding names the field type that reads it back.
  CHECK(std::string(date->item->type()) == "month-day");
  CHECK(std::string(content->item->type()) == "area");
  CHECK(yoshiki::fields::naming::indexed(date->field));
  CHECK(date->path == "consultations/consultation[#]/date");
  CHECK_FALSE(yoshiki::fields::naming::indexed(find("controlNumber")->field));
  // Each row field is bound once, though rows repeat on two pages.
  CHECK(std::count_if(bs.begin(), bs.end(), [](const yoshiki::fields::Binding& b) {
          return yoshiki::fields::naming::indexed(b.field);
        }) == 2);
}

TEST_CASE("rows: extraction reads rows by their index from field values alone", "[model][rows]") {
  const auto bs = layout::field_bindings(support_record(), nullptr);
  yoshiki::pdf::PdfFormContent pdf;
  pdf.text["controlNumber"] = "T-1";
  // As a filler leaves them: out of order, a full-width 和暦 date, an ISO date,
  // row 3 emptied, rows past the data empty, and a name with a bad index.
  pdf.text[row_field(12, "content")] = "twelfth";
  pdf.text[row_field(12, "date")] = "2024-07-01";
  pdf.text[row_field(2, "date")] = "令和６年６月１７日";
  pdf.text[row_field(2, "content")] = "second";
  pdf.text[row_field(1, "date")] = "R6.6.10";
  pdf.text[row_field(1, "content")] = "first";
  pdf.text[row_field(3, "date")] = "";
  pdf.text[row_field(3, "content")] = "";
  pdf.text[row_field(25, "content")] = "";
  pdf.text["consultations/consultation[01]/content"] = "not a row index";
  yoshiki::FormInfo info;
  info.id = "dounyu-shien";
  info.version = "1.0";
  info.data_root = "supportRecord";
  const auto order = yoshiki::model::element_order(kRoot + "/schemas/dounyu-shien.xsd");
  auto built = yoshiki::model::build_data(bs, pdf, nullptr, info, order, nullptr, "x.pdf");
  const std::string out = xml::serialize(built.doc.get(), false);
  INFO(out);
  CHECK(out.find("<controlNumber>T-1</controlNumber><consultations>"
                 "<consultation><date>2024-06-10</date><content>first</content></consultation>"
                 "<consultation><date>2024-06-17</date><content>second</content></consultation>"
                 "<consultation><date>2024-07-01</date><content>twelfth</content></consultation>"
                 "</consultations>") != std::string::npos);
  CHECK(out.find("not a row index") == std::string::npos);
}

TEST_CASE("rows: a repeated element must be a plain child path", "[layout][rows][errors]") {
  TempDir tmp;
  const std::string path = tmp.write("rows.xml",
                                     "<form>\n"
                                     "  <page>\n"
                                     "    <grid x=\"10\" y=\"10\" w=\"100\">\n"
                                     "      <rows path=\"log/row[1]\" count=\"3\" "
                                     "h=\"8\"><cell><value path=\"text\"/></cell></rows>\n"
                                     "    </grid>\n"
                                     "  </page>\n"
                                     "</form>\n");
  yoshiki::Error e = expect_error([&] { layout::load_template(path, template_schema()); });
  REQUIRE_FALSE(e.diagnostics().empty());
  CHECK(e.diagnostics()[0].file == path);
  CHECK(e.diagnostics()[0].line == 4);
  CHECK(e.diagnostics()[0].message == "attribute path must be a plain child path such as a/b");
}

namespace {

// `xml` with the text of every <tag> replaced by `n` full-width characters.
std::string every_at_most(std::string xml, const std::string& tag, int n) {
  std::string fill;
  for (int i = 0; i < n; ++i) fill += "漢";
  const std::string open = "<" + tag + ">", close = "</" + tag + ">";
  for (size_t at = xml.find(open); at != std::string::npos; at = xml.find(open, at + 1)) {
    const size_t from = at + open.size(), to = xml.find(close, from);
    REQUIRE(to != std::string::npos);
    xml.replace(from, to - from, fill);
  }
  return xml;
}

}  // namespace

TEST_CASE("rows: every text at its schema's maximum length still fits its box",
          "[layout][rows][lengths]") {
  // The XSDs' maxLength values are what the boxes hold at 6 pt: valid data always prints.
  struct Form {
    std::string form, sample;
    std::vector<std::pair<std::string, int>> texts;
  };
  const Form forms[] = {
      {"dounyu-shien", "/samples/dounyu-shien/long-log.xml", {{"content", 150}}},
      {"dounyu-shien",
       "/samples/dounyu-shien/complete.xml",
       {{"controlNumber", 20},
        {"content", 150},
        {"findings", 120},
        {"name", 60},
        {"courseName", 60},
        {"title", 40},
        {"otherText", 50},
        {"workplaceName", 100}}},
      {"koyou-joukyou",
       "/samples/koyou-joukyou/employed.xml",
       {{"controlNumber", 20}, {"name", 40}, {"workplaceName", 60}, {"occupation", 40}}},
      {"koyou-joukyou", "/samples/koyou-joukyou/work.xml", {{"organisationName", 60}}},
      {"koyou-joukyou",
       "/samples/koyou-joukyou/self-employed.xml",
       {{"businessName", 60}, {"occupation", 40}}},
  };
  for (const auto& f : forms) {
    std::string xml = slurp(kRoot + f.sample);
    for (const auto& [tag, n] : f.texts) xml = every_at_most(xml, tag, n);
    INFO(f.sample);
    auto r = engine().validate(xml, "max.xml");
    INFO(all(r.diagnostics));
    CHECK(r.valid);
    for (const auto& [tag, n] : f.texts) {
      // One character more is refused by the schema.
      auto over = engine().validate(every_at_most(xml, tag, n + 1), "over.xml");
      CHECK_FALSE(over.valid);
    }
    const auto data = engine().load_data(xml, "max.xml");
    for (auto output :
         {yoshiki::RenderOptions::Output::Flat, yoshiki::RenderOptions::Output::Fillable}) {
      yoshiki::RenderOptions o;
      o.output = output;
      o.typing_font = yoshiki::RenderOptions::TypingFont::None;
      CHECK_NOTHROW(engine().render(f.form, data, o));
    }
  }
}
