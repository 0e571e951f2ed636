// native — evaluates the XPath 1.0 subset that rule files use directly on
// libxml2's tree: location paths of child steps, '.' and '..' with
// predicates; unions; or, and, = != < <= > >=; string and number literals;
// not, boolean, true, false, number, string, normalize-space, count and the
// y: functions. libxml2's XPath machinery (node-set objects, a value stack,
// allocations per step) was a third of validation time.
//
// The XPath text stays the specification: compile() returns null for any
// expression outside the subset (and for y: calls that would be XPath
// errors), and such expressions run through libxml2 as before. Both give
// the same answers — tests/unit/test_native.cpp compares them expression by
// expression and document by document.
#pragma once

#include <libxml/tree.h>

#include <memory>
#include <string>
#include <vector>

#include "rules/functions.h"

namespace yoshiki::rules::native {

struct Node;  // the parsed expression

class Expression {
 public:
  // Null if `xpath` is outside the subset. `env` names the code tables and
  // parameters that exist (a y:in-codes or y:param naming another is left
  // to libxml2, which reports it).
  static std::unique_ptr<Expression> compile(const std::string& xpath, const FunctionEnv& env);
  ~Expression();

  bool selects_nodes() const;  // the result is a node-set
  // The expression's boolean value at `context` (XPath boolean()).
  bool boolean(xmlNode* context, const FunctionEnv& env) const;
  // The selected nodes in document order (selects_nodes() must be true).
  void nodes(xmlNode* context, const FunctionEnv& env, std::vector<xmlNode*>& out) const;

 private:
  explicit Expression(std::unique_ptr<Node> root);
  std::unique_ptr<Node> root_;
};

// XPath's normalize-space(): no leading or trailing XML space, inner runs as one ' '.
std::string normalize_space(const std::string& s);

}  // namespace yoshiki::rules::native
