// The native XPath evaluator (generator/src/rules/native.h) against libxml2:
// expression by expression on small documents, then the real rule file
// document by document (normalisation and every rule, on every sample and
// on variants of them with each leaf emptied, removed or changed), both
// evaluators over the same documents giving the same diagnostics. Also:
// what stays outside the subset, and that the real rule file is evaluated
// natively from end to end (else the fast path would not be in use).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "rules/native.h"
#include "rules/rules.h"
#include "support.h"
#include "xml/xml.h"

namespace xml = yoshiki::xml;
namespace rules = yoshiki::rules;
namespace native = yoshiki::rules::native;
using yoshiki::Diagnostic;
using namespace yoshiki::test;

namespace {

const xml::Schema& rules_schema() {
  static const xml::Schema s(kRoot + "/schemas/rules.xsd");
  return s;
}

// Tables and parameters the expressions may name.
const rules::FunctionEnv& test_env() {
  static const rules::CodeTables codes{{"colours", {"red", "navy", " 1"}}};
  static const rules::Parameters params{
      {"rate", {{{2020, 4, 1}, "100", "", {}}, {{2024, 4, 1}, "120", "", {}}}}};
  static const rules::FunctionEnv env = [] {
    rules::FunctionEnv e;
    e.codes = &codes;
    e.params = &params;
    e.today = {2026, 1, 1};
    return e;
  }();
  return env;
}

// Every element of the document, in document order.
void elements(xmlNode* n, std::vector<xmlNode*>& out) {
  for (xmlNode* c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    out.push_back(c);
    elements(c, out);
  }
}

std::string paths(const std::vector<xmlNode*>& nodes) {
  std::string s;
  for (xmlNode* n : nodes) {
    xmlChar* p = xmlGetNodePath(n);
    s += std::string(p ? reinterpret_cast<const char*>(p) : "?") + " ";
    xmlFree(p);
  }
  return s;
}

// Documents with what comparisons and paths trip over: numbers with spaces
// and signs, empty and mixed content, repeated names, a namespace, comments.
const std::vector<std::string> kDocs = {
    "<r><a>1</a><a> 2 </a><b>x</b><b/><c>-3.5</c><d>1e3</d><e>+1</e><f>.5</f></r>",
    "<r><a>2026-01-01</a><b>2025-12-31</b><c>1960-02-29</c><d>令和8年1月1日</d><e>x</e></r>",
    "<r><p><q>1</q><q>2</q></p><p><q>3</q></p><p/><m>a<!-- c -->b<n>c</n></m></r>",
    "<r xmlns:o=\"urn:o\"><o:a>1</o:a><a>1</a><b><a>2</a></b><c> </c><c>\t\n</c></r>",
    "<r><k>ヤマダ　タロウ</k><k>ﾔﾏﾀﾞ</k><t>03-1234-5678</t><t>0312345678</t><t>1-2</t>"
    "<u>red</u><u>navy</u><u> 1</u><u>blue</u><e>a@b.jp</e><e>a b@c</e></r>",
    "<r><a>true</a><a>false</a><b>0</b><b>NaN</b><c></c></r>",
    "<r/>",
};

// Expressions the native evaluator must take, and agree on with libxml2.
const std::vector<std::string> kSupported = {
    // paths
    "/r",
    "/r/a",
    "/r/*",
    "/r/*/a",
    "/r/p/q",
    "/r/p[q]",
    "/r/p[not(q)]",
    "/r/p[q = '3']",
    "/r/p[q][q != '1']",
    "/r/a | /r/b",
    "/r/b | /r/a",
    "/r/c | /r/a | /r/c",
    "/r/p/q/..",
    "/r/*/..",
    "/r/p/q/../q",
    "/",
    "/x",
    "/r/o",
    "a",
    "*",
    ".",
    "..",
    "../a",
    "./a",
    "p/q",
    "b/a",
    "*[a]",
    "*[. = '1']",
    "*[normalize-space(.)]",
    "a[. > 1]",
    "a[. = 1 or . = 2]",
    "(a | b)",
    "(/r/a)",
    "/r/a[.='1'] | /r/b[.='x']",
    "m",
    "m/n",
    "/r/p/q/../q = '3'",
    "string(/r/p/q/../q) = '1'",
    "count(/r/p/q/..) = 2",
    "*/../p",
    "p/q/../../m",
    "string(/r/b | /r/a) = '1'",
    "number(/r/c | /r/a) = 1",
    "y:days(/r/p/q/../../b, a)",
    // comparisons: node-set with string, number, boolean and node-set, both ways round
    "a = '1'",
    "a != '1'",
    "'1' = a",
    "a = 1",
    "a = 2",
    "a != 2",
    "2 = a",
    "a < 2",
    "2 > a",
    "a >= 2",
    "a <= 1",
    "c < 0",
    "c < 1",
    "d = 1000",
    "e = 1",
    "f = 0.5",
    "a = true()",
    "a = false()",
    "x = false()",
    "x != true()",
    "a < true()",
    "true() > x",
    "a = b",
    "a != b",
    "a < c",
    "c < a",
    "a > b",
    "x = x",
    "x != x",
    "a = a",
    "b = ''",
    "b != ''",
    "x = ''",
    "x != ''",
    "c = ' '",
    "m = 'abc'",
    "m = 'ac'",
    "p = '12'",
    "q = 1",
    "p/q = 3",
    "u = 'navy'",
    "k = 'ヤマダ　タロウ'",
    "b = 0",
    "b = 'NaN'",
    "b != b",
    "c = 0",
    "a = 'true'",
    // comparisons of other values
    "1 = 1",
    "1 = '1'",
    "'1' = '1.0'",
    "1 = '1.0'",
    "true() = 'x'",
    "false() = ''",
    "0 = false()",
    "'abc' < 'abd'",
    "'2' < '10'",
    "1 != 1",
    "number('x') = number('x')",
    "number('x') != number('x')",
    "number('x') < 1",
    "number('') = 0",
    "'a' = 'a' and 'b' = 'b' or false()",
    "false() or true() and false()",
    "1 = 1 = 1",
    "1 < 2 < 3",
    "3 > 2 > 1",
    // functions
    "not(a)",
    "not(x)",
    "boolean(x)",
    "boolean(a)",
    "boolean('')",
    "boolean(' ')",
    "boolean(0)",
    "boolean(1)",
    "boolean(number('x'))",
    "number(a) = 1",
    "number(c) < 0",
    "number(x)",
    "number(b) != number(b)",
    "number() = 1",
    "string(a) = '1'",
    "string(1) = '1'",
    "string(0.5) = '0.5'",
    "string(number('x')) = 'NaN'",
    "string(true()) = 'true'",
    "normalize-space(a[. = ' 2 ']) = '2'",
    "normalize-space(c)",
    "normalize-space(' a  b ') = 'a b'",
    "normalize-space()",
    "count(a) = 2",
    "count(x) = 0",
    "count(*) > 3",
    "count(a | b) = 4",
    "normalize-space(m) = 'abc'",
    "string() = ''",
    // y: functions
    "y:age(c, a) = 65",
    "y:age(c, '2025-02-28') = 64",
    "y:age(c, '2025-03-01') = 65",
    "y:age(a, c)",
    "y:age(x, a) != y:age(x, a)",
    "y:days(b, a) = 1",
    "y:days(a, b) < 0",
    "y:days(d, a) = 0",
    "y:days(e, a)",
    "y:days(., y:today()) >= 0",
    "y:today() = '2026-01-01'",
    "y:add-days(a, 31) = '2026-02-01'",
    "y:add-months(c, 12) = '1961-02-28'",
    "y:add-days(a, x) = ''",
    "y:date(d) = '2026-01-01'",
    "y:date(e) = ''",
    "y:in-codes('colours', u)",
    "y:in-codes('colours', 'blue')",
    "u[not(y:in-codes('colours', .))]",
    "y:in-codes('colours', ' 1')",
    "y:is-katakana(k)",
    "k[not(y:is-katakana(.))]",
    "y:is-katakana(x)",
    "y:matches(t, '0[0-9]+(-[0-9]+)*')",
    "t[not(y:matches(., '0[0-9]+(-[0-9]+)*'))]",
    "y:matches(e, '[^@\\s\"]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+')",
    "e[y:matches(., '[^@\\s\"]+@[a-z]+')]",
    "y:digit-count(t) = 10",
    "t[y:digit-count(.) >= 10 and y:digit-count(.) <= 11]",
    "y:digit-count(x) = 0",
    "y:param('rate') = '120'",
    "y:param('rate', '2023-01-01') = 100",
    "y:param('rate', '2019-01-01') = ''",
    "y:param('rate', x) = ''",
    "number(a) = y:age(c, a)",
    "not(y:age(c, a) < number(y:param('rate', a)))",
};

// Expressions outside the subset: compile() must refuse them (libxml2 runs them).
const std::vector<std::string> kUnsupported = {
    "a + 1",
    "-1",
    "a * 2",
    "a div 2",
    "a mod 2",
    "a[1]",
    "a[last()]",
    "a[position() = 1]",
    "(a | b)[1]",
    "//a",
    "/r//a",
    "@id",
    "a/@id",
    "child::a",
    "text()",
    "a/text()",
    "node()",
    "o:a",
    "$v",
    "'a'[1]",
    "concat(a, b)",
    "contains(a, '1')",
    "y:nope(a)",
    "y:in-codes(u, 'red')",
    "y:in-codes('nope', u)",
    "y:param('nope')",
    "y:param(a)",
    "y:matches(a, b)",
    "y:matches(a, '(')",
    "count('a')",
    "not(a, b)",
    "a[count(b)]",
    "a[string-length(.)]",
    "'unterminated",
    "a =",
    "(a",
    "a]",
    "a[b",
    "",
};

}  // namespace

