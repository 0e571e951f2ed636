// Unit tests of xml/: safe parsing (no DOCTYPE, no entities, bounded size),
// diagnostics with positions, XPath evaluation, XSD validation and its Japanese messages.
#include <libxml/tree.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support.h"
#include "xml/schema_text.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

using yoshiki::Error;
using yoshiki::ErrorKind;
namespace xml = yoshiki::xml;
using namespace yoshiki::test;

TEST_CASE("xml::parse reads well-formed documents", "[xml][parse]") {
  struct Case {
    const char* name;
    const char* xml;
    const char* root;
    const char* text;
  };
  const std::vector<Case> cases = {
      {"minimal", "<a/>", "a", ""},
      {"declaration", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r>テキスト</r>", "r",
       "テキスト"},
      {"predefined entities", "<r>&lt;&amp;&gt;&quot;&apos;</r>", "r", "<&>\"'"},
      {"character references", "<r>&#x65E5;&#26412;</r>", "r", "日本"},
      {"CDATA merged as text", "<r><![CDATA[<b>]]></r>", "r", "<b>"},
      {"comment and PI", "<!-- c --><?pi x?><r>x<!-- y -->z</r>", "r", "xz"},
      {"BOM", "\xEF\xBB\xBF<r>1</r>", "r", "1"},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      auto doc = xml::parse(c.xml, "mem.xml");
      REQUIRE(doc);
      xmlNode* root = xmlDocGetRootElement(doc.get());
      REQUIRE(root);
      CHECK(xml::name(root) == c.root);
      CHECK(xml::text(root) == c.text);
    }
  }
}

TEST_CASE("xml helpers walk the tree", "[xml]") {
  auto doc = xml::parse("<r a=\"1\">\n  <x>one</x>\n  <y/>\n  <x>two</x>\n</r>", "t.xml");
  xmlNode* root = xmlDocGetRootElement(doc.get());
  CHECK(xml::attr(root, "a") == "1");
  CHECK(xml::attr(root, "b", "fallback") == "fallback");
  CHECK(xml::has_attr(root, "a"));
  CHECK_FALSE(xml::has_attr(root, "b"));
  auto all = xml::children(root);
  REQUIRE(all.size() == 3);
  CHECK(xml::name(all[1]) == "y");
  auto xs = xml::children(root, "x");
  REQUIRE(xs.size() == 2);
  CHECK(xml::text(xs[0]) == "one");
  CHECK(xml::text(xs[1]) == "two");
  CHECK(xml::line(root) == 1);
  CHECK(xml::line(xs[0]) == 2);
  CHECK(xml::line(all[1]) == 3);
  CHECK(xml::line(xs[1]) == 4);
  CHECK(xml::line(nullptr) == 0);
}

TEST_CASE("xml::parse reports malformed input with file and line", "[xml][parse]") {
  struct Case {
    const char* name;
    const char* xml;
    int line;
  };
  const std::vector<Case> cases = {
      {"mismatched end tag on line 3", "<root>\n  <a>1</a>\n  <b>2</c>\n</root>\n", 3},
      {"bare ampersand on line 2", "<root>\n  <a>fish & chips</a>\n</root>\n", 2},
      {"unquoted attribute on line 4", "<root>\n\n\n  <a x=1/>\n</root>\n", 4},
      {"unknown entity on line 2", "<root>\n  <a>&nbsp;</a>\n</root>\n", 2},
      {"second root on line 3", "<root>\n</root>\n<again/>\n", 3},
      {"text after the root on line 2", "<root/>\nx", 2},
      {"invalid character on line 1", "<root>\x01</root>", 1},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      Error e = expect_error([&] { xml::parse(c.xml, "buffer-name.xml"); });
      CHECK(e.kind() == ErrorKind::InvalidInput);
      REQUIRE_FALSE(e.diagnostics().empty());
      const auto& d = e.diagnostics().front();
      INFO(d.to_string());
      CHECK(d.code == "xml.malformed");
      CHECK(d.file == "buffer-name.xml");
      CHECK(d.line == c.line);
      CHECK(d.severity == yoshiki::Severity::Error);
      CHECK_FALSE(d.message.empty());
      CHECK_THAT(std::string(e.what()),
                 Catch::StartsWith("buffer-name.xml:" + std::to_string(c.line)));
    }
  }
}

