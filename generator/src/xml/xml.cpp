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

// What is wrong with a document that is not well-formed, in words of our
// own chosen by libxml2's error code: its messages quote the document
// (entity names, tag names, bytes that are not UTF-8), and the document is
// personal data. Lines, columns and the line a tag opened on are kept.
struct ParseMessage {
  std::string en, ja;
};
ParseMessage parse_message(const xmlError& err) {
  const std::string opened =
      err.int1 > 0 ? " (opened on line " + std::to_string(err.int1) + ")" : "";
  const std::string opened_ja =
      err.int1 > 0 ? "（" + std::to_string(err.int1) + "行目で開始）" : "";
  switch (err.code) {
    case XML_ERR_DOCUMENT_EMPTY:
    case XML_ERR_DOCUMENT_START:
      return {"the document is empty or does not start with XML",
              "XMLの文書がないか、XMLで始まっていません。"};
    case XML_ERR_DOCUMENT_END:
    case XML_ERR_EXTRA_CONTENT:
      return {"extra content after the root element", "ルート要素の後に余分な内容があります。"};
    case XML_ERR_INVALID_CHAR:
    case XML_ERR_INVALID_CHARREF:
    case XML_ERR_INVALID_HEX_CHARREF:
    case XML_ERR_INVALID_DEC_CHARREF:
    case XML_ERR_INVALID_ENCODING:
    case XML_I18N_CONV_FAILED:
    case XML_IO_ENCODER:
      return {
          "a character XML does not allow, or bytes that do not decode in the document's encoding",
          "XMLで使えない文字、または文書の文字コードで読めないバイトがあります。"};
    case XML_ERR_UNKNOWN_ENCODING:
    case XML_ERR_UNSUPPORTED_ENCODING:
    case XML_ERR_ENCODING_NAME:
      return {"the declared encoding is not supported (write UTF-8)",
              "宣言された文字コードには対応していません（UTF-8で書いてください）。"};
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
    case XML_ERR_ENTITYREF_NO_NAME:
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
    case XML_ERR_NAME_REQUIRED:
      return {"an '&' that starts no known entity reference (write & as &amp;)",
              "「&」が実体参照になっていません（&は&amp;と書きます）。"};
    case XML_ERR_LT_IN_ATTRIBUTE:
      return {"a '<' inside an attribute value (write it as &lt;)",
              "属性の値に「<」があります（&lt;と書きます）。"};
    case XML_ERR_ATTRIBUTE_NOT_STARTED:
    case XML_ERR_ATTRIBUTE_NOT_FINISHED:
    case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
    case XML_ERR_ATTRIBUTE_REDEFINED:
    case XML_NS_ERR_ATTRIBUTE_REDEFINED:
    case XML_ERR_STRING_NOT_STARTED:
    case XML_ERR_STRING_NOT_CLOSED:
    case XML_ERR_EQUAL_REQUIRED:
      return {"an attribute is written wrongly (quotes, '=', or the same attribute twice)",
              "属性の書き方が正しくありません（引用符、「=」、同じ属性の重複）。"};
    case XML_ERR_TAG_NAME_MISMATCH:
    case XML_ERR_TAG_NOT_FINISHED:
    case XML_ERR_LTSLASH_REQUIRED:
    case XML_ERR_GT_REQUIRED:
    case XML_ERR_NOT_WELL_BALANCED:
      return {"an element is not closed by its own end tag" + opened,
              "要素が対応する終了タグで閉じられていません" + opened_ja + "。"};
    case XML_ERR_COMMENT_NOT_FINISHED:
    case XML_ERR_HYPHEN_IN_COMMENT:
      return {"a comment is not closed properly", "コメントが正しく閉じられていません。"};
    case XML_ERR_CDATA_NOT_FINISHED:
    case XML_ERR_MISPLACED_CDATA_END:
      return {"a CDATA section is not closed properly",
              "CDATAセクションが正しく閉じられていません。"};
    case XML_ERR_NO_MEMORY:
      return {"out of memory while reading the document",
              "文書の読み込み中にメモリが不足しました。"};
    default:
      return {
          "the document is not well-formed XML (libxml2 error " + std::to_string(err.code) + ")",
          "libxml2 エラー " + std::to_string(err.code) + "。"};
  }
}

