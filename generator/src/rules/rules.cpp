#include "rules/rules.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "text/normalize.h"

namespace yoshiki::rules {
namespace {

Severity severity_of(const std::string& s) {
  return s == "W" ? Severity::Warning : s == "I" ? Severity::Info : Severity::Error;
}

}  // namespace

RuleSet::RuleSet(const std::string& path, const xml::Schema& rules_schema, Evaluator evaluator,
                 const Io& io)
    : path_(path) {
  auto doc = xml::parse(io.read(path, xml::kMaxDocumentBytes), path);
  auto problems = rules_schema.validate(doc.get(), path);
  if (!problems.empty()) throw Error(ErrorKind::InvalidInput, std::move(problems));
  xmlNode* root = xmlDocGetRootElement(doc.get());
  form_ = xml::attr(root, "form");
  version_ = xml::attr(root, "version");
  const std::string dir = std::filesystem::path(path).parent_path().string();
  auto where = [&](const xmlNode* n) { return path + ":" + std::to_string(xml::line(n)); };

  for (xmlNode* c : xml::children(root, "codes")) {
    codes_[xml::attr(c, "name")] =
        load_code_column(dir + "/" + xml::attr(c, "file"), xml::attr(c, "column"), io);
  }
  for (xmlNode* p : xml::children(root, "parameter")) {
    auto& values = params_[xml::attr(p, "name")];
    for (xmlNode* v : xml::children(p, "value")) {
      auto from = text::parse_iso_date(xml::attr(v, "from"));
      if (!from)
        throw Error(ErrorKind::InvalidInput,
                    {{Severity::Error, "rules", "bad 'from' date", path, xml::line(v)}});
      std::optional<text::CivilDate> review_by;
      if (xml::has_attr(v, "review-by")) {
        review_by = text::parse_iso_date(xml::attr(v, "review-by"));
        if (!review_by)
          throw Error(ErrorKind::InvalidInput,
                      {{Severity::Error, "rules", "bad 'review-by' date", path, xml::line(v)}});
      }
      values.push_back(
          {*from, native::normalize_space(xml::text(v)), xml::attr(v, "source"), review_by});
    }
    std::sort(values.begin(), values.end(), [](auto& a, auto& b) { return a.from < b.from; });
  }
  // Expressions are compiled (and probe-evaluated) with the functions
  // installed, so a typo in a function name fails here, at load time.
  functions_.codes = &codes_;
  functions_.params = &params_;
  const FunctionEnv& env = functions_;
  auto compile = [&](const xmlNode* n, const std::string& expr) {
    // The probe evaluation cannot reach calls behind and/or or in empty
    // predicates: check every y: name against the function table too.
    for (size_t at = expr.find("y:"); at != std::string::npos; at = expr.find("y:", at + 2)) {
      if (at > 0 && (std::isalnum(static_cast<unsigned char>(expr[at - 1])) || expr[at - 1] == '-'))
        continue;
      size_t end = at + 2;
      while (end < expr.size() &&
             (std::isalnum(static_cast<unsigned char>(expr[end])) || expr[end] == '-'))
        ++end;
      std::string fn = expr.substr(at + 2, end - at - 2);
      if (!is_function(fn)) {
        throw Error(ErrorKind::InvalidInput, {{Severity::Error, "rules.function",
                                               "unknown function y:" + fn, path, xml::line(n)}});
      }
    }
    return std::make_shared<xml::XPath>(expr, where(n), &env);
  };
  auto compile_native = [&](const std::string& expr) -> std::shared_ptr<native::Expression> {
    if (evaluator == Evaluator::Libxml2Only) return nullptr;
    return native::Expression::compile(expr, env);
  };
  for (xmlNode* n : xml::children(root, "normalize")) {
    Normalization norm;
    norm.kind =
        xml::attr(n, "kind") == "kana" ? Normalization::Kind::Kana : Normalization::Kind::Numeric;
    const std::string select = xml::attr(n, "select");
    const std::string every = xml::attr(n, "every-leaf");
    norm.every_leaf = every == "true" || every == "1";
    if (norm.every_leaf == !select.empty()) {
      throw Error(ErrorKind::InvalidInput,
                  {{Severity::Error, "rules",
                    "<normalize> needs either select or every-leaf=\"true\"", path, xml::line(n)}});
    }
    // Split the union at top level (outside brackets, parentheses, quotes).
    int depth = 0;
    char quote = 0;
    size_t start = 0;
    for (size_t i = 0; !select.empty() && i <= select.size(); ++i) {
      char c = i < select.size() ? select[i] : '|';
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[' || c == '(') {
        ++depth;
      } else if (c == ']' || c == ')') {
        --depth;
      } else if (c == '|' && depth == 0) {
        norm.select.push_back(compile(n, select.substr(start, i - start)));
        auto fast = compile_native(select.substr(start, i - start));
        norm.native_select.push_back(fast && fast->selects_nodes() ? fast : nullptr);
        start = i + 1;
      }
    }
    normalizations_.push_back(std::move(norm));
  }
  for (xmlNode* r : xml::children(root, "rule")) {
    Rule rule;
    rule.id = xml::attr(r, "id");
    rule.severity = severity_of(xml::attr(r, "severity"));
    rule.line = xml::line(r);
    rule.context = compile(r, xml::attr(r, "context"));
    rule.test = compile(r, "boolean(" + xml::attr(r, "test") + ")");
    rule.native_context = compile_native(xml::attr(r, "context"));
    if (rule.native_context && !rule.native_context->selects_nodes()) rule.native_context = nullptr;
    rule.native_test = compile_native(xml::attr(r, "test"));
    rule.field_text = xml::attr(r, "field");
    if (!rule.field_text.empty()) rule.field = compile(r, rule.field_text);
    for (xmlNode* m : xml::children(r, "message")) {
      std::string l = xml::attr(m, "lang");
      Message msg;
      std::string t = native::normalize_space(xml::text(m));
      size_t pos = 0;
      while (true) {
        size_t open = t.find('{', pos);
        if (open == std::string::npos) break;
        size_t close = t.find('}', open);
        if (close == std::string::npos) break;
        msg.literals.push_back(t.substr(pos, open - pos));
        msg.exprs.push_back(compile(m, "string(" + t.substr(open + 1, close - open - 1) + ")"));
        pos = close + 1;
      }
      msg.literals.push_back(t.substr(pos));
      (l == "ja" ? rule.ja : rule.en) = std::move(msg);
    }
    rules_.push_back(std::move(rule));
  }
}

namespace {
// Every element without element children, found by one walk (the XPath
// //*[not(*)] cost a third of validation time).
void leaves(xmlNode* n, std::vector<xmlNode*>& out) {
  bool has_child = false;
  for (xmlNode* c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    has_child = true;
    leaves(c, out);
  }
  if (!has_child) out.push_back(n);
}
}  // namespace

namespace {
// Whether normalising leaf `n` could change it: a byte scan of its text nodes
// in place (the usual leaf needs no copy and no ICU). The characters the
// scans look for never span two text nodes.
bool may_change(const xmlNode* n, Normalization::Kind kind) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || !c->content) continue;
    std::string_view t(reinterpret_cast<const char*>(c->content));
    if (kind == Normalization::Kind::Kana ? text::kana_may_change(t) : text::numeric_may_change(t))
      return true;
  }
  return false;
}

