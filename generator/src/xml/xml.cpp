#include "xml/xml.h"

#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xpathInternals.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "xml/schema_text.h"

namespace yoshiki::xml {
namespace {

// libxml2 2.9 has no per-context "no external loads" switch: replace the
// global loader once with one that refuses everything. All yoshiki input is
// read into memory first, so nothing legitimate needs it.
xmlParserInputPtr refuse_external(const char*, const char*, xmlParserCtxtPtr) { return nullptr; }

void init_once() {
  static std::once_flag flag;
  std::call_once(flag, [] {
    xmlInitParser();
    xmlSetExternalEntityLoader(refuse_external);
  });
}

struct ParseState {
  std::string name;
  std::vector<Diagnostic> errors;
  bool doctype = false;
  int doctype_line = 1;
};

// libxml2's message, first line only: later lines quote document bytes
// ("Bytes: 0x8E 0x52"), which may be personal data.
std::string trim_message(const char* msg) {
  std::string s = msg ? msg : "";
  s = s.substr(0, s.find('\n'));
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

void collect_error(void* user, xmlErrorPtr err) {
  auto* st = static_cast<ParseState*>(user);
  if (!err || err->level == XML_ERR_WARNING || st->errors.size() >= 20) return;
  Diagnostic d;
  d.code = "xml.malformed";
  d.message = trim_message(err->message);
  d.file = st->name;
  d.line = err->line;
  d.column = err->int2;
  d.message_ja = "XMLとして正しくありません：" + d.message;
  st->errors.push_back(std::move(d));
}

// SAX hook: a DOCTYPE in yoshiki's input is always refused (it is how entity
// bombs and external entities get in).
void on_internal_subset(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  auto* st = static_cast<ParseState*>(ctxt->_private);
  st->doctype = true;
  if (ctxt->input) st->doctype_line = ctxt->input->line;
  xmlStopParser(ctxt);
}

}  // namespace

std::string read_file(const std::string& path, std::size_t max_bytes) {
  // POSIX calls, not an ifstream: open, fstat, read, close are the whole cost
  // (ifstream's seeks and buffers were a tenth of validating a small form).
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  struct Fd {
    int fd;
    ~Fd() {
      if (fd >= 0) ::close(fd);
    }
  } f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  // Every I/O error says why (strerror): "cannot open file: Permission denied".
  auto io_error = [&](const char* what, int err) {
    Diagnostic d(Severity::Error, "io.read", std::string(what) + ": " + std::strerror(err), path);
    d.message_ja = std::string("ファイルを読めません: ") + std::strerror(err);
    return Error(ErrorKind::Io, {d});
  };
  if (f.fd < 0) {
    const int err = errno;
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
      throw Error(ErrorKind::Io, {{Severity::Error, "io.read", "not a regular file", path}});
    throw io_error("cannot open file", err);
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) throw io_error("cannot open file", errno);
  if (!S_ISREG(st.st_mode))
    throw Error(ErrorKind::Io, {{Severity::Error, "io.read", "not a regular file", path}});
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size > max_bytes) {
    throw Error(ErrorKind::InvalidInput, {{Severity::Error, "io.too-large",
                                           "file is " + std::to_string(size) +
                                               " bytes; the limit is " + std::to_string(max_bytes),
                                           path}});
  }
  std::string bytes(size, '\0');
  std::size_t got = 0;
  int read_errno = 0;
  while (got < size) {
    ssize_t n = ::read(f.fd, bytes.data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) read_errno = errno;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got != size) {
    if (read_errno) throw io_error("cannot read file", read_errno);
    throw Error(ErrorKind::Io,
                {{Severity::Error, "io.read", "cannot read file: it shrank while read", path}});
  }
  return bytes;
}

Doc parse(std::string_view bytes, const std::string& name) {
  init_once();
  if (bytes.size() > kMaxDocumentBytes) {
    Diagnostic d(Severity::Error, "io.too-large", "document exceeds the size limit", name);
    d.message_ja =
        "文書が大きさの上限（" + std::to_string(kMaxDocumentBytes >> 20) + "MB）を超えています。";
    throw Error(ErrorKind::InvalidInput, {d});
  }
  ParseState st;
  st.name = name;
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) throw Error(ErrorKind::Io, {{Severity::Error, "xml.oom", "out of memory", name}});
  ctxt->_private = &st;
  ctxt->sax->internalSubset = on_internal_subset;
  xmlSetStructuredErrorFunc(&st, collect_error);
  // NONET; and deliberately no NOENT, DTDLOAD, DTDATTR or HUGE.
  // COMPACT keeps short text inside its node (a malloc and free fewer per
  // date or code: 4% of validating a form). Its text nodes must not be
  // edited in place; yoshiki only ever replaces an element's content
  // (xmlNodeSetContent + xmlNodeAddContent on the element), which frees
  // them correctly.
  const int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
  xmlDocPtr raw = xmlCtxtReadMemory(ctxt, bytes.data(), static_cast<int>(bytes.size()),
                                    name.c_str(), nullptr, options);
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  bool well_formed = ctxt->wellFormed;
  xmlFreeParserCtxt(ctxt);
  Doc doc(raw);
  if (st.doctype) {
    Diagnostic d(Severity::Error, "xml.doctype",
                 "DOCTYPE declarations are not allowed (no DTDs or entities in form data)", name,
                 st.doctype_line);
    d.message_ja = "DOCTYPE宣言は使えません（様式のデータにDTDや実体参照は書けません）。";
    throw Error(ErrorKind::InvalidInput, {d});
  }
  if (!doc || !well_formed || !st.errors.empty()) {
    if (st.errors.empty()) {
      st.errors.push_back({Severity::Error, "xml.malformed", "document is not well-formed", name});
      st.errors.back().message_ja = "XMLとして正しくありません。";
    }
    throw Error(ErrorKind::InvalidInput, std::move(st.errors));
  }
  if (!xmlDocGetRootElement(doc.get())) {
    Diagnostic d(Severity::Error, "xml.empty", "document has no root element", name);
    d.message_ja = "文書にルート要素がありません。";
    throw Error(ErrorKind::InvalidInput, {d});
  }
  return doc;
}