TEST_CASE("xml::parse: an unclosed tag is reported at the end of the input", "[xml][parse]") {
  // "<b>" opened on line 3 is never closed; libxml2 notices at the end (line 4)
  // and names line 3 in the message.
  Error e = expect_error([] { xml::parse("<root>\n  <a/>\n  <b>\n</root>", "unclosed.xml"); });
  CHECK(e.kind() == ErrorKind::InvalidInput);
  REQUIRE_FALSE(e.diagnostics().empty());
  const auto& d = e.diagnostics().front();
  INFO(d.to_string());
  CHECK(d.file == "unclosed.xml");
  CHECK(d.code == "xml.malformed");
  CHECK(d.line == 4);
  CHECK_THAT(d.message, Catch::Contains("line 3"));
}

TEST_CASE("xml::parse rejects empty and non-XML input", "[xml][parse]") {
  for (const char* s : {"", "   ", "just text", "\xFF\xFE<r/>"}) {
    INFO("input: '" << s << "'");
    Error e = expect_error([&] { xml::parse(s, "junk.xml"); });
    CHECK(e.kind() == ErrorKind::InvalidInput);
    REQUIRE_FALSE(e.diagnostics().empty());
    CHECK(e.diagnostics().front().file == "junk.xml");
  }
}

TEST_CASE("xml::parse refuses every DOCTYPE and expands nothing", "[xml][parse][security]") {
  struct Case {
    const char* name;
    const char* xml;
  };
  const std::vector<Case> cases = {
      {"internal subset with an entity",
       "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY e \"EXPANDED\">]>\n<r>&e;</r>"},
      {"external SYSTEM entity",
       "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "
       "\"file:///etc/passwd\">]>\n<r>&x;</r>"},
      {"external DTD", "<!DOCTYPE r SYSTEM \"file:///etc/passwd\">\n<r/>"},
      {"public DTD",
       "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
       "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n<html/>"},
      {"parameter entity", "<!DOCTYPE r [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n<r/>"},
      {"billion laughs",
       "<?xml version=\"1.0\"?>\n"
       "<!DOCTYPE lolz [\n"
       " <!ENTITY lol \"lol\">\n"
       " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
       " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
       " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
       " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
       " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
       " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
       " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
       " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
       " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
       "]>\n"
       "<lolz>&lol9;</lolz>"},
      {"empty internal subset", "<!DOCTYPE r []><r/>"},
      {"bare DOCTYPE", "<!DOCTYPE r><r/>"},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      Error e = expect_error([&] { xml::parse(c.xml, "evil.xml"); });
      CHECK(e.kind() == ErrorKind::InvalidInput);
      REQUIRE(e.diagnostics().size() == 1);
      const auto& d = e.diagnostics().front();
      INFO(d.to_string());
      CHECK(d.code == "xml.doctype");
      CHECK(d.file == "evil.xml");
      CHECK(d.line > 0);
      // Nothing was read or expanded into the message.
      CHECK_THAT(d.message, !Catch::Contains("root:") && !Catch::Contains("EXPANDED") &&
                                !Catch::Contains("lollol"));
    }
  }
}

