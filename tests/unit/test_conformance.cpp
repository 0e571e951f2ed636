// The conformance runner, driven by the catalogue: for every form it lists,
// every sample pair in the form's samples folder (rules/<rule id>-pass.xml,
// rules/<rule id>-fail.xml) must report exactly its own rule — the fail
// sample at a severity the form's rule file gives that rule (some rules have
// an error and a warning: the specific tests say which a sample shows), the
// pass sample not at all — and every rule of the rule file has its pair. The
// valid samples directly in the folder must have no error. A new form or
// rule is covered by adding its files; nothing here names a form or a rule.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "rules/rules.h"
#include "support.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace fs = std::filesystem;
using yoshiki::Diagnostic;
using yoshiki::FormInfo;
using yoshiki::Severity;
using yoshiki::ValidateOptions;
using yoshiki::ValidationResult;
using namespace yoshiki::test;

namespace {

ValidateOptions today() {
  ValidateOptions o;
  o.today = "2026-01-01";
  return o;
}

// Each rule id of the form's rule file → the severities its checks have.
using Severities = std::map<std::string, std::set<Severity>>;
Severities rule_severities(const FormInfo& form) {
  static const yoshiki::xml::Schema rules_schema(kRoot + "/schemas/rules.xsd");
  const yoshiki::rules::RuleSet rules(form.rules_path, rules_schema);
  Severities out;
  for (const auto& r : rules.rules()) out[r.id].insert(r.severity);
  return out;
}

// Codes of the diagnostics at `severities`; only the form's rule ids when
// `rules` is given.
std::set<std::string> codes(const ValidationResult& r, std::set<Severity> severities,
                            const Severities* rules = nullptr) {
  std::set<std::string> out;
  for (const auto& d : r.diagnostics)
    if (severities.count(d.severity) && (!rules || rules->count(d.code))) out.insert(d.code);
  return out;
}

const std::set<Severity> kErrorOrWarning = {Severity::Error, Severity::Warning};
const std::set<Severity> kAny = {Severity::Error, Severity::Warning, Severity::Info};

// A rule sample's rule id and whether it must fail: "JK-004-fail.xml" → JK-004, true.
std::pair<std::string, bool> sample_rule(const std::string& path) {
  const std::string base = fs::path(path).filename().string();
  for (const std::string suffix : {"-fail.xml", "-pass.xml"})
    if (base.ends_with(suffix))
      return {base.substr(0, base.size() - suffix.size()), suffix == "-fail.xml"};
  FAIL("a rule sample is named <rule id>-pass.xml or <rule id>-fail.xml: " << path);
  return {};
}

void check_rule_sample(const yoshiki::Engine& engine, const FormInfo& form, const Severities& rules,
                       const std::string& path) {
  const auto [id, fail] = sample_rule(path);
  INFO(path);
  REQUIRE(rules.count(id) == 1);  // a sample of a rule the form has
  const std::set<Severity>& severities = rules.at(id);
  const bool info_only = severities == std::set<Severity>{Severity::Info};

  const ValidationResult r = engine.validate(path, today());
  INFO(all(r.diagnostics));
  CHECK(r.source == path);
  REQUIRE(r.readable);
  CHECK(r.form_id == form.id);
  CHECK(r.form_version == form.version);
  if (!fail) {
    CHECK(codes(r, kErrorOrWarning).empty());
    CHECK(codes(r, kAny, &rules).count(id) == 0);
    CHECK(r.valid);
    return;
  }
  // Other rules may add information (a derived code), never an error or warning.
  if (info_only) {
    CHECK(codes(r, kAny, &rules) == std::set<std::string>{id});
    CHECK(codes(r, kErrorOrWarning).empty());
  } else {
    CHECK(codes(r, kErrorOrWarning) == std::set<std::string>{id});
  }
  bool error = false;
  for (const auto& d : r.diagnostics) {
    if (d.code != id) continue;
    error = error || d.severity == Severity::Error;
    CHECK(severities.count(d.severity) == 1);
    CHECK(d.file == path);
    CHECK(d.line > 0);
    CHECK_THAT(d.field, Catch::StartsWith("/" + form.data_root + "/"));
    CHECK_FALSE(d.message.empty());
    CHECK_FALSE(d.message_ja.empty());
    CHECK(d.message_ja != d.message);
  }
  CHECK(r.valid == !error);
}

}  // namespace

