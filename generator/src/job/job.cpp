// job/job — Job::run: builds the Engine from the global options and runs one
// subcommand, each as the command line has always run it; every
// yoshiki::Error becomes its diagnostics on the error stream and an exit
// code.
#include "yoshiki/job.h"

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <sstream>

#include "job/checked_data.h"
#include "job/render_batch.h"
#include "job/reporters.h"
#include "pdf/read/reader.h"
#include "xml/xml.h"

namespace yoshiki {

namespace {

// The largest input a Job reads: data XML or a PDF.
constexpr std::size_t kMaxInputBytes = std::max(xml::kMaxDocumentBytes, pdf::kMaxPdfBytes);

// All of `in` (binary), at most kMaxInputBytes.
std::string read_stream(std::istream& in) {
  std::string bytes;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    bytes.append(buf, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > kMaxInputBytes)
      throw Error(ErrorKind::InvalidInput, {{Severity::Error, "io.too-large",
                                             "input is larger than the limit of " +
                                                 std::to_string(kMaxInputBytes) + " bytes",
                                             kStdinName}});
  }
  if (in.bad())
    throw Error(ErrorKind::Io,
                {{Severity::Error, "io.read", "cannot read the input stream", kStdinName}});
  return bytes;
}

// The name `path` has in messages: "<stdin>" for "-".
std::string name_of(const std::string& path) { return path == kStdio ? kStdinName : path; }

// The output stream refused bytes (a full disk, a closed pipe, EIO).
Error output_stream_error() {
  Diagnostic d{Severity::Error, "io.write", "cannot write to the output stream", "<stdout>"};
  d.message_ja = "出力ストリームに書き出せません";
  return Error(ErrorKind::Io, {d});
}

Error usage(const std::string& message) {
  return Error(ErrorKind::Usage, {{Severity::Error, "option.stdin", message}});
}

// One subcommand: the overloads std::visit picks from.
struct Runner {
  const Job& job;
  const Engine& engine;
  std::ostream& out;
  std::ostream& err;

  // The bytes of an input file, or of the input stream for "-".
  std::string read(const std::string& path) const {
    return path == kStdio ? read_stream(job.input_stream())
                          : engine.io().read(path, kMaxInputBytes);
  }

  // `bytes` to the file `path` (atomically), or to the output stream for "-".
  void write(const std::string& path, std::string_view bytes) const {
    if (path != kStdio) return write_file(path, std::string(bytes));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) throw output_stream_error();
  }

  void print(const Diagnostic& d) const { err << "yoshiki: " << describe(d, job.lang) << "\n"; }

  int operator()(const FormsJob&) const {
    for (const auto& f : engine.forms())
      out << f.id << "\t" << f.version << "\t" << f.title << "\n";
    return kExitOk;
  }

