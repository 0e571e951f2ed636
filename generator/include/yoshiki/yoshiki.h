// yoshiki — Japanese official forms: validate, typeset, read back.
//
// The public API. Everything an embedding program needs is here; the rest of
// generator/src is private. An Engine is built once from a resource root (the
// folder holding templates/, schemas/, fonts/) and is immutable afterwards:
// one Engine may serve any number of threads at once.
//
// Error style: every failure throws yoshiki::Error, which carries one or more
// Diagnostics (file, line, column, field path, message). Nothing else escapes
// the API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "yoshiki/export.h"

namespace yoshiki {

enum class Severity { Error, Warning, Info };

// One finding, pointing at the place it concerns as precisely as known.
struct YOSHIKI_EXPORT Diagnostic {
  Diagnostic() = default;
  Diagnostic(Severity severity, std::string code, std::string message, std::string file = {},
             int line = 0, int column = 0, std::string field = {})
      : severity(severity),
        code(std::move(code)),
        message(std::move(message)),
        file(std::move(file)),
        line(line),
        column(column),
        field(std::move(field)) {}

  Severity severity = Severity::Error;
  std::string code;        // stable identifier, e.g. "xml.malformed", "layout.overflow"
  std::string message;     // English, one sentence
  std::string file;        // file name or buffer name; empty if none
  int line = 0;            // 1-based; 0 if unknown
  int column = 0;          // 1-based; 0 if unknown
  std::string field;       // data path of the field concerned, if any
  std::string message_ja;  // the same message in Japanese, where there is one
  std::string value;       // the offending value (may be personal data: never log it)

  // "file:line:column: error [code]: message (field path)" — as the CLI prints it.
  std::string to_string() const;
};

// Why an operation failed; the CLI maps it to its exit code.
enum class ErrorKind {
  InvalidInput,  // the data, template or PDF is wrong (exit 1)
  Io,            // a file could not be read or written, or a resource is missing (exit 2)
  Usage,         // the caller asked for something that does not exist (exit 2)
};

class YOSHIKI_EXPORT Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::vector<Diagnostic> diagnostics);
  ErrorKind kind() const { return kind_; }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  ErrorKind kind_;
  std::vector<Diagnostic> diagnostics_;
};

// A form known to the catalogue (schemas/catalog.xml), its only owner.
struct FormInfo {
  std::string id;       // the catalogue's id of the form
  std::string version;  // e.g. "1.0"
  std::string title;    // e.g. "受講申込書"
  std::string data_root;
  std::string template_path;
  std::string schema_path;
  std::string rules_path;    // business rules; empty if the form has none
  std::string samples_path;  // sample data (valid ones; rules/<id>-pass|fail.xml); may be empty
};

// The outcome of validating one document. Bad input never throws: it is
// reported here, so one broken file cannot stop a bulk run.
struct ValidationResult {
  std::string source;  // file or buffer name
  std::string form_id, form_version;
  bool readable = false;  // parsed and identified as a known form
  bool valid = false;     // readable, and no Error-severity diagnostic
  bool io_error = false;  // the file itself could not be read (missing, no permission, not a file)
  std::vector<Diagnostic> diagnostics;  // XML/XSD problems, normalisations, rule findings
};

