#include "rules/native.h"

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

namespace yoshiki::rules::native {

enum class Type { NodeSet, String, Number, Boolean };

enum class Op {
  Or,
  And,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,  // operators
  Union,
  Path,
  Literal,
  Number,
  Not,
  BooleanFn,
  True,
  False,
  NumberFn,
  StringFn,
  NormalizeSpace,
  Count,  // core functions
  Age,
  Days,
  AddDays,
  AddMonths,
  Date,
  Today,
  InCodes,
  IsKatakana,
  Matches,
  DigitCount,
  Param,  // y:
};

struct Step {
  enum class Axis { Self, Parent, Child } axis = Axis::Child;
  std::string name;  // Child: element name, "*" for any element
  std::vector<std::unique_ptr<Node>> predicates;
};

struct Node {
  Op op;
  Type type;
  std::vector<std::unique_ptr<Node>> args;  // operands or function arguments
  bool absolute = false;                    // Path: starts at the document
  std::vector<Step> steps;                  // Path
  bool walks_in_order = true;               // Path: no '..' after a child step, so visit() meets
                                            // the nodes in document order, each once
  std::string text;                         // Literal
  double number = 0;                        // Number
};

namespace {

// ---- tokens (XPath 1.0 §3.7) ---------------------------------------------------

struct Token {
  enum class Kind { Name, Literal, Number, Symbol, End } kind;
  std::string text;
};

bool name_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool name_char(unsigned char c) { return name_start(c) || std::isdigit(c) || c == '-' || c == '.'; }

// Operator names ("and", "or", "div", "mod") and '*' as multiplication are
// told apart from names by the token before them, as the spec says.
std::optional<std::vector<Token>> tokenize(const std::string& s) {
  std::vector<Token> out;
  bool after_operand = false;  // the previous token ends an operand
  size_t i = 0;
  auto sym = [&](const std::string& t) {
    out.push_back({Token::Kind::Symbol, t});
    i += t.size();
    after_operand = t == ")" || t == "]" || t == "." || t == "..";
  };
  while (i < s.size()) {
    unsigned char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == '\'' || c == '"') {
      size_t end = s.find(static_cast<char>(c), i + 1);
      if (end == std::string::npos) return std::nullopt;
      out.push_back({Token::Kind::Literal, s.substr(i + 1, end - i - 1)});
      i = end + 1;
      after_operand = true;
    } else if (std::isdigit(c) || (c == '.' && i + 1 < s.size() &&
                                   std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      size_t end = i;
      while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end]))) ++end;
      if (end < s.size() && s[end] == '.') {
        ++end;
        while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end]))) ++end;
      }
      out.push_back({Token::Kind::Number, s.substr(i, end - i)});
      i = end;
      after_operand = true;
    } else if (name_start(c)) {
      size_t end = i;
      while (end < s.size() && name_char(static_cast<unsigned char>(s[end]))) ++end;
      // A QName (prefix:local or prefix:*), but not an axis (name::).
      if (end + 1 < s.size() && s[end] == ':' && s[end + 1] != ':') {
        ++end;
        if (s[end] == '*') {
          ++end;
        } else {
          if (!name_start(static_cast<unsigned char>(s[end]))) return std::nullopt;
          while (end < s.size() && name_char(static_cast<unsigned char>(s[end]))) ++end;
        }
      }
      std::string name = s.substr(i, end - i);
      i = end;
      if (after_operand) {                                       // must be an operator name
        if (name != "and" && name != "or") return std::nullopt;  // div, mod: not in the subset
        out.push_back({Token::Kind::Symbol, name});
        after_operand = false;
      } else {
        out.push_back({Token::Kind::Name, name});
        after_operand = true;
      }
    } else if (c == '*') {
      if (after_operand) return std::nullopt;  // multiplication: not in the subset
      out.push_back({Token::Kind::Name, "*"});
      ++i;
      after_operand = true;
    } else {
      const std::string two = s.substr(i, 2);
      if (two == "//" || two == "::" || two == "!=" || two == "<=" || two == ">=" || two == "..") {
        sym(two);
      } else if (std::strchr("()[]@,/|+-=<>.$", c)) {
        sym(std::string(1, static_cast<char>(c)));
      } else {
        return std::nullopt;
      }
    }
  }
  out.push_back({Token::Kind::End, ""});
  return out;
}

// ---- parser (recursive descent; nullptr = outside the subset) ----------------

struct FunctionSpec {
  const char* name;
  Op op;
  Type type;
  int min_args, max_args;
};