// yoshiki's forms, and the test-only fifth form (tests/fields/form).
static std::vector<const yoshiki::Engine*> engines() { return {&engine(), &test_forms_engine()}; }

TEST_CASE("conformance: every form's rule samples report exactly their own rule",
          "[conformance][rules][samples]") {
  int forms_with_rules = 0, forms = 0;
  for (const auto* e : engines()) {
    forms += static_cast<int>(e->forms().size());
    for (const auto& form : e->forms()) {
      if (form.rules_path.empty()) continue;
      ++forms_with_rules;
      DYNAMIC_SECTION(form.id) {
        const auto rules = rule_severities(form);
        REQUIRE_FALSE(form.samples_path.empty());
        const auto files = xml_files(form.samples_path + "/rules");
        CHECK(files.size() == 2 * rules.size());  // a pass and a fail sample for each rule
        std::map<std::string, int> samples;       // rule id → samples
        for (const auto& path : files) {
          ++samples[sample_rule(path).first];
          check_rule_sample(*e, form, rules, path);
        }
        for (const auto& [id, severities] : rules) {
          INFO(form.id << " " << id);
          CHECK(samples[id] == 2);
        }
      }
    }
  }
  CHECK(forms_with_rules == forms);
  CHECK(forms == 5);
}

TEST_CASE("conformance: every form's valid samples have no error", "[conformance][samples]") {
  for (const auto* e : engines())
    for (const auto& form : e->forms()) {
      DYNAMIC_SECTION(form.id) {
        REQUIRE_FALSE(form.samples_path.empty());
        const auto files = xml_files(form.samples_path);
        CHECK_FALSE(files.empty());
        for (const auto& path : files) {
          const ValidationResult r = e->validate(path, today());
          INFO(path << "\n" << all(r.diagnostics));
          CHECK(r.readable);
          CHECK(r.form_id == form.id);
          CHECK(r.valid);
          CHECK(codes(r, {Severity::Error}).empty());
        }
      }
    }
}

namespace {
// The named xs:element declarations under `n` that carry no non-empty
// xs:annotation/xs:documentation with xml:lang="ja", as "name (line N)".
void unlabelled(const xmlNode* n, std::vector<std::string>& out) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (yoshiki::xml::name(c) == "element" && yoshiki::xml::has_attr(c, "name")) {
      bool labelled = false;
      for (const xmlNode* a : yoshiki::xml::children(c, "annotation"))
        for (const xmlNode* d : yoshiki::xml::children(a, "documentation")) {
          xmlChar* lang = xmlNodeGetLang(d);
          const bool ja = lang && std::string(reinterpret_cast<const char*>(lang)) == "ja";
          xmlFree(lang);
          labelled = labelled || (ja && !yoshiki::xml::text(d).empty());
        }
      if (!labelled)
        out.push_back(yoshiki::xml::attr(c, "name") + " (line " +
                      std::to_string(yoshiki::xml::line(c)) + ")");
    }
    unlabelled(c, out);
  }
}
}  // namespace

// Messages name an element by its Japanese label (「会社名」は60文字までです),
// never by its XML name: every element of every form's data XSD has one.
TEST_CASE("conformance: every element of every form's XSD has a Japanese label",
          "[conformance][xsd]") {
  int schemas = 0;
  for (const auto* e : engines())
    for (const auto& form : e->forms()) {
      ++schemas;
      const auto doc = yoshiki::xml::parse_file(form.schema_path);
      std::vector<std::string> missing;
      unlabelled(xmlDocGetRootElement(doc.get()), missing);
      INFO(form.schema_path);
      CHECK(missing == std::vector<std::string>{});
    }
  CHECK(schemas == 5);
}

TEST_CASE("conformance: the label check finds an element without a Japanese label",
          "[conformance][xsd]") {
  const auto doc = yoshiki::xml::parse(
      R"(<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="a"><xs:annotation><xs:documentation xml:lang="ja">会社名</xs:documentation></xs:annotation></xs:element>
  <xs:element name="b"><xs:annotation><xs:documentation xml:lang="en">company</xs:documentation></xs:annotation></xs:element>
  <xs:element name="c"/>
  <xs:element ref="a"/>
</xs:schema>)",
      "labels.xsd");
  std::vector<std::string> missing;
  unlabelled(xmlDocGetRootElement(doc.get()), missing);
  CHECK(missing == std::vector<std::string>{"b (line 3)", "c (line 4)"});
}