// Where an untrusted PDF is parsed. The PDF parser (PoDoFo) is the part of
// yoshiki most exposed to hostile files; in a worker process a crash, hang
// or memory blow-up costs only that file, reported as pdf.worker-crashed,
// pdf.worker-timeout or pdf.worker-memory. `worker` is the argv of a program
// that runs run_pdf_worker() (the yoshiki CLI: {exe, "--pdf-worker"}).
// Empty = parse in-process: fast, but for trusted files only. The library's
// default is in-process because a library has no worker program unless its
// embedder provides one (below); the yoshiki CLI always sets one (its
// --in-process is the explicit opt-out), and so should any program that
// reads PDFs from outside.
//
// serve (the default): the Engine keeps a pool of long-lived workers, one
// per thread reading PDFs at the same time, started with "--serve"
// appended, each reading many PDFs under per-file limits (CPU time, wall
// clock, address space). A worker that crashes, times out or runs out of
// memory costs only the file it was reading and is replaced; a worker is
// also retired after any PDF the reader refused, after 1000 files, and
// when its address space passed half of memory_mb. What one worker reads
// is therefore not isolated from the earlier well-formed files it read
// (the same process): set serve = false where each file needs a process
// of its own.
// serve = false: one process per PDF, started with "-" appended, the PDF
// on its standard input and the answer on its standard output (for a
// worker program that speaks only that). Either way the Engine reads the
// file (or takes the bytes it was given); the worker opens no file.
//
// An embedder provides the worker without shipping the yoshiki CLI by
// letting its own program be the worker: first thing in main,
//
//   if (int rc = yoshiki::run_pdf_worker_if_asked(argc, argv); rc >= 0) return rc;
//
// and then isolation.worker = yoshiki::self_pdf_worker(). Any other program
// whose main does the same serves as well (its path, then kPdfWorkerArg).
struct PdfIsolation {
  std::vector<std::string> worker;
  unsigned memory_mb = 1024;  // address space per PDF (under AddressSanitizer: largest allocation)
  unsigned seconds = 60;      // wall clock and CPU time per PDF
  bool serve = true;          // long-lived workers; false: a process per PDF
};

// Values the printing organisation sets once (name, address, phone, FAX...).
// Keys are the names templates use in <setting key="..."/>; rules read them
// with y:setting (e.g. org.prefecture, the JIS X 0401 code, for DS-005).
using Settings = std::map<std::string, std::string>;

struct ValidateOptions {
  std::string today;  // "YYYY-MM-DD" the rules take as today; empty = the system date
  PdfIsolation pdf;   // how PDFs given by path are parsed
  // The organisation's settings. A rule that needs a key not given here is
  // not checked and says so (info rules.setting-missing), never decided on ''.
  Settings settings;
};

// The body of a PDF worker process: reads the PDF at `path` ("-": standard
// input, as the Engine sends it), writes what it holds to standard output
// for the parent, returns the exit status. `path` "--serve": serves the
// Engine's requests on standard input until it ends (PdfIsolation::serve).
YOSHIKI_EXPORT int run_pdf_worker(const std::string& path);

// The argument that makes a program a PDF worker: argv {prog, kPdfWorkerArg, "-"}.
constexpr const char* kPdfWorkerArg = "--pdf-worker";

// When argv asks for a PDF worker ({prog, kPdfWorkerArg, PATH or "--serve"}), runs it and
// returns its exit status; otherwise returns -1 and main goes on as usual.
YOSHIKI_EXPORT int run_pdf_worker_if_asked(int argc, char** argv);

// A worker that is this very program (/proc/self/exe kPdfWorkerArg), for a
// program whose main calls run_pdf_worker_if_asked().
YOSHIKI_EXPORT std::vector<std::string> self_pdf_worker();

// Starts PDF workers (isolation.serve, isolation.worker set) until `count`
// wait idle for the Engine's next PDFs: a program that knows PDFs are
// coming calls it first thing (the yoshiki CLI: before it loads the
// catalogue), so that the workers' program start runs beside its own
// instead of before the first PDF. `count`: the threads that will read
// PDFs at once. Never throws: a worker that cannot start is reported by
// the first PDF, as without this call.
YOSHIKI_EXPORT void start_pdf_workers(const PdfIsolation& isolation, unsigned count);

// A filled form's data, parsed and checked against the form's XSD.
// Cheap to move; immutable.
class FormData;
class Engine;
// What an Engine and a FormData hold: opaque here, defined inside the library.
namespace detail {
struct EngineState;
struct FormDataState;
const FormDataState* state_of(const FormData&);  // for the library's own stages
const EngineState& state_of(const Engine&);      // for the library's own stages
}  // namespace detail

