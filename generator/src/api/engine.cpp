// engine — the public API's implementation: wires the stages together
// (catalogue → data loading and XSD → template → layout → PDF writing).
// Everything built here is immutable after the constructor, which is what
// makes one Engine safe to share between threads.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "api/field_values.h"
#include "api/form_data.h"
#include "api/resources.h"
#include "catalog/catalog.h"
#include "fields/naming.h"
#include "io/io.h"
#include "layout/layout.h"
#include "layout/template.h"
#include "model/data_builder.h"
#include "model/flat_fields.h"
#include "pdf/read/isolated.h"
#include "pdf/read/reader.h"
#include "pdf/write/writer.h"
#include "rules/dates.h"
#include "rules/rules.h"
#include "text/font.h"
#include "text/shape.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki {

std::string Diagnostic::to_string() const {
  std::string s;
  if (!file.empty()) {
    s += file;
    if (line > 0) s += ":" + std::to_string(line);
    if (line > 0 && column > 0) s += ":" + std::to_string(column);
    s += ": ";
  }
  s += severity == Severity::Error ? "error" : severity == Severity::Warning ? "warning" : "info";
  if (!code.empty()) s += " [" + code + "]";
  s += ": " + message;
  if (!field.empty()) s += " (field " + field + ")";
  return s;
}

std::string settings_xml(const Settings& settings);

// settings_xml of the settings this thread rendered with last: the same for
// most documents, and building and serialising libxml2's tree was ~0.05 M
// instructions per render. (An organisation's settings, not a document's
// data; the static fonts and texts are kept by them too.)
static std::string settings_xml_of_thread(const Settings& settings) {
  thread_local Settings last;
  thread_local std::string xml;
  thread_local bool made = false;
  if (!made || settings != last) {
    xml = settings_xml(settings);
    last = settings;
    made = true;
  }
  return xml;
}

// <settings><setting key="…">value</setting>…</settings>, from a file or an attachment.
static Settings settings_of(xmlDoc* doc) {
  Settings s;
  for (xmlNode* n : xml::children(xmlDocGetRootElement(doc), "setting"))
    s[xml::attr(n, "key")] = xml::text(n);
  return s;
}

static std::string summary(const std::vector<Diagnostic>& d) {
  return d.empty() ? "yoshiki error" : d.front().to_string();
}

Error::Error(ErrorKind kind, std::vector<Diagnostic> diagnostics)
    : std::runtime_error(summary(diagnostics)), kind_(kind), diagnostics_(std::move(diagnostics)) {}

std::string default_resource_root() {
  return resources::find_root(resources::system_places({}), *system_io());
}

// ---- FormData ---------------------------------------------------------------

FormData::FormData() = default;
FormData::~FormData() = default;
FormData::FormData(FormData&&) noexcept = default;
FormData& FormData::operator=(FormData&&) noexcept = default;
FormData::FormData(std::shared_ptr<const detail::FormDataState> state) : impl_(std::move(state)) {}
bool FormData::empty() const { return !impl_; }
static const std::string kEmpty;
const std::string& FormData::form_id() const { return impl_ ? impl_->form_id : kEmpty; }
const std::string& FormData::form_version() const { return impl_ ? impl_->form_version : kEmpty; }
const std::string& FormData::source_name() const { return impl_ ? impl_->name : kEmpty; }

// ---- Engine -----------------------------------------------------------------

struct CompiledForm {
  FormInfo info;
  std::unique_ptr<xml::Schema> schema;
  std::unique_ptr<rules::RuleSet> rules;  // null if the form has no rules
  layout::Template tmpl;
  std::vector<fields::Binding> bindings;  // fillable field → its field type and data path
  model::ElementOrder order;              // XSD child order, for extraction
  const xml::XPathEnv* functions() const { return rules ? &rules->functions() : nullptr; }
};

struct detail::EngineState {
  std::string root;
  std::shared_ptr<const Io> io;  // every file read and the clock go through it
  // Fonts load on first use (≈40 ms of hb_subset_preprocess): validation and
  // extraction never pay for them. call_once keeps that thread-safe.
  std::string font_map;
  mutable std::once_flag fonts_once;
  mutable std::unique_ptr<text::FontSet> fonts_;
  const text::FontSet& fonts() const {
    std::call_once(fonts_once, [this] { fonts_ = std::make_unique<text::FontSet>(font_map, *io); });
    return *fonts_;
  }
  std::unique_ptr<xml::Schema> template_schema, rules_schema;
  std::map<std::string, CompiledForm> forms;  // by id

  // The static text of a catalogue form, by template, output kind and
  // settings (pdf::StaticFonts): built at the first render that needs it.
  // Few keys in practice (one organisation's settings); bounded anyway.
  mutable std::mutex statics_mu;
  mutable std::map<std::string, std::shared_ptr<const pdf::StaticFonts>> statics;
  // The static text shaped and broken into lines (text::StaticText), by the
  // same keys; values are never kept in it.
  mutable std::map<std::string, std::shared_ptr<const text::StaticText>> static_texts;
  // The drawing of the cells no value decides (layout::StaticDrawing), by
  // the same keys; values are never kept in it either.
  mutable std::map<std::string, std::shared_ptr<const layout::StaticDrawing>> static_drawings;

  const CompiledForm& form(const std::string& id) const {
    auto it = forms.find(id);
    if (it == forms.end()) {
      std::string known;
      for (auto& [k, v] : forms) known += (known.empty() ? "" : ", ") + k;
      throw Error(ErrorKind::Usage, {{Severity::Error, "form.unknown",
                                      "unknown form '" + id + "' (known: " + known + ")"}});
    }
    return it->second;
  }
};

// The catalogue owns a form's id, version, title and data root; a template
// names none of them.
static void set_form(layout::Template& t, const FormInfo& info) {
  t.id = info.id;
  t.version = info.version;
  t.title = info.title;
  t.data_root = info.data_root;
}

