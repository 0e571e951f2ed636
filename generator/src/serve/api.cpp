// serve/api — the routes: see api.h.
#include "serve/api.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "api/field_values.h"
#include "job/checked_data.h"
#include "job/reporters.h"
#include "report/summary.h"
#include "xml/xml.h"
#include "yoshiki/job.h"
#include "yoshiki/senior_work.h"
#include "yoshiki/version.h"

namespace yoshiki::serve {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// An error answered as JSON with `status`.
struct HttpError {
  int status;
  std::string code, message;
  std::vector<Diagnostic> diagnostics;
};

// The status of a yoshiki::Error: bad input 400, an unknown form 404, the
// server's own trouble (a resource missing) 500.
int status_of(const Error& e) {
  switch (e.kind()) {
    case ErrorKind::InvalidInput:
      return 400;
    case ErrorKind::Usage:
      return 404;
    case ErrorKind::Io:
      break;
  }
  // A PDF or data file too large or unreadable as uploaded is the input's fault.
  for (const auto& d : e.diagnostics())
    if (d.code == "io.too-large") return 413;
  return 500;
}

const char* kJson = "application/json; charset=utf-8";

// A handler whose errors become JSON answers.
httplib::Server::Handler guarded(
    std::function<void(const httplib::Request&, httplib::Response&)> f) {
  return [f = std::move(f)](const httplib::Request& req, httplib::Response& res) {
    try {
      f(req, res);
    } catch (const HttpError& e) {
      res.status = e.status;
      res.set_content(error_body(e.status, e.code, e.message, e.diagnostics), kJson);
    } catch (const Error& e) {
      res.status = status_of(e);
      res.set_content(
          error_body(res.status, e.diagnostics().empty() ? "error" : e.diagnostics()[0].code,
                     e.what(), e.diagnostics()),
          kJson);
    } catch (const std::exception&) {
      // The message may quote the input: not echoed.
      res.status = 500;
      res.set_content(error_body(500, "internal", "internal error"), kJson);
    }
  };
}

// One uploaded file: its name (for reports only: never logged) and bytes.
struct Upload {
  std::string name;
  const std::string* bytes;
};

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// The uploaded files: every file part of a multipart body in order (the
// parts named `only`, when given), or the body itself when it is data XML or
// a PDF (named by ?name=). Anything else: 415.
std::vector<Upload> uploads(const httplib::Request& req, const std::string& only = {}) {
  std::vector<Upload> out;
  const std::string type = req.get_header_value("Content-Type");
  if (req.is_multipart_form_data()) {
    for (const auto& [key, part] : req.files) {
      if (!only.empty() && key != only) continue;
      if (part.filename.empty() && only.empty()) continue;  // a plain form field
      out.push_back({part.filename.empty() ? key : part.filename, &part.content});
    }
    return out;
  }
  if (starts_with(type, "application/xml") || starts_with(type, "text/xml") ||
      starts_with(type, "application/pdf")) {
    out.push_back({req.has_param("name") ? req.get_param_value("name") : "upload", &req.body});
    return out;
  }
  throw HttpError{415,
                  "http.unsupported-media-type",
                  "send multipart/form-data, application/xml or application/pdf",
                  {}};
}

// The one file a route takes; 400 unless there is exactly one.
Upload one_upload(const httplib::Request& req, const std::string& part = {}) {
  auto files = uploads(req, part);
  if (files.size() != 1)
    throw HttpError{
        400,
        "http.upload",
        "expected one file" + (part.empty() ? std::string() : " in part '" + part + "'"),
        {}};
  return files[0];
}

std::string param(const httplib::Request& req, const char* key, const std::string& fallback = {}) {
  return req.has_param(key) ? req.get_param_value(key) : fallback;
}

bool flag(const httplib::Request& req, const char* key) {
  const auto v = param(req, key);
  return v == "1" || v == "true" || v == "on" || v == "yes";
}

// ?today= / ?as_of=: a date or nothing; anything else is a bad request
// (the rules would otherwise fail on it as on a bad input file).
std::string date_param(const httplib::Request& req, const char* key) {
  auto v = param(req, key);
  static const std::regex date(R"(\d{4}-\d{2}-\d{2})");
  if (!v.empty() && !std::regex_match(v, date))
    throw HttpError{400, "http.parameter", std::string(key) + ": expected YYYY-MM-DD", {}};
  return v;
}

void send_bytes(httplib::Response& res, const std::vector<std::uint8_t>& bytes, const char* type,
                const std::string& filename) {
  res.set_content(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()), type);
  res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
}