const FunctionSpec kCore[] = {
    {"not", Op::Not, Type::Boolean, 1, 1},
    {"boolean", Op::BooleanFn, Type::Boolean, 1, 1},
    {"true", Op::True, Type::Boolean, 0, 0},
    {"false", Op::False, Type::Boolean, 0, 0},
    {"number", Op::NumberFn, Type::Number, 0, 1},
    {"string", Op::StringFn, Type::String, 0, 1},
    {"normalize-space", Op::NormalizeSpace, Type::String, 0, 1},
    {"count", Op::Count, Type::Number, 1, 1},
};
const FunctionSpec kY[] = {
    {"age", Op::Age, Type::Number, 2, 2},
    {"days", Op::Days, Type::Number, 2, 2},
    {"add-days", Op::AddDays, Type::String, 2, 2},
    {"add-months", Op::AddMonths, Type::String, 2, 2},
    {"date", Op::Date, Type::String, 1, 1},
    {"today", Op::Today, Type::String, 0, 0},
    {"in-codes", Op::InCodes, Type::Boolean, 2, 2},
    {"is-katakana", Op::IsKatakana, Type::Boolean, 1, 1},
    {"matches", Op::Matches, Type::Boolean, 2, 2},
    {"digit-count", Op::DigitCount, Type::Number, 1, 1},
    {"param", Op::Param, Type::String, 1, 2},
};

using NodePtr = std::unique_ptr<Node>;