TEST_CASE("xml::parse enforces kMaxDocumentBytes", "[xml][parse][security]") {
  std::string big = "<r>";
  big.resize(xml::kMaxDocumentBytes - 4, 'x');
  big += "</r>";
  REQUIRE(big.size() == xml::kMaxDocumentBytes);
  {
    auto doc = xml::parse(big, "limit.xml");  // exactly at the limit: accepted
    CHECK(doc);
  }
  big.insert(3, "x");  // one byte over
  REQUIRE(big.size() == xml::kMaxDocumentBytes + 1);
  Error e = expect_error([&] { xml::parse(big, "huge.xml"); });
  CHECK(e.kind() == ErrorKind::InvalidInput);
  REQUIRE(e.diagnostics().size() == 1);
  CHECK(e.diagnostics()[0].code == "io.too-large");
  CHECK(e.diagnostics()[0].file == "huge.xml");
}

TEST_CASE("xml::read_file and parse_file report I/O problems as Io", "[xml][io]") {
  const std::string missing = kRoot + "/samples/no-such-file.xml";
  for (int which = 0; which < 2; ++which) {
    Error e = expect_error([&] {
      if (which == 0)
        xml::read_file(missing);
      else
        xml::parse_file(missing);
    });
    CHECK(e.kind() == ErrorKind::Io);
    REQUIRE_FALSE(e.diagnostics().empty());
    CHECK(e.diagnostics()[0].file == missing);
  }
  // A file larger than the limit given.
  const std::string sample = kRoot + "/samples/jukou-moushikomi/minimal.xml";
  Error e = expect_error([&] { xml::read_file(sample, 10); });
  CHECK(e.kind() == ErrorKind::InvalidInput);
  CHECK(e.diagnostics()[0].code == "io.too-large");
  CHECK(xml::read_file(sample) == slurp(sample));
}

TEST_CASE("xml::XPath evaluates to strings", "[xml][xpath]") {
  auto doc = xml::parse(
      "<r><a>1</a><a>2</a><a></a><b k=\"v\">x</b><c><d>深い</d></c><n>4</n><n>5</n></r>", "x.xml");
  struct Case {
    const char* expr;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"a", {"1", "2"}},  // the empty <a/> is dropped
      {"b", {"x"}},
      {"b/@k", {"v"}},
      {"c/d", {"深い"}},
      {"/r/c/d", {"深い"}},
      {"missing", {}},
      {"count(a)", {"3"}},
      {"sum(n)", {"9"}},
      {"boolean(b)", {"true"}},
      {"boolean(missing)", {"false"}},
      {"(b) = 'x'", {"true"}},
      {"concat(b, '-', c/d)", {"x-深い"}},
      {"string(missing)", {}},  // empty string: dropped
  };
  for (const auto& c : cases) {
    SECTION(c.expr) {
      xml::XPath xp(c.expr, "test");
      CHECK(xp.valid());
      CHECK(xp.text() == c.expr);
      CHECK(xp.strings(doc.get()) == c.expected);
    }
  }
  SECTION("a null document or an empty XPath gives nothing") {
    xml::XPath xp("a", "test");
    CHECK(xp.strings(nullptr).empty());
    xml::XPath none;
    CHECK_FALSE(none.valid());
    CHECK(none.strings(doc.get()).empty());
  }
  SECTION("moving keeps the compiled expression") {
    xml::XPath a("a", "test");
    xml::XPath b(std::move(a));
    CHECK_FALSE(a.valid());
    CHECK(b.strings(doc.get()) == std::vector<std::string>{"1", "2"});
    xml::XPath c;
    c = std::move(b);
    CHECK(c.text() == "a");
    CHECK(c.strings(doc.get()) == std::vector<std::string>{"1", "2"});
  }
}

TEST_CASE("xml::XPath rejects invalid expressions", "[xml][xpath]") {
  for (const char* expr : {"a[", "///", "a b", "(a", "a/", "@", ""}) {
    INFO("expression: '" << expr << "'");
    Error e = expect_error([&] { xml::XPath xp(expr, "tmpl.xml:7"); });
    CHECK(e.kind() == ErrorKind::InvalidInput);
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].code == "xpath.invalid");
    CHECK(e.diagnostics()[0].file == "tmpl.xml:7");
  }
}