// A rule file names its form and version (rules.xsd); they must be the
// catalogue's entry that points at it.
static void check_rules_form(const rules::RuleSet& rules, const FormInfo& info,
                             const std::string& catalogue) {
  if (rules.form() == info.id && rules.version() == info.version) return;
  throw Error(ErrorKind::InvalidInput,
              {{Severity::Error, "catalog.rules",
                "the rule file is for form " + rules.form() + " " + rules.version() + ", but " +
                    catalogue + " uses it for " + info.id + " " + info.version,
                info.rules_path}});
}

Engine::Engine(const EngineOptions& options) : impl_(std::make_unique<detail::EngineState>()) {
  impl_->io = options.io ? options.io : system_io();
  const Io& io = *impl_->io;
  impl_->root = resources::find_root(resources::system_places(options.resource_root), io);
  const catalog::Catalog catalogue = catalog::load(impl_->root, io);
  impl_->font_map = options.font_map.empty() ? catalogue.font_map : options.font_map;
  impl_->template_schema = layout::template_schema(catalogue.template_schema, io);
  impl_->rules_schema = io::schema(io, catalogue.rules_schema);
  for (const auto& info : catalogue.forms) {
    CompiledForm cf;
    cf.schema = io::schema(io, info.schema_path);
    if (!info.rules_path.empty()) {
      cf.rules = std::make_unique<rules::RuleSet>(info.rules_path, *impl_->rules_schema,
                                                  rules::Evaluator::NativeWhereSupported, io);
      check_rules_form(*cf.rules, info, catalogue.path);
    }
    // Template XPaths may call the form's rule functions (dated parameters).
    cf.tmpl =
        layout::load_template(info.template_path, *impl_->template_schema, cf.functions(), io);
    set_form(cf.tmpl, info);
    cf.bindings = layout::field_bindings(cf.tmpl, cf.functions());
    cf.order = model::element_order(info.schema_path, io);
    cf.info = info;
    impl_->forms.emplace(info.id, std::move(cf));
  }
}

Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

const std::string& Engine::resource_root() const { return impl_->root; }

const Io& Engine::io() const { return *impl_->io; }

std::vector<FormInfo> Engine::forms() const {
  std::vector<FormInfo> out;
  for (auto& [id, f] : impl_->forms) out.push_back(f.info);
  return out;
}

namespace {

bool has_error(const std::vector<Diagnostic>& ds) {
  for (const auto& d : ds)
    if (d.severity == Severity::Error) return true;
  return false;
}

void append(std::vector<Diagnostic>& to, std::vector<Diagnostic> from) {
  for (auto& d : from) to.push_back(std::move(d));
}

}  // namespace

// Data XML given directly is parsed within this many nodes: ample for any
// form (the largest real data has about 3,500; 60,000 log rows, which the
// XSD then refuses with a clear message, about 180,000), while 32 MB of
// "<a/>" (8 million elements, gigabytes of tree) is refused before parsing.
constexpr xml::ParseLimits kDataXml{200000};

// Parse, identify, normalise, XSD. Problems go to `out`; returns null when
// the document cannot be read as a known form at all.
static std::shared_ptr<detail::FormDataState> prepare_data(const detail::EngineState& engine,
                                                           std::string_view bytes,
                                                           const std::string& name,
                                                           const CompiledForm** form_out,
                                                           std::vector<Diagnostic>& out) {
  auto impl = std::make_shared<detail::FormDataState>();
  try {
    impl->doc = xml::parse(bytes, name, kDataXml);
  } catch (const Error& e) {
    append(out, e.diagnostics());
    return nullptr;
  }
  impl->name = name;
  xmlNode* root = xmlDocGetRootElement(impl->doc.get());
  impl->form_id = xml::attr(root, "formId");
  impl->form_version = xml::attr(root, "formVersion");
  if (impl->form_id.empty()) {
    out.push_back({Severity::Error, "data.form-id",
                   "root element <" + std::string(xml::name(root)) + "> has no formId attribute",
                   name, xml::line(root)});
    out.back().message_ja = "ルート要素 <" + std::string(xml::name(root)) +
                            "> に formId 属性（様式の種類）がありません。";
    return nullptr;
  }
  auto it = engine.forms.find(impl->form_id);
  if (it == engine.forms.end()) {
    out.push_back({Severity::Error, "data.form-id", "unknown form '" + impl->form_id + "'", name,
                   xml::line(root)});
    out.back().message_ja = "様式「" + impl->form_id + "」は yoshiki の様式にありません。";
    return nullptr;
  }
  const CompiledForm& form = it->second;
  if (impl->form_version != form.info.version) {
    out.push_back({Severity::Error, "data.form-version",
                   "form " + impl->form_id + " version '" + impl->form_version +
                       "' is not supported (this yoshiki has " + form.info.version + ")",
                   name, xml::line(root)});
    out.back().message_ja = "様式 " + impl->form_id + " の版「" + impl->form_version +
                            "」には対応していません（この yoshiki の版は " + form.info.version +
                            "）。";
    return nullptr;
  }
  if (form.rules) append(out, form.rules->normalize(impl->doc.get(), name));
  append(out, rules::normalize_dates(impl->doc.get(), *form.schema, name));
  append(out, form.schema->validate(impl->doc.get(), name));
  *form_out = &form;
  return impl;
}

FormData Engine::load_data(const std::string& path) const {
  return load_data(impl_->io->read(path, xml::kMaxDocumentBytes), path);
}

FormData Engine::load_data(std::string_view bytes, const std::string& name) const {
  std::vector<Diagnostic> problems;
  const CompiledForm* form = nullptr;
  auto impl = prepare_data(*impl_, bytes, name, &form, problems);
  if (!impl || has_error(problems)) {
    std::erase_if(problems, [](const Diagnostic& d) { return d.severity != Severity::Error; });
    throw Error(ErrorKind::InvalidInput, std::move(problems));
  }
  impl->notes = std::move(problems);
  return FormData(std::move(impl));
}