void collect_error(void* user, xmlErrorPtr err) {
  auto* st = static_cast<ParseState*>(user);
  if (!err || err->level == XML_ERR_WARNING || st->errors.size() >= 20) return;
  Diagnostic d;
  d.code = "xml.malformed";
  d.file = st->name;
  d.line = err->line;
  d.column = err->int2;
  if (err->domain == XML_FROM_XPATH) {  // a rule file's expression, not a document
    d.message = trim_message(err->message);
    d.message_ja = d.message;
  } else {
    auto message = parse_message(*err);
    d.message = std::move(message.en);
    d.message_ja = "XMLとして正しくありません：" + message.ja;
  }
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

namespace {

// libxml2 checks each attribute of a start tag against every earlier one of
// that tag: quadratic in one element's attributes (50,000 took 22 s; 32 MB of
// them would take hours). No form element has more than a handful, so a
// start tag with more than kMaxAttributes is refused before parsing, by one
// linear pass over the tags (comments, CDATA and processing instructions
// skipped). The same pass counts the nodes (ParseLimits).
constexpr int kMaxAttributes = 256;

struct Markup {
  int crowded_line = 0;   // the line of the first tag with too many attributes, or 0
  std::size_t nodes = 0;  // start tags and attributes
};

Markup scan_markup(std::string_view b) {
  Markup m;
  int line = 1;
  const std::size_t n = b.size();
  auto skip_to = [&](std::size_t i, std::string_view end) {
    for (; i < n; ++i) {
      if (b[i] == '\n') ++line;
      if (b.substr(i, end.size()) == end) return i + end.size();
    }
    return n;
  };
  for (std::size_t i = 0; i < n;) {
    const char c = b[i];
    if (c == '\n') ++line;
    if (c != '<' || i + 1 >= n) {
      ++i;
      continue;
    }
    if (b.substr(i, 4) == "<!--") {
      i = skip_to(i + 4, "-->");
    } else if (b.substr(i, 9) == "<![CDATA[") {
      i = skip_to(i + 9, "]]>");
    } else if (b[i + 1] == '?') {
      i = skip_to(i + 2, "?>");
    } else {  // a start or end tag (or a declaration): '=' outside quotes
      const int tag_line = line;
      m.nodes += b[i + 1] != '/' && b[i + 1] != '!';
      int attributes = 0;
      char quote = 0;
      for (++i; i < n && (quote || b[i] != '>'); ++i) {
        if (b[i] == '\n') ++line;
        if (quote) {
          if (b[i] == quote) quote = 0;
        } else if (b[i] == '"' || b[i] == '\'') {
          quote = b[i];
        } else if (b[i] == '=') {
          ++m.nodes;
          if (++attributes > kMaxAttributes) {
            m.crowded_line = tag_line;
            return m;
          }
        }
      }
    }
  }
  return m;
}

}  // namespace

Doc parse(std::string_view bytes, const std::string& name) { return parse(bytes, name, {}); }

Doc parse(std::string_view bytes, const std::string& name, const ParseLimits& limits) {
  init_once();
  if (bytes.size() > kMaxDocumentBytes) {
    Diagnostic d(Severity::Error, "io.too-large", "document exceeds the size limit", name);
    d.message_ja =
        "文書が大きさの上限（" + std::to_string(kMaxDocumentBytes >> 20) + "MB）を超えています。";
    throw Error(ErrorKind::InvalidInput, {d});
  }
  const Markup markup = scan_markup(bytes);
  if (markup.crowded_line) {
    Diagnostic d(Severity::Error, "xml.too-many-attributes",
                 "an element has more than " + std::to_string(kMaxAttributes) + " attributes", name,
                 markup.crowded_line);
    d.message_ja = "属性が" + std::to_string(kMaxAttributes) + "個を超える要素があります。";
    throw Error(ErrorKind::InvalidInput, {d});
  }
  if (limits.max_nodes && markup.nodes > limits.max_nodes) {
    const std::string most = std::to_string(limits.max_nodes);
    Diagnostic d(Severity::Error, "xml.too-many-nodes",
                 "the document has more than " + most + " elements and attributes", name);
    d.message_ja = "要素と属性の数が" + most + "を超えています。";
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

// White space runs as one space, none at the ends (XSD's whitespace
// "collapse", which libxml2 applies before quoting most values).
std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

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
  // libxml2 quotes the rejected value ("'1958-11-31' is not a valid value"),
  // and it may be personal data. The value is among the arguments libxml2
  // formatted into the message (str1…str3, as it saw them: whitespace
  // collapsed): each argument that is part of the element's text is quoted
  // as (value) instead. Should any of the text still be in the message
  // (a code quoting it some other way), only the element and the code are
  // kept. The value itself goes to .value, which redacted reports drop.
  if (node && (node->type == XML_ELEMENT_NODE || node->type == XML_ATTRIBUTE_NODE)) {
    std::string v = text(node);
    if (!v.empty() && !xmlFirstElementChild(node)) {
      const std::string collapsed = collapse_spaces(v);
      for (const char* arg : {err->str1, err->str2, err->str3}) {
        if (!arg || !*arg || collapsed.find(collapse_spaces(arg)) == std::string::npos) continue;
        const std::string quoted = "'" + std::string(arg) + "'";
        for (size_t at; (at = d.message.find(quoted)) != std::string::npos;)
          d.message.replace(at, quoted.size(), "(value)");
      }
      const std::string trimmed = trim(v);
      auto shows = [&](const std::string& t) {
        return !t.empty() && (d.message.find("'" + t + "'") != std::string::npos ||
                              (t.size() > 1 && d.message.find(t) != std::string::npos));
      };
      if (shows(trimmed) || shows(collapsed)) {
        d.message =
            "Element '" + std::string(reinterpret_cast<const char*>(node->name)) + "': " +
            (err->code == XML_SCHEMAV_CVC_IDC ? "a value that must be unique is repeated"
                                              : "the value does not conform to the form's XSD");
      }
      d.value = v;
    }
  }
  if (se->text) d.message_ja = se->text->japanese(err->code, d.message, d.field);
  // "This element is not expected" for a row past the schema's maxOccurs
  // (the 1,001st consultation) says neither what nor how many: say both.
  if (se->text && node && node->type == XML_ELEMENT_NODE &&
      (err->code == XML_SCHEMAV_ELEMENT_CONTENT || err->code == XML_SCHEMAV_CVC_COMPLEX_TYPE_2_4) &&
      d.message.find("not expected") != std::string::npos) {
    if (const long max = se->text->max_occurs(d.field)) {
      long nth = 1;
      for (const xmlNode* s = node->prev; s; s = s->prev)
        nth += s->type == XML_ELEMENT_NODE && xmlStrEqual(s->name, node->name) && s->ns == node->ns;
      if (nth > max) {
        d.message = "Element '" + std::string(reinterpret_cast<const char*>(node->name)) +
                    "': at most " + with_commas(max) + " may occur; this is number " +
                    with_commas(nth);
        d.message_ja = se->text->japanese_too_many(d.field, max, nth);
      }
    }
  }
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
  if (comp_) parse_direct();
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
    steps_ = std::move(other.steps_);
    absolute_ = other.absolute_;
    direct_ = other.direct_;
    compares_ = other.compares_;
    equals_ = std::move(other.equals_);
    other.comp_ = nullptr;
    other.direct_ = false;
  }
  return *this;
}

// Recognises "name(/name)*" with optional "[n]" after a name and an optional
// leading "/": ASCII names without prefixes (which match elements in no
// namespace, as in XPath 1.0), nothing else.
void XPath::parse_direct() {
  // An option's test, "boolean((path) = 'value')": true when a selected
  // node's string value is the value.
  static constexpr std::string_view open = "boolean((", mid = ") = '", close = "')";
  std::string_view e = text_;
  if (e.starts_with(open) && e.ends_with(close)) {
    const size_t at = e.find(mid);
    if (at == std::string_view::npos) return;
    const size_t value_at = at + mid.size();
    if (value_at > e.size() - close.size()) return;
    std::string_view value = e.substr(value_at, e.size() - close.size() - value_at);
    if (value.find('\'') != std::string_view::npos) return;
    if (!parse_steps(e.substr(open.size(), at - open.size()))) return;
    equals_ = std::string(value);
    compares_ = true;
    return;
  }
  parse_steps(e);
}

bool XPath::parse_steps(std::string_view e) {
  std::vector<Step> steps;
  size_t i = 0;
  const bool absolute = !e.empty() && e[0] == '/';
  if (absolute) i = 1;
  auto name_start = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  };
  auto name_char = [&](char c) {
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
  };
  while (true) {
    if (i >= e.size() || !name_start(e[i])) return false;
    Step st;
    const size_t from = i;
    while (i < e.size() && name_char(e[i])) ++i;
    st.name = std::string(e.substr(from, i - from));
    if (i < e.size() && e[i] == '[') {
      ++i;
      if (i >= e.size() || e[i] < '1' || e[i] > '9') return false;
      long n = 0;
      while (i < e.size() && e[i] >= '0' && e[i] <= '9' && n < 1000000) n = n * 10 + (e[i++] - '0');
      if (i >= e.size() || e[i] != ']' || n >= 1000000) return false;
      ++i;
      st.index = static_cast<int>(n);
    }
    steps.push_back(std::move(st));
    if (i == e.size()) break;
    if (e[i] != '/') return false;
    ++i;
  }
  steps_ = std::move(steps);
  absolute_ = absolute;
  direct_ = true;
  return true;
}