TEST_CASE("xml::Schema validates the form data", "[xml][xsd]") {
  const xml::Schema schema(kRoot + "/schemas/jukou-moushikomi.xsd");
  const std::string complete_path = kRoot + "/samples/jukou-moushikomi/complete.xml";
  const std::string complete = slurp(complete_path);

  SECTION("every sample conforms") {
    for (const char* s : {"complete", "minimal", "long-texts", "other-texts"}) {
      const std::string path = kRoot + "/samples/jukou-moushikomi/" + s + ".xml";
      INFO(path);
      auto doc = xml::parse_file(path);
      auto diags = schema.validate(doc.get(), path);
      INFO(all(diags));
      CHECK(diags.empty());
    }
  }

  SECTION("a non-numeric age is reported at its line") {
    std::string bad = complete;
    const auto pos = bad.find("<age>");
    REQUIRE(pos != std::string::npos);
    const auto end = bad.find("</age>", pos);
    bad.replace(pos, end - pos, "<age>abc");
    const int age_line = line_of(bad, "<age>abc</age>");
    auto doc = xml::parse(bad, "bad-age.xml");
    auto diags = schema.validate(doc.get(), "bad-age.xml");
    REQUIRE_FALSE(diags.empty());
    INFO(all(diags));
    const auto& d = diags.front();
    CHECK(d.code == "xsd");
    CHECK(d.severity == yoshiki::Severity::Error);
    CHECK(d.file == "bad-age.xml");
    CHECK(d.line > 0);
    CHECK(d.line == age_line);
    CHECK(d.field == "/courseApplication/applicant/age");
  }

  SECTION("every bad value is reported, each at its own line") {
    std::string bad = complete;
    // <sex> outside its code list, <fromHour> above 24.
    auto p = bad.find("<sex>1</sex>");
    REQUIRE(p != std::string::npos);
    bad.replace(p, 12, "<sex>9</sex>");
    p = bad.find("<fromHour>9</fromHour>");
    REQUIRE(p != std::string::npos);
    bad.replace(p, 22, "<fromHour>25</fromHour>");
    auto doc = xml::parse(bad, "bad.xml");
    auto diags = schema.validate(doc.get(), "bad.xml");
    INFO(all(diags));
    REQUIRE(diags.size() == 2);
    for (const auto& d : diags) {
      CHECK(d.code == "xsd");
      CHECK(d.file == "bad.xml");
    }
    CHECK(diags[0].line == line_of(bad, "<sex>9</sex>"));
    CHECK(diags[0].field == "/courseApplication/applicant/sex");
    CHECK(diags[1].line == line_of(bad, "<fromHour>25</fromHour>"));
    CHECK(diags[1].field == "/courseApplication/desiredHours/fromHour");
  }

  SECTION("a missing required element is reported at its parent") {
    std::string bad = complete;
    auto p = bad.find("  <desiredCourse>");
    REQUIRE(p != std::string::npos);
    bad.erase(p, bad.find('\n', p) + 1 - p);
    auto doc = xml::parse(bad, "missing.xml");
    auto diags = schema.validate(doc.get(), "missing.xml");
    INFO(all(diags));
    REQUIRE_FALSE(diags.empty());
    CHECK(diags[0].code == "xsd");
    CHECK(diags[0].line == line_of(bad, "<applicant>"));  // where desiredCourse was expected
    CHECK_THAT(diags[0].message, Catch::Contains("desiredCourse"));
  }

  SECTION("a schema that does not exist throws Io") {
    Error e = expect_error([] { xml::Schema s(kRoot + "/schemas/no-such.xsd"); });
    CHECK(e.kind() == ErrorKind::Io);
  }
}