// A form id as it may appear in a file name and a header.
std::string safe_name(const std::string& s) {
  std::string out;
  for (char c : s)
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return out.empty() ? "form" : out;
}

// A folder of its own under the temporary directory, removed with everything
// in it when the request is done.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "yoshiki-serve-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
      throw Error(ErrorKind::Io, {{Severity::Error, "io.write", "cannot make a temporary folder"}});
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The uploads as files for the Senior Work Program, which reads paths: each
// in a folder of its own (names may repeat), under its own base name, with
// .pdf or .xml as its bytes say. `names` maps each path back to the
// uploaded name for the report's diagnostics.
std::vector<std::string> write_uploads(const TempDir& dir, const std::vector<Upload>& files,
                                       std::map<std::string, std::string>& names) {
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::string base = files[i].name.substr(files[i].name.find_last_of("/\\") + 1);
    std::erase_if(base, [](char c) { return static_cast<unsigned char>(c) < 0x20; });
    if (base.empty() || base[0] == '.') base = "file" + base;
    const bool pdf = starts_with(*files[i].bytes, "%PDF-");
    const std::string ext = pdf ? ".pdf" : ".xml";
    if (base.size() < 4 || base.compare(base.size() - 4, 4, ext) != 0) base += ext;
    const fs::path folder = dir.path() / std::to_string(i);
    fs::create_directory(folder);
    const std::string path = (folder / base).string();
    std::ofstream f(path, std::ios::binary);
    f.write(files[i].bytes->data(), static_cast<std::streamsize>(files[i].bytes->size()));
    f.close();
    if (!f)
      throw Error(ErrorKind::Io, {{Severity::Error, "io.write", "cannot write a temporary file"}});
    paths.push_back(path);
    names[path] = files[i].name;
  }
  return paths;
}

// `id` when the catalogue knows it, else 404: the Engine also takes a
// template path there, and a client must not name files on the server.
std::string catalogue_form(const Context& c, const std::string& id) {
  for (const auto& f : c.engine.forms())
    if (f.id == id) return id;
  throw HttpError{404, "form.unknown", "no such form: see GET /v1/forms", {}};
}

void healthz(const Context& c, httplib::Response& res) {
  const auto [running, waiting] = c.load();
  res.set_content(
      json{{"status", "ok"}, {"version", version()}, {"running", running}, {"waiting", waiting}}
          .dump(),
      kJson);
}

void forms(const Context& c, httplib::Response& res) {
  json list = json::array();
  for (const auto& f : c.engine.forms())
    list.push_back({{"id", f.id}, {"version", f.version}, {"title", f.title}});
  res.set_content(json{{"forms", list}}.dump(), kJson);
}

// Every `label` of the template's fields under its data path (relative to
// the root, without row indexes; inside <rows> the rows' path first), for
// the page to show a finding's field as the form names it. A path whose
// fields carry several labels (a postcode in two parts) keeps what its first
// label says before "（".
void collect_labels(const xmlNode* n, const std::string& prefix, json& out) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    auto attr = [n](const char* key) {
      xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(key));
      std::string text = v ? reinterpret_cast<const char*>(v) : "";
      xmlFree(v);
      return text;
    };
    const std::string path = attr("path"), label = attr("label");
    std::string inner = prefix;
    if (xmlStrEqual(n->name, reinterpret_cast<const xmlChar*>("rows")) && !path.empty()) {
      inner = prefix + path + "/";
    } else if (!path.empty() && !label.empty()) {
      const std::string key = prefix + path;
      if (!out.contains(key))
        out[key] = label;
      else if (out[key] != label)
        out[key] = out[key].get<std::string>().substr(0, out[key].get<std::string>().find("（"));
    }
    collect_labels(n->children, inner, out);
  }
}