class YOSHIKI_EXPORT FormData {
 public:
  FormData();  // empty: renders a blank form
  ~FormData();
  FormData(FormData&&) noexcept;
  FormData& operator=(FormData&&) noexcept;

  bool empty() const;
  const std::string& form_id() const;
  const std::string& form_version() const;
  const std::string& source_name() const;

 private:
  explicit FormData(std::shared_ptr<const detail::FormDataState> state);
  std::shared_ptr<const detail::FormDataState> impl_;
  friend class Engine;
  friend const detail::FormDataState* detail::state_of(const FormData&);
};

// Where an Engine reads files and the time: the catalogue, templates,
// schemas, font map and font files, data and PDFs given by path, today's
// date and the current time. The default, system_io(), is the file system and
// the system clock; tests hand their own (files from memory, a fixed clock).
// Called from any number of threads at once.
class YOSHIKI_EXPORT Io {
 public:
  virtual ~Io() = default;
  // The bytes of the file at `path`, at most `max_bytes`; throws Error (Io)
  // naming the path when it is missing, unreadable or larger.
  virtual std::string read(const std::string& path, std::size_t max_bytes) const = 0;
  virtual bool exists(const std::string& path) const = 0;
  virtual std::string today() const = 0;    // local date, "YYYY-MM-DD"
  virtual std::string now_utc() const = 0;  // "YYYY-MM-DDThh:mm:ssZ"
};

// The file system and the system clock.
YOSHIKI_EXPORT std::shared_ptr<const Io> system_io();

struct EngineOptions {
  // Positional, as before `io` was added: EngineOptions{root, fonts}.
  EngineOptions(std::string resource_root = {}, std::string font_map = {},
                std::shared_ptr<const Io> io = {})
      : resource_root(std::move(resource_root)), font_map(std::move(font_map)), io(std::move(io)) {}
  // Folder with templates/, schemas/, fonts/; "" = the first of
  // $YOSHIKI_RESOURCES, the installation's share/yoshiki (found from the
  // library's or the program's file), the source tree (developer builds).
  std::string resource_root;
  std::string font_map;  // fonts XML mapping roles to files; "" = the catalogue's (fonts/fonts.xml)
  std::shared_ptr<const Io> io;  // files and clock; null = system_io()
};

struct RenderOptions {
  // Fixed creation date ("YYYY-MM-DDThh:mm:ssZ") for byte-identical output;
  // empty = now.
  std::string creation_date;
  Settings settings;  // organisation settings; missing keys print as 〇〇〇

  // Fillable: every data item becomes an AcroForm field with its own
  // appearance; Flat: print-only, values are page text. Auto: fillable for a
  // blank form, flat for a filled one.
  enum class Output { Auto, Fillable, Flat } output = Output::Auto;
  // Embed the whole gothic font (≈4 MB) in fillable forms so that any
  // Japanese a person types shows in every viewer. Auto: for blank forms.
  enum class TypingFont { Auto, Embed, None } typing_font = TypingFont::Auto;
};

struct RenderStats {  // where the time went, in seconds (for benchmarks)
  // shaping: HarfBuzz's alone; texts looked up or read from a font's table
  // of plain characters count as layout.
  double layout = 0, shaping = 0, subsetting = 0, objects = 0, writing = 0;
};

class YOSHIKI_EXPORT Engine {
 public:
  explicit Engine(const EngineOptions& options = {});
  ~Engine();
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;

  std::vector<FormInfo> forms() const;
  const std::string& resource_root() const;  // the folder holding templates/, schemas/, fonts/
  const Io& io() const;                      // where it reads files and the time

  // Parse data XML (from a file or a memory buffer named `name` in messages)
  // and validate it against its form's XSD. Throws Error on any problem.
  FormData load_data(const std::string& path) const;
  FormData load_data(std::string_view xml, const std::string& name) const;