// libxml2 2.9 compiles some unterminated expressions ("count(", "concat(")
// without error; they fail only at evaluation, so a template binding such as
// path="count(" passes load_template's XPath check and silently prints nothing.
TEST_CASE("xml::XPath rejects unterminated function calls at compile time", "[xml][xpath]") {
  for (const char* expr : {"count(", "concat(a, "}) {
    INFO("expression: '" << expr << "'");
    bool threw = false;
    try {
      xml::XPath xp(expr, "tmpl.xml:9");
    } catch (const Error& e) {
      threw = e.diagnostics().size() == 1 && e.diagnostics()[0].code == "xpath.invalid";
    }
    CHECK(threw);
  }
}

TEST_CASE("XSD violations read in Japanese, naming the item by its label in the schema",
          "[xml][xsd][ja]") {
  struct Case {
    const char* what;
    std::string file, from, to;
    std::string field, ja;
  };
  const std::string complete = kSamples + "/complete.xml";
  const std::string applicant = "「申込者（氏名・生年月日・住所・連絡先）」";
  const std::string address_to_mobile =
      "<postalCode>164-0001</postalCode>\n"
      "    <address>東京都中野区中野五丁目24番8号 中野サンハイツ305号室</address>\n"
      "    <email>k.yamamoto58@example.jp</email>\n    <phone>03-3387-2451</phone>\n"
      "    <fax>03-3387-2452</fax>\n    <mobile>090-4821-7735</mobile>\n";
  const std::vector<Case> cases{
      {"enumeration", complete, "<sex>1</sex>", "<sex>3</sex>", "/courseApplication/applicant/sex",
       "「性別」の値は 1、2 のいずれかです。"},
      {"maxLength", complete, "<name>山本　和彦</name>", "<name>" + repeat("山", 41) + "</name>",
       "/courseApplication/applicant/name", "「氏名」は40文字までです（41文字あります）。"},
      {"minLength", complete, "<fax>03-3387-2452</fax>", "<fax></fax>",
       "/courseApplication/applicant/fax", "「連絡先 FAX」が空です。"},
      {"maxInclusive", complete, "<age>65</age>", "<age>151</age>",
       "/courseApplication/applicant/age", "「年齢」は150以下の値です。"},
      {"type", complete, "<birthDate>1958-11-03</birthDate>", "<birthDate>1958-13-03</birthDate>",
       "/courseApplication/applicant/birthDate",
       "「生年月日」は日付として読めません。2024-05-21、2024/5/21、2024年5月21日、令和6年5月21日、"
       "R6.5.21 のように、実在する日付を書いてください。"},
      {"pattern", complete, "<industryCode>91</industryCode>", "<industryCode>9X</industryCode>",
       "/courseApplication/statusBeforeCourse/industryCode",
       "「産業分類番号（※管理者記入、日本標準産業分類 中分類）」の書式が正しくありません。"},
      {"element out of place", complete, "<name>山本　和彦</name>", "",
       "/courseApplication/applicant/sex",
       "「性別」はこの位置に書けない項目です（ここに書けるのは「氏名」）。"},
      {"missing children", complete, address_to_mobile, "", "/courseApplication/applicant",
       applicant + "に必要な項目がありません（「郵便番号（〒）」、「住所」のいずれか）。"},
      {"unknown element", complete, "</applicant>", "<unknownThing/></applicant>",
       "/courseApplication/applicant/unknownThing",
       "「unknownThing」はこの位置に書けない項目です。"},
      {"attribute", complete, "<applicant>", "<applicant foo=\"1\">",
       "/courseApplication/applicant", applicant + "に属性「foo」は書けません。"},
      {"text in element-only content", complete, "<applicant>", "<applicant>x",
       "/courseApplication/applicant", applicant + "には文字を書けません（中の項目に書きます）。"},
      {"element in a simple type", complete, "<age>65</age>", "<age>65<x/></age>",
       "/courseApplication/applicant/age",
       "「年齢」には項目を入れられません（値だけを書きます）。"},
      {"duplicate", complete, "<kind>1</kind>", "<kind>1</kind><kind>1</kind>",
       "/courseApplication/pension/kind[2]",
       "「年金の種類（有の場合）」に同じ値が重複しています。"},
      // libxml2 says only "This element is not expected": the limit is the
      // schema's maxOccurs, the item its label.
      {"past maxOccurs", kRoot + "/samples/dounyu-shien/complete.xml", "<consultations>",
       "<consultations>" +
           repeat("<consultation><date>2024-06-10</date><content>相談</content></consultation>",
                  1000),
       "/supportRecord/consultations/consultation[1001]",
       "「相談記録の1行（年月日・内容）、記入順、1000行まで」は1,000件までです（1,001件目は書けま"
       "せん）。"},
      {"another form", kRoot + "/samples/shitsugyo-nintei/regular.xml",
       "<paymentNumber>1234567</paymentNumber>", "<paymentNumber>12345678901</paymentNumber>",
       "/unemploymentCertification/declaration/paymentNumber",
       "「支給番号」は10文字までです（11文字あります）。"},
  };
  yoshiki::ValidateOptions options;
  options.today = "2026-01-01";
  for (const auto& c : cases) {
    INFO(c.what);
    std::string s = slurp(c.file);
    const auto at = s.find(c.from);
    REQUIRE(at != std::string::npos);
    s.replace(at, c.from.size(), c.to);
    auto r = engine().validate(s, "case.xml", options);
    INFO(all(r.diagnostics));
    auto first = std::find_if(r.diagnostics.begin(), r.diagnostics.end(),
                              [](const yoshiki::Diagnostic& d) { return d.code == "xsd"; });
    REQUIRE(first != r.diagnostics.end());
    CHECK(first->field == c.field);
    CHECK(first->message_ja == c.ja);
    for (const auto& d : r.diagnostics) {
      if (d.code != "xsd") continue;
      CHECK_FALSE(d.message_ja.empty());
      // The value stays out of both messages (it may be personal data).
      if (!d.value.empty()) {
        CHECK(d.message.find(d.value) == std::string::npos);
        CHECK(d.message_ja.find(d.value) == std::string::npos);
      }
    }
  }
}