void labels(const Context& c, const httplib::Request& req, httplib::Response& res) {
  const std::string id = catalogue_form(c, req.matches[1]);
  std::string path;
  for (const auto& f : c.engine.forms())
    if (f.id == id) path = f.template_path;
  const auto doc = xml::parse(c.engine.io().read(path, xml::kMaxDocumentBytes), path);
  json out = json::object();
  collect_labels(xmlDocGetRootElement(doc.get()), "", out);
  res.set_content(out.dump(), kJson);
}

void blank(const Context& c, const httplib::Request& req, httplib::Response& res) {
  const std::string form = catalogue_form(c, req.matches[1]);
  RenderOptions options;
  options.settings = c.settings;
  options.output = RenderOptions::Output::Fillable;
  send_bytes(res, c.engine.render(form, FormData{}, options), "application/pdf",
             safe_name(form) + ".pdf");
}

// Data XML → PDF, as `yoshiki render` does it: XSD errors stop it; the
// business rules' findings are counted in X-Yoshiki-Findings, and with
// ?strict=1 an error among them stops it too (400 with the findings).
void render(const Context& c, const httplib::Request& req, httplib::Response& res) {
  const auto up = one_upload(req, req.is_multipart_form_data() ? "data" : "");
  auto checked =
      job::load_checked(c.engine, *up.bytes, up.name, date_param(req, "today"), c.settings);
  const auto& findings = checked.findings;
  if (checked.errors && flag(req, "strict"))
    throw HttpError{400, "render.strict", "the data break business rules (strict)", findings};
  RenderOptions options;
  options.settings = c.settings;
  const auto output = param(req, "output", "flat");
  if (output != "flat" && output != "fillable")
    throw HttpError{400, "http.parameter", "output: flat or fillable", {}};
  options.output =
      output == "fillable" ? RenderOptions::Output::Fillable : RenderOptions::Output::Flat;
  const std::string form = catalogue_form(c, param(req, "form", checked.data.form_id()));
  send_bytes(res, c.engine.render(form, checked.data, options), "application/pdf",
             safe_name(checked.data.form_id()) + ".pdf");
  res.set_header("X-Yoshiki-Findings", std::to_string(findings.size()));
}

void fill(const Context& c, const httplib::Request& req, httplib::Response& res) {
  if (!req.is_multipart_form_data())
    throw HttpError{415,
                    "http.unsupported-media-type",
                    "send multipart/form-data with the parts 'form' (PDF) and 'data' (XML)",
                    {}};
  const auto form = one_upload(req, "form");
  const auto data_file = one_upload(req, "data");
  FormData data = c.engine.load_data(*data_file.bytes, data_file.name);
  RenderOptions options;
  options.settings = c.settings;  // none: the form's own attached settings
  auto pdf = c.engine.fill(*form.bytes, form.name, data, options);
  send_bytes(res, pdf, "application/pdf", safe_name(data.form_id()) + ".pdf");
}

