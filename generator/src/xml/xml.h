// xml — owns everything libxml2: RAII handles, safe loading (no network, no
// DTD, no entity expansion, bounded size), compiled XSD schemas and XPath
// evaluation. No other module includes libxml2 headers for parsing.
#pragma once

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "yoshiki/yoshiki.h"

namespace yoshiki::xml {

struct DocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocDeleter>;

// Largest XML document yoshiki accepts (data, templates, rules).
inline constexpr std::size_t kMaxDocumentBytes = 32u << 20;

// Parse `bytes` (named `name` in diagnostics). Rejects any DOCTYPE, never
// touches the network or the file system, never expands entities.
// Throws Error(InvalidInput) with file/line/column on malformed input.
Doc parse(std::string_view bytes, const std::string& name);

// What a parse may build, counted by one linear pass over the bytes before
// libxml2 sees them (memory grows with the nodes, ~300 bytes each: 8 MB of
// "<a/>" is 2 million elements, 528 MB). 0 = no bound beyond the size.
struct ParseLimits {
  std::size_t max_nodes = 0;  // elements and attributes
};

// parse() within `limits`: more nodes throw Error(InvalidInput) code
// xml.too-many-nodes, before parsing.
Doc parse(std::string_view bytes, const std::string& name, const ParseLimits& limits);

// Read a file (bounded by kMaxDocumentBytes) and parse it. I/O problems
// throw Error(Io).
Doc parse_file(const std::string& path);

// The document as UTF-8 text (indented when `indent`).
std::string serialize(xmlDoc* doc, bool indent);

// `s` without XML white space (space, tab, CR, LF) at either end.
std::string trim(std::string_view s);

// The element's path in its document, "/a/b[2]/c" (xmlGetNodePath).
std::string node_path(const xmlNode* node);

// Read a whole file; throws Error(Io) naming it.
std::string read_file(const std::string& path, std::size_t max_bytes = kMaxDocumentBytes);

class SchemaText;

// A compiled XSD. Compile once; validate from any number of threads.
// Violations carry libxml2's English message and a Japanese one naming the
// item by its label in the schema (schema_text.h).
class Schema {
 public:
  explicit Schema(const std::string& path);
  // From the schema's bytes; `path` names it in messages and resolves its
  // xs:include (read by libxml2 from there).
  Schema(std::string_view bytes, const std::string& path);
  // The same with the top-level declarations of each fragment (bytes and
  // name of an <xs:schema> of its own) added, as if written there: how the
  // field types' fragments join the template vocabulary.
  Schema(std::string_view bytes, const std::string& path,
         const std::vector<std::pair<std::string, std::string>>& fragments);
  ~Schema();
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  // Whether the element at an instance path ("/a/b[2]/c") is of a date type.
  bool is_date(std::string_view instance_path) const;

  // All violations, each with file (`name`), line and the element's path.
  std::vector<Diagnostic> validate(xmlDoc* doc, const std::string& name) const;

 private:
  Doc doc_;  // the schema document must outlive the compiled schema
  xmlSchemaPtr schema_ = nullptr;
  std::string path_;
  std::unique_ptr<const SchemaText> text_;
};

// Extension functions (and namespace prefixes) an XPath context offers.
class XPathEnv {
 public:
  virtual ~XPathEnv() = default;
  virtual void install(xmlXPathContextPtr ctx) const = 0;
};

// One evaluation context over a document: create one per document (and
// thread), reuse it for every expression evaluated on that document.
class XPathContext {
 public:
  explicit XPathContext(xmlDoc* doc, const XPathEnv* env = nullptr);
  ~XPathContext();
  XPathContext(const XPathContext&) = delete;
  XPathContext& operator=(const XPathContext&) = delete;
  xmlXPathContextPtr get() const { return ctx_; }
  xmlDoc* doc() const { return doc_; }

  // Point this context at another document: contexts are costly to set up
  // (function tables, object cache), so hot paths keep one per thread.
  void rebind(xmlDoc* doc) {
    doc_ = doc;
    ctx_->doc = doc;
    ctx_->node = nullptr;
  }

 private:
  xmlDoc* doc_;
  xmlXPathContextPtr ctx_;
};

// A compiled XPath 1.0 expression. Compile once, evaluate from any thread.
// The constructor evaluates it once against an empty document (with `env`'s
// functions), which rejects expressions libxml2 compiles but cannot run and
// fills libxml2's per-expression function cache before the expression is
// shared between threads.
class XPath {
 public:
  XPath() = default;
  XPath(const std::string& expression, const std::string& where, const XPathEnv* env = nullptr);
  XPath(XPath&& other) noexcept
      : comp_(other.comp_),
        text_(std::move(other.text_)),
        steps_(std::move(other.steps_)),
        absolute_(other.absolute_),
        direct_(other.direct_),
        compares_(other.compares_),
        equals_(std::move(other.equals_)) {
    other.comp_ = nullptr;
    other.direct_ = false;
  }
  XPath& operator=(XPath&& other) noexcept;
  XPath(const XPath&) = delete;
  XPath& operator=(const XPath&) = delete;
  ~XPath();

  bool valid() const { return comp_ != nullptr; }
  const std::string& text() const { return text_; }

  // String values of the result: one per node of a node-set, or the single
  // value of a string/number/boolean result. Empty strings are dropped.
  // `node` is the context node (default: the root element).
  std::vector<std::string> strings(xmlDoc* doc) const;
  std::vector<std::string> strings(const XPathContext& ctx, xmlNode* node = nullptr) const;
  std::string string(const XPathContext& ctx, xmlNode* node = nullptr) const;
  // The first of strings(), "" when there is none; the later ones are not read.
  std::string first_string(const XPathContext& ctx, xmlNode* node = nullptr) const;
  bool boolean(const XPathContext& ctx, xmlNode* node = nullptr) const;
  std::vector<xmlNode*> nodes(const XPathContext& ctx, xmlNode* node = nullptr) const;

 private:
  xmlXPathObjectPtr eval(const XPathContext& ctx, xmlNode* node) const;
  // Most template paths are child steps ("a/b", "a[2]/b", "/r/a"): those
  // are walked directly, not through libxml2's evaluator (its object
  // allocations and node-set sorting cost several times the walk).
  struct Step {
    std::string name;
    int index = 0;  // [n], 1-based; 0: every child of that name
  };
  void parse_direct();
  bool parse_steps(std::string_view path);
  template <class F>
  void walk(const XPathContext& ctx, xmlNode* node, F&& visit) const;
  xmlXPathCompExprPtr comp_ = nullptr;
  std::string text_;
  std::vector<Step> steps_;
  bool absolute_ = false;
  bool direct_ = false;
  bool compares_ = false;  // boolean((steps) = 'equals_')
  std::string equals_;
};

// Small helpers for walking trees without casts everywhere.
std::string_view name(const xmlNode* node);
std::string attr(const xmlNode* node, const char* name, const std::string& fallback = "");
bool has_attr(const xmlNode* node, const char* name);
std::string text(const xmlNode* node);  // concatenated text content
std::vector<xmlNode*> children(const xmlNode* node, const char* element = nullptr);
int line(const xmlNode* node);

}  // namespace yoshiki::xml
