// A fifth form and a new field type added as docs/architecture.md says: the
// form is data only (tests/fields/form: catalogue, XSD, rules, template,
// samples), the type one C++ file and its XSD fragment (tests/fields/yen.cpp,
// yen.xsd). The conformance runner covers its rule samples
// (test_conformance.cpp); here: the round trip through a fillable PDF, the
// printed text as poppler reads it, and the type's read-back of what people
// type.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "../unit/support.h"
#include "layout/layout.h"
#include "layout/template.h"
#include "model/data_builder.h"
#include "pdf/read/reader.h"

using namespace yoshiki::test;

namespace {

const std::string kSample = kTestForms + "/samples/test-allowance/complete.xml";

std::vector<std::uint8_t> render(const yoshiki::FormData& data,
                                 yoshiki::RenderOptions::Output output) {
  yoshiki::RenderOptions o;
  o.creation_date = "2024-04-01T00:00:00Z";
  o.output = output;
  return test_forms_engine().render("test-allowance", data, o);
}

std::string as_text(const std::vector<std::uint8_t>& pdf) {
  return std::string(pdf.begin(), pdf.end());
}

// The value of <element> in the data read back from a PDF whose only field
// `field` holds `typed` (as another filler leaves it); "(none)" without one.
std::string read_back(const std::string& field, const std::string& typed,
                      const std::string& element) {
  static const auto xsd = yoshiki::layout::template_schema(kRoot + "/schemas/template.xsd");
  static const auto tmpl =
      yoshiki::layout::load_template(kTestForms + "/templates/test-allowance.xml", *xsd);
  static const auto bindings = yoshiki::layout::field_bindings(tmpl, nullptr);
  const yoshiki::FormInfo info = test_forms_engine().forms().at(0);
  static const auto order = yoshiki::model::element_order(info.schema_path);
  yoshiki::pdf::PdfFormContent pdf;
  pdf.text[field] = typed;
  auto built = yoshiki::model::build_data(bindings, pdf, nullptr, info, order, nullptr, "x.pdf");
  const std::string xml = yoshiki::xml::serialize(built.doc.get(), false);
  const std::string open = "<" + element + ">", close = "</" + element + ">";
  const size_t a = xml.find(open), b = xml.find(close);
  return a == std::string::npos ? std::string("(none)")
                                : xml.substr(a + open.size(), b - a - open.size());
}

}  // namespace

TEST_CASE("fifth form: the catalogue of the test root knows it and its field type",
          "[fields][fifth-form]") {
  const auto forms = test_forms_engine().forms();
  REQUIRE(forms.size() == 1);
  CHECK(forms[0].id == "test-allowance");
  CHECK(forms[0].title == "通勤手当申請書");
  CHECK(forms[0].data_root == "allowanceClaim");
  // The bindings come from the widgets layout emitted, <yen> among them.
  const auto xsd = yoshiki::layout::template_schema(kRoot + "/schemas/template.xsd");
  const auto tmpl =
      yoshiki::layout::load_template(kTestForms + "/templates/test-allowance.xml", *xsd);
  const auto bindings = yoshiki::layout::field_bindings(tmpl, nullptr);
  std::map<std::string, std::string> types;
  for (const auto& b : bindings) types[b.field] = b.item->type();
  CHECK(types ==
        std::map<std::string, std::string>{
            {"name", "value"}, {"claimDate", "date"}, {"route", "value"}, {"amount", "yen"}});
}

TEST_CASE("fifth form: filled, fillable, read back: the same data, the amount as printed",
          "[fields][fifth-form]") {
  const auto& engine = test_forms_engine();
  const auto data = engine.load_data(kSample);
  const auto pdf = render(data, yoshiki::RenderOptions::Output::Fillable);
  // The widget holds the amount as the type prints it.
  const auto content = yoshiki::pdf::read_pdf_form(as_text(pdf), "allowance.pdf");
  CHECK(content.form_id == "test-allowance");
  CHECK(content.text.at("amount") == "12,345円");
  CHECK(content.text.at("claimDate") == "令和6年5月21日");
  // Read back: "12,345円" is 12345 again, so the field agrees with the data.
  const auto extracted = engine.extract(as_text(pdf), "allowance.pdf");
  INFO(all(extracted.notes));
  CHECK(extracted.notes.empty());
  CHECK(extracted.xml.find("<amount>12345</amount>") != std::string::npos);
  CHECK(extracted.xml.find("<claimDate>2024-05-21</claimDate>") != std::string::npos);
  const auto again = engine.validate(extracted.xml, "extracted.xml");
  INFO(all(again.diagnostics));
  CHECK(again.valid);
}

TEST_CASE("fifth form: the flat render prints the amount with separators (pdftotext)",
          "[fields][fifth-form]") {
  TempDir tmp;
  const auto pdf =
      render(test_forms_engine().load_data(kSample), yoshiki::RenderOptions::Output::Flat);
  const std::string path = tmp.write("allowance.pdf", as_text(pdf));
  const std::string txt = (tmp.path / "allowance.txt").string();
  REQUIRE(std::system(("pdftotext -layout '" + path + "' '" + txt + "'").c_str()) == 0);
  const std::string text = slurp(txt);
  CHECK(text.find("12,345円") != std::string::npos);
  CHECK(text.find("山田 花子") != std::string::npos);
  CHECK(text.find("令和") != std::string::npos);
}

TEST_CASE("fifth form: <yen> reads back amounts as people type them", "[fields][fifth-form]") {
  auto amount = [](const std::string& typed) { return read_back("amount", typed, "amount"); };
  CHECK(amount("12,345円") == "12345");
  CHECK(amount("１２，３４５円") == "12345");
  CHECK(amount("¥12345") == "12345");
  CHECK(amount("￥１２３") == "123");
  CHECK(amount(" 500 ") == "500");
  CHECK(amount("千円") == "千円");  // not an amount: kept as typed, for the XSD to report
  CHECK(amount("") == "(none)");
}

TEST_CASE("fifth form: a 和暦 date field reads back dates as people type them",
          "[fields][fifth-form][typed]") {
  auto date = [](const std::string& typed) { return read_back("claimDate", typed, "claimDate"); };
  for (const char* typed :
       {"2024/5/21", "2024-5-21", "2024.5.21", "2024年5月21日", "２０２４／５／２１",
        "令和6年5月21日", "R6.5.21", "令和６年５月２１日", "2024-05-21"}) {
    INFO(typed);
    CHECK(date(typed) == "2024-05-21");
  }
  CHECK(date("5月21日") == "5月21日");  // no year: kept as typed, for the XSD to report
}