NodePtr make(Op op, Type type) {
  auto n = std::make_unique<Node>();
  n->op = op;
  n->type = type;
  return n;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const FunctionEnv& env) : t_(std::move(tokens)), env_(env) {}

  NodePtr parse() {
    NodePtr e = expr();
    return e && at_end() ? std::move(e) : nullptr;
  }

 private:
  const Token& peek(size_t ahead = 0) const { return t_[std::min(i_ + ahead, t_.size() - 1)]; }
  bool at_end() const { return peek().kind == Token::Kind::End; }
  bool is_symbol(const char* s, size_t ahead = 0) const {
    return peek(ahead).kind == Token::Kind::Symbol && peek(ahead).text == s;
  }
  bool accept(const char* s) {
    if (!is_symbol(s)) return false;
    ++i_;
    return true;
  }

  NodePtr expr() { return binary(0); }

  // Levels: or, and, equality, relational.
  NodePtr binary(int level) {
    static const std::vector<std::pair<const char*, Op>> kLevels[] = {
        {{"or", Op::Or}},
        {{"and", Op::And}},
        {{"=", Op::Eq}, {"!=", Op::Ne}},
        {{"<", Op::Lt}, {"<=", Op::Le}, {">", Op::Gt}, {">=", Op::Ge}},
    };
    if (level == 4) return unary();
    NodePtr left = binary(level + 1);
    while (left) {
      const std::pair<const char*, Op>* found = nullptr;
      for (const auto& p : kLevels[level])
        if (is_symbol(p.first)) found = &p;
      if (!found) break;
      ++i_;
      NodePtr right = binary(level + 1);
      if (!right) return nullptr;
      NodePtr n = make(found->second, Type::Boolean);
      n->args.push_back(std::move(left));
      n->args.push_back(std::move(right));
      left = std::move(n);
    }
    return left;
  }

  // Arithmetic (+ - * div mod, unary minus) is outside the subset.
  NodePtr unary() {
    NodePtr n = union_expr();
    if (n && (is_symbol("+") || is_symbol("-"))) return nullptr;
    return n;
  }

  NodePtr union_expr() {
    NodePtr left = path_expr();
    if (!left || !is_symbol("|")) return left;
    NodePtr u = make(Op::Union, Type::NodeSet);
    if (left->type != Type::NodeSet) return nullptr;
    u->args.push_back(std::move(left));
    while (accept("|")) {
      NodePtr right = path_expr();
      if (!right || right->type != Type::NodeSet) return nullptr;
      u->args.push_back(std::move(right));
    }
    return u;
  }

  bool starts_step() const {
    const Token& t = peek();
    if (t.kind == Token::Kind::Name) return !is_symbol("(", 1);
    return is_symbol(".") || is_symbol("..");
  }

  NodePtr path_expr() {
    const Token& t = peek();
    if (is_symbol("/")) {
      ++i_;
      NodePtr p = make(Op::Path, Type::NodeSet);
      p->absolute = true;
      if (starts_step() && !relative_path(*p)) return nullptr;
      return p;
    }
    if (t.kind == Token::Kind::Literal || t.kind == Token::Kind::Number || is_symbol("(") ||
        (t.kind == Token::Kind::Name && is_symbol("(", 1))) {
      NodePtr e = primary();
      // Filter expressions (predicates or steps after a primary): outside the subset.
      if (e && (is_symbol("[") || is_symbol("/") || is_symbol("//"))) return nullptr;
      return e;
    }
    if (!starts_step()) return nullptr;
    NodePtr p = make(Op::Path, Type::NodeSet);
    if (!relative_path(*p)) return nullptr;
    return p;
  }

  bool relative_path(Node& p) {
    do {
      if (!step(p)) return false;
    } while (accept("/"));
    return !is_symbol("//");
  }

  bool step(Node& p) {
    Step s;
    if (accept(".")) {
      s.axis = Step::Axis::Self;
    } else if (accept("..")) {
      s.axis = Step::Axis::Parent;
    } else {
      const Token& t = peek();
      // Axes, node-type tests and prefixed names: outside the subset.
      if (t.kind != Token::Kind::Name || t.text.find(':') != std::string::npos ||
          is_symbol("::", 1) || is_symbol("(", 1))
        return false;
      s.name = t.text;
      ++i_;
      while (accept("[")) {
        NodePtr pred = expr();
        // A number would be a position test: outside the subset.
        if (!pred || pred->type == Type::Number || !accept("]")) return false;
        s.predicates.push_back(std::move(pred));
      }
    }
    if (s.axis == Step::Axis::Parent &&
        std::any_of(p.steps.begin(), p.steps.end(),
                    [](const Step& t) { return t.axis == Step::Axis::Child; }))
      p.walks_in_order = false;
    p.steps.push_back(std::move(s));
    return true;
  }

  NodePtr primary() {
    const Token t = peek();
    if (t.kind == Token::Kind::Literal) {
      ++i_;
      NodePtr n = make(Op::Literal, Type::String);
      n->text = t.text;
      return n;
    }
    if (t.kind == Token::Kind::Number) {
      ++i_;
      NodePtr n = make(Op::Number, Type::Number);
      n->number = xmlXPathStringEvalNumber(reinterpret_cast<const xmlChar*>(t.text.c_str()));
      return n;
    }
    if (accept("(")) {
      NodePtr e = expr();
      return e && accept(")") ? std::move(e) : nullptr;
    }
    return call();
  }

  NodePtr call() {
    const std::string name = peek().text;
    i_ += 2;  // name and '('
    std::vector<NodePtr> args;
    if (!accept(")")) {
      do {
        NodePtr a = expr();
        if (!a) return nullptr;
        args.push_back(std::move(a));
      } while (accept(","));
      if (!accept(")")) return nullptr;
    }
    const FunctionSpec* spec = nullptr;
    if (name.starts_with("y:")) {
      for (const auto& f : kY)
        if (name.substr(2) == f.name) spec = &f;
    } else {
      for (const auto& f : kCore)
        if (name == f.name) spec = &f;
    }
    const int n = static_cast<int>(args.size());
    if (!spec || n < spec->min_args || n > spec->max_args) return nullptr;
    if (spec->op == Op::Count && args[0]->type != Type::NodeSet) return nullptr;
    // Calls that are XPath errors at run time stay with libxml2, which reports them.
    auto literal = [&](size_t k) { return args[k]->op == Op::Literal ? &args[k]->text : nullptr; };
    if (spec->op == Op::InCodes && (!literal(0) || !y::in_codes(env_, *literal(0), "")))
      return nullptr;
    if (spec->op == Op::Param && (!literal(0) || !y::param(env_, *literal(0), nullptr)))
      return nullptr;
    if (spec->op == Op::Matches && (!literal(1) || !y::matches("", *literal(1)))) return nullptr;
    NodePtr c = make(spec->op, spec->type);
    c->args = std::move(args);
    return c;
  }

  std::vector<Token> t_;
  size_t i_ = 0;
  const FunctionEnv& env_;
};

// ---- values and conversions (XPath 1.0 §3.4, §4) ----------------------------

struct Value {
  Type type = Type::Boolean;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<xmlNode*> nodes;
};

// A node's string-value: libxml2's xmlNodeGetContent, without the copy for
// the usual element holding one text node.
const char* string_value(const xmlNode* n, std::string& scratch) {
  if (n->type == XML_ELEMENT_NODE) {
    const xmlNode* c = n->children;
    if (!c) return "";
    if (!c->next && c->type == XML_TEXT_NODE)
      return c->content ? reinterpret_cast<const char*>(c->content) : "";
  }
  xmlChar* content = xmlNodeGetContent(n);
  scratch = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return scratch.c_str();
}