// One XPath context per thread, with the y: functions registered, rebound to
// each document, its userData pointing at the call's FunctionEnv while a
// Bound lives (never left pointing at a finished call's env).
xml::XPathContext& thread_context(xmlDoc* doc) {
  static const FunctionEnv registration;  // functions read the env from userData at call time
  thread_local xml::XPathContext ctx(doc, &registration);
  ctx.rebind(doc);
  return ctx;
}

struct Bound {
  xml::XPathContext& ctx;
  Bound(xml::XPathContext& c, const FunctionEnv& env) : ctx(c) {
    ctx.get()->userData = const_cast<FunctionEnv*>(&env);
  }
  ~Bound() { ctx.get()->userData = nullptr; }
  Bound(const Bound&) = delete;
  Bound& operator=(const Bound&) = delete;
};
}  // namespace

std::vector<Diagnostic> RuleSet::normalize(xmlDoc* doc, const std::string& name) const {
  std::vector<Diagnostic> out;
  // Selections see the tables and parameters (and the default today) through
  // either evaluator.
  FunctionEnv env;
  env.codes = &codes_;
  env.params = &params_;
  xml::XPathContext& ctx = thread_context(doc);
  Bound bound(ctx, env);
  for (const auto& norm : normalizations_) {
    std::vector<xmlNode*> selected;
    if (norm.every_leaf) {
      leaves(xmlDocGetRootElement(doc), selected);
    } else {
      std::vector<xmlNode*> found;
      for (size_t b = 0; b < norm.select.size(); ++b) {
        if (norm.native_select[b])
          norm.native_select[b]->nodes(xmlDocGetRootElement(doc), env, found);
        else
          found = norm.select[b]->nodes(ctx);
        selected.insert(selected.end(), found.begin(), found.end());
      }
    }
    for (xmlNode* n : selected) {
      if (n->type != XML_ELEMENT_NODE || xmlFirstElementChild(n) || !may_change(n, norm.kind))
        continue;
      std::string before = xml::text(n);
      std::string after = norm.kind == Normalization::Kind::Kana ? text::normalize_kana(before)
                                                                 : text::normalize_numeric(before);
      if (after == before) continue;
      xmlNodeSetContent(n, nullptr);
      xmlNodeAddContent(n, reinterpret_cast<const xmlChar*>(after.c_str()));
      out.push_back({Severity::Info, "normalized",
                     norm.kind == Normalization::Kind::Kana
                         ? "half-width katakana converted to full-width"
                         : "full-width digits, letters or dashes converted to ASCII",
                     name, xml::line(n), 0, xml::node_path(n)});
      out.back().message_ja = norm.kind == Normalization::Kind::Kana
                                  ? "半角カタカナを全角に変換しました。"
                                  : "全角の数字・英字・ハイフンを半角に変換しました。";
    }
  }
  return out;
}