namespace {

// A report lists at most this many issues per file, then one saying how
// many more there were: 60,000 rows out of date order made 30,000 issues.
constexpr std::size_t kMaxIssuesPerFile = 100;

ValidationResult cap_issues(ValidationResult r) {
  if (r.diagnostics.size() <= kMaxIssuesPerFile) return r;
  const std::string more = std::to_string(r.diagnostics.size() - kMaxIssuesPerFile);
  r.diagnostics.resize(kMaxIssuesPerFile);
  Diagnostic d(Severity::Info, "report.more-issues", "…and " + more + " more issues", r.source);
  d.message_ja = "…ほかに" + more + "件の指摘があります。";
  r.diagnostics.push_back(std::move(d));
  return r;
}

// The business rules on a parsed, XSD-checked document, when loading found
// no error: r gets the form's identity, the rules' findings and validity.
void check_rules(const detail::EngineState& engine, const CompiledForm& form,
                 const detail::FormDataState& data, const ValidateOptions& options,
                 ValidationResult& r) {
  r.readable = true;
  r.form_id = data.form_id;
  r.form_version = data.form_version;
  if (!has_error(r.diagnostics) && form.rules) {
    const text::CivilDate today = io::date_option(*engine.io, options.today, "today");
    append(r.diagnostics, form.rules->evaluate(data.doc.get(), data.name, today, options.settings));
  }
  r.valid = !has_error(r.diagnostics);
}

// Data XML: safe parse → normalise → XSD → business rules.
ValidationResult validate_xml(const detail::EngineState& engine, std::string_view bytes,
                              const std::string& name, const ValidateOptions& options) {
  ValidationResult r;
  r.source = name;
  const CompiledForm* form = nullptr;
  auto impl = prepare_data(engine, bytes, name, &form, r.diagnostics);
  if (!impl) return r;
  check_rules(engine, *form, *impl, options, r);
  return r;
}

// A document that could not be read (or read back, for a PDF): its error.
ValidationResult unreadable(const std::string& name, const Error& e) {
  ValidationResult r;
  r.source = name;
  r.diagnostics = e.diagnostics();
  r.io_error = e.kind() == ErrorKind::Io;
  return r;
}

}  // namespace

ValidationResult Engine::validate(const std::string& path, const ValidateOptions& options) const {
  std::string bytes;
  try {
    bytes = impl_->io->read(path, std::max(xml::kMaxDocumentBytes, pdf::kMaxPdfBytes));
  } catch (const Error& e) {
    return unreadable(path, e);
  }
  return validate(std::string_view(bytes), path, options);
}

ValidationResult Engine::validate(std::string_view bytes, const std::string& name,
                                  const ValidateOptions& options) const {
  // A filled PDF: validate the data it carries (fields over attachment).
  if (bytes.starts_with("%PDF-")) {
    Extracted extracted;
    try {
      extracted = extract(bytes, name, options.pdf);
    } catch (const Error& e) {
      return unreadable(name, e);
    }
    ValidationResult r = validate_xml(*impl_, extracted.xml, name, options);
    r.diagnostics.insert(r.diagnostics.begin(), extracted.notes.begin(), extracted.notes.end());
    r.valid = r.valid && !has_error(extracted.notes);  // an unusable field makes the PDF invalid
    return cap_issues(std::move(r));
  }
  return cap_issues(validate_xml(*impl_, bytes, name, options));
}

ValidationResult Engine::validate(const FormData& data, const ValidateOptions& options) const {
  const detail::FormDataState* state = detail::state_of(data);
  if (!state) {
    Diagnostic d(Severity::Error, "data.blank", "there is no data to validate (a blank FormData)",
                 "");
    d.message_ja = "検証するデータがありません（空の FormData）。";
    throw Error(ErrorKind::Usage, {std::move(d)});
  }
  ValidationResult r;
  r.source = state->name;
  r.diagnostics = state->notes;
  check_rules(*impl_, impl_->form(state->form_id), *state, options, r);
  return cap_issues(std::move(r));
}

namespace {

std::shared_ptr<const pdf::StaticFonts> static_fonts_of(const layout::LayoutInput& in) {
  layout::LayoutInput blank = in;
  blank.data = nullptr;
  std::vector<Diagnostic> ignored;  // a blank that overflows still has its labels
  return pdf::prepare_static(layout::lay_out(blank, ignored));
}

std::string statics_key(const layout::LayoutInput& in, const std::string& settings) {
  std::string key = in.tmpl->id;
  key += in.fillable ? "\nF\n" : "\nP\n";
  key += settings;
  return key;
}

// The blank form's texts, recorded as it is laid out: what every document
// of the template and settings shapes the same way.
std::shared_ptr<const text::StaticText> static_text_of(const layout::LayoutInput& in) {
  auto texts = std::make_shared<text::StaticText>();
  text::TextScope record(*texts);
  layout::LayoutInput blank = in;
  blank.data = nullptr;
  std::vector<Diagnostic> ignored;
  layout::lay_out(blank, ignored);
  return texts;
}

// The blank form's static cells, drawn as every document of the template and
// settings draws them (shaped from `texts`, the StaticText of the same key).
std::shared_ptr<const layout::StaticDrawing> static_drawing_of(const layout::LayoutInput& in,
                                                               const text::StaticText* texts) {
  auto drawing = std::make_shared<layout::StaticDrawing>();
  text::TextScope scope(texts);
  layout::LayoutInput blank = in;
  blank.data = nullptr;
  blank.record = drawing.get();
  std::vector<Diagnostic> ignored;
  layout::lay_out(blank, ignored);
  return drawing;
}

// The entry of `cache` for `key`, built by `build` at its first use. Few
// keys in practice (one organisation's settings); past 64 the cache starts
// again rather than grow (cleared, not by a second call: `mu` is not
// recursive).
template <class T, class Build>
std::shared_ptr<const T> cached(std::map<std::string, std::shared_ptr<const T>>& cache,
                                std::mutex& mu, const std::string& key, const Build& build) {
  std::lock_guard lock(mu);
  if (cache.size() > 64 && !cache.count(key)) cache.clear();
  auto& entry = cache[key];
  if (!entry) entry = build();
  return entry;
}

// `settings` is settings_xml(*in.settings) (made once per render).
std::shared_ptr<const text::StaticText> static_text(const detail::EngineState& engine,
                                                    const layout::LayoutInput& in,
                                                    const std::string& settings) {
  return cached(engine.static_texts, engine.statics_mu, statics_key(in, settings),
                [&] { return static_text_of(in); });
}

std::shared_ptr<const layout::StaticDrawing> static_drawing(const detail::EngineState& engine,
                                                            const layout::LayoutInput& in,
                                                            const std::string& settings,
                                                            const text::StaticText* texts) {
  return cached(engine.static_drawings, engine.statics_mu, statics_key(in, settings),
                [&] { return static_drawing_of(in, texts); });
}

std::shared_ptr<const pdf::StaticFonts> static_fonts(const detail::EngineState& engine,
                                                     const layout::LayoutInput& in,
                                                     const std::string& settings) {
  return cached(engine.statics, engine.statics_mu, statics_key(in, settings),
                [&] { return static_fonts_of(in); });
}

}  // namespace