double string_to_number(const char* s) {
  return xmlXPathStringEvalNumber(reinterpret_cast<const xmlChar*>(s));
}

std::string number_to_string(double d) {
  xmlChar* s = xmlXPathCastNumberToString(d);
  std::string out = s ? reinterpret_cast<const char*>(s) : "";
  xmlFree(s);
  return out;
}

bool to_boolean(const Value& v) {
  switch (v.type) {
    case Type::NodeSet:
      return !v.nodes.empty();
    case Type::String:
      return !v.string.empty();
    case Type::Number:
      return v.number != 0 && !std::isnan(v.number);
    case Type::Boolean:
      return v.boolean;
  }
  return false;
}

std::string to_string(const Value& v) {
  switch (v.type) {
    case Type::NodeSet: {
      if (v.nodes.empty()) return "";
      std::string scratch;
      return string_value(v.nodes.front(), scratch);
    }
    case Type::String:
      return v.string;
    case Type::Number:
      return number_to_string(v.number);
    case Type::Boolean:
      return v.boolean ? "true" : "false";
  }
  return "";
}

double to_number(const Value& v) {
  switch (v.type) {
    case Type::NodeSet: {
      if (v.nodes.empty()) return string_to_number("");
      std::string scratch;
      return string_to_number(string_value(v.nodes.front(), scratch));
    }
    case Type::String:
      return string_to_number(v.string.c_str());
    case Type::Number:
      return v.number;
    case Type::Boolean:
      return v.boolean ? 1 : 0;
  }
  return NAN;
}

bool compare_numbers(Op op, double a, double b) {
  switch (op) {
    case Op::Eq:
      return a == b;
    case Op::Ne:
      return a != b;
    case Op::Lt:
      return a < b;
    case Op::Le:
      return a <= b;
    case Op::Gt:
      return a > b;
    case Op::Ge:
      return a >= b;
    default:
      return false;
  }
}

bool equality(Op op) { return op == Op::Eq || op == Op::Ne; }

bool compare_strings(Op op, const char* a, const char* b) {
  if (equality(op)) return (std::strcmp(a, b) == 0) == (op == Op::Eq);
  return compare_numbers(op, string_to_number(a), string_to_number(b));
}

Op flipped(Op op) {
  switch (op) {
    case Op::Lt:
      return Op::Gt;
    case Op::Le:
      return Op::Ge;
    case Op::Gt:
      return Op::Lt;
    case Op::Ge:
      return Op::Le;
    default:
      return op;
  }
}

// `a op b`, neither a node-set.
bool compare_values(Op op, const Value& a, const Value& b) {
  if (equality(op)) {
    if (a.type == Type::Boolean || b.type == Type::Boolean)
      return (to_boolean(a) == to_boolean(b)) == (op == Op::Eq);
    if (a.type == Type::Number || b.type == Type::Number)
      return compare_numbers(op, to_number(a), to_number(b));
    return (to_string(a) == to_string(b)) == (op == Op::Eq);
  }
  return compare_numbers(op, to_number(a), to_number(b));
}

// ---- evaluation -----------------------------------------------------------------

struct Evaluator {
  const FunctionEnv& env;

  bool matches_name(const xmlNode* n, const std::string& name) const {
    if (n->type != XML_ELEMENT_NODE) return false;
    if (name[0] == '*') return true;
    // An unprefixed name test matches elements in no namespace only.
    const char* own = reinterpret_cast<const char*>(n->name);
    return !n->ns && own[0] == name[0] && std::strcmp(own, name.c_str()) == 0;
  }

  bool all_predicates(const Step& s, xmlNode* n) const {
    for (const auto& p : s.predicates)
      if (!boolean(*p, n)) return false;
    return true;
  }

  // Calls f on every node that steps[i…] select from n, depth first, until
  // f returns true. Child steps from one node meet their nodes in document
  // order; a '..' after a child step can meet a node more than once, and
  // out of order (path.walks_in_order is false then).
  template <class F>
  bool visit(const Node& path, size_t i, xmlNode* n, F& f) const {
    if (i == path.steps.size()) return f(n);
    const Step& s = path.steps[i];
    switch (s.axis) {
      case Step::Axis::Self:
        return visit(path, i + 1, n, f);
      case Step::Axis::Parent:
        return n->parent && visit(path, i + 1, n->parent, f);
      case Step::Axis::Child:
        for (xmlNode* c = n->children; c; c = c->next)
          if (matches_name(c, s.name) && all_predicates(s, c) && visit(path, i + 1, c, f))
            return true;
        return false;
    }
    return false;
  }