// The form's fillable fields, for the page's 入力 form: as its blank
// fillable PDF has them (api/field_values.h), with the template's labels.
void fields_of(const Context& c, const httplib::Request& req, httplib::Response& res) {
  const std::string id = catalogue_form(c, req.matches[1]);
  json list = json::array();
  for (const auto& f : api::form_fields(c.engine, id)) {
    json options = json::array();
    for (const auto& o : f.options) options.push_back({{"value", o.value}, {"label", o.label}});
    json field{{"name", f.name},
               {"path", f.path},
               {"type", f.type},
               {"widget", f.widget},
               {"label", {{"ja", f.label}, {"en", f.path}}}};
    if (f.max_length) field["max_length"] = f.max_length;
    if (!options.empty()) field["options"] = options;
    if (!f.rows.empty()) field["row"] = {{"of", f.rows}, {"index", std::stoi(f.row_index)}};
    list.push_back(std::move(field));
  }
  std::string version;
  for (const auto& f : c.engine.forms())
    if (f.id == id) version = f.version;
  res.set_content(json{{"form", id}, {"version", version}, {"fields", list}}.dump(), kJson);
}

// Values typed into the 入力 form (JSON {field name: value}) → the data XML
// (read back as a filled PDF's fields are: dates normalised) and the same
// validation document as POST /v1/validate for it; ?format=xml: the XML alone.
void data_of(const Context& c, const httplib::Request& req, httplib::Response& res) {
  const std::string id = catalogue_form(c, req.matches[1]);
  if (!starts_with(req.get_header_value("Content-Type"), "application/json"))
    throw HttpError{415, "http.unsupported-media-type", "send application/json", {}};
  std::map<std::string, std::string> values;
  try {
    const json body = json::parse(req.body);
    if (!body.is_object()) throw HttpError{400, "http.json", "expected an object", {}};
    for (const auto& [key, value] : body.items()) {
      if (!value.is_string()) throw HttpError{400, "http.json", "every value must be a string", {}};
      values[key] = value.get<std::string>();
    }
  } catch (const json::exception&) {
    throw HttpError{400, "http.json", "the body is not JSON", {}};
  }
  const auto built = api::data_from_fields(c.engine, id, values);
  if (param(req, "format") == "xml") {
    res.set_content(built.xml, "application/xml; charset=utf-8");
    return;
  }
  ValidateOptions options;
  options.today = date_param(req, "today");
  options.settings = c.settings;
  ValidationResult r;
  const std::string name = safe_name(id) + ".xml";
  try {
    r = c.engine.validate(std::string_view(built.xml), name, options);
  } catch (const Error& e) {
    r.source = name;
    r.diagnostics = e.diagnostics();
  }
  std::ostringstream out, err;
  job::Reporter reporter(out, err, ValidateJob::Format::Json, "en", false, false, 1,
                         flag(req, "redact"));
  reporter.add(r);
  reporter.finish();
  res.set_content(job::json_text(json{{"xml", built.xml}, {"validation", json::parse(out.str())}}),
                  kJson);
}

// A filled PDF → its data XML and the notes (as `yoshiki extract`), as JSON;
// ?format=xml: the XML alone.
void extract(const Context& c, const httplib::Request& req, httplib::Response& res) {
  const auto up = one_upload(req, req.is_multipart_form_data() ? "file" : "");
  auto r = c.engine.extract(std::string_view(*up.bytes), up.name, c.pdf);
  bool complete = true;
  json notes = json::array();
  for (const auto& n : r.notes) {
    complete = complete && n.severity != Severity::Error;
    notes.push_back(job::issue_json(n, flag(req, "redact")));
  }
  if (param(req, "format") == "xml") {
    res.set_content(r.xml, "application/xml; charset=utf-8");
    return;
  }
  res.set_content(job::json_text(json{{"form", r.form_id},
                                      {"version", r.form_version},
                                      {"complete", complete},
                                      {"xml", r.xml},
                                      {"notes", notes}}),
                  kJson);
}

// The same JSON document as `yoshiki validate --json`, the uploads in order.
void validate(const Context& c, const httplib::Request& req, httplib::Response& res) {
  const auto files = uploads(req);
  if (files.empty()) throw HttpError{400, "http.upload", "no file uploaded", {}};
  ValidateOptions options;
  options.today = date_param(req, "today");
  options.pdf = c.pdf;
  options.settings = c.settings;
  std::ostringstream out, err;
  job::Reporter reporter(out, err, ValidateJob::Format::Json, "en", false, false, files.size(),
                         flag(req, "redact"));
  for (const auto& f : files) {
    ValidationResult r;
    try {
      r = c.engine.validate(std::string_view(*f.bytes), f.name, options);
    } catch (const Error& e) {
      r.source = f.name;
      r.diagnostics = e.diagnostics();
    }
    reporter.add(r);
  }
  reporter.finish();
  res.set_content(out.str(), kJson);
}