// Visits the selected elements in document order (child steps from one
// context node select disjoint subtrees, so nested order is document order).
template <class F>
void XPath::walk(const XPathContext& ctx, xmlNode* node, F&& visit) const {
  xmlNode* start = node ? node : xmlDocGetRootElement(ctx.doc());
  if (absolute_) start = reinterpret_cast<xmlNode*>(ctx.doc());
  if (!start) return;
  auto step = [&](auto&& self, xmlNode* from, size_t k) -> void {
    const Step& st = steps_[k];
    int seen = 0;
    for (xmlNode* c = from->children; c; c = c->next) {
      // The first byte checked before the whole name: most siblings differ there.
      if (c->type != XML_ELEMENT_NODE || c->ns || !c->name ||
          static_cast<char>(c->name[0]) != st.name[0] ||
          std::strcmp(reinterpret_cast<const char*>(c->name), st.name.c_str()) != 0)
        continue;
      ++seen;
      if (st.index && seen != st.index) continue;
      if (k + 1 == steps_.size())
        visit(c);
      else
        self(self, c, k + 1);
      if (st.index) break;
    }
  };
  step(step, start, 0);
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
  if (direct_ && !compares_) {
    walk(ctx, node, [&](xmlNode* n) {
      xmlChar* s = xmlNodeGetContent(n);
      if (s && *s) out.emplace_back(reinterpret_cast<const char*>(s));
      xmlFree(s);
    });
    return out;
  }
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

namespace {
// xmlNodeGetContent() of an element, without its copy when the element holds
// one text node (a data value).
std::string node_content(const xmlNode* n) {
  const xmlNode* c = n->children;
  if (n->type == XML_ELEMENT_NODE && (!c || (c->type == XML_TEXT_NODE && !c->next)))
    return c && c->content ? reinterpret_cast<const char*>(c->content) : "";
  xmlChar* s = xmlNodeGetContent(n);
  std::string out = s ? reinterpret_cast<const char*>(s) : "";
  xmlFree(s);
  return out;
}
}  // namespace

std::string XPath::first_string(const XPathContext& ctx, xmlNode* node) const {
  std::string out;
  if (direct_ && !compares_) {
    walk(ctx, node, [&](xmlNode* n) {
      if (out.empty()) out = node_content(n);
    });
    return out;
  }
  xmlXPathObjectPtr res = eval(ctx, node);
  if (!res) return out;
  if (res->type == XPATH_NODESET) {
    for (int i = 0; res->nodesetval && i < res->nodesetval->nodeNr && out.empty(); ++i) {
      xmlChar* s = xmlXPathCastNodeToString(res->nodesetval->nodeTab[i]);
      if (s) out = reinterpret_cast<const char*>(s);
      xmlFree(s);
    }
  } else {
    xmlChar* s = xmlXPathCastToString(res);
    if (s) out = reinterpret_cast<const char*>(s);
    xmlFree(s);
  }
  xmlXPathFreeObject(res);
  return out;
}

std::string XPath::string(const XPathContext& ctx, xmlNode* node) const {
  if (direct_ && !compares_) {  // the string value of the first node
    xmlNode* first = nullptr;
    walk(ctx, node, [&](xmlNode* n) {
      if (!first) first = n;
    });
    if (!first) return "";
    xmlChar* s = xmlNodeGetContent(first);
    std::string out = s ? reinterpret_cast<const char*>(s) : "";
    xmlFree(s);
    return out;
  }
  xmlXPathObjectPtr res = eval(ctx, node);
  if (!res) return "";
  xmlChar* s = xmlXPathCastToString(res);
  std::string out = s ? reinterpret_cast<const char*>(s) : "";
  xmlFree(s);
  xmlXPathFreeObject(res);
  return out;
}

bool XPath::boolean(const XPathContext& ctx, xmlNode* node) const {
  if (direct_) {  // a node-set is true when not empty
    bool any = false;
    walk(ctx, node, [&](xmlNode* n) {
      if (any) return;
      if (!compares_) {
        any = true;
        return;
      }
      xmlChar* s = xmlNodeGetContent(n);
      any = equals_ == (s ? reinterpret_cast<const char*>(s) : "");
      xmlFree(s);
    });
    return any;
  }
  xmlXPathObjectPtr res = eval(ctx, node);
  if (!res) return false;
  bool b = xmlXPathCastToBoolean(res) != 0;
  xmlXPathFreeObject(res);
  return b;
}

std::vector<xmlNode*> XPath::nodes(const XPathContext& ctx, xmlNode* node) const {
  std::vector<xmlNode*> out;
  if (direct_ && !compares_) {
    walk(ctx, node, [&](xmlNode* n) { out.push_back(n); });
    return out;
  }
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
