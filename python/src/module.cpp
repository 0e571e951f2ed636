// python/_yoshiki — the Python binding (pybind11) of the public API: the
// Engine, its results and diagnostics, bulk validation as an iterator, the
// Senior Work Program report. Only what needs C++ lives here; path lookups
// (resources, the PDF worker), pandas and Dask are the package's Python
// (python/yoshiki/). Every call into the Engine releases the GIL: one Engine
// serves any number of Python threads at once. Diagnostics carry their
// offending value (personal data) only when the caller asks for it.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "job/reporters.h"
#include "pdf/read/reader.h"
#include "yoshiki/job.h"
#include "yoshiki/senior_work.h"
#include "yoshiki/version.h"
#include "yoshiki/yoshiki.h"

namespace py = pybind11;
using namespace yoshiki;

namespace {

// The exception classes (yoshiki.Error and one subclass per ErrorKind).
// Created once and never freed: they must outlive the interpreter's teardown.
py::handle error_class, invalid_input_class, io_class, usage_class;

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Info:
      return "info";
  }
  return "error";
}

Severity severity_of(const std::string& s) {
  if (s == "error") return Severity::Error;
  if (s == "warning") return Severity::Warning;
  if (s == "info") return Severity::Info;
  throw py::value_error("severity: \"error\", \"warning\" or \"info\", not \"" + s + "\"");
}

const char* kind_name(ErrorKind k) {
  switch (k) {
    case ErrorKind::InvalidInput:
      return "invalid-input";
    case ErrorKind::Io:
      return "io";
    case ErrorKind::Usage:
      return "usage";
  }
  return "usage";
}

void strip_values(std::vector<Diagnostic>& ds, bool values) {
  if (!values)
    for (auto& d : ds) d.value.clear();
}

// A Python object that names an input: bytes-like = its content; str or
// os.PathLike = a file (encoded as the file system does).
struct Input {
  bool is_bytes = false;
  std::string text;  // the bytes, or the path
};

Input input_of(const py::handle& obj, const char* what) {
  Input in;
  if (PyBytes_Check(obj.ptr()) || PyByteArray_Check(obj.ptr()) || PyMemoryView_Check(obj.ptr())) {
    in.is_bytes = true;
    in.text = py::bytes(py::reinterpret_borrow<py::object>(obj));
    return in;
  }
  PyObject* p = PyOS_FSPath(obj.ptr());
  if (!p) {
    PyErr_Clear();
    throw py::type_error(std::string(what) + ": a path (str, os.PathLike) or bytes, not " +
                         std::string(py::str(py::type::of(obj).attr("__name__"))));
  }
  auto path = py::reinterpret_steal<py::object>(p);
  if (PyUnicode_Check(path.ptr()))
    path = py::reinterpret_steal<py::object>(PyUnicode_EncodeFSDefault(path.ptr()));
  if (!path) throw py::error_already_set();
  in.text = path.cast<std::string>();
  return in;
}

// Organisation settings as the CLI's --settings takes them: a settings XML
// file (str or os.PathLike, read by load_settings), or a {key: value} dict;
// None = none.
Settings settings_of(const py::object& obj) {
  if (obj.is_none()) return {};
  if (py::isinstance<py::dict>(obj)) return obj.cast<Settings>();
  auto in = input_of(obj, "settings");
  if (in.is_bytes) throw py::type_error("settings: a path (str, os.PathLike) or a dict, not bytes");
  py::gil_scoped_release unlocked;
  return load_settings(in.text);
}

std::vector<std::string> paths_of(const py::iterable& items) {
  std::vector<std::string> out;
  for (auto item : items) {
    auto in = input_of(item, "paths");
    if (in.is_bytes) throw py::type_error("paths: each a str or os.PathLike, not bytes");
    out.push_back(std::move(in.text));
  }
  return out;
}