Doc parse_file(const std::string& path) { return parse(read_file(path), path); }

std::string serialize(xmlDoc* doc, bool indent) {
  // libxml2 2.9's dump swaps doc->encoding for the output encoding and puts
  // it back afterwards: two threads dumping one shared document (a FormData
  // rendered from several threads) could leave the other's temporary there,
  // which xmlFreeDoc then frees. Dumps take microseconds; one lock serves.
  static std::mutex dumping;
  std::lock_guard<std::mutex> lock(dumping);
  xmlChar* buf = nullptr;
  int len = 0;
  xmlDocDumpFormatMemoryEnc(doc, &buf, &len, "UTF-8", indent ? 1 : 0);
  std::string out(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(len));
  xmlFree(buf);
  return out;
}

namespace {
struct SchemaErrors {
  std::string name;
  std::vector<Diagnostic> out;
  const SchemaText* text = nullptr;  // Japanese messages (none while compiling)
};

void collect_schema_error(void* user, xmlErrorPtr err) {
  auto* se = static_cast<SchemaErrors*>(user);
  if (!err || se->out.size() >= 100) return;
  Diagnostic d;
  d.severity = err->level == XML_ERR_WARNING ? Severity::Warning : Severity::Error;
  d.code = "xsd";
  d.message = trim_message(err->message);
  d.file = se->name;
  d.line = err->line;
  auto* node = static_cast<xmlNode*>(err->node);
  d.field = node_path(node);
  // libxml2 quotes the rejected value ("'1958-11-31' is not a valid value");
  // keep it out of the message (it may be personal data) and in .value.
  if (node && (node->type == XML_ELEMENT_NODE || node->type == XML_ATTRIBUTE_NODE)) {
    std::string v = text(node);
    if (!v.empty() && !xmlFirstElementChild(node)) {
      const std::string quoted = "'" + v + "'";
      for (size_t at; (at = d.message.find(quoted)) != std::string::npos;)
        d.message.replace(at, quoted.size(), "(value)");
      d.value = v;
    }
  }
  if (se->text) d.message_ja = se->text->japanese(err->code, d.message, d.field);
  se->out.push_back(std::move(d));
}
}  // namespace

std::string trim(std::string_view s) {
  const size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return "";
  return std::string(s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1));
}