std::vector<std::uint8_t> Engine::render(const std::string& form, const FormData& data,
                                         const RenderOptions& options, RenderStats* stats) const {
  using Clock = std::chrono::steady_clock;
  // A catalogue id, or a template file (loaded and checked on the spot).
  std::unique_ptr<layout::Template> own;
  const layout::Template* tmpl = nullptr;
  if (impl_->forms.count(form)) {
    tmpl = &impl_->forms.at(form).tmpl;
  } else if (form.find('/') != std::string::npos || form.ends_with(".xml")) {
    if (!impl_->io->exists(form))
      throw Error(ErrorKind::Io, {{Severity::Error, "io.read", "template file not found", form}});
    // A catalogue form's own template keeps its functions and its form;
    // another template is laid out as the data's form (blank: no form).
    const CompiledForm* owner = nullptr;
    for (const auto& [id, cf] : impl_->forms) {
      std::error_code ec;
      if (form == cf.info.template_path ||
          std::filesystem::equivalent(form, cf.info.template_path, ec))
        owner = &cf;
    }
    own = std::make_unique<layout::Template>(layout::load_template(
        form, *impl_->template_schema, owner ? owner->functions() : nullptr, *impl_->io));
    if (!owner && !data.empty()) owner = &impl_->form(data.form_id());
    if (owner) set_form(*own, owner->info);
    tmpl = own.get();
  } else {
    impl_->form(form);  // throws "unknown form"
  }
  if (!data.empty() && data.form_id() != tmpl->id) {
    throw Error(ErrorKind::Usage,
                {{Severity::Error, "data.form-id",
                  "data is for form '" + data.form_id() + "', template is '" + tmpl->id + "'",
                  data.source_name()}});
  }
  double shaping_before = text::thread_shaping_seconds();
  auto t0 = Clock::now();
  std::vector<Diagnostic> problems;
  const bool fillable = options.output == RenderOptions::Output::Fillable ||
                        (options.output == RenderOptions::Output::Auto && data.empty());
  const auto known = impl_->forms.find(tmpl->id);
  layout::LayoutInput in{tmpl,
                         data.empty() ? nullptr : detail::state_of(data)->doc.get(),
                         &options.settings,
                         &impl_->fonts(),
                         fillable,
                         known == impl_->forms.end() ? nullptr : known->second.functions()};
  const std::string settings = settings_xml_of_thread(options.settings);
  layout::LaidOutDocument laid;
  // Held until the PDF is written: the pages' replayed spans point into it
  // (their kept content bytes), and the cache may drop it meanwhile.
  std::shared_ptr<const layout::StaticDrawing> drawing;
  {
    // A template given by path: nothing kept (another file may carry the
    // same id), but prepared on the spot like the static fonts below, so
    // that its pages are written like a catalogue form's (their static
    // cells as a stream of their own).
    const auto texts = own ? static_text_of(in) : static_text(*impl_, in, settings);
    drawing = own ? static_drawing_of(in, texts.get())
                  : static_drawing(*impl_, in, settings, texts.get());
    text::TextScope scope(texts.get());
    in.statics = drawing.get();
    laid = layout::lay_out(in, problems);
    in.statics = nullptr;
  }
  if (stats) {
    double shaping = text::thread_shaping_seconds() - shaping_before;
    stats->shaping += shaping;
    stats->layout += std::chrono::duration<double>(Clock::now() - t0).count() - shaping;
  }
  if (!problems.empty()) {
    if (!data.empty()) {
      for (auto& p : problems) p.message += " (data: " + data.source_name() + ")";
    }
    throw Error(ErrorKind::InvalidInput, std::move(problems));
  }
  pdf::WriteOptions wo;
  // A template given by path gets its static text prepared on the spot (no
  // cache: another file may carry the same id), so that it renders like
  // the catalogue form it may be.
  wo.static_fonts = own ? static_fonts_of(in) : static_fonts(*impl_, in, settings);
  wo.creation_date = options.creation_date.empty() ? impl_->io->now_utc() : options.creation_date;
  if (fillable) {
    wo.field_font = &impl_->fonts().role("gothic");
    // Auto embeds only a TrueType gothic (CFF fonts cannot be embedded whole yet).
    const bool typing = options.typing_font == RenderOptions::TypingFont::Embed ||
                        (options.typing_font == RenderOptions::TypingFont::Auto && data.empty() &&
                         wo.field_font->outlines() == text::Font::Outlines::TrueType);
    if (typing) wo.typing_font = wo.field_font;
  }
  // The data travels inside the PDF (what fields cannot carry), and the
  // organisation settings, so that `fill` can lay the form out again.
  if (!data.empty()) {
    wo.attachments.push_back({"data.xml", "Data",
                              "form data (" + tmpl->id + " " + tmpl->version + ")",
                              xml::serialize(detail::state_of(data)->doc.get(), false)});
  }
  wo.attachments.push_back({"settings.xml", "Supplement", "organisation settings", settings});
  return pdf::write_pdf(laid, wo, stats);
}