// The binding's Engine: the library's (shared by iterators still running)
// and how PDFs are parsed.
struct PyEngine {
  std::shared_ptr<const Engine> engine;
  PdfIsolation pdf;

  PyEngine(const std::string& root, const std::string& font_map, std::vector<std::string> worker,
           unsigned memory_mb, unsigned seconds) {
    pdf.worker = std::move(worker);
    pdf.memory_mb = memory_mb;
    pdf.seconds = seconds;
    py::gil_scoped_release unlocked;
    engine = std::make_shared<const Engine>(EngineOptions(root, font_map));
  }

  ValidateOptions validate_options(const std::string& today, Settings settings = {}) const {
    ValidateOptions o;
    o.today = today;
    o.settings = std::move(settings);
    o.pdf = pdf;
    return o;
  }

  // Data XML (or a filled PDF, read back) from a path or bytes.
  FormData load(const Input& in, const std::string& name) const {
    if (!in.is_bytes)
      return engine->load_data(std::string_view(read_input(*engine, in.text, pdf)), in.text);
    if (in.text.rfind("%PDF-", 0) == 0)
      return engine->load_data(std::string_view(engine->extract(in.text, name, pdf).xml), name);
    return engine->load_data(std::string_view(in.text), name);
  }
};

// validate_bulk() on a thread of its own, its results handed to Python one
// at a time through a small queue; dropping the iterator stops the run.
class BulkIterator {
 public:
  BulkIterator(std::shared_ptr<const Engine> engine, std::vector<std::string> paths,
               BulkOptions options, bool values)
      : engine_(std::move(engine)), paths_(std::move(paths)), options_(options), values_(values) {
    thread_ = std::thread([this] { run(); });
  }
  ~BulkIterator() { close(); }

  ValidationResult next() {
    py::gil_scoped_release unlocked;
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (queue_.empty()) {
      if (failure_) {
        auto f = failure_;
        failure_ = nullptr;
        std::rethrow_exception(f);
      }
      throw py::stop_iteration();
    }
    auto r = std::move(queue_.front());
    queue_.pop_front();
    changed_.notify_all();
    strip_values(r.diagnostics, values_);
    return r;
  }

  void close() {
    {
      std::lock_guard lock(mu_);
      cancelled_ = true;
      changed_.notify_all();
    }
    if (thread_.joinable()) {
      py::gil_scoped_release unlocked;
      thread_.join();
    }
    std::lock_guard lock(mu_);
    queue_.clear();  // closed: nothing more comes out
    failure_ = nullptr;
  }

 private:
  struct Cancelled {};
  void run() {
    try {
      validate_bulk(*engine_, paths_, options_, [this](const ValidationResult& r) {
        std::unique_lock lock(mu_);
        changed_.wait(lock, [&] { return queue_.size() < kQueue || cancelled_; });
        if (cancelled_) throw Cancelled{};
        queue_.push_back(r);
        changed_.notify_all();
      });
    } catch (const Cancelled&) {
    } catch (...) {
      std::lock_guard lock(mu_);
      failure_ = std::current_exception();
    }
    std::lock_guard lock(mu_);
    done_ = true;
    changed_.notify_all();
  }

  static constexpr std::size_t kQueue = 64;
  std::shared_ptr<const Engine> engine_;
  std::vector<std::string> paths_;
  BulkOptions options_;
  bool values_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<ValidationResult> queue_;
  bool done_ = false, cancelled_ = false;
  std::exception_ptr failure_;
  std::thread thread_;
};