TEST_CASE("xml::parse within ParseLimits counts elements and attributes first", "[xml]") {
  const std::string doc = "<r a=\"1\"><!-- <x/> --><b/><b c='=' d=\"2\"/><![CDATA[<y/>]]></r>";
  // r, a, b, b, c, d: the comment's and CDATA's tags and "=" in quotes are none.
  CHECK(xml::parse(doc, "six.xml", {6}));
  Error e = expect_error([&] { xml::parse(doc, "six.xml", {5}); });
  REQUIRE(e.diagnostics().size() == 1);
  CHECK(e.kind() == ErrorKind::InvalidInput);
  CHECK(e.diagnostics()[0].code == "xml.too-many-nodes");
  CHECK(e.diagnostics()[0].message == "the document has more than 5 elements and attributes");
  CHECK(e.diagnostics()[0].message_ja == "要素と属性の数が5を超えています。");
}

TEST_CASE("data XML given directly is parsed within 200,000 nodes", "[xml]") {
  // 200,001 empty elements (0.8 MB) are refused before libxml2 builds a
  // tree; 199,999 are parsed (and then fail the XSD as data of no form).
  auto doc = [](std::size_t elements) {
    return "<courseApplication>" + repeat("<a/>", elements - 1) + "</courseApplication>";
  };
  auto codes = [](const yoshiki::ValidationResult& r) {
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics) out.push_back(d.code);
    return out;
  };
  auto refused = engine().validate(doc(200001), "many.xml");
  CHECK(codes(refused) == std::vector<std::string>{"xml.too-many-nodes"});
  CHECK(refused.diagnostics[0].file == "many.xml");
  const auto parsed = codes(engine().validate(doc(199999), "many.xml"));
  REQUIRE_FALSE(parsed.empty());
  CHECK(std::find(parsed.begin(), parsed.end(), "xml.too-many-nodes") == parsed.end());
}

