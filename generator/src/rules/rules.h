// rules — business rules as data (schemas/<form>.rules.xml, checked against
// schemas/rules.xsd): input normalisations, code tables, dated parameters and
// Schematron-like rules (id, severity, context, XPath 1.0 test, the field it
// concerns, messages in Japanese and English). Loaded and compiled once;
// evaluated natively with libxml2's XPath from any number of threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rules/functions.h"
#include "rules/native.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::rules {

// A message with {XPath} placeholders, evaluated at the context node.
struct Message {
  std::vector<std::string> literals;  // literals[i] precedes exprs[i]; one more literal than exprs
  std::vector<std::shared_ptr<xml::XPath>> exprs;
};

struct Rule {
  std::string id;
  Severity severity = Severity::Error;
  std::shared_ptr<xml::XPath> context, test, field;
  // The same context and test evaluated natively; null where the
  // expression is outside native's subset (libxml2 evaluates it then).
  std::shared_ptr<native::Expression> native_context, native_test;
  std::string field_text;
  Message ja, en;
  int line = 0;
};

struct Normalization {
  enum class Kind { Numeric, Kana } kind;
  // The elements whose text is normalised: the branches of the select
  // expression's top-level union, evaluated one by one (no node-set merge).
  std::vector<std::shared_ptr<xml::XPath>> select;
  std::vector<std::shared_ptr<native::Expression>> native_select;  // null entries: libxml2
  bool every_leaf = false;  // every-leaf="true": all elements without element children
};

// Which evaluator runs the expressions native.h can evaluate: the native one
// (always, outside tests), or libxml2 for everything (to compare the two).
enum class Evaluator { NativeWhereSupported, Libxml2Only };

class RuleSet {
 public:
  // Throws Error naming the file and line on any problem.
  // The rule file is read through `io` (its code tables from the file system).
  RuleSet(const std::string& path, const xml::Schema& rules_schema,
          Evaluator evaluator = Evaluator::NativeWhereSupported, const Io& io = *system_io());
  RuleSet(const RuleSet&) = delete;  // functions() points into this object
  RuleSet& operator=(const RuleSet&) = delete;

  const std::string& form() const { return form_; }  // the form and version it says it is for
  const std::string& version() const { return version_; }
  const std::vector<Rule>& rules() const { return rules_; }
  const std::vector<Normalization>& normalizations() const { return normalizations_; }
  // The y: functions with this file's code tables and dated parameters (today
  // = 2000-01-01): for template XPaths that call them, e.g. y:param.
  const FunctionEnv& functions() const { return functions_; }

  // Rewrites the document's text in place (before XSD validation) and
  // reports each change as an Info diagnostic (without the values).
  std::vector<Diagnostic> normalize(xmlDoc* doc, const std::string& name) const;

  // Every violated rule, once per context node.
  // A rule that asks for a setting not in `settings` is not checked: one
  // info rules.setting-missing per rule and document says so.
  std::vector<Diagnostic> evaluate(xmlDoc* doc, const std::string& name,
                                   const text::CivilDate& today,
                                   const Settings& settings = {}) const;

 private:
  std::string path_, form_, version_;
  CodeTables codes_;
  Parameters params_;
  std::vector<Normalization> normalizations_;
  std::vector<Rule> rules_;
  FunctionEnv functions_;
};

}  // namespace yoshiki::rules