namespace {

// XML attached to a PDF (data.xml, settings.xml) is parsed in this process,
// after the worker: within this many nodes (the largest form's data, 1,000
// consultation rows, has about 3,500), so its memory stays bounded: 8 MB of
// "<a/>" was 2 million elements and 528 MB.
constexpr xml::ParseLimits kAttachedXml{50000};

// What a PDF's fields and attachments say, as data XML of a known form.
Engine::Extracted extract_from(const detail::EngineState& impl, const pdf::PdfFormContent& pdf,
                               const std::string& name);

}  // namespace

Engine::Extracted Engine::extract(const std::string& pdf_path,
                                  const PdfIsolation& isolation) const {
  // Read here, through the Engine's Io, in a worker or not: a file that
  // cannot be read is the same Error(Io) either way.
  return extract(impl_->io->read(pdf_path, pdf::kMaxPdfBytes), pdf_path, isolation);
}

Engine::Extracted Engine::extract(std::string_view bytes, const std::string& name,
                                  const PdfIsolation& isolation) const {
  if (!isolation.worker.empty())
    return extract_from(*impl_, pdf::read_pdf_form_isolated(bytes, name, isolation), name);
  return extract_from(*impl_, pdf::read_pdf_form(bytes, name), name);
}

int run_pdf_worker(const std::string& path) {
  if (path == pdf::kWorkerServe) return pdf::serve_pdf_requests();
  return pdf::serve_pdf_worker(path, 1);
}

int run_pdf_worker_if_asked(int argc, char** argv) {
  if (argc == 3 && std::string_view(argv[1]) == kPdfWorkerArg) return run_pdf_worker(argv[2]);
  return -1;
}

std::vector<std::string> self_pdf_worker() { return {"/proc/self/exe", kPdfWorkerArg}; }

void start_pdf_workers(const PdfIsolation& isolation, unsigned count) {
  pdf::start_pdf_workers(isolation, count);
}