TEST_CASE("a row past the schema's maxOccurs is named with the limit", "[xml][xsd]") {
  std::string s = slurp(kRoot + "/samples/dounyu-shien/complete.xml");
  const std::string row =
      "<consultation><date>2024-06-10</date><content>相談</content></consultation>";
  s.replace(s.find("<consultations>"), 15, "<consultations>" + repeat(row, 1001));
  yoshiki::ValidateOptions options;
  options.today = "2026-01-01";
  auto r = engine().validate(s, "rows.xml", options);
  INFO(all(r.diagnostics));
  REQUIRE(r.diagnostics.size() == 1);
  const auto& d = r.diagnostics[0];
  CHECK(d.code == "xsd");
  CHECK(d.field == "/supportRecord/consultations/consultation[1001]");
  CHECK(d.message == "Element 'consultation': at most 1,000 may occur; this is number 1,001");
  CHECK(xml::with_commas(0) == "0");
  CHECK(xml::with_commas(999) == "999");
  CHECK(xml::with_commas(1234567) == "1,234,567");
}

TEST_CASE("xml::serialize can be called from several threads on one document", "[xml][threads]") {
  // libxml2 2.9's dump swaps doc->encoding for the output encoding and puts
  // it back afterwards: two threads dumping one document (render attaches
  // the shared FormData's XML) could leave a pointer to the other's
  // temporary there, which xmlFreeDoc then frees. Seen as a crash under
  // ASan in "one Engine renders from several threads at once".
  auto doc =
      xml::parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r><a>山田</a></r>", "mem.xml");
  const xmlChar* encoding = doc->encoding;
  REQUIRE(encoding != nullptr);
  const std::string expected = xml::serialize(doc.get(), false);
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i)
        if (xml::serialize(doc.get(), false) != expected) ++wrong[t];
    });
  }
  for (auto& th : threads) th.join();
  CHECK(wrong == std::vector<int>(4, 0));
  CHECK(doc->encoding == encoding);  // the document's own string, as parsed
}

TEST_CASE("dates as people write them become ISO before the XSD, with a note naming the field",
          "[xml][dates][normalize]") {
  yoshiki::ValidateOptions o;
  o.today = "2026-01-01";
  const std::string complete = yoshiki::test::slurp(yoshiki::test::kSamples + "/complete.xml");
  auto with_birth = [&](const std::string& v) {
    std::string s = complete;
    const size_t a = s.find("<birthDate>") + 11, b = s.find("</birthDate>");
    return s.replace(a, b - a, v);
  };
  for (const char* typed :
       {"1958/11/3", "1958-11-3", "1958.11.03", "1958年11月3日", "１９５８／１１／３",
        "昭和33年11月3日", "S33.11.3", " 昭和３３年１１月３日 "}) {
    INFO(typed);
    const auto r = yoshiki::test::engine().validate(with_birth(typed), "typed.xml", o);
    INFO(yoshiki::test::all(r.diagnostics));
    CHECK(r.valid);
    int notes = 0;
    for (const auto& d : r.diagnostics)
      if (d.code == "normalized" && d.field == "/courseApplication/applicant/birthDate") {
        ++notes;
        CHECK(d.severity == yoshiki::Severity::Info);
        CHECK(d.message_ja == "日付を西暦の YYYY-MM-DD 形式に変換しました。");
      }
    CHECK(notes == 1);
    const auto data = yoshiki::test::engine().load_data(with_birth(typed), "typed.xml");
    CHECK(data.form_id() == "jukou-moushikomi");
  }
  // Already ISO: no note.
  const auto iso = yoshiki::test::engine().validate(with_birth("1958-11-03"), "iso.xml", o);
  for (const auto& d : iso.diagnostics) CHECK(d.code != "normalized");
  // Not a real date: the XSD reports it, in Japanese with the accepted spellings.
  for (const char* bad : {"昭和33年13月1日", "1958/2/30", "33/11/3", "十一月三日"}) {
    INFO(bad);
    const auto r = yoshiki::test::engine().validate(with_birth(bad), "bad.xml", o);
    CHECK_FALSE(r.valid);
    bool said = false;
    for (const auto& d : r.diagnostics)
      if (d.code == "xsd" && d.field == "/courseApplication/applicant/birthDate")
        said = d.message_ja.find("「生年月日」は日付として読めません。") == 0 &&
               d.message_ja.find("2024/5/21") != std::string::npos;
    CHECK(said);
  }
  // A text field holding a date-like string is left alone (not a date element).
  std::string text_field = complete;
  const size_t a = text_field.find("<address>") + 9, b = text_field.find("</address>");
  text_field.replace(a, b - a, "大阪市北区1-2-3 2024/5/21号");
  const auto r = yoshiki::test::engine().validate(text_field, "text.xml", o);
  for (const auto& d : r.diagnostics) CHECK(d.code != "normalized");
}