RenderOptions render_options(const std::string& creation_date,
                             const std::map<std::string, std::string>& settings,
                             const std::string& output, const std::string& typing_font) {
  RenderOptions o;
  o.creation_date = creation_date;
  o.settings = settings;
  if (output == "auto")
    o.output = RenderOptions::Output::Auto;
  else if (output == "fillable")
    o.output = RenderOptions::Output::Fillable;
  else if (output == "flat")
    o.output = RenderOptions::Output::Flat;
  else
    throw py::value_error("output: \"auto\", \"fillable\" or \"flat\", not \"" + output + "\"");
  if (typing_font == "auto")
    o.typing_font = RenderOptions::TypingFont::Auto;
  else if (typing_font == "embed")
    o.typing_font = RenderOptions::TypingFont::Embed;
  else if (typing_font == "none")
    o.typing_font = RenderOptions::TypingFont::None;
  else
    throw py::value_error("typing_font: \"auto\", \"embed\" or \"none\", not \"" + typing_font +
                          "\"");
  return o;
}

py::bytes bytes_of(const std::vector<std::uint8_t>& v) {
  return py::bytes(reinterpret_cast<const char*>(v.data()), v.size());
}

// The CLI's validation report of `results` (job::Reporter), and its summary.
std::pair<std::string, job::Summary> cli_report(const std::vector<ValidationResult>& results,
                                                const std::string& format, const std::string& lang,
                                                bool redact) {
  job::ReportFormat f;
  if (format == "json")
    f = job::ReportFormat::Json;
  else if (format == "jsonl")
    f = job::ReportFormat::JsonLines;
  else if (format == "human")
    f = job::ReportFormat::Human;
  else
    throw py::value_error("format: \"json\", \"jsonl\" or \"human\", not \"" + format + "\"");
  if (lang != "ja" && lang != "en") throw py::value_error("lang: \"ja\" or \"en\"");
  std::ostringstream out, err;
  job::Reporter reporter(out, err, f, lang, false, false, results.size(), redact);
  for (const auto& r : results) reporter.add(r);
  reporter.finish();
  return {out.str(), reporter.summary()};
}

py::tuple diagnostic_state(const Diagnostic& d) {
  return py::make_tuple(severity_name(d.severity), d.code, d.message, d.file, d.line, d.column,
                        d.field, d.message_ja, d.value);
}

Diagnostic diagnostic_from(const py::tuple& t) {
  if (t.size() != 9) throw std::runtime_error("Diagnostic: bad pickled state");
  Diagnostic d(severity_of(t[0].cast<std::string>()), t[1].cast<std::string>(),
               t[2].cast<std::string>(), t[3].cast<std::string>(), t[4].cast<int>(),
               t[5].cast<int>(), t[6].cast<std::string>());
  d.message_ja = t[7].cast<std::string>();
  d.value = t[8].cast<std::string>();
  return d;
}

py::object none_if_empty(const std::string& s) {
  return s.empty() ? py::object(py::none()) : py::object(py::str(s));
}

}  // namespace