  int operator()(const ValidateJob& v) const {
    // Inputs in order: files, folders, "-" (data on the input stream), then
    // the paths --files-from lists. A path that does not exist is reported
    // unreadable and the run goes on.
    if (v.inputs.empty() && v.files_from.empty())
      throw usage("validate: no input (PATH... or --files-from)");
    const auto stdin_uses =
        std::count(v.inputs.begin(), v.inputs.end(), kStdio) + (v.files_from == kStdio ? 1 : 0);
    if (stdin_uses > 1) throw usage("validate: the input stream (-) can be read only once");
    std::vector<std::string> paths;
    std::size_t stdin_at = SIZE_MAX;  // where "-" stands among the paths
    for (const auto& a : v.inputs) {
      if (a == kStdio) stdin_at = paths.size();
      job::add_paths(a, paths);
    }
    if (!v.files_from.empty()) {
      // A listed "-" is a file of that name: the stream is the list here.
      std::istringstream list(read(v.files_from));
      for (std::string line; std::getline(list, line);)
        if (!line.empty()) job::add_paths(line, paths);
    }
    job::Reporter reporter(out, err, v.format, v.lang,
                           v.colour && v.format == ValidateJob::Format::Human, v.progress,
                           paths.size(), v.redact);
    BulkOptions options;
    options.jobs = v.jobs;
    options.validate.today = v.today;
    if (!v.settings.empty()) options.validate.settings = load_settings(v.settings);
    options.validate.pdf = job.pdf;
    bool io_error = false;
    auto add = [&](const ValidationResult& r) {
      io_error = io_error || r.io_error;
      reporter.add(r);
    };
    // Runs of paths go to validate_bulk; the input stream is validated in
    // its place in between, so that the report keeps the input order.
    std::vector<std::string> batch;
    for (std::size_t i = 0; i < paths.size(); ++i) {
      if (i != stdin_at) {
        batch.push_back(paths[i]);
        continue;
      }
      validate_bulk(engine, batch, options, add);
      batch.clear();
      ValidationResult r;
      try {
        r = engine.validate(std::string_view(read(kStdio)), kStdinName, options.validate);
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::Usage) throw;
        r.source = kStdinName;
        r.diagnostics = e.diagnostics();
        r.io_error = e.kind() == ErrorKind::Io;
      }
      add(r);
    }
    validate_bulk(engine, batch, options, add);
    reporter.finish();
    const auto& s = reporter.summary();
    return io_error ? kExitUsage : s.valid == s.files ? kExitOk : kExitInvalid;
  }

  int operator()(const ExtractJob& x) const {
    auto r = engine.extract(read(x.pdf), name_of(x.pdf), job.pdf);
    bool errors = false;
    for (const auto& n : r.notes) {
      print(n);
      errors |= n.severity == Severity::Error;
    }
    write(x.output.empty() ? kStdio : x.output, r.xml);
    // The data is written as far as it could be read; an error note (a field
    // refused, rows past the form's) means it is not the whole form: exit 1.
    return errors ? kExitInvalid : kExitOk;
  }

  int operator()(const FillJob& f) const {
    if (f.form_pdf == kStdio && f.data == kStdio)
      throw usage("fill: only one of FORM_PDF and DATA can be - (the input stream)");
    auto data = engine.load_data(read(f.data), name_of(f.data));
    std::string form = read(f.form_pdf);
    RenderOptions options;
    options.creation_date = f.creation_date;
    auto pdf = engine.fill(form, name_of(f.form_pdf), data, options, job.pdf);
    write(f.output, std::string_view(reinterpret_cast<const char*>(pdf.data()), pdf.size()));
    return kExitOk;
  }

  int operator()(const RenderJob& r) const {
    RenderOptions options;
    options.creation_date = r.creation_date;
    options.output = r.kind;
    options.typing_font = r.typing_font;
    if (!r.settings.empty()) options.settings = load_settings(r.settings);
    if (!r.inputs.empty()) {
      return job::render_batch(
          r, job.lang, err,
          [&](const std::string& data, const std::string& output, std::ostream& messages) {
            return render_file(r, options, data, output, messages);
          });
    }
    return render_file(r, options, r.data, r.output, err);
  }

  // One data file ("" = blank) to `output`; findings to `messages`.
  int render_file(const RenderJob& r, const RenderOptions& options, const std::string& data_path,
                  const std::string& output, std::ostream& messages) const {
    job::CheckedData checked;
    if (!data_path.empty()) {
      checked =
          job::load_checked(engine, read(data_path), name_of(data_path), r.today, options.settings);
      // Findings on the error stream, never silent.
      for (const auto& d : checked.findings)
        messages << "yoshiki: " << describe(d, job.lang) << "\n";
    }
    if (checked.errors && r.strict) {
      messages << "yoshiki: "
               << (job.lang == "ja" ? "業務ルールのエラーがあるため PDF を書き出しません (--strict)"
                                    : "no PDF written: the data break business rules (--strict)")
               << "\n";
      return kExitInvalid;
    }
    auto pdf = engine.render(r.form, checked.data, options);
    write(output, std::string_view(reinterpret_cast<const char*>(pdf.data()), pdf.size()));
    return kExitOk;
  }

  int operator()(const ProgramJob& program) const {
    return program ? program(job, engine, out, err) : kExitUsage;
  }
};

}  // namespace

std::istream& Job::input_stream() const { return input ? *input : std::cin; }

std::string describe(const Diagnostic& d, const std::string& lang) {
  if (lang != "ja" || d.message_ja.empty()) return printable(d.to_string());
  Diagnostic ja = d;
  ja.message = d.message_ja;
  return printable(ja.to_string());
}

int report_error(const Error& e, std::ostream& err, const std::string& lang) {
  for (const auto& d : e.diagnostics()) err << "yoshiki: " << describe(d, lang) << "\n";
  return e.kind() == ErrorKind::InvalidInput ? kExitInvalid : kExitUsage;
}

int Job::run(std::ostream& out, std::ostream& err) const {
  try {
    Engine built(engine);
    const int rc = std::visit(Runner{*this, built, out, err}, command);
    // Whatever the subcommand printed must have arrived: a full disk or a
    // closed pipe behind the output stream is an I/O error (exit 2), never
    // a quiet 0 or a verdict the reader never saw.
    out.flush();
    if (!out) throw output_stream_error();
    return rc;
  } catch (const Error& e) {
    return report_error(e, err, lang);
  } catch (const std::exception& e) {
    err << "yoshiki: internal error: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace yoshiki