// The Senior Work Program report of the uploads: ?format=json (the summary
// of `yoshiki report --json`), csv or xlsx (the 一覧表); ?redact=1: the
// labour-bureau copy; ?as_of=YYYY-MM-DD.
void report(const Context& c, const httplib::Request& req, httplib::Response& res) {
  const auto files = uploads(req);
  if (files.empty()) throw HttpError{400, "http.upload", "no file uploaded", {}};
  const auto format = param(req, "format", "json");
  if (format != "json" && format != "csv" && format != "xlsx")
    throw HttpError{400, "http.parameter", "format: json, csv or xlsx", {}};
  TempDir dir;
  std::map<std::string, std::string> names;
  const auto paths = write_uploads(dir, files, names);
  SeniorReportOptions options;
  options.as_of = date_param(req, "as_of");
  options.redact = flag(req, "redact");
  options.pdf = c.pdf;
  auto r = senior_report(c.engine, paths, options);
  for (auto& d : r.diagnostics)
    if (auto it = names.find(d.file); it != names.end()) d.file = it->second;
  if (format == "csv") {
    res.set_content(to_csv(r.list), "text/csv; charset=utf-8");
    res.set_header("Content-Disposition", "attachment; filename=\"senior-report.csv\"");
  } else if (format == "xlsx") {
    send_bytes(res, to_xlsx(r), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "senior-report.xlsx");
  } else {
    std::ostringstream out;
    report::print_senior_report(r, true, param(req, "lang", "ja"), out);
    res.set_content(out.str(), kJson);
  }
}

// The page's files, read from the resources at each request (small; a
// changed page needs no restart).
constexpr std::size_t kMaxWebFile = 4u << 20;

void openapi(const Context& c, httplib::Response& res) {
  res.set_content(c.engine.io().read(c.web_dir + "/openapi.json", kMaxWebFile), kJson);
}

void web_file(const Context& c, const std::string& name, httplib::Response& res) {
  static const std::map<std::string, const char*> types{{".html", "text/html; charset=utf-8"},
                                                        {".js", "text/javascript; charset=utf-8"},
                                                        {".css", "text/css; charset=utf-8"},
                                                        {".svg", "image/svg+xml"}};
  const auto dot = name.rfind('.');
  const auto type = types.find(dot == std::string::npos ? "" : name.substr(dot));
  if (type == types.end()) throw HttpError{404, "http.not-found", "no such page", {}};
  std::string bytes;
  try {
    bytes = c.engine.io().read(c.web_dir + "/" + name, kMaxWebFile);
  } catch (const Error&) {
    throw HttpError{404, "http.not-found", "no such page", {}};
  }
  res.set_content(bytes, type->second);
}

// "{name}" in an OpenAPI path → a regex group of one path segment.
std::string route_regex(const std::string& path) {
  const auto dots = std::regex_replace(path, std::regex(R"(\.)"), R"(\.)");
  return std::regex_replace(dots, std::regex(R"(\{[^}]+\})"), "([A-Za-z0-9_-]+)");
}

}  // namespace

const std::vector<Route>& routes() {
  // clang-format off
  static const std::vector<Route> all{
      {"GET", "/healthz"},
      {"GET", "/v1/openapi.json"},
      {"GET", "/v1/forms"},
      {"GET", "/v1/forms/{form}/blank"},
      {"GET", "/v1/forms/{form}/labels"},
      {"GET", "/v1/forms/{form}/fields"},
      {"POST", "/v1/forms/{form}/data"},
      {"POST", "/v1/render"},
      {"POST", "/v1/fill"},
      {"POST", "/v1/extract"},
      {"POST", "/v1/validate"},
      {"POST", "/v1/report"}};
  // clang-format on
  return all;
}

