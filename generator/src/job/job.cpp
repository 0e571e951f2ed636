// job/job — Job::run: builds the Engine from the global options and runs one
// subcommand, each as the command line has always run it; every
// yoshiki::Error becomes its diagnostics on the error stream and an exit
// code.
#include "yoshiki/job.h"

#include <fstream>
#include <iostream>
#include <iterator>

#include "job/reporters.h"

namespace yoshiki {

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::Io, {{Severity::Error, "io.read", "cannot open file", path}});
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// One subcommand: the overloads std::visit picks from.
struct Runner {
  const Job& job;
  const Engine& engine;
  std::ostream& out;
  std::ostream& err;

  int operator()(const FormsJob&) const {
    for (const auto& f : engine.forms())
      out << f.id << "\t" << f.version << "\t" << f.title << "\n";
    return kExitOk;
  }

  int operator()(const ValidateJob& v) const {
    auto paths = expand_paths(v.inputs, job.input_stream());
    job::Reporter reporter(out, err, v.format, v.lang,
                           v.colour && v.format == ValidateJob::Format::Human, v.progress,
                           paths.size(), v.redact);
    BulkOptions options;
    options.jobs = v.jobs;
    options.validate.today = v.today;
    options.validate.pdf = job.pdf;
    validate_bulk(engine, paths, options, [&](const ValidationResult& r) { reporter.add(r); });
    reporter.finish();
    const auto& s = reporter.summary();
    return s.valid == s.files ? kExitOk : kExitInvalid;
  }

  int operator()(const ExtractJob& x) const {
    auto r = engine.extract(x.pdf, job.pdf);
    for (const auto& n : r.notes) err << "yoshiki: " << printable(n.to_string()) << "\n";
    if (x.output.empty())
      out << r.xml;
    else
      write_file(x.output, r.xml);
    return kExitOk;
  }

  int operator()(const FillJob& f) const {
    auto data = engine.load_data(f.data);
    std::string form = read_all(f.form_pdf);
    RenderOptions options;
    options.creation_date = f.creation_date;
    write_file(f.output, engine.fill(form, f.form_pdf, data, options));
    return kExitOk;
  }

  int operator()(const RenderJob& r) const {
    FormData data;
    if (!r.data.empty()) data = engine.load_data(r.data);
    RenderOptions options;
    options.creation_date = r.creation_date;
    options.output = r.kind;
    options.typing_font = r.typing_font;
    if (!r.settings.empty()) options.settings = load_settings(r.settings);
    write_file(r.output, engine.render(r.form, data, options));
    return kExitOk;
  }

  int operator()(const ProgramJob& program) const {
    return program ? program(job, engine, out, err) : kExitUsage;
  }
};

}  // namespace

std::istream& Job::input_stream() const { return input ? *input : std::cin; }

int report_error(const Error& e, std::ostream& err) {
  for (const auto& d : e.diagnostics()) err << "yoshiki: " << printable(d.to_string()) << "\n";
  return e.kind() == ErrorKind::InvalidInput ? kExitInvalid : kExitUsage;
}

int Job::run(std::ostream& out, std::ostream& err) const {
  try {
    Engine built(engine);
    return std::visit(Runner{*this, built, out, err}, command);
  } catch (const Error& e) {
    return report_error(e, err);
  } catch (const std::exception& e) {
    err << "yoshiki: internal error: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace yoshiki