  // f on the nodes of node-set expression e (in any order, repeats possible), until it returns
  // true.
  template <class F>
  bool any(const Node& e, xmlNode* context, F&& f) const {
    if (e.op == Op::Path)
      return visit(e, 0, e.absolute ? reinterpret_cast<xmlNode*>(context->doc) : context, f);
    std::vector<xmlNode*> nodes;
    node_set(e, context, nodes);
    for (xmlNode* n : nodes)
      if (f(n)) return true;
    return false;
  }

  // The first node of node-set expression e in document order, or null.
  xmlNode* first(const Node& e, xmlNode* context) const {
    if (e.op != Op::Path || !e.walks_in_order) {
      std::vector<xmlNode*> nodes;
      node_set(e, context, nodes);
      return nodes.empty() ? nullptr : nodes.front();
    }
    xmlNode* found = nullptr;
    any(e, context, [&](xmlNode* n) {
      found = n;
      return true;
    });
    return found;
  }

  // The nodes in document order, without repeats.
  void node_set(const Node& e, xmlNode* context, std::vector<xmlNode*>& out) const {
    out.clear();
    if (e.op == Op::Path) {
      any(e, context, [&](xmlNode* n) {
        out.push_back(n);
        return false;
      });
      if (e.walks_in_order) return;
    } else {
      std::vector<xmlNode*> part;
      for (const auto& a : e.args) {
        node_set(*a, context, part);
        out.insert(out.end(), part.begin(), part.end());
      }
    }
    // Unions and paths going up: document order, without duplicates.
    std::sort(out.begin(), out.end(),
              [](xmlNode* x, xmlNode* y) { return x != y && xmlXPathCmpNodes(x, y) == 1; });
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }

  // `set op other` for node-set expression `set` (XPath 1.0 §3.4).
  // `set op other` for node-set expression `set` (XPath 1.0 §3.4); the other
  // side is evaluated once, literals used in place.
  bool compare_set(Op op, const Node& set, const Node& other, xmlNode* context) const {
    std::string scratch;
    switch (other.type) {
      case Type::Boolean: {
        const bool exists = first(set, context) != nullptr, b = boolean(other, context);
        if (equality(op)) return (exists == b) == (op == Op::Eq);
        return compare_numbers(op, exists ? 1 : 0, b ? 1 : 0);
      }
      case Type::Number: {
        const double v = number(other, context);
        return any(set, context, [&](xmlNode* n) {
          return compare_numbers(op, string_to_number(string_value(n, scratch)), v);
        });
      }
      case Type::String: {
        const std::string computed =
            other.op == Op::Literal ? std::string() : string(other, context);
        const char* v = other.op == Op::Literal ? other.text.c_str() : computed.c_str();
        return any(set, context,
                   [&](xmlNode* n) { return compare_strings(op, string_value(n, scratch), v); });
      }
      case Type::NodeSet: {
        std::vector<xmlNode*> others;
        node_set(other, context, others);
        std::string scratch2;
        return any(set, context, [&](xmlNode* a) {
          const char* sa = string_value(a, scratch);
          for (xmlNode* b : others)
            if (compare_strings(op, sa, string_value(b, scratch2))) return true;
          return false;
        });
      }
    }
    return false;
  }

  bool compare(Op op, const Node& l, const Node& r, xmlNode* context) const {
    if (l.type == Type::NodeSet) return compare_set(op, l, r, context);
    if (r.type == Type::NodeSet) return compare_set(flipped(op), r, l, context);
    if (l.type == Type::Number && r.type == Type::Number)  // the usual case, without Values
      return compare_numbers(op, number(l, context), number(r, context));
    return compare_values(op, value(l, context), value(r, context));
  }

  std::string string_arg(const Node& e, xmlNode* context) const {
    if (e.op == Op::Literal) return e.text;
    if (e.type == Type::NodeSet) {
      xmlNode* n = first(e, context);
      std::string scratch;
      return n ? string_value(n, scratch) : "";
    }
    return to_string(value(e, context));
  }

  double number_arg(const Node& e, xmlNode* context) const {
    if (e.type == Type::NodeSet) return string_to_number(string_arg(e, context).c_str());
    return to_number(value(e, context));
  }