TEST_CASE("native: agrees with libxml2 on every supported expression, at every element",
          "[rules][native]") {
  const auto& env = test_env();
  for (const auto& expr : kSupported) {
    auto fast = native::Expression::compile(expr, env);
    INFO("expression: " << expr);
    REQUIRE(fast);
    xml::XPath slow_boolean("boolean(" + expr + ")", "test", &env);
    std::unique_ptr<xml::XPath> slow_nodes;
    if (fast->selects_nodes()) slow_nodes = std::make_unique<xml::XPath>(expr, "test", &env);
    for (const auto& text : kDocs) {
      auto doc = xml::parse(text, "doc.xml");
      xml::XPathContext ctx(doc.get(), &env);
      std::vector<xmlNode*> at;
      elements(reinterpret_cast<xmlNode*>(doc.get()), at);
      for (xmlNode* node : at) {
        INFO("document: " << text << "\ncontext: " << paths({node}));
        CHECK(fast->boolean(node, env) == slow_boolean.boolean(ctx, node));
        if (slow_nodes) {
          std::vector<xmlNode*> got;
          fast->nodes(node, env, got);
          CHECK(paths(got) == paths(slow_nodes->nodes(ctx, node)));
        }
      }
    }
  }
}

TEST_CASE("native: expressions outside the subset are left to libxml2", "[rules][native]") {
  for (const auto& expr : kUnsupported) {
    INFO("expression: " << expr);
    CHECK_FALSE(native::Expression::compile(expr, test_env()));
  }
}