  // Safe parse → normalise (info diagnostics) → XSD → business rules.
  // Business rules run only on XSD-valid documents. A file or buffer that is
  // a PDF (it starts with "%PDF-") is read back first (as extract does, in
  // options.pdf's worker when it names one) and its data validated.
  ValidationResult validate(const std::string& path, const ValidateOptions& options = {}) const;
  ValidationResult validate(std::string_view xml, const std::string& name,
                            const ValidateOptions& options = {}) const;
  // The business rules on data load_data already parsed and checked against
  // the XSD (with what loading noticed): the same result as validate(xml) on
  // the text it came from, without a second parse. For programs that load
  // data once to validate and render it. Throws Error (Usage) for a blank
  // FormData.
  ValidationResult validate(const FormData& data, const ValidateOptions& options = {}) const;

  // Render the form `form` (a catalogue id or a template path) with `data`
  // (empty FormData = blank form) to PDF bytes.
  std::vector<std::uint8_t> render(const std::string& form, const FormData& data,
                                   const RenderOptions& options = {},
                                   RenderStats* stats = nullptr) const;

  // Read a filled PDF — made by yoshiki and filled by anyone — back into
  // data XML. Field values win over the data attached to the PDF (a person
  // typed them last); each difference is an info note. Throws Error when the
  // PDF cannot be read or is not a form this engine knows.
  struct Extracted {
    std::string form_id, form_version;
    std::string xml;  // UTF-8, indented
    std::vector<Diagnostic> notes;
  };
  // From a file, or from PDF bytes named `name` in messages; in a worker
  // when `isolation` names one (see PdfIsolation), for files and bytes alike.
  Extracted extract(const std::string& pdf_path, const PdfIsolation& isolation = {}) const;
  Extracted extract(std::string_view pdf, const std::string& name,
                    const PdfIsolation& isolation = {}) const;

  // Fill a yoshiki form: its form id, settings and typing font come from
  // `form_pdf`; the result is the form laid out again, fillable, with `data`.
  // `form_pdf` is parsed in a worker when `isolation` names one (a form
  // someone sent is as untrusted as a filled one).
  std::vector<std::uint8_t> fill(std::string_view form_pdf, const std::string& name,
                                 const FormData& data, RenderOptions options = {},
                                 const PdfIsolation& isolation = {}) const;

 private:
  std::unique_ptr<detail::EngineState> impl_;
  friend const detail::EngineState& detail::state_of(const Engine&);
};

// Bulk validation: every path validated on `jobs` threads (0 = one per
// core); `on_result` is called on the calling thread, in input order, as
// results become ready. At most a small window of results is held at once,
// so memory stays constant however many files there are. A file that cannot
// be read or parsed is reported as such; it never stops the run. For
// untrusted PDFs set validate.pdf.worker (see PdfIsolation): then even a
// parser crash is one unreadable file.
struct BulkOptions {
  unsigned jobs = 0;
  ValidateOptions validate;
};
YOSHIKI_EXPORT void validate_bulk(const Engine& engine, const std::vector<std::string>& paths,
                                  const BulkOptions& options,
                                  const std::function<void(const ValidationResult&)>& on_result);

// The data XML of one input file, read as validate(path) reads it: data XML
// as it is (up to the size limit), a filled PDF read back as extract does (in
// a worker when `isolation` names one). For programs that validate the text
// and then load it (validate(xml, name), load_data(xml, name)) without
// reading or extracting a file twice. Throws Error when the file cannot be
// read or the PDF cannot be read back.
YOSHIKI_EXPORT std::string read_input(const Engine& engine, const std::string& path,
                                      const PdfIsolation& isolation = {});

// Read organisation settings from a small XML file:
// <settings><setting key="org.name">…</setting>…</settings>
YOSHIKI_EXPORT Settings load_settings(const std::string& path);

// The resource root an Engine without EngineOptions::resource_root uses (see
// there). Throws Error (Io, "resources.not-found") listing every place tried.
YOSHIKI_EXPORT std::string default_resource_root();

}  // namespace yoshiki
