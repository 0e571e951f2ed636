// yoshiki — the command-line tool: argv → one call of the library → exit code.
// Exit codes: 0 ok, 1 invalid input (data, template, PDF), 2 usage or I/O error.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string_view>

#include "report.h"
#include "senior_summary.h"
#include "yoshiki/senior_work.h"
#include "yoshiki/yoshiki.h"

namespace {

enum Exit { kOk = 0, kInvalid = 1, kUsage = 2 };

int report(const yoshiki::Error& e) {
  for (const auto& d : e.diagnostics())
    std::cerr << "yoshiki: " << yoshiki::cli::printable(d.to_string()) << "\n";
  return e.kind() == yoshiki::ErrorKind::InvalidInput ? kInvalid : kUsage;
}

void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  // Write to a temporary name first so a failure never leaves half a file.
  const std::string tmp = path + ".part";
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::remove(tmp.c_str());
      throw yoshiki::Error(yoshiki::ErrorKind::Io,
                           {{yoshiki::Severity::Error, "io.write", "cannot write file", path}});
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw yoshiki::Error(yoshiki::ErrorKind::Io,
                         {{yoshiki::Severity::Error, "io.write", "cannot write file", path}});
  }
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw yoshiki::Error(yoshiki::ErrorKind::Io,
                         {{yoshiki::Severity::Error, "io.read", "cannot open file", path}});
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// FILE, DIR (every *.xml below it, sorted) or "-" (one path per line on stdin).
std::vector<std::string> expand_paths(const std::vector<std::string>& args) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& a : args) {
    if (a == "-") {
      for (std::string line; std::getline(std::cin, line);)
        if (!line.empty()) out.push_back(line);
    } else if (fs::is_directory(a)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(a))
        if (e.is_regular_file() &&
            (e.path().extension() == ".xml" || e.path().extension() == ".pdf"))
          found.push_back(e.path().string());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(a)) {
      out.push_back(a);
    } else {
      throw yoshiki::Error(yoshiki::ErrorKind::Io,
                           {{yoshiki::Severity::Error, "io.read", "no such file or directory", a}});
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  // A PDF worker (see yoshiki::PdfIsolation): started by validate and
  // extract for each PDF, never by hand.
  if (argc == 3 && std::string_view(argv[1]) == "--pdf-worker")
    return yoshiki::run_pdf_worker(argv[2]);
  CLI::App app{"yoshiki — Japanese official forms: generate, validate, read back"};
  app.require_subcommand(1);
  std::string resources, font_map;
  app.add_option("--resources", resources, "resource root (templates/, schemas/, fonts/)");
  app.add_option("--fonts", font_map, "font map XML (default: <resources>/fonts/fonts.xml)");

  auto* forms = app.add_subcommand("forms", "list the known forms and their versions");

  auto* render = app.add_subcommand("render", "render a form (blank, or filled with DATA) to PDF");
  std::string form, data_path, out_path, settings_path, creation_date;
  render->add_option("FORM", form, "form id (see 'yoshiki forms') or template path")->required();
  render->add_option("DATA", data_path, "data XML; omit for a blank form");
  render->add_option("-o,--output", out_path, "output PDF")->required();
  render->add_option("--settings", settings_path, "organisation settings XML");
  bool fillable = false, flat = false;
  std::string typing_font = "auto";
  auto* fillable_flag =
      render->add_flag("--fillable", fillable, "AcroForm fields (default for a blank form)");
  render->add_flag("--flat", flat, "print-only: no fields (default for a filled form)")
      ->excludes(fillable_flag);
  render
      ->add_option("--typing-font", typing_font,
                   "embed the whole gothic font for typed text: auto (blank forms), embed, none")
      ->check(CLI::IsMember({"auto", "embed", "none"}));
  render->add_option("--creation-date", creation_date,
                     "fixed creation date YYYY-MM-DDThh:mm:ssZ (byte-identical output)");

  auto* validate =
      app.add_subcommand("validate", "validate data files against XSD and business rules");
  std::vector<std::string> inputs;
  std::string lang = "ja", today;
  bool json = false, jsonl = false, no_progress = false;
  unsigned jobs = 0;
  validate
      ->add_option("PATH", inputs, "files, folders (every *.xml and *.pdf) or - (paths on stdin)")
      ->required();
  validate->add_option("--lang", lang, "language of the human report")
      ->check(CLI::IsMember({"ja", "en"}));
  auto* json_flag = validate->add_flag("--json", json, "one JSON document: files and summary");
  validate->add_flag("--jsonl", jsonl, "JSON Lines: one object per file, then a summary")
      ->excludes(json_flag);
  validate->add_option("-j,--jobs", jobs, "threads (default: one per core)");
  validate->add_option("--today", today, "date the rules take as today (YYYY-MM-DD)");
  validate->add_flag("--no-progress", no_progress, "no progress bar even on a terminal");
  bool redact = false;
  validate->add_flag("--redact", redact,
                     "JSON reports without the offending values (personal data)");

  auto* extract = app.add_subcommand("extract", "read a filled PDF back into data XML");
  std::string pdf_in, xml_out;
  extract->add_option("PDF", pdf_in, "filled PDF")->required();
  extract->add_option("-o,--output", xml_out, "output XML (default: standard output)");

  // PDFs are parsed in a worker process with limits unless --in-process.
  bool in_process = false;
  yoshiki::PdfIsolation isolation;
  for (auto* cmd : {validate, extract}) {
    cmd->add_flag("--in-process", in_process, "parse PDFs in this process (trusted files only)");
    cmd->add_option("--worker-memory", isolation.memory_mb, "memory limit of a PDF worker in MB")
        ->capture_default_str();
    cmd->add_option("--worker-seconds", isolation.seconds, "time limit of a PDF worker in seconds")
        ->capture_default_str();
  }

  auto* fill = app.add_subcommand("fill", "fill a yoshiki form PDF with data");
  std::string fill_pdf, fill_data, fill_out;
  fill->add_option("FORM_PDF", fill_pdf, "a PDF made by yoshiki render")->required();
  fill->add_option("DATA", fill_data, "data XML")->required();
  fill->add_option("-o,--output", fill_out, "output PDF")->required();
  fill->add_option("--creation-date", creation_date, "fixed creation date YYYY-MM-DDThh:mm:ssZ");

  auto* senior = app.add_subcommand(
      "report",
      "Senior Work Program: link the forms by 管理番号, count, export the 一覧表 (別添6)");
  std::vector<std::string> report_inputs;
  std::string csv_out, xlsx_out, as_of, report_lang = "ja";
  bool report_redact = false, report_json = false;
  senior
      ->add_option("DIR", report_inputs, "folders or files (every *.xml and *.pdf below a folder)")
      ->required();
  senior->add_option("--csv", csv_out, "write the 一覧表 as CSV");
  senior->add_option("--xlsx", xlsx_out, "write the 一覧表 and the aggregates as XLSX");
  senior->add_flag("--redact", report_redact,
                   "labour-bureau copy: leave out the personal columns (spec §5)");
  senior->add_option("--as-of", as_of, "report date YYYY-MM-DD (default: today)");
  senior->add_flag("--json", report_json, "summary as one JSON document");
  senior->add_option("--lang", report_lang, "language of the summary")
      ->check(CLI::IsMember({"ja", "en"}));
  senior->add_flag("--in-process", in_process, "parse PDFs in this process (trusted files only)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }

  if (!in_process) isolation.worker = {"/proc/self/exe", "--pdf-worker"};
  try {
    yoshiki::Engine engine({resources, font_map});
    if (*forms) {
      for (const auto& f : engine.forms())
        std::cout << f.id << "\t" << f.version << "\t" << f.title << "\n";
      return kOk;
    }
    if (*validate) {
      auto paths = expand_paths(inputs);
      using yoshiki::cli::ReportFormat;
      ReportFormat format = json    ? ReportFormat::Json
                            : jsonl ? ReportFormat::JsonLines
                                    : ReportFormat::Human;
      bool tty_out = isatty(STDOUT_FILENO), tty_err = isatty(STDERR_FILENO);
      yoshiki::cli::Reporter reporter(format, lang, tty_out && format == ReportFormat::Human,
                                      tty_err && !no_progress, paths.size(), redact);
      yoshiki::BulkOptions options;
      options.jobs = jobs;
      options.validate.today = today;
      options.validate.pdf = isolation;
      yoshiki::validate_bulk(engine, paths, options,
                             [&](const yoshiki::ValidationResult& r) { reporter.add(r); });
      reporter.finish();
      const auto& s = reporter.summary();
      return s.valid == s.files ? kOk : kInvalid;
    }
    if (*extract) {
      auto r = engine.extract(pdf_in, isolation);
      for (const auto& n : r.notes)
        std::cerr << "yoshiki: " << yoshiki::cli::printable(n.to_string()) << "\n";
      if (xml_out.empty()) {
        std::cout << r.xml;
      } else {
        write_file(xml_out, std::vector<std::uint8_t>(r.xml.begin(), r.xml.end()));
      }
      return kOk;
    }
    if (*fill) {
      auto data = engine.load_data(fill_data);
      std::string form = read_all(fill_pdf);
      yoshiki::RenderOptions options;
      options.creation_date = creation_date;
      write_file(fill_out, engine.fill(form, fill_pdf, data, options));
      return kOk;
    }
    if (*senior) {
      auto report = yoshiki::senior_report(engine, expand_paths(report_inputs),
                                           {as_of, report_redact, isolation});
      yoshiki::cli::print_report_diagnostics(report, report_lang, std::cerr);
      if (!csv_out.empty()) {
        std::string csv = yoshiki::to_csv(report.list);
        write_file(csv_out, std::vector<std::uint8_t>(csv.begin(), csv.end()));
      }
      if (!xlsx_out.empty()) write_file(xlsx_out, yoshiki::to_xlsx(report));
      yoshiki::cli::print_senior_report(report, report_json, report_lang, std::cout);
      // Outputs are written either way; an error (a form left out, X-001) still fails the run.
      for (const auto& d : report.diagnostics)
        if (d.severity == yoshiki::Severity::Error) return kInvalid;
      return kOk;
    }
    if (*render) {
      yoshiki::FormData data;
      if (!data_path.empty()) data = engine.load_data(data_path);
      yoshiki::RenderOptions options;
      options.creation_date = creation_date;
      using Output = yoshiki::RenderOptions::Output;
      using Typing = yoshiki::RenderOptions::TypingFont;
      options.output = fillable ? Output::Fillable : flat ? Output::Flat : Output::Auto;
      options.typing_font = typing_font == "embed"  ? Typing::Embed
                            : typing_font == "none" ? Typing::None
                                                    : Typing::Auto;
      if (!settings_path.empty()) options.settings = yoshiki::load_settings(settings_path);
      write_file(out_path, engine.render(form, data, options));
      return kOk;
    }
  } catch (const yoshiki::Error& e) {
    return report(e);
  } catch (const std::exception& e) {
    std::cerr << "yoshiki: internal error: " << e.what() << "\n";
    return kUsage;
  }
  return kUsage;
}