// Child-step paths are walked without libxml2's evaluator; "(path)" is not
// recognised as one, so it is libxml2's answer to compare with.
TEST_CASE("xml::XPath: directly walked child paths agree with libxml2", "[xml][xpath]") {
  const xml::Doc doc = xml::parse(
      "<r xmlns:o='urn:o'><a><b>1</b><b></b><b>3<c>x</c></b></a><a><b>4</b></a>"
      "<o:a><b>ns</b></o:a><a/><d>t<!-- c --><e>u</e></d><a-b.c>h</a-b.c></r>",
      "direct.xml");
  const xml::XPathContext ctx(doc.get());
  xmlNode* root = xmlDocGetRootElement(doc.get());
  xmlNode* second_a = xml::children(root, "a")[1];
  const std::vector<std::string> paths = {
      "a/b", "a[1]/b", "a[2]/b[1]", "a/b[2]", "a/b[3]/c", "a",     "a[4]", "a[9]/b",
      "d",   "/r/a/b", "/r",        "/x/a",   "missing",  "a-b.c", "b",    "a/b[10]"};
  for (const auto& p : paths) {
    const xml::XPath direct(p, "test"), engine("(" + p + ")", "test");
    for (xmlNode* at : {static_cast<xmlNode*>(nullptr), second_a}) {
      INFO(p << (at ? " from the second a" : " from the root"));
      CHECK(direct.strings(ctx, at) == engine.strings(ctx, at));
      CHECK(direct.string(ctx, at) == engine.string(ctx, at));
      CHECK(direct.boolean(ctx, at) == engine.boolean(ctx, at));
      CHECK(direct.nodes(ctx, at) == engine.nodes(ctx, at));
    }
  }
  CHECK(xml::XPath("a/b", "test").strings(ctx) == std::vector<std::string>{"1", "3x", "4"});
  // An option's test, boolean((path) = 'value'): any selected node equal.
  for (const auto& p : paths) {
    for (const std::string v : {"1", "", "3x", "4", "ns", "t u", "tu", "h", "x"}) {
      const xml::XPath direct("boolean((" + p + ") = '" + v + "')", "test"),
          engine("boolean(((" + p + ")) = '" + v + "')", "test");
      for (xmlNode* at : {static_cast<xmlNode*>(nullptr), second_a}) {
        INFO(p << " = '" << v << (at ? "' from the second a" : "' from the root"));
        CHECK(direct.boolean(ctx, at) == engine.boolean(ctx, at));
        CHECK(direct.strings(ctx, at) == engine.strings(ctx, at));
      }
    }
  }
  CHECK(xml::XPath("boolean((a/b) = '4')", "test").boolean(ctx));
  CHECK_FALSE(xml::XPath("boolean((a/b) = '3')", "test").boolean(ctx));
}