void check_routes(const std::string& openapi_json) {
  std::set<std::string> documented, served;
  try {
    const json doc = json::parse(openapi_json);
    for (const auto& path : doc.at("paths").items())
      for (const auto& op : path.value().items()) {
        std::string m = op.key();
        for (auto& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        documented.insert(m + " " + path.key());
      }
  } catch (const json::exception& e) {
    throw Error(ErrorKind::Io,
                {{Severity::Error, "serve.openapi", std::string("openapi.json: ") + e.what()}});
  }
  for (const auto& r : routes()) served.insert(std::string(r.method) + " " + r.path);
  if (documented != served) {
    std::string diff;
    for (const auto& r : served)
      if (!documented.count(r)) diff += " served but not documented: " + r + ";";
    for (const auto& r : documented)
      if (!served.count(r)) diff += " documented but not served: " + r + ";";
    throw Error(ErrorKind::Io, {{Severity::Error, "serve.openapi", "openapi.json:" + diff}});
  }
}

std::string error_body(int status, const std::string& code, const std::string& message,
                       const std::vector<Diagnostic>& diagnostics) {
  json list = json::array();
  // Offending values stay out: an error answer may end up in a log.
  for (const auto& d : diagnostics) list.push_back(job::issue_json(d, true));
  return job::json_text(json{{"error", {{"status", status}, {"code", code}, {"message", message}}},
                             {"diagnostics", list}});
}

void add_routes(httplib::Server& server, const Context& context) {
  const Context* c = &context;
  using Req = httplib::Request;
  using Res = httplib::Response;
  // Every handler by its OpenAPI path; add_routes registers them all, and
  // only them, under routes()' paths.
  const std::map<std::string, std::function<void(const Req&, Res&)>> handlers{
      {"GET /healthz", [c](const Req&, Res& res) { healthz(*c, res); }},
      {"GET /v1/openapi.json", [c](const Req&, Res& res) { openapi(*c, res); }},
      {"GET /v1/forms", [c](const Req&, Res& res) { forms(*c, res); }},
      {"GET /v1/forms/{form}/blank", [c](const Req& q, Res& res) { blank(*c, q, res); }},
      {"GET /v1/forms/{form}/labels", [c](const Req& q, Res& res) { labels(*c, q, res); }},
      {"GET /v1/forms/{form}/fields", [c](const Req& q, Res& res) { fields_of(*c, q, res); }},
      {"POST /v1/forms/{form}/data", [c](const Req& q, Res& res) { data_of(*c, q, res); }},
      {"POST /v1/render", [c](const Req& q, Res& res) { render(*c, q, res); }},
      {"POST /v1/fill", [c](const Req& q, Res& res) { fill(*c, q, res); }},
      {"POST /v1/extract", [c](const Req& q, Res& res) { extract(*c, q, res); }},
      {"POST /v1/validate", [c](const Req& q, Res& res) { validate(*c, q, res); }},
      {"POST /v1/report", [c](const Req& q, Res& res) { report(*c, q, res); }}};
  for (const auto& r : routes()) {
    const std::string method = r.method;
    auto h = guarded(handlers.at(method + " " + r.path));
    if (method == "GET")
      server.Get(route_regex(r.path), h);
    else
      server.Post(route_regex(r.path), h);
  }
  // The page: index.html at /, its other files by name (no folders).
  server.Get("/", guarded([c](const Req&, Res& res) { web_file(*c, "index.html", res); }));
  server.Get(R"(/([a-z0-9-]+\.(?:html|js|css|svg)))",
             guarded([c](const Req& q, Res& res) { web_file(*c, q.matches[1], res); }));
}

}  // namespace yoshiki::serve