namespace {

// The hidden identity field's form id and version, when the PDF has one.
std::optional<fields::naming::FormIdentity> identity_field(const pdf::PdfFormContent& pdf) {
  auto field = pdf.text.find(fields::naming::kFormField);
  if (field == pdf.text.end()) return std::nullopt;
  return fields::naming::parse_form_field(field->second);
}

Diagnostic pdf_note(Severity severity, std::string code, std::string en, std::string ja,
                    const std::string& name, std::string field = {}) {
  Diagnostic d(severity, std::move(code), std::move(en), name, 0, 0, std::move(field));
  d.message_ja = std::move(ja);
  return d;
}

// What the reader noticed about the file itself: scripts, skipped
// attachments, later revisions, signatures and what changed after them.
void pdf_notes(const pdf::PdfFormContent& pdf, const std::string& name,
               const std::string& data_root, std::vector<Diagnostic>& notes) {
  if (pdf.has_javascript) {
    notes.push_back(pdf_note(Severity::Warning, "pdf.javascript",
                             "the PDF holds JavaScript actions; they were not run",
                             "PDFにJavaScriptが含まれています（実行していません）。", name));
  }
  for (const auto& file : pdf.skipped_attachments) {
    notes.push_back(pdf_note(Severity::Warning, "pdf.attachment-skipped",
                             "the attached file '" + file +
                                 "' was not read: larger than 8 MB decoded, past the 16 MB all "
                                 "attached files may take together, or in an unsupported "
                                 "encoding; the form fields were read instead",
                             "添付ファイル「" + file +
                                 "」を読み取れませんでした（展開後8MB超、添付ファイル全体で16MB超、"
                                 "または未対応の符号化）。フォームの欄の値を読み取りました。",
                             name));
  }
  if (pdf.updates > 0) {
    auto n = std::to_string(pdf.updates);
    notes.push_back(
        pdf_note(Severity::Info, "pdf.updated",
                 "the PDF was changed by " + n +
                     " incremental update(s) after it was saved; the last values are read",
                 "PDFは保存後に" + n + "回追記更新されています。最後の値を読み取りました。", name));
  }
  // Fields that do not hold what the page shows (reader.h, FieldProblem).
  for (const pdf::FieldProblem& p : pdf.field_problems) {
    using Kind = pdf::FieldProblem::Kind;
    const std::string field = "/" + data_root + "/" + p.field;
    if (p.kind == Kind::ControlName) {
      notes.push_back(pdf_note(
          Severity::Error, "pdf.field-name",
          "the field's name holds a control character, which no form's field name has; the "
          "field was not read",
          "欄の名前に制御文字が含まれています（様式の欄の名前にはありません）。この欄は読み取りませ"
          "んでした。",
          name, field));
    } else if (p.kind == Kind::Duplicate) {
      auto n = std::to_string(p.count);
      notes.push_back(pdf_note(
          Severity::Warning, "pdf.field-duplicate",
          n + " fields have this name; the last visible one's value is read (the last one's "
              "when none is visible)",
          "この名前の欄が" + n +
              "個あります。表示されている最後の欄の値を読み取りました（表示されている欄がなければ最"
              "後の欄の値）。",
          name, field));
    } else if (p.field == fields::naming::kFormField) {
      continue;  // hidden by design: yoshiki's own identity field
    } else if (p.kind == Kind::HiddenRead) {
      notes.push_back(pdf_note(
          Severity::Warning, "pdf.field-hidden",
          "the field is hidden or has no size on the page, yet its value is the one read: the "
          "page does not show it",
          "この欄はページ上で非表示か大きさがありませんが、その値を読み取りました（ページには表示"
          "されません）。",
          name, field));
    } else {
      notes.push_back(pdf_note(
          Severity::Warning, "pdf.field-hidden",
          "a hidden or zero-size field has this name too; its value was ignored and the visible "
          "field's is read",
          "同じ名前の、非表示か大きさのない欄があります。その値は使わず、表示されている欄の値を読"
          "み取りました。",
          name, field));
    }
  }
  // Signatures are not verified: yoshiki says what the bytes show.
  for (const pdf::PdfSignature& sig : pdf.signatures) {
    const std::string en_sig = "signature field '" + sig.field + "'";
    const std::string ja_sig = "署名欄「" + sig.field + "」";
    if (!sig.byte_range_valid) {
      notes.push_back(
          pdf_note(Severity::Warning, "pdf.signature-range",
                   "the " + en_sig + " has no usable /ByteRange: what it signed cannot be told",
                   ja_sig + "の/ByteRangeが不正で、署名の対象範囲が分かりません。", name));
    } else if (!sig.changed_after) {
      notes.push_back(pdf_note(
          Severity::Info, "pdf.signed",
          "signed (" + en_sig + "), unchanged since; the signature itself is not verified",
          "署名済み（" + ja_sig + "）で、署名後の変更はありません。署名自体は検証していません。",
          name));
    } else if (!sig.signed_revision_read) {
      notes.push_back(pdf_note(
          Severity::Warning, "pdf.changed-after-signature",
          "the PDF was changed after it was signed (" + en_sig +
              ") and the signed revision cannot be read; the last values are read",
          "署名（" + ja_sig +
              "）の後にPDFが変更され、署名時の版を読み取れません。最後の値を読み取りました。",
          name));
    } else if (sig.changed_fields.empty() && sig.changed_attachments.empty()) {
      notes.push_back(pdf_note(
          Severity::Info, "pdf.saved-after-signature",
          "the PDF was saved again after it was signed (" + en_sig + "); no field value changed",
          "署名（" + ja_sig + "）の後にPDFが再保存されました。欄の値の変更はありません。", name));
    } else {
      for (const auto& field : sig.changed_fields) {
        notes.push_back(pdf_note(
            Severity::Warning, "pdf.changed-after-signature",
            "the field's value was changed after the PDF was signed (" + en_sig +
                "); the last value is read",
            "この欄の値は署名（" + ja_sig + "）の後に変更されています。最後の値を読み取りました。",
            name, "/" + data_root + "/" + field));  // a field's name is its data path
      }
      for (const auto& file : sig.changed_attachments) {
        notes.push_back(
            pdf_note(Severity::Warning, "pdf.attachment-changed-after-signature",
                     "the embedded file '" + file +
                         "' was added, removed or replaced after the PDF was "
                         "signed (" +
                         en_sig + "); the signed version is read",
                     "添付ファイル「" + file + "」は署名（" + ja_sig +
                         "）の後に追加・削除・差し替えされています。署名時の内容を読み取りました。",
                     name));
      }
    }
  }
}

// A fillable layout of `form` (blank, or of the data read so far): where a
// flattened copy printed each field, and the form's static text.
layout::LaidOutDocument flat_layout(const detail::EngineState& impl, const CompiledForm& form,
                                    xmlDoc* data) {
  static const Settings none;
  std::vector<Diagnostic> ignored;  // overflows: the page shows what it shows
  const layout::LayoutInput in{&form.tmpl, data, &none, &impl.fonts(), true, form.functions()};
  const auto texts = static_text(impl, in, settings_xml(none));
  text::TextScope scope(texts.get());
  return layout::lay_out(in, ignored);
}

// The catalogue form whose static text the pages show best, if most of it.
const CompiledForm* form_by_text(const detail::EngineState& impl,
                                 const std::vector<pdf::PageText>& pages) {
  const CompiledForm* best = nullptr;
  double best_score = 0.6;  // a form's own labels, printed again, match ~95%
  for (const auto& [id, form] : impl.forms) {
    const double score = model::static_text_match(flat_layout(impl, form, nullptr), pages);
    if (score > best_score) best = &form, best_score = score;
  }
  return best;
}

bool same_fields(const layout::LaidOutDocument& a, const layout::LaidOutDocument& b) {
  if (a.pages.size() != b.pages.size()) return false;
  for (std::size_t p = 0; p < a.pages.size(); ++p) {
    const auto &fa = a.pages[p].fields, &fb = b.pages[p].fields;
    if (fa.size() != fb.size() || a.pages[p].ops.size() != b.pages[p].ops.size()) return false;
    for (std::size_t i = 0; i < fa.size(); ++i)
      if (fa[i].name != fb[i].name || std::abs(fa[i].x - fb[i].x) > 0.01 ||
          std::abs(fa[i].y - fb[i].y) > 0.01)
        return false;
  }
  return true;
}

// A flattened or printed copy as if its fields were there: the page text
// at the fields' places. Rows and pages depend on the data, so the form is
// laid out again with the data read until the fields stay where they are.
pdf::PdfFormContent fields_from_text(const detail::EngineState& impl, const CompiledForm& form,
                                     const pdf::PdfFormContent& pdf, const std::string& name,
                                     std::vector<Diagnostic>& notes) {
  pdf::PdfFormContent read;
  read.form_id = form.info.id;
  read.has_acroform = true;
  layout::LaidOutDocument laid = flat_layout(impl, form, nullptr);
  model::FlatFields got;
  for (int pass = 0; pass < 4; ++pass) {
    got = model::read_flat_fields(laid, pdf.pages, form.info.data_root, name);
    read.text = got.text;
    read.buttons = got.buttons;
    if (pass == 3) break;
    auto data = model::build_data(form.bindings, read, nullptr, form.info, form.order,
                                  form.functions(), name);
    auto next = flat_layout(impl, form, data.doc.get());
    if (same_fields(next, laid)) break;
    laid = std::move(next);
  }
  for (auto& n : got.notes) notes.push_back(std::move(n));
  return read;
}

Engine::Extracted extract_from(const detail::EngineState& impl, const pdf::PdfFormContent& pdf,
                               const std::string& name) {
  if (pdf.has_xfa) {
    throw Error(ErrorKind::InvalidInput,
                {{Severity::Error, "pdf.xfa", "XFA forms are not supported", name}});
  }
  xml::Doc base;
  Engine::Extracted out;
  if (auto it = pdf.attachments.find("data.xml"); it != pdf.attachments.end()) {
    try {
      base = xml::parse(it->second, name + " (attached data.xml)", kAttachedXml);
    } catch (const Error& e) {
      // The rule id says why (libxml2's messages may quote the data).
      const std::string why =
          e.diagnostics().empty() ? "" : " (" + e.diagnostics().front().code + ")";
      out.notes.push_back(pdf_note(
          Severity::Warning, "extract.attachment",
          "the attached data.xml cannot be read" + why + "; only the fields are used",
          "添付のdata.xmlを読み取れません" + why + "。フォームの欄の値だけを使いました。", name));
    }
  }
  // Which form: the document information or XMP (yoshiki's own and most
  // fillers keep them), else the attached data, else the hidden identity
  // field (pypdf's append keeps fields only); the last two are said.
  std::string id = pdf.form_id, version = pdf.form_version;
  if (id.empty() && base) id = xml::attr(xmlDocGetRootElement(base.get()), "formId");
  if (auto identity = identity_field(pdf); id.empty() && identity) {
    id = identity->id;
    version = identity->version;
    out.notes.push_back(pdf_note(
        Severity::Info, "pdf.form-id-from-field",
        "the PDF has lost its document information, metadata and attached data (a filler "
        "wrote it anew); the form was identified by its form field, and the data is read "
        "from the fields alone",
        "PDFの文書情報・メタデータ・添付データが失われています（入力ツールが書き直しました）。"
        "様式はフォームの欄から判別し、データは欄の値だけから読み取りました。",
        name));
  }
  // A flattened or printed copy: no field, no attached data, only the
  // page text; it may have lost the form id too, and then its static text
  // names the form.
  const bool flat = !base && pdf.text.empty() && pdf.buttons.empty() && !pdf.pages.empty();
  if (const CompiledForm* by_text = flat && id.empty() ? form_by_text(impl, pdf.pages) : nullptr) {
    id = by_text->info.id;
    version = by_text->info.version;
    out.notes.push_back(pdf_note(
        Severity::Info, "pdf.form-id-from-text",
        "the PDF holds no form id (no document information, metadata, attached data or "
        "fields); the form was identified by its printed labels",
        "PDFに様式の識別情報（文書情報・メタデータ・添付データ・欄）がありません。印字された"
        "項目名から様式を判別しました。",
        name));
  }
  auto it = impl.forms.find(id);
  if (id.empty() || it == impl.forms.end()) {
    throw Error(ErrorKind::InvalidInput, {{Severity::Error, "pdf.form-id",
                                           id.empty() ? "not a yoshiki form (no form id in the PDF)"
                                                      : "unknown form '" + id + "'",
                                           name}});
  }
  const CompiledForm& form = it->second;
  if (!version.empty() && version != form.info.version) {
    throw Error(ErrorKind::InvalidInput,
                {{Severity::Error, "pdf.form-version",
                  "form " + id + " version '" + version + "' is not supported (this yoshiki has " +
                      form.info.version + ")",
                  name}});
  }
  if (base && xml::name(xmlDocGetRootElement(base.get())) != form.info.data_root) base.reset();
  if (!pdf.has_acroform && !base && !flat) {
    throw Error(ErrorKind::InvalidInput,
                {{Severity::Error, "pdf.no-fields",
                  "the PDF has neither form fields nor attached data", name}});
  }
  pdf_notes(pdf, name, form.info.data_root, out.notes);
  pdf::PdfFormContent from_text;
  if (flat) {
    out.notes.push_back(pdf_note(
        Severity::Info, "pdf.read-from-text",
        "the PDF has no form fields and no attached data (flattened or printed): the values "
        "were read from the page text at the form's field positions, choices from the marks "
        "drawn round them",
        "PDFにフォームの欄も添付データもありません（平面化または印刷されたPDF）。値は様式の欄の位"
        "置にあるページの文字から、選択肢は丸の印から読み取りました。",
        name));
    from_text = fields_from_text(impl, form, pdf, name, out.notes);
  }
  auto built = model::build_data(form.bindings, flat ? from_text : pdf, std::move(base), form.info,
                                 form.order, form.functions(), name);
  for (auto& n : built.notes) out.notes.push_back(std::move(n));
  out.xml = xml::serialize(built.doc.get(), true);
  out.form_id = form.info.id;
  out.form_version = form.info.version;
  return out;
}

}  // namespace