std::string node_path(const xmlNode* node) {
  if (!node) return "";
  xmlChar* p = xmlGetNodePath(node);
  std::string s = p ? reinterpret_cast<const char*>(p) : "";
  xmlFree(p);
  return s;
}

Schema::Schema(const std::string& path) : Schema(read_file(path), path) {}

Schema::Schema(std::string_view bytes, const std::string& path) : Schema(bytes, path, {}) {}

Schema::Schema(std::string_view bytes, const std::string& path,
               const std::vector<std::pair<std::string, std::string>>& fragments)
    : doc_(parse(bytes, path)), path_(path) {
  xmlNode* root = xmlDocGetRootElement(doc_.get());
  for (const auto& [fragment, name] : fragments) {
    Doc part = parse(fragment, name);
    for (xmlNode* n : children(xmlDocGetRootElement(part.get())))
      xmlAddChild(root, xmlDocCopyNode(n, doc_.get(), 1));
  }
  SchemaErrors se{path, {}, nullptr};
  xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewDocParserCtxt(doc_.get());
  xmlSchemaSetParserStructuredErrors(pctxt, collect_schema_error, &se);
  schema_ = xmlSchemaParse(pctxt);
  xmlSchemaFreeParserCtxt(pctxt);
  if (!schema_) {
    if (se.out.empty())
      se.out.push_back({Severity::Error, "xsd.invalid", "cannot compile schema", path});
    throw Error(ErrorKind::Io, std::move(se.out));
  }
  text_ = std::make_unique<const SchemaText>(doc_.get());
}

bool Schema::is_date(std::string_view instance_path) const { return text_->is_date(instance_path); }

Schema::~Schema() {
  if (schema_) xmlSchemaFree(schema_);
}

std::vector<Diagnostic> Schema::validate(xmlDoc* doc, const std::string& name) const {
  SchemaErrors se{name, {}, text_.get()};
  xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema_);
  xmlSchemaSetValidStructuredErrors(vctxt, collect_schema_error, &se);
  int rc = xmlSchemaValidateDoc(vctxt, doc);
  xmlSchemaFreeValidCtxt(vctxt);
  if (rc != 0 && se.out.empty())
    se.out.push_back({Severity::Error, "xsd", "document does not conform to " + path_, name});
  return se.out;
}

XPathContext::XPathContext(xmlDoc* doc, const XPathEnv* env) : doc_(doc) {
  ctx_ = xmlXPathNewContext(doc);
  if (!ctx_) throw Error(ErrorKind::Io, {{Severity::Error, "xml.oom", "out of memory"}});
  xmlXPathContextSetCache(ctx_, 1, -1, 0);  // reuse result objects between evaluations
  if (env) env->install(ctx_);
}

XPathContext::~XPathContext() { xmlXPathFreeContext(ctx_); }

XPath::XPath(const std::string& expression, const std::string& where, const XPathEnv* env)
    : text_(expression) {
  init_once();
  ParseState st;  // collects libxml2's messages instead of letting it print them
  st.name = where;
  xmlSetStructuredErrorFunc(&st, collect_error);
  // libxml2 compiles paths without '[', '(' or '@' into "streams" that walk
  // the whole document on every evaluation; in parentheses the same path
  // follows the child axis directly (4x less work for a rule context).
  const bool streamable = expression.find_first_of("[(@") == std::string::npos;
  const std::string compiled = streamable ? "(" + expression + ")" : expression;
  comp_ = xmlXPathCompile(reinterpret_cast<const xmlChar*>(compiled.c_str()));
  // libxml2 2.9 compiles some unterminated expressions ("count(") and fails
  // only when evaluating them: evaluate once against an empty document.
  if (comp_) {
    static const Doc probe_doc(xmlReadMemory("<_/>", 4, "probe", nullptr, XML_PARSE_NONET));
    XPathContext probe(probe_doc.get(), env);
    xmlXPathObjectPtr res = eval(probe, nullptr);
    if (res) {
      xmlXPathFreeObject(res);
    } else {
      xmlXPathFreeCompExpr(comp_);
      comp_ = nullptr;
    }
  }
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  if (!comp_) {
    std::string detail = st.errors.empty() ? "" : ": " + st.errors.front().message;
    throw Error(ErrorKind::InvalidInput,
                {{Severity::Error, "xpath.invalid",
                  "invalid XPath expression '" + expression + "'" + detail, where}});
  }
}