  Value value(const Node& e, xmlNode* context) const {
    Value v;
    v.type = e.type;
    switch (e.type) {
      case Type::NodeSet:
        node_set(e, context, v.nodes);
        break;
      case Type::Boolean:
        v.boolean = boolean(e, context);
        break;
      case Type::Number:
        v.number = number(e, context);
        break;
      case Type::String:
        v.string = string(e, context);
        break;
    }
    return v;
  }

  // Context-node forms: number(), string(), normalize-space().
  std::string context_string(const Node& e, xmlNode* context) const {
    if (!e.args.empty()) return string_arg(*e.args[0], context);
    std::string scratch;
    return string_value(context, scratch);
  }

  bool boolean(const Node& e, xmlNode* context) const {
    switch (e.op) {
      case Op::Or:
        return boolean(*e.args[0], context) || boolean(*e.args[1], context);
      case Op::And:
        return boolean(*e.args[0], context) && boolean(*e.args[1], context);
      case Op::Eq:
      case Op::Ne:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
        return compare(e.op, *e.args[0], *e.args[1], context);
      case Op::Not:
        return !boolean(*e.args[0], context);
      case Op::BooleanFn:
        return boolean(*e.args[0], context);
      case Op::True:
        return true;
      case Op::False:
        return false;
      case Op::InCodes:
        return y::in_codes(env, e.args[0]->text, string_arg(*e.args[1], context)).value_or(false);
      case Op::IsKatakana:
        return y::is_katakana(string_arg(*e.args[0], context));
      case Op::Matches:
        return y::matches(string_arg(*e.args[0], context), e.args[1]->text).value_or(false);
      case Op::Path:
      case Op::Union:
        return first(e, context) != nullptr;
      default:
        return to_boolean(value(e, context));
    }
  }

  double number(const Node& e, xmlNode* context) const {
    switch (e.op) {
      case Op::Number:
        return e.number;
      case Op::NumberFn:
        if (e.args.empty()) return string_to_number(context_string(e, context).c_str());
        return number_arg(*e.args[0], context);
      case Op::Count: {
        std::vector<xmlNode*> nodes;
        node_set(*e.args[0], context, nodes);
        return static_cast<double>(nodes.size());
      }
      case Op::Age:
        return y::age(string_arg(*e.args[0], context), string_arg(*e.args[1], context));
      case Op::Days:
        return y::days(string_arg(*e.args[0], context), string_arg(*e.args[1], context));
      case Op::DigitCount:
        return y::digit_count(string_arg(*e.args[0], context));
      default:
        return to_number(value(e, context));
    }
  }

  std::string string(const Node& e, xmlNode* context) const {
    switch (e.op) {
      case Op::Literal:
        return e.text;
      case Op::StringFn:
        return context_string(e, context);
      case Op::NormalizeSpace:
        return normalize_space(context_string(e, context));
      case Op::AddDays:
        return y::add_days(string_arg(*e.args[0], context), number_arg(*e.args[1], context));
      case Op::AddMonths:
        return y::add_months(string_arg(*e.args[0], context), number_arg(*e.args[1], context));
      case Op::Date:
        return y::date(string_arg(*e.args[0], context));
      case Op::Today:
        return y::today(env);
      case Op::Param: {
        if (e.args.size() == 1) return y::param(env, e.args[0]->text, nullptr).value_or("");
        const std::string on = string_arg(*e.args[1], context);
        return y::param(env, e.args[0]->text, &on).value_or("");
      }
      default:
        return to_string(value(e, context));
    }
  }
};

}  // namespace

std::string normalize_space(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

Expression::Expression(std::unique_ptr<Node> root) : root_(std::move(root)) {}
Expression::~Expression() = default;

std::unique_ptr<Expression> Expression::compile(const std::string& xpath, const FunctionEnv& env) {
  auto tokens = tokenize(xpath);
  if (!tokens) return nullptr;
  NodePtr root = Parser(std::move(*tokens), env).parse();
  if (!root) return nullptr;
  return std::unique_ptr<Expression>(new Expression(std::move(root)));
}

bool Expression::selects_nodes() const { return root_->type == Type::NodeSet; }

bool Expression::boolean(xmlNode* context, const FunctionEnv& env) const {
  return Evaluator{env}.boolean(*root_, context);
}

void Expression::nodes(xmlNode* context, const FunctionEnv& env, std::vector<xmlNode*>& out) const {
  Evaluator{env}.node_set(*root_, context, out);
}

}  // namespace yoshiki::rules::native