namespace {

// The error for a rule that asked for a parameter on a date before its
// first value: the rule is not checked (a comparison with '' would decide it).
Diagnostic missing_parameter(const Rule& rule, const std::vector<ParameterUse>& uses,
                             const std::string& rules_path, const std::string& name) {
  std::string en, ja;
  std::set<std::string> seen;
  for (const auto& u : uses) {
    if (u.kind != ParameterUse::Kind::Missing) continue;
    const std::string on = text::format_iso_date(u.on);
    if (!seen.insert(u.name + " " + on).second) continue;
    const std::string first = text::format_iso_date(u.value->from);
    en += (en.empty() ? "" : "; ") + std::string("parameter '") + u.name + "' has no value for " +
          on + " (its first value is from " + first + ")";
    ja += (ja.empty() ? "" : "、") + std::string("パラメータ「") + u.name + "」に" + on +
          "時点の値がありません（最初の値は" + first + "から）";
  }
  Diagnostic d(Severity::Error, "rules.parameter",
               "rule " + rule.id + " could not be checked: " + en + "; add the value in force " +
                   "on that date to " + rules_path,
               name);
  d.message_ja = "ルール" + rule.id + "を確認できません：" + ja + "。その日に有効な値を" +
                 rules_path + "に追加してください。";
  return d;
}

// The warning for a value asked for on or after its review-by date.
Diagnostic parameter_review(const ParameterUse& u, const std::string& rules_path,
                            const std::string& name) {
  const std::string from = text::format_iso_date(u.value->from);
  const std::string review = text::format_iso_date(*u.value->review_by);
  const std::string source = u.value->source.empty() ? "" : " (" + u.value->source + ")";
  Diagnostic d(Severity::Warning, "rules.parameter-review",
               "parameter '" + u.name + "' = " + u.value->value + " from " + from + source +
                   " was to be reviewed by " + review + " and is used for " +
                   text::format_iso_date(u.on) + ": check for a newer value and add it to " +
                   rules_path,
               name);
  d.message_ja = "パラメータ「" + u.name + "」の値（" + u.value->value + "、" + from + "から" +
                 source + "）は" + review + "までに見直す予定の値で、" +
                 text::format_iso_date(u.on) + "の判定に使われました。新しい値がないか確認し、" +
                 rules_path + "に追加してください。";
  return d;
}

// The note for a rule that needs organisation settings the caller did not
// give: the rule is not checked (a comparison with '' would decide it).
Diagnostic setting_missing(const Rule& rule, const std::set<std::string>& keys,
                           const std::string& name) {
  std::string list;
  for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
  Diagnostic d(Severity::Info, "rules.setting-missing",
               "rule " + rule.id + " was not checked: it needs the organisation setting " + list +
                   " (settings file: <setting key=\"" + *keys.begin() + "\">; CLI: --settings)",
               name);
  d.message_ja = "ルール" + rule.id + "は確認していません：団体の設定 " + list +
                 " が必要です（設定ファイルの <setting key=\"" + *keys.begin() +
                 "\">、CLI では --settings）。";
  return d;
}

}  // namespace