TEST_CASE("native: the real rule file runs natively from end to end", "[rules][native]") {
  rules::RuleSet rs(kRoot + "/schemas/jukou-moushikomi.rules.xml", rules_schema());
  REQUIRE(rs.rules().size() >= 13);
  for (const auto& r : rs.rules()) {
    INFO(r.id << " at line " << r.line);
    CHECK(r.native_context);
    CHECK(r.native_test);
  }
  for (const auto& n : rs.normalizations()) {
    REQUIRE(n.native_select.size() == n.select.size());
    for (const auto& s : n.native_select) CHECK(s);
  }
}

namespace {

std::string everything(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) {
    s += d.to_string() + " | " + d.message_ja + " | " + d.value + " | " + d.field + " | " +
         std::to_string(d.line) + "\n";
  }
  return s;
}

// Normalisation, then every rule (as Engine::validate, without the XSD step
// in between: a variant the XSD rejects still exercises the rules).
std::string run(const rules::RuleSet& rs, const std::string& text) {
  auto doc = xml::parse(text, "v.xml");
  std::string out = everything(rs.normalize(doc.get(), "v.xml"));
  return out + everything(rs.evaluate(doc.get(), "v.xml", date("2026-01-01")));
}

// `text` with the content of its n-th leaf element replaced by `value`, or
// the leaf removed (value null). Empty if there is no n-th leaf.
std::string variant(const std::string& text, int n, const char* value) {
  auto doc = xml::parse(text, "v.xml");
  std::vector<xmlNode*> all;
  elements(reinterpret_cast<xmlNode*>(doc.get()), all);
  int k = 0;
  for (xmlNode* e : all) {
    if (xmlFirstElementChild(e)) continue;
    if (k++ != n) continue;
    if (value) {
      xmlNodeSetContent(e, nullptr);
      xmlNodeAddContent(e, reinterpret_cast<const xmlChar*>(value));
    } else {
      xmlUnlinkNode(e);
      xmlFreeNode(e);
    }
    return xml::serialize(doc.get(), false);
  }
  return "";
}

}  // namespace

TEST_CASE("native: the rule file gives the same diagnostics natively and through libxml2",
          "[rules][native][samples]") {
  const std::string path = kRoot + "/schemas/jukou-moushikomi.rules.xml";
  rules::RuleSet fast(path, rules_schema());
  rules::RuleSet slow(path, rules_schema(), rules::Evaluator::Libxml2Only);
  // Every sample as it is; the four top-level samples also with every leaf
  // removed or set to each of these values.
  const char* values[] = {nullptr, "", " ", "1", "2", "3", " 0 ", "１２", "ｱｲｳ", "x", "2026-02-01"};
  std::vector<std::string> files = xml_files(kSamples);
  const size_t varied = files.size();
  for (const auto& f : xml_files(kSamples + "/rules")) files.push_back(f);
  int compared = 0, differing = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string text = slurp(files[i]);
    INFO(files[i]);
    const std::string reference = run(slow, text);
    REQUIRE(run(fast, text) == reference);
    ++compared;
    for (int leaf = 0; i < varied; ++leaf) {
      if (variant(text, leaf, "").empty()) break;
      for (const char* v : values) {
        const std::string changed = variant(text, leaf, v);
        INFO("leaf " << leaf << " set to " << (v ? "'" + std::string(v) + "'" : "(removed)"));
        const std::string expected = run(slow, changed);
        CHECK(run(fast, changed) == expected);
        ++compared;
        differing += expected != reference;
      }
    }
  }
  // The variants must reach the rules: many change the diagnostics.
  CHECK(compared > 1000);
  CHECK(differing > compared / 4);
}
