// yoshiki — the command-line tool: argv → a yoshiki::Job (yoshiki/job.h) →
// its exit code. Everything else (the Engine, reports, outputs, exit codes)
// is the library's; the `report` subcommand is programs/senior-work's.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <string_view>

#include "yoshiki/job.h"
#include "yoshiki/senior_work.h"
#include "yoshiki/version.h"

int main(int argc, char** argv) {
  // A PDF worker (see yoshiki::PdfIsolation): started by validate and
  // extract for each PDF, never by hand.
  if (argc == 3 && std::string_view(argv[1]) == "--pdf-worker")
    return yoshiki::run_pdf_worker(argv[2]);
  CLI::App app{"yoshiki — Japanese official forms: generate, validate, read back"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("yoshiki ") + yoshiki::version());
  yoshiki::Job job;
  app.add_option("--resources", job.engine.resource_root,
                 "resource root (templates/, schemas/, fonts/)");
  app.add_option("--fonts", job.engine.font_map,
                 "font map XML (default: <resources>/fonts/fonts.xml)");

  auto* forms = app.add_subcommand("forms", "list the known forms and their versions");

  auto* render = app.add_subcommand("render", "render a form (blank, or filled with DATA) to PDF");
  yoshiki::RenderJob r;
  render->add_option("FORM", r.form, "form id (see 'yoshiki forms') or template path")->required();
  render->add_option("DATA", r.data, "data XML; omit for a blank form");
  render->add_option("-o,--output", r.output, "output PDF")->required();
  render->add_option("--settings", r.settings, "organisation settings XML");
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
  std::string creation_date;
  render->add_option("--creation-date", creation_date,
                     "fixed creation date YYYY-MM-DDThh:mm:ssZ (byte-identical output)");

  auto* validate =
      app.add_subcommand("validate", "validate data files against XSD and business rules");
  yoshiki::ValidateJob v;
  bool json = false, jsonl = false, no_progress = false;
  validate
      ->add_option("PATH", v.inputs, "files, folders (every *.xml and *.pdf) or - (paths on stdin)")
      ->required();
  validate->add_option("--lang", v.lang, "language of the human report")
      ->check(CLI::IsMember({"ja", "en"}));
  auto* json_flag = validate->add_flag("--json", json, "one JSON document: files and summary");
  validate->add_flag("--jsonl", jsonl, "JSON Lines: one object per file, then a summary")
      ->excludes(json_flag);
  validate->add_option("-j,--jobs", v.jobs, "threads (default: one per core)");
  validate->add_option("--today", v.today, "date the rules take as today (YYYY-MM-DD)");
  validate->add_flag("--no-progress", no_progress, "no progress bar even on a terminal");
  validate->add_flag("--redact", v.redact,
                     "JSON reports without the offending values (personal data)");

  auto* extract = app.add_subcommand("extract", "read a filled PDF back into data XML");
  yoshiki::ExtractJob x;
  extract->add_option("PDF", x.pdf, "filled PDF")->required();
  extract->add_option("-o,--output", x.output, "output XML (default: standard output)");

  // PDFs are parsed in a worker process with limits unless --in-process.
  bool in_process = false;
  for (auto* cmd : {validate, extract}) {
    cmd->add_flag("--in-process", in_process, "parse PDFs in this process (trusted files only)");
    cmd->add_option("--worker-memory", job.pdf.memory_mb, "memory limit of a PDF worker in MB")
        ->capture_default_str();
    cmd->add_option("--worker-seconds", job.pdf.seconds, "time limit of a PDF worker in seconds")
        ->capture_default_str();
  }

  auto* fill = app.add_subcommand("fill", "fill a yoshiki form PDF with data");
  yoshiki::FillJob f;
  fill->add_option("FORM_PDF", f.form_pdf, "a PDF made by yoshiki render")->required();
  fill->add_option("DATA", f.data, "data XML")->required();
  fill->add_option("-o,--output", f.output, "output PDF")->required();
  fill->add_option("--creation-date", creation_date, "fixed creation date YYYY-MM-DDThh:mm:ssZ");

  auto* senior = app.add_subcommand(
      "report",
      "Senior Work Program: link the forms by 管理番号, count, export the 一覧表 (別添6)");
  yoshiki::SeniorReportJob s;
  senior->add_option("DIR", s.inputs, "folders or files (every *.xml and *.pdf below a folder)")
      ->required();
  senior->add_option("--csv", s.csv, "write the 一覧表 as CSV");
  senior->add_option("--xlsx", s.xlsx, "write the 一覧表 and the aggregates as XLSX");
  senior->add_flag("--redact", s.redact,
                   "labour-bureau copy: leave out the personal columns (spec §5)");
  senior->add_option("--as-of", s.as_of, "report date YYYY-MM-DD (default: today)");
  senior->add_flag("--json", s.json, "summary as one JSON document");
  senior->add_option("--lang", s.lang, "language of the summary")
      ->check(CLI::IsMember({"ja", "en"}));
  senior->add_flag("--in-process", in_process, "parse PDFs in this process (trusted files only)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? yoshiki::kExitOk : yoshiki::kExitUsage;
  }

  if (!in_process) job.pdf.worker = {"/proc/self/exe", "--pdf-worker"};
  using Output = yoshiki::RenderOptions::Output;
  using Typing = yoshiki::RenderOptions::TypingFont;
  using Format = yoshiki::ValidateJob::Format;
  if (*forms) job.command = yoshiki::FormsJob{};
  if (*render) {
    r.creation_date = creation_date;
    r.kind = fillable ? Output::Fillable : flat ? Output::Flat : Output::Auto;
    r.typing_font = typing_font == "embed"  ? Typing::Embed
                    : typing_font == "none" ? Typing::None
                                            : Typing::Auto;
    job.command = r;
  }
  if (*validate) {
    v.format = json ? Format::Json : jsonl ? Format::JsonLines : Format::Human;
    v.colour = isatty(STDOUT_FILENO);
    v.progress = isatty(STDERR_FILENO) && !no_progress;
    job.command = v;
  }
  if (*extract) job.command = x;
  if (*fill) {
    f.creation_date = creation_date;
    job.command = f;
  }
  if (*senior) job.command = s;
  return job.run(std::cout, std::cerr);
}