std::vector<Diagnostic> RuleSet::evaluate(xmlDoc* doc, const std::string& name,
                                          const text::CivilDate& today,
                                          const Settings& settings) const {
  FunctionEnv env = functions_;
  env.today = today;
  std::vector<ParameterUse> uses;
  env.uses = &uses;
  std::set<std::string> unset;  // settings the current rule asked for and did not get
  env.settings = &settings;
  env.unset = &unset;
  std::set<std::string> reviewed;  // each parameter value's review warning once
  auto missing = [&] {
    return std::any_of(uses.begin(), uses.end(),
                       [](const ParameterUse& u) { return u.kind == ParameterUse::Kind::Missing; });
  };
  xml::XPathContext& ctx = thread_context(doc);
  Bound bound(ctx, env);
  std::vector<Diagnostic> out;
  auto render = [&](const Message& m, xmlNode* at) {
    std::string s = m.literals.empty() ? "" : m.literals[0];
    for (size_t i = 0; i < m.exprs.size(); ++i)
      s += m.exprs[i]->string(ctx, at) + m.literals[i + 1];
    return s;
  };
  // XPath errors while evaluating (which the load-time checks should make
  // impossible) become diagnostics instead of text on stderr.
  struct Captured {
    std::string first;
    static void on_error(void* self, xmlErrorPtr e) {
      auto* c = static_cast<Captured*>(self);
      if (c->first.empty() && e && e->message) c->first = e->message;
    }
  } captured;
  xmlSetStructuredErrorFunc(&captured, Captured::on_error);
  struct Restore {
    ~Restore() { xmlSetStructuredErrorFunc(nullptr, nullptr); }
  } restore;
  xmlNode* root = xmlDocGetRootElement(doc);
  std::vector<xmlNode*> contexts;
  auto take_reviews = [&] {
    for (const auto& u : uses) {
      if (u.kind != ParameterUse::Kind::PastReview) continue;
      if (reviewed.insert(u.name + " " + text::format_iso_date(u.value->from)).second)
        out.push_back(parameter_review(u, path_, name));
    }
  };
  for (const auto& rule : rules_) {
    captured.first.clear();
    uses.clear();
    unset.clear();
    if (rule.native_context)
      rule.native_context->nodes(root, env, contexts);
    else
      contexts = rule.context->nodes(ctx);
    if (missing()) {  // the context itself compared against a missing value
      out.push_back(missing_parameter(rule, uses, path_, name));
      continue;
    }
    take_reviews();
    for (xmlNode* node : contexts) {
      uses.clear();
      const bool passed =
          rule.native_test ? rule.native_test->boolean(node, env) : rule.test->boolean(ctx, node);
      if (missing()) {
        Diagnostic d = missing_parameter(rule, uses, path_, name);
        d.line = xml::line(node);
        d.field = xml::node_path(node);
        out.push_back(std::move(d));
        continue;
      }
      take_reviews();
      if (!unset.empty()) continue;  // decided on '': said once after the nodes
      if (passed) continue;
      Diagnostic d(rule.severity, rule.id, render(rule.en, node), name, xml::line(node));
      d.message_ja = render(rule.ja, node);
      d.field = xml::node_path(node);
      if (rule.field) {
        auto fields = rule.field->nodes(ctx, node);
        if (!fields.empty()) {
          d.field = xml::node_path(fields.front());
          d.line = xml::line(fields.front());
          d.value = xml::text(fields.front());
        } else {
          d.field += "/" + rule.field_text;  // the field is missing: name where it belongs
        }
      }
      out.push_back(std::move(d));
    }
    if (!unset.empty()) out.push_back(setting_missing(rule, unset, name));
    if (!captured.first.empty()) {
      std::string msg = captured.first.substr(0, captured.first.find('\n'));
      out.push_back({Severity::Error, "rules.error",
                     "rule " + rule.id + " (" + path_ + ":" + std::to_string(rule.line) +
                         ") could not be evaluated: " + msg,
                     name});
    }
  }
  return out;
}

}  // namespace yoshiki::rules
