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

// Exit codes of every run: 0 ok, 1 invalid input (data, template, PDF, a
// failed validation), 2 usage or I/O error.
enum ExitCode : int { kExitOk = 0, kExitInvalid = 1, kExitUsage = 2 };

// `yoshiki forms`: id, version and title of every known form, one a line.
struct FormsJob {};

// `yoshiki render FORM [DATA] -o OUT`.
struct RenderJob {
  std::string form;           // form id or template path
  std::string data;           // data XML; "" = a blank form
  std::string output;         // the PDF to write
  std::string settings;       // organisation settings XML; "" = none
  std::string creation_date;  // fixed date for byte-identical output; "" = now
  RenderOptions::Output kind = RenderOptions::Output::Auto;
  RenderOptions::TypingFont typing_font = RenderOptions::TypingFont::Auto;
};

// `yoshiki validate PATH...`: every file validated (in parallel), reported
// in input order.
struct ValidateJob {
  enum class Format { Human, Json, JsonLines };
  std::vector<std::string> inputs;  // files, folders, "-" (paths on the input stream)
  Format format = Format::Human;
  std::string lang = "ja";  // of the human report: "ja" or "en"
  std::string today;        // "YYYY-MM-DD" the rules take as today; "" = the system date
  unsigned jobs = 0;        // threads; 0 = one per core
  bool redact = false;      // JSON reports without offending values
  bool colour = false;      // ANSI colours in the human report
  bool progress = false;    // a progress bar on the error stream
};

// `yoshiki extract PDF [-o OUT]`: the data XML to `output`, or to the output
// stream when it is empty; notes go to the error stream.
struct ExtractJob {
  std::string pdf;
  std::string output;
};

// `yoshiki fill FORM_PDF DATA -o OUT`.
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

struct Job {
  EngineOptions engine;  // resource root, font map
  // How PDFs given by path are parsed. The CLI sets the worker to itself
  // (see PdfIsolation) unless --in-process.
  PdfIsolation pdf;
  std::istream* input = nullptr;  // where "-" reads paths from; nullptr = standard input
  std::istream& input_stream() const;
  std::variant<FormsJob, RenderJob, ValidateJob, ExtractJob, FillJob, ProgramJob> command;

  // Runs the command: reports to `out` and `err`, returns the exit code.
  // Never throws for bad input or I/O: errors are printed to `err`.
  int run(std::ostream& out, std::ostream& err) const;
};

// ---- for programs that run as a ProgramJob ---------------------------------

// FILE, DIR (every *.xml and *.pdf below it, sorted) or "-" (one path a line
// from `in`). Throws Error (Io) for a path that does not exist.
std::vector<std::string> expand_paths(const std::vector<std::string>& args, std::istream& in);

// Writes `bytes` to `path` under a random temporary name in its folder
// first, then renames it, so that a failure never leaves half a file; an
// existing file keeps its mode. "-" (standard output), FIFOs and devices are
// written directly. Every write and the close are checked. Throws Error (Io).
void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes);
void write_file(const std::string& path, const std::string& bytes);

// `s` with control characters written as \xNN: what a terminal shows is what
// a file says, never what it commands.
std::string printable(std::string_view s);

// Prints the error's diagnostics to `err` ("yoshiki: file:line: …") and
// returns its exit code.
int report_error(const Error& e, std::ostream& err);

}  // namespace yoshiki