XPath& XPath::operator=(XPath&& other) noexcept {
  if (this != &other) {
    if (comp_) xmlXPathFreeCompExpr(comp_);
    comp_ = other.comp_;
    text_ = std::move(other.text_);
    other.comp_ = nullptr;
  }
  return *this;
}

XPath::~XPath() {
  if (comp_) xmlXPathFreeCompExpr(comp_);
}

xmlXPathObjectPtr XPath::eval(const XPathContext& ctx, xmlNode* node) const {
  if (!comp_) return nullptr;
  xmlXPathContextPtr c = ctx.get();
  c->node = node ? node : xmlDocGetRootElement(ctx.doc());
  return xmlXPathCompiledEval(comp_, c);
}

std::vector<std::string> XPath::strings(xmlDoc* doc) const {
  if (!doc) return {};
  XPathContext ctx(doc);
  return strings(ctx);
}

std::vector<std::string> XPath::strings(const XPathContext& ctx, xmlNode* node) const {
  std::vector<std::string> out;
  xmlXPathObjectPtr res = eval(ctx, node);
  if (!res) return out;
  if (res->type == XPATH_NODESET) {
    if (res->nodesetval) {
      for (int i = 0; i < res->nodesetval->nodeNr; ++i) {
        xmlChar* s = xmlXPathCastNodeToString(res->nodesetval->nodeTab[i]);
        if (s && *s) out.emplace_back(reinterpret_cast<const char*>(s));
        xmlFree(s);
      }
    }
  } else {
    xmlChar* s = xmlXPathCastToString(res);
    if (s && *s) out.emplace_back(reinterpret_cast<const char*>(s));
    xmlFree(s);
  }
  xmlXPathFreeObject(res);
  return out;
}

std::string XPath::string(const XPathContext& ctx, xmlNode* node) const {
  xmlXPathObjectPtr res = eval(ctx, node);
  if (!res) return "";
  xmlChar* s = xmlXPathCastToString(res);
  std::string out = s ? reinterpret_cast<const char*>(s) : "";
  xmlFree(s);
  xmlXPathFreeObject(res);
  return out;
}

bool XPath::boolean(const XPathContext& ctx, xmlNode* node) const {
  xmlXPathObjectPtr res = eval(ctx, node);
  if (!res) return false;
  bool b = xmlXPathCastToBoolean(res) != 0;
  xmlXPathFreeObject(res);
  return b;
}

std::vector<xmlNode*> XPath::nodes(const XPathContext& ctx, xmlNode* node) const {
  std::vector<xmlNode*> out;
  xmlXPathObjectPtr res = eval(ctx, node);
  if (!res) return out;
  if (res->type == XPATH_NODESET && res->nodesetval) {
    for (int i = 0; i < res->nodesetval->nodeNr; ++i) out.push_back(res->nodesetval->nodeTab[i]);
  }
  xmlXPathFreeObject(res);
  return out;
}

std::string_view name(const xmlNode* node) {
  return node && node->name ? reinterpret_cast<const char*>(node->name) : "";
}

std::string attr(const xmlNode* node, const char* attr_name, const std::string& fallback) {
  xmlChar* v = xmlGetProp(node, reinterpret_cast<const xmlChar*>(attr_name));
  if (!v) return fallback;
  std::string s = reinterpret_cast<const char*>(v);
  xmlFree(v);
  return s;
}

bool has_attr(const xmlNode* node, const char* attr_name) {
  return xmlHasProp(node, reinterpret_cast<const xmlChar*>(attr_name)) != nullptr;
}

std::string text(const xmlNode* node) {
  xmlChar* v = xmlNodeGetContent(node);
  std::string s = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return s;
}

std::vector<xmlNode*> children(const xmlNode* node, const char* element) {
  std::vector<xmlNode*> out;
  for (xmlNode* c = node->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (element && name(c) != element) continue;
    out.push_back(c);
  }
  return out;
}

int line(const xmlNode* node) { return node ? static_cast<int>(xmlGetLineNo(node)) : 0; }

}  // namespace yoshiki::xml