PYBIND11_MODULE(_yoshiki, m) {
  m.doc() = "yoshiki's C++ core (use the yoshiki package, not this module)";
  m.attr("__version__") = version();

  // ---- errors ----------------------------------------------------------------
  error_class = py::handle(PyErr_NewExceptionWithDoc(
      "yoshiki.Error",
      "A yoshiki failure. kind: \"invalid-input\" (exit code 1), \"io\" or \"usage\" (2); "
      "diagnostics: the Diagnostics saying what and where.",
      PyExc_Exception, nullptr));
  error_class.attr("kind") = "usage";
  error_class.attr("exit_code") = 2;
  error_class.attr("diagnostics") = py::tuple();
  auto subclass = [&](const char* name, const char* doc) {
    return py::handle(PyErr_NewExceptionWithDoc(name, doc, error_class.ptr(), nullptr));
  };
  invalid_input_class = subclass("yoshiki.InvalidInputError",
                                 "The data, template or PDF is wrong (the CLI's exit code 1).");
  io_class = subclass("yoshiki.IoError",
                      "A file could not be read or written, or a resource is missing (exit 2).");
  usage_class = subclass("yoshiki.UsageError",
                         "The caller asked for something that does not exist (exit 2).");
  invalid_input_class.attr("kind") = "invalid-input";
  invalid_input_class.attr("exit_code") = 1;
  io_class.attr("kind") = "io";
  usage_class.attr("kind") = "usage";
  m.attr("Error") = error_class;
  m.attr("InvalidInputError") = invalid_input_class;
  m.attr("IoError") = io_class;
  m.attr("UsageError") = usage_class;

  // ---- diagnostics and results ----------------------------------------------
  py::class_<Diagnostic>(m, "Diagnostic",
                         "One finding: its rule id, severity, where (file, line, column, field) "
                         "and what (message_en, message_ja). `value`, the offending value, is "
                         "personal data: None unless asked for (values=True).")
      .def(py::init([](const std::string& rule, const std::string& severity,
                       const std::string& message_en, const std::string& message_ja,
                       const std::string& file, int line, int column, const std::string& field,
                       const std::string& value) {
             Diagnostic d(severity_of(severity), rule, message_en, file, line, column, field);
             d.message_ja = message_ja;
             d.value = value;
             return d;
           }),
           py::arg("rule"), py::arg("severity") = "error", py::arg("message_en") = "",
           py::arg("message_ja") = "", py::arg("file") = "", py::arg("line") = 0,
           py::arg("column") = 0, py::arg("field") = "", py::arg("value") = "")
      .def_property_readonly(
          "rule", [](const Diagnostic& d) { return d.code; },
          "Stable id, e.g. \"xml.malformed\", \"JK-003\".")
      .def_property_readonly(
          "severity", [](const Diagnostic& d) { return severity_name(d.severity); },
          "\"error\", \"warning\" or \"info\".")
      .def_property_readonly(
          "field", [](const Diagnostic& d) { return none_if_empty(d.field); },
          "Data path of the field concerned, or None.")
      .def_property_readonly("file", [](const Diagnostic& d) { return none_if_empty(d.file); })
      .def_property_readonly(
          "line", [](const Diagnostic& d) { return d.line; }, "1-based; 0 if unknown.")
      .def_property_readonly("column", [](const Diagnostic& d) { return d.column; })
      .def_property_readonly("message_en", [](const Diagnostic& d) { return d.message; })
      .def_property_readonly(
          "message_ja",
          [](const Diagnostic& d) { return d.message_ja.empty() ? d.message : d.message_ja; },
          "The Japanese message (the English one where there is none).")
      .def_property_readonly(
          "value", [](const Diagnostic& d) { return none_if_empty(d.value); },
          "The offending value (personal data), or None.")
      .def("__str__", [](const Diagnostic& d) { return describe(d, "en"); })
      .def("__repr__",
           [](const Diagnostic& d) {
             return "<yoshiki.Diagnostic " + std::string(severity_name(d.severity)) + " " + d.code +
                    (d.field.empty() ? "" : " " + d.field) + ">";
           })
      .def("__eq__",
           [](const Diagnostic& a, const Diagnostic& b) {
             return a.severity == b.severity && a.code == b.code && a.message == b.message &&
                    a.file == b.file && a.line == b.line && a.column == b.column &&
                    a.field == b.field && a.message_ja == b.message_ja && a.value == b.value;
           })
      .def(py::pickle(&diagnostic_state, &diagnostic_from));

  py::class_<ValidationResult>(m, "ValidationResult",
                               "The outcome of validating one document. Bad input never raises: "
                               "it is reported here.")
      .def_readonly("source", &ValidationResult::source, "File or buffer name.")
      .def_readonly("form_id", &ValidationResult::form_id)
      .def_readonly("form_version", &ValidationResult::form_version)
      .def_readonly("readable", &ValidationResult::readable,
                    "Parsed and identified as a known form.")
      .def_readonly("valid", &ValidationResult::valid,
                    "Readable, and no error-severity diagnostic.")
      .def_readonly("io_error", &ValidationResult::io_error,
                    "The file itself could not be read (missing, no permission, not a file).")
      .def_readonly("diagnostics", &ValidationResult::diagnostics)
      .def("__repr__",
           [](const ValidationResult& r) {
             return "<yoshiki.ValidationResult " + r.source + " " +
                    (r.valid      ? "valid"
                     : r.readable ? "invalid"
                                  : "unreadable") +
                    ", " + std::to_string(r.diagnostics.size()) + " diagnostics>";
           })
      .def(py::pickle(
          [](const ValidationResult& r) {
            py::list ds;
            for (const auto& d : r.diagnostics) ds.append(diagnostic_state(d));
            return py::make_tuple(r.source, r.form_id, r.form_version, r.readable, r.valid,
                                  r.io_error, ds);
          },
          [](const py::tuple& t) {
            ValidationResult r;
            r.source = t[0].cast<std::string>();
            r.form_id = t[1].cast<std::string>();
            r.form_version = t[2].cast<std::string>();
            r.readable = t[3].cast<bool>();
            r.valid = t[4].cast<bool>();
            r.io_error = t[5].cast<bool>();
            for (auto d : t[6].cast<py::list>())
              r.diagnostics.push_back(diagnostic_from(d.cast<py::tuple>()));
            return r;
          }));

  py::class_<FormInfo>(m, "FormInfo", "A form known to the catalogue.")
      .def_readonly("id", &FormInfo::id)
      .def_readonly("version", &FormInfo::version)
      .def_readonly("title", &FormInfo::title)
      .def_readonly("data_root", &FormInfo::data_root)
      .def_readonly("template_path", &FormInfo::template_path)
      .def_readonly("schema_path", &FormInfo::schema_path)
      .def_readonly("rules_path", &FormInfo::rules_path)
      .def_readonly("samples_path", &FormInfo::samples_path)
      .def("__repr__",
           [](const FormInfo& f) { return "<yoshiki.FormInfo " + f.id + " " + f.version + ">"; });

  // ---- the Senior Work Program report -----------------------------------------
  py::class_<ReportTable::Column>(m, "ReportColumn")
      .def_readonly("id", &ReportTable::Column::id)
      .def_readonly("header", &ReportTable::Column::header)
      .def_readonly("personal", &ReportTable::Column::personal,
                    "Personal data: removed from the redacted copy.");
  py::class_<ReportTable>(m, "ReportTable", "A table of text cells (the list, or an aggregate).")
      .def_readonly("title", &ReportTable::title)
      .def_readonly("columns", &ReportTable::columns)
      .def_readonly("rows", &ReportTable::rows)
      .def(
          "to_csv", [](const ReportTable& t) { return py::bytes(to_csv(t)); },
          "RFC 4180 CSV as the CLI writes it: UTF-8 with a byte order mark, CRLF.")
      .def("__repr__", [](const ReportTable& t) {
        return "<yoshiki.ReportTable " + t.title + ": " + std::to_string(t.rows.size()) + " rows>";
      });
  py::class_<TraineeOutcome>(m, "TraineeOutcome", "One trainee's count, without personal data.")
      .def_readonly("control_number", &TraineeOutcome::control_number)
      .def_readonly("course_number", &TraineeOutcome::course_number)
      .def_readonly("course_ended", &TraineeOutcome::course_ended)
      .def_readonly("completer", &TraineeOutcome::completer)
      .def_readonly("counted", &TraineeOutcome::counted)
      .def_readonly("before", &TraineeOutcome::before)
      .def_readonly("after", &TraineeOutcome::after)
      .def_readonly("rule", &TraineeOutcome::rule)
      .def_readonly("reason_ja", &TraineeOutcome::reason_ja)
      .def_readonly("reason_en", &TraineeOutcome::reason_en);
  py::class_<SeniorReport>(m, "SeniorReport",
                           "The Senior Work Program report: the list (別添6), the aggregates, "
                           "each trainee's count and the findings.")
      .def_readonly("as_of", &SeniorReport::as_of)
      .def_readonly("diagnostics", &SeniorReport::diagnostics)
      .def_readonly("trainees", &SeniorReport::trainees)
      .def_readonly("starters", &SeniorReport::starters)
      .def_readonly("completers", &SeniorReport::completers)
      .def_readonly("dropouts", &SeniorReport::dropouts)
      .def_readonly("counted", &SeniorReport::counted)
      .def_readonly("employment_rate", &SeniorReport::employment_rate)
      .def_readonly("list", &SeniorReport::list)
      .def_readonly("aggregates", &SeniorReport::aggregates)
      .def(
          "to_xlsx",
          [](const SeniorReport& r) {
            std::vector<std::uint8_t> bytes;
            {
              py::gil_scoped_release unlocked;
              bytes = to_xlsx(r);
            }
            return bytes_of(bytes);
          },
          "The XLSX workbook the CLI writes (sheets 一覧表 and 集計).");

  // ---- the Engine ----------------------------------------------------------------
  py::class_<BulkIterator>(m, "BulkIterator",
                           "Results of validate_bulk in input order; close() (or dropping it) "
                           "stops the run.")
      .def("__iter__", [](BulkIterator& it) -> BulkIterator& { return it; })
      .def("__next__", &BulkIterator::next)
      .def("close", &BulkIterator::close)
      .def("__enter__", [](BulkIterator& it) -> BulkIterator& { return it; })
      .def("__exit__", [](BulkIterator& it, py::args) { it.close(); });

  py::class_<PyEngine>(m, "Engine")
      .def(py::init<const std::string&, const std::string&, std::vector<std::string>, unsigned,
                    unsigned>(),
           py::arg("resource_root") = "", py::arg("font_map") = "",
           py::arg("pdf_worker") = std::vector<std::string>{}, py::arg("pdf_memory_mb") = 1024,
           py::arg("pdf_seconds") = 60)
      .def_property_readonly("resource_root",
                             [](const PyEngine& e) { return e.engine->resource_root(); })
      .def_property_readonly(
          "pdf_worker", [](const PyEngine& e) { return e.pdf.worker; },
          "The PDF worker's argv; [] = PDFs parsed in this process.")
      .def(
          "forms",
          [](const PyEngine& e) {
            py::gil_scoped_release unlocked;
            return e.engine->forms();
          },
          "Every form the catalogue knows.")
      .def(
          "validate",
          [](const PyEngine& e, const py::object& source, std::optional<std::string> name,
             const std::string& today, const py::object& settings, bool values) {
            auto in = input_of(source, "validate");
            auto given = settings_of(settings);
            ValidationResult r;
            {
              py::gil_scoped_release unlocked;
              auto options = e.validate_options(today, std::move(given));
              r = in.is_bytes ? e.engine->validate(in.text, name.value_or("<bytes>"), options)
                              : e.engine->validate(in.text, options);
            }
            strip_values(r.diagnostics, values);
            return r;
          },
          py::arg("source"), py::kw_only(), py::arg("name") = py::none(), py::arg("today") = "",
          py::arg("settings") = py::none(), py::arg("values") = false,
          "Validate a file (str or os.PathLike) or a document (bytes; `name` in messages): safe "
          "parse, XSD, business rules; a PDF is read back first (in the PDF worker). Bad input "
          "never "
          "raises: it is in the result. today: \"YYYY-MM-DD\" the rules take as today (\"\" = the "
          "system date); settings: the organisation's settings, a settings XML file (as the CLI's "
          "--settings) or a {key: value} dict, for rules that compare with them (DS-005); "
          "values: keep the offending values (personal data) in the diagnostics.")
      .def(
          "validate_bulk",
          [](const PyEngine& e, const py::iterable& paths, unsigned jobs, const std::string& today,
             const py::object& settings, bool values) {
            auto list = paths_of(paths);
            std::vector<std::string> expanded;
            for (const auto& p : list) job::add_paths(p, expanded);
            BulkOptions options;
            options.jobs = jobs;
            options.validate = e.validate_options(today, settings_of(settings));
            return std::make_unique<BulkIterator>(e.engine, std::move(expanded), options, values);
          },
          py::arg("paths"), py::kw_only(), py::arg("jobs") = 0, py::arg("today") = "",
          py::arg("settings") = py::none(), py::arg("values") = false,
          "Validate many files (folders: every *.xml and *.pdf below, sorted) on `jobs` threads (0 "
          "= "
          "one per core): an iterator of results in input order, a small window held at a time. "
          "today, settings, values: as validate().")
      .def(
          "render",
          [](const PyEngine& e, const std::string& form, const py::object& data,
             std::optional<std::string> name, const std::string& creation_date,
             const py::object& settings, const std::string& output, const std::string& typing_font,
             bool strict, const std::string& today) {
            auto options =
                render_options(creation_date, settings_of(settings), output, typing_font);
            std::optional<Input> in;
            if (!data.is_none()) in = input_of(data, "render data");
            std::vector<std::uint8_t> pdf;
            {
              py::gil_scoped_release unlocked;
              FormData d;
              if (in) {
                const std::string n = name.value_or(in->is_bytes ? "<bytes>" : in->text);
                if (strict) {
                  // The check sees the settings the form is printed with.
                  auto check = e.validate_options(today, options.settings);
                  auto r = in->is_bytes ? e.engine->validate(in->text, n, check)
                                        : e.engine->validate(in->text, check);
                  if (!r.valid) {
                    std::vector<Diagnostic> errors;
                    for (auto& dg : r.diagnostics)
                      if (dg.severity == Severity::Error) errors.push_back(dg);
                    throw Error(r.io_error ? ErrorKind::Io : ErrorKind::InvalidInput, errors);
                  }
                }
                d = e.load(*in, n);
              }
              pdf = e.engine->render(form, d, options);
            }
            return bytes_of(pdf);
          },
          py::arg("form"), py::arg("data") = py::none(), py::kw_only(),
          py::arg("name") = py::none(), py::arg("creation_date") = "",
          py::arg("settings") = py::none(), py::arg("output") = "auto",
          py::arg("typing_font") = "auto", py::arg("strict") = false, py::arg("today") = "",
          "Render `form` (a catalogue id or a template path) to PDF bytes with `data` (a path, XML "
          "or "
          "PDF bytes; None = a blank form), checked against the form's XSD first "
          "(InvalidInputError). "
          "output: \"auto\" | \"fillable\" | \"flat\"; typing_font: \"auto\" | \"embed\" | "
          "\"none\"; creation_date: fixed \"YYYY-MM-DDThh:mm:ssZ\" for byte-identical output; "
          "settings: the organisation's settings, a settings XML file (as the CLI's --settings) or "
          "a {key: value} dict, printed and used by the strict check; strict: raise when a "
          "business rule finds an error.")
      .def(
          "extract",
          [](const PyEngine& e, const py::object& pdf, std::optional<std::string> name,
             bool values) {
            auto in = input_of(pdf, "extract");
            Engine::Extracted x;
            {
              py::gil_scoped_release unlocked;
              x = in.is_bytes ? e.engine->extract(in.text, name.value_or("<bytes>"), e.pdf)
                              : e.engine->extract(in.text, e.pdf);
            }
            strip_values(x.notes, values);
            return py::make_tuple(x.xml, x.notes);
          },
          py::arg("pdf"), py::kw_only(), py::arg("name") = py::none(), py::arg("values") = false,
          "Read a filled PDF (path or bytes) back: (data XML, notes). Raises InvalidInputError "
          "when it "
          "is not a PDF of a form this Engine knows.")
      .def(
          "fill",
          [](const PyEngine& e, const py::object& form_pdf, const py::object& data,
             std::optional<std::string> name, const std::string& creation_date) {
            auto form = input_of(form_pdf, "fill form_pdf");
            auto in = input_of(data, "fill data");
            std::vector<std::uint8_t> pdf;
            {
              py::gil_scoped_release unlocked;
              std::string form_name = form.is_bytes ? "<bytes>" : form.text;
              if (!form.is_bytes) form.text = e.engine->io().read(form.text, pdf::kMaxPdfBytes);
              FormData d = e.load(in, name.value_or(in.is_bytes ? "<bytes>" : in.text));
              RenderOptions options;
              options.creation_date = creation_date;
              pdf = e.engine->fill(form.text, form_name, d, options);
            }
            return bytes_of(pdf);
          },
          py::arg("form_pdf"), py::arg("data"), py::kw_only(), py::arg("name") = py::none(),
          py::arg("creation_date") = "",
          "Fill a yoshiki form PDF (path or bytes) with data (path or XML bytes): the filled, "
          "fillable PDF.")
      .def(
          "senior_report",
          [](const PyEngine& e, const py::iterable& paths, const std::string& as_of, bool redact,
             const py::object& settings) {
            auto list = paths_of(paths);
            auto given = settings_of(settings);
            SeniorReport r;
            {
              py::gil_scoped_release unlocked;
              std::istringstream none;
              SeniorReportOptions options;
              options.as_of = as_of;
              options.redact = redact;
              options.pdf = e.pdf;
              options.settings = std::move(given);
              r = senior_report(*e.engine, expand_paths(list, none), options);
            }
            return r;
          },
          py::arg("paths"), py::kw_only(), py::arg("as_of") = "", py::arg("redact") = false,
          py::arg("settings") = py::none(),
          "The Senior Work Program report over files and folders (their three forms linked by "
          "管理番号): "
          "the list (別添6) and aggregates as ReportTables, each trainee's count and the findings. "
          "as_of: \"YYYY-MM-DD\" (\"\" = today); redact: the labour-bureau copy; settings: as "
          "validate().");

  m.def(
      "report",
      [](const std::vector<ValidationResult>& results, const std::string& format,
         const std::string& lang,
         bool redact) { return cli_report(results, format, lang, redact).first; },
      py::arg("results"), py::kw_only(), py::arg("format") = "json", py::arg("lang") = "ja",
      py::arg("redact") = false,
      "The report `yoshiki validate` prints for these results (--json, --jsonl or the human one).");
  m.def(
      "summary",
      [](const std::vector<ValidationResult>& results) {
        auto s = cli_report(results, "json", "en", true).second;
        py::dict d;
        d["files"] = s.files;
        d["valid"] = s.valid;
        d["invalid"] = s.invalid;
        d["unreadable"] = s.unreadable;
        d["per_rule"] = s.per_rule;
        return d;
      },
      py::arg("results"),
      "The counts of `yoshiki validate`'s summary: files, valid, invalid, unreadable, per_rule.");
  m.def(
      "load_settings", [](const std::string& path) { return load_settings(path); }, py::arg("path"),
      "Organisation settings from an XML file (<settings><setting key=…>…</setting></settings>) "
      "as a dict for render(settings=…).");
  m.def(
      "expand_paths",
      [](const py::iterable& paths) {
        std::vector<std::string> out;
        for (const auto& p : paths_of(paths)) job::add_paths(p, out);
        return out;
      },
      py::arg("paths"),
      "Files as `yoshiki validate` expands its arguments: a folder is every *.xml and *.pdf "
      "below it, sorted; a missing path is kept (its result says unreadable).");

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      py::handle cls = e.kind() == ErrorKind::InvalidInput ? invalid_input_class
                       : e.kind() == ErrorKind::Io         ? io_class
                                                           : usage_class;
      std::vector<Diagnostic> ds = e.diagnostics();
      strip_values(ds, false);
      py::object exc = cls(e.what());
      exc.attr("kind") = kind_name(e.kind());
      exc.attr("diagnostics") = py::cast(ds);
      PyErr_SetObject(cls.ptr(), exc.ptr());
    }
  });
}