std::vector<std::uint8_t> Engine::fill(std::string_view form_pdf, const std::string& name,
                                       const FormData& data, RenderOptions options,
                                       const PdfIsolation& isolation) const {
  auto pdf = isolation.worker.empty() ? pdf::read_pdf_form(form_pdf, name)
                                      : pdf::read_pdf_form_isolated(form_pdf, name, isolation);
  // A form re-saved by a filler that kept only its fields: the identity field.
  if (auto identity = identity_field(pdf); pdf.form_id.empty() && identity)
    pdf.form_id = identity->id;
  if (pdf.form_id.empty() || !impl_->forms.count(pdf.form_id)) {
    throw Error(ErrorKind::InvalidInput,
                {{Severity::Error, "pdf.form-id", "not a yoshiki form this engine knows", name}});
  }
  if (options.settings.empty()) {
    if (auto it = pdf.attachments.find("settings.xml"); it != pdf.attachments.end())
      options.settings = settings_of(
          xml::parse(it->second, name + " (attached settings.xml)", kAttachedXml).get());
  }
  if (options.output == RenderOptions::Output::Auto)
    options.output = RenderOptions::Output::Fillable;
  if (options.typing_font == RenderOptions::TypingFont::Auto)
    options.typing_font =
        pdf.has_typing_font ? RenderOptions::TypingFont::Embed : RenderOptions::TypingFont::None;
  return render(pdf.form_id, data, options);
}

