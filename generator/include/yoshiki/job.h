// yoshiki/job — one run of yoshiki as the command line knows it, for any
// embedder: options in, report text out, an exit code back (the model is
// qpdf's QPDFJob). A Job holds the global options (resources, fonts, how
// PDFs are parsed) and one subcommand's options; run() builds the Engine,
// does the work, writes the reports to the streams it is given and outputs
// atomically (a temporary name, then a rename), and maps every
// yoshiki::Error to an exit code. Nothing here parses argv: the CLI maps its
// arguments onto these structs.
//
// A program built on yoshiki (programs/senior-work's `report`) runs as a
// ProgramJob: a function of the Engine and the streams; the core knows
// nothing of it. The helpers below (paths, atomic output, error reports) are
// what such a program needs to behave like the built-in subcommands.
//
// C++17: no C++20 in this header.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "yoshiki/yoshiki.h"

namespace yoshiki {

// Exit codes of every run, the same in every subcommand:
//   0  done (validate: every file valid; render, fill, extract: output written)
//   1  invalid input: data, template or PDF wrong or unreadable as such,
//      a failed validation, a business-rule error under render --strict
//   2  usage error (bad option, unknown form) or I/O error: an input file
//      missing or unreadable (permission, not a file), an output that cannot
//      be written. A bulk validate reports such a file as unreadable, goes
//      on with the rest and then exits 2: 2 wins over 1.
enum ExitCode : int { kExitOk = 0, kExitInvalid = 1, kExitUsage = 2 };

// "-" as an input: the data XML or PDF on the input stream; as an output
// (-o -): the output stream.
constexpr const char* kStdio = "-";
// The name data from the input stream has in messages and reports.
constexpr const char* kStdinName = "<stdin>";

// `yoshiki forms`: id, version and title of every known form, one a line.
struct FormsJob {};

// `yoshiki render FORM [DATA] -o OUT`, or in batch `yoshiki render FORM
// DATA... -o DIR` (`inputs`: data files and folders of them): every data
// file NAME.xml becomes DIR/NAME.pdf, rendered on `jobs` threads; a file
// that fails is reported by name and the others are still written; the exit
// code is the worst of the files' (2 over 1 over 0). Data are validated first: XSD errors
// stop the render (exit 1). Business-rule findings (errors and warnings) are
// printed to the error stream and the PDF is written (exit 0: a form with
// findings may still be printed and corrected by hand), unless `strict` and
// a rule finds an error: then no PDF, exit 1. Exit 0 always means the PDF
// was written.
struct RenderJob {
  std::string form;           // form id or template path
  std::string data;           // data XML, "-" = the input stream; "" = a blank form
  std::string output;         // the PDF to write; "-" = the output stream
  std::string today;          // "YYYY-MM-DD" the rules take as today; "" = the system date
  bool strict = false;        // no PDF when a business rule finds an error
  std::string settings;       // organisation settings XML; "" = none
  std::string creation_date;  // fixed date for byte-identical output; "" = now
  RenderOptions::Output kind = RenderOptions::Output::Auto;
  RenderOptions::TypingFont typing_font = RenderOptions::TypingFont::Auto;
  std::vector<std::string> inputs;  // batch: data files and folders (then `data` is unused)
  unsigned jobs = 0;                // batch: threads; 0 = one per core
  bool progress = false;            // batch: a progress bar on the error stream
};

// `yoshiki validate PATH...`: every file validated (in parallel), reported
// in input order.
struct ValidateJob {
  enum class Format { Human, Json, JsonLines };
  std::vector<std::string> inputs;  // files, folders, "-" (data XML or PDF on the input stream)
  std::string files_from;  // a file listing paths one a line, "-" = the input stream; "" = none
  Format format = Format::Human;
  std::string lang = "ja";  // of the human report: "ja" or "en"
  std::string today;        // "YYYY-MM-DD" the rules take as today; "" = the system date
  std::string settings;     // organisation settings XML (load_settings); "" = none
  unsigned jobs = 0;        // threads; 0 = one per core
  bool redact = false;      // JSON reports without offending values
  bool colour = false;      // ANSI colours in the human report
  bool progress = false;    // a progress bar on the error stream
};

// `yoshiki extract PDF [-o OUT]`: the data XML to `output`, or to the output
// stream when it is empty or "-"; notes go to the error stream. PDF "-" =
// the input stream.
struct ExtractJob {
  std::string pdf;
  std::string output;
};

// `yoshiki fill FORM_PDF DATA -o OUT`; either input may be "-" (not both),
// the output too.
struct FillJob {
  std::string form_pdf, data, output;
  std::string creation_date;
};

struct Job;

// A subcommand that lives outside the core, run with the Job (for its PDF
// isolation and input stream) and its Engine. It returns the exit code; it
// may throw yoshiki::Error, which run() reports like any other.
using ProgramJob =
    std::function<int(const Job& job, const Engine& engine, std::ostream& out, std::ostream& err)>;

struct YOSHIKI_EXPORT Job {
  EngineOptions engine;  // resource root, font map
  // How PDFs given by path are parsed. The CLI sets the worker to itself
  // (see PdfIsolation) unless --in-process.
  PdfIsolation pdf;
  std::istream* input = nullptr;  // what "-" reads; nullptr = standard input
  std::string lang = "en";        // of messages: "ja" or "en"
  std::istream& input_stream() const;
  std::variant<FormsJob, RenderJob, ValidateJob, ExtractJob, FillJob, ProgramJob> command;

  // Runs the command: reports to `out` and `err`, returns the exit code.
  // Never throws for bad input or I/O: errors are printed to `err`.
  int run(std::ostream& out, std::ostream& err) const;
};

// ---- for programs that run as a ProgramJob ---------------------------------

// FILE, DIR (every *.xml and *.pdf below it, sorted) or "-" (one path a line
// from `in`). Throws Error (Io) for a path that does not exist. (validate
// lists such a path instead, and reports it unreadable.)
YOSHIKI_EXPORT std::vector<std::string> expand_paths(const std::vector<std::string>& args,
                                                     std::istream& in);

// Writes `bytes` to `path` under a random temporary name in its folder
// first, then renames it, so that a failure never leaves half a file; an
// existing file keeps its mode. "-" (standard output), FIFOs and devices are
// written directly. Every write and the close are checked. Throws Error (Io).
YOSHIKI_EXPORT void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes);
YOSHIKI_EXPORT void write_file(const std::string& path, const std::string& bytes);

// `s` with control characters written as \xNN: what a terminal shows is what
// a file says, never what it commands.
YOSHIKI_EXPORT std::string printable(std::string_view s);

// One diagnostic as the CLI prints it (Diagnostic::to_string), with the
// Japanese message for lang "ja" where there is one, and printable().
YOSHIKI_EXPORT std::string describe(const Diagnostic& d, const std::string& lang = "en");

// Prints the error's diagnostics to `err` ("yoshiki: file:line: …") and
// returns its exit code.
YOSHIKI_EXPORT int report_error(const Error& e, std::ostream& err, const std::string& lang = "en");

}  // namespace yoshiki