std::string settings_xml(const Settings& settings) {
  xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
  xmlNodePtr root = xmlNewNode(nullptr, BAD_CAST "settings");
  xmlDocSetRootElement(doc, root);
  for (auto& [k, v] : settings) {
    xmlNodePtr n = xmlNewTextChild(root, nullptr, BAD_CAST "setting", BAD_CAST v.c_str());
    xmlNewProp(n, BAD_CAST "key", BAD_CAST k.c_str());
  }
  xml::Doc owned(doc);
  return xml::serialize(doc, true);
}

Settings load_settings(const std::string& path) { return settings_of(xml::parse_file(path).get()); }

}  // namespace yoshiki

// ---- api/field_values: the blank form's fields and data from typed values

namespace yoshiki {

const detail::EngineState& detail::state_of(const Engine& engine) { return *engine.impl_; }

namespace api {
namespace {

const CompiledForm& catalogue_form(const Engine& engine, const std::string& form_id) {
  const auto& forms = detail::state_of(engine).forms;
  auto it = forms.find(form_id);
  if (it == forms.end())
    throw Error(ErrorKind::Usage,
                {{Severity::Error, "form.unknown", "unknown form '" + form_id + "'"}});
  return it->second;
}

}  // namespace

std::vector<FormField> form_fields(const Engine& engine, const std::string& form_id) {
  const CompiledForm& form = catalogue_form(engine, form_id);
  const auto blank = layout::blank_widgets(form.tmpl, form.functions());
  std::vector<FormField> out;
  std::map<std::string, std::size_t> index;  // field name → entry
  for (const auto& page : blank.pages) {
    for (const auto& f : page.fields) {
      auto [at, added] = index.emplace(f.name, out.size());
      if (added) {
        FormField field;
        field.name = f.name;
        field.path = f.binding.path;
        field.type = f.binding.item ? f.binding.item->type() : "";
        using Kind = layout::FieldSpec::Kind;
        field.widget = f.kind == Kind::Multiline ? "multiline"
                       : f.kind == Kind::Comb    ? "comb"
                       : f.kind != Kind::Choice  ? "text"
                       : f.radio                 ? "radio"
                                                 : "checkbox";
        field.label = f.label;
        field.max_length = f.kind == Kind::Comb ? f.max_len : 0;
        if (fields::naming::indexed(f.binding.field)) {
          field.rows = f.binding.field;
          field.row_index = fields::naming::row_index(f.binding.field, f.name).value_or("");
          field.path = fields::naming::with_index(f.binding.path, field.row_index);
        }
        out.push_back(std::move(field));
      }
      if (f.kind != layout::FieldSpec::Kind::Choice) continue;
      auto& options = out[at->second].options;
      const bool known = std::any_of(options.begin(), options.end(),
                                     [&](const FormField::Option& o) { return o.value == f.on; });
      if (!known) options.push_back({f.on, f.on_label});
    }
  }
  return out;
}

Engine::Extracted data_from_fields(const Engine& engine, const std::string& form_id,
                                   const std::map<std::string, std::string>& values) {
  const CompiledForm& form = catalogue_form(engine, form_id);
  // The values as a PDF viewer would have saved them into the blank form.
  std::map<std::string, const layout::FieldSpec*> widgets;  // name → a widget (radio: each option)
  std::map<std::string, std::map<std::string, std::string>> states;  // radio: value → state
  const auto blank = layout::blank_widgets(form.tmpl, form.functions());
  for (const auto& page : blank.pages)
    for (const auto& f : page.fields) {
      widgets.emplace(f.name, &f);
      if (f.kind == layout::FieldSpec::Kind::Choice)
        states[f.name].emplace(f.on, f.state.empty() ? f.on : f.state);
    }
  pdf::PdfFormContent pdf;
  pdf.has_acroform = true;
  auto refuse = [&](const std::string& field, const std::string& message,
                    const std::string& message_ja) {
    Diagnostic d(Severity::Error, "fields.value", message, "", 0, 0,
                 "/" + form.info.data_root + "/" + field);
    d.message_ja = message_ja;
    return Error(ErrorKind::InvalidInput, {d});
  };
  for (const auto& [name, value] : values) {
    auto w = widgets.find(name);
    if (w == widgets.end())
      throw refuse(name, "no such field in form " + form_id, "この様式にない欄です。");
    const layout::FieldSpec& f = *w->second;
    if (f.kind != layout::FieldSpec::Kind::Choice) {
      pdf.text[name] = value;
    } else if (!f.radio) {
      pdf.buttons[name] = value.empty() ? "" : states[name].begin()->second;
    } else if (value.empty()) {
      pdf.buttons[name] = "";
    } else {
      auto s = states[name].find(value);
      if (s == states[name].end())
        throw refuse(name, "not one of the field's options", "この欄の選択肢にない値です。");
      pdf.buttons[name] = s->second;
    }
  }
  auto built = model::build_data(form.bindings, pdf, nullptr, form.info, form.order,
                                 form.functions(), "fields");
  Engine::Extracted out;
  out.xml = xml::serialize(built.doc.get(), true);
  out.form_id = form.info.id;
  out.form_version = form.info.version;
  out.notes = std::move(built.notes);
  return out;
}

}  // namespace api
}  // namespace yoshiki
