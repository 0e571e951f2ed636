// yoshiki — the command-line tool: argv → a yoshiki::Job (yoshiki/job.h) →
// its exit code. Everything else (the Engine, reports, outputs, exit codes)
// is the library's; the `report` subcommand is programs/senior-work's. The
// help is English or Japanese, as --lang or the locale says.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string_view>
#include <thread>

#include "serve.h"
#include "yoshiki/job.h"
#include "yoshiki/senior_work.h"
#include "yoshiki/version.h"

namespace {

// The language of messages and help: --lang anywhere in argv, else the
// locale's (LC_ALL, then LC_MESSAGES, then LANG: the first one set decides):
// Japanese for ja_*, English for anything else.
std::string language(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--lang" && i + 1 < argc) return argv[i + 1];
    if (a.substr(0, 7) == "--lang=") return std::string(a.substr(7));
  }
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v && *v) return std::string_view(v).substr(0, 2) == "ja" ? "ja" : "en";
  }
  return "en";
}

// "HOST:PORT" or "[IPv6]:PORT" of --listen into `o`; false when it is neither.
bool parse_listen(const std::string& listen, yoshiki::serve::Options& o) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string host = listen.substr(0, colon), port = listen.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != port.npos)
    return false;
  o.host = host;
  o.port = std::stoi(port);
  return o.port <= 65535;
}

// https://no-color.org: set and not empty.
bool no_color() {
  const char* v = std::getenv("NO_COLOR");
  return v && *v;
}

constexpr const char* kExitCodes =
    "Exit codes (every subcommand): 0 done (validate: every file valid); 1 invalid input (data, "
    "template or PDF wrong, a failed validation, a business-rule error under render --strict); 2 "
    "usage or I/O error (bad option, unknown "
    "form, a file missing or unreadable, an output that cannot be written).\n"
    "'-' as an input is the standard input; -o - is the standard output.";
constexpr const char* kExitCodesJa =
    "終了コード（全サブコマンド共通）: 0 成功（validate: 全ファイル適合）; 1 入力の不備（データ・"
    "テンプレート・PDF の誤り、検証の不合格、render --strict での業務ルールのエラー）; 2 "
    "使い方または入出力のエラー（誤ったオプション、"
    "未知の様式、存在しない・読めないファイル、書き出せない出力）。\n"
    "入力の「-」は標準入力、-o - は標準出力です。";

// Whether `p` names a PDF by its extension, in any case (as validate's
// folder walk picks them).
bool pdf_name(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".pdf";
}

// The PDF workers validate will keep busy at once (one per thread, at most
// one per PDF), when its inputs name PDFs: files *.pdf, folders holding
// one. Started before the catalogue loads, their program start runs beside
// the parent's (yoshiki::start_pdf_workers); a guess too low costs only a
// worker started later, on demand, as without it.
unsigned pdf_workers_for(const yoshiki::ValidateJob& v) {
  namespace fs = std::filesystem;
  const unsigned jobs = v.jobs ? v.jobs : std::max(1u, std::thread::hardware_concurrency());
  unsigned pdfs = 0;
  for (const auto& in : v.inputs) {
    std::error_code ec;
    if (!fs::is_directory(in, ec)) {
      pdfs += pdf_name(in);
      continue;
    }
    for (fs::recursive_directory_iterator it(in, ec), end; !ec && it != end && pdfs < jobs;
         it.increment(ec))
      pdfs += pdf_name(it->path());
  }
  return std::min(pdfs, jobs);
}

}  // namespace

int main(int argc, char** argv) {
  // A PDF worker (see yoshiki::PdfIsolation): started by validate and
  // extract for each PDF, never by hand.
  if (int rc = yoshiki::run_pdf_worker_if_asked(argc, argv); rc >= 0) return rc;
  yoshiki::Job job;
  job.lang = language(argc, argv);
  const bool ja = job.lang == "ja";
  // One text in the help's language.
  auto T = [ja](const char* en, const char* japanese) { return std::string(ja ? japanese : en); };

  CLI::App app{T("yoshiki — Japanese official forms: generate, validate, read back",
                 "yoshiki — 日本の公的様式: 作成・検証・読み取り")};
  app.footer(ja ? kExitCodesJa : kExitCodes);
  app.require_subcommand(1);
  if (ja) {
    // CLI11's own words too; subcommands share the formatter and inherit
    // the option group's name.
    app.option_defaults()->group("オプション");
    app.set_help_flag("-h,--help", "このヘルプを表示して終了");
    auto fmt = app.get_formatter();
    for (const auto& [en, japanese] : {std::pair{"Usage", "使い方"},
                                       {"OPTIONS", "オプション"},
                                       {"SUBCOMMAND", "サブコマンド"},
                                       {"Positionals", "引数"},
                                       {"REQUIRED", "（必須）"},
                                       {"Excludes", "併用不可"}})
      fmt->label(en, japanese);
  }

  app.set_version_flag("--version", std::string("yoshiki ") + yoshiki::version(),
                       T("print the version and exit", "バージョンを表示して終了"));
  app.add_option("--resources", job.engine.resource_root,
                 T("resource root (templates/, schemas/, fonts/)",
                   "リソースのフォルダ（templates/, schemas/, fonts/）"));
  app.add_option("--fonts", job.engine.font_map,
                 T("font map XML (default: <resources>/fonts/fonts.xml)",
                   "フォント対応表 XML（既定: <resources>/fonts/fonts.xml）"));
  auto* forms = app.add_subcommand(
      "forms", T("list the known forms and their versions", "既知の様式とその版を一覧表示"));

  auto* render = app.add_subcommand("render", T("render a form (blank, or filled with DATA) to PDF",
                                                "様式を PDF に組版（白紙、または DATA を記入）"));
  yoshiki::RenderJob r;
  render
      ->add_option("FORM", r.form,
                   T("form id (see 'yoshiki forms') or template path",
                     "様式 ID（yoshiki forms を参照）またはテンプレートのパス"))
      ->required();
  std::vector<std::string> render_data;
  render->add_option("DATA", render_data,
                     T("data XML, - for standard input; omit for a blank form. Several files or "
                       "a folder: batch, one PDF each into the folder -o names",
                       "データ XML（- で標準入力）。省略すると白紙。複数のファイルまたはフォルダ"
                       "を渡すと一括処理で、それぞれの PDF を -o のフォルダへ"));
  render
      ->add_option("-o,--output", r.output,
                   T("output PDF, - for standard output; batch: a folder",
                     "出力 PDF（- で標準出力）。一括処理ではフォルダ"))
      ->required();
  render->add_option(
      "-j,--jobs", r.jobs,
      T("batch: threads (default: one per core)", "一括処理のスレッド数（既定: コア数）"));
  bool render_no_progress = false;
  render->add_flag("--no-progress", render_no_progress,
                   T("batch: no progress bar", "一括処理で進捗バーを表示しない"));
  render->add_option("--settings", r.settings, T("organisation settings XML", "団体の設定 XML"));
  bool fillable = false, flat = false;
  std::string typing_font = "auto";
  auto* fillable_flag =
      render->add_flag("--fillable", fillable,
                       T("AcroForm fields (default for a blank form)", "入力欄つき（白紙の既定）"));
  render
      ->add_flag("--flat", flat,
                 T("print-only: no fields (default for a filled form)",
                   "印刷専用: 入力欄なし（記入済みの既定）"))
      ->excludes(fillable_flag);
  render
      ->add_option("--typing-font", typing_font,
                   T("embed the gothic font's Windows-31J glyphs (JIS X 0208 and its extensions) "
                     "for typed text: auto (blank forms), embed, none",
                     "入力用にゴシック体の Windows-31J の字形（JIS X 0208 と拡張文字）を埋め込む: "
                     "auto（白紙のとき）, embed, none"))
      ->check(CLI::IsMember({"auto", "embed", "none"}));
  std::string creation_date;
  render->add_option("--creation-date", creation_date,
                     T("fixed creation date YYYY-MM-DDThh:mm:ssZ (byte-identical output)",
                       "作成日時を固定 YYYY-MM-DDThh:mm:ssZ（同じ入力から同じバイト列）"));
  render->add_option("--today", r.today,
                     T("date the business rules take as today (YYYY-MM-DD)",
                       "業務ルールが今日とみなす日付（YYYY-MM-DD）"));
  render->add_flag("--strict", r.strict,
                   T("write no PDF and exit 1 when the data break a business rule (error); "
                     "without it the findings are printed and the PDF is written",
                     "業務ルールのエラーがあれば PDF を書き出さず終了コード 1。"
                     "指定しなければ指摘を表示して PDF を書き出す"));

  auto* validate = app.add_subcommand(
      "validate",
      T("validate data files against XSD and business rules", "データを XSD と業務ルールで検証"));
  yoshiki::ValidateJob v;
  bool json = false, jsonl = false, no_progress = false;
  validate->add_option(
      "PATH", v.inputs,
      T("files, folders (every *.xml and *.pdf) or - (data on standard input)",
        "ファイル、フォルダ（配下の *.xml と *.pdf すべて）、- で標準入力のデータ"));
  validate->add_option("--files-from", v.files_from,
                       T("read the paths to validate from FILE, one a line (- for standard input)",
                         "検証するパスを FILE から 1 行に 1 つ読む（- で標準入力）"));
  auto* json_flag = validate->add_flag(
      "--json", json, T("one JSON document: files and summary", "JSON 文書 1 つ: ファイルと集計"));
  validate
      ->add_flag("--jsonl", jsonl,
                 T("JSON Lines: one object per file, then a summary",
                   "JSON Lines: ファイルごとに 1 行、最後に集計"))
      ->excludes(json_flag);
  validate->add_option("-j,--jobs", v.jobs,
                       T("threads (default: one per core)", "スレッド数（既定: コア数）"));
  validate->add_option(
      "--today", v.today,
      T("date the rules take as today (YYYY-MM-DD)", "業務ルールが今日とみなす日付（YYYY-MM-DD）"));
  validate->add_option("--settings", v.settings,
                       T("organisation settings XML (rules such as DS-005 compare with it)",
                         "団体の設定 XML（DS-005 などのルールが照合に使う）"));
  validate->add_flag("--no-progress", no_progress,
                     T("no progress bar even on a terminal", "端末でも進捗表示を出さない"));
  validate->add_flag("--redact", v.redact,
                     T("JSON reports without the offending values (personal data)",
                       "JSON の報告に問題の値（個人情報）を含めない"));

  auto* extract = app.add_subcommand("extract", T("read a filled PDF back into data XML",
                                                  "記入済み PDF からデータ XML を読み取る"));
  yoshiki::ExtractJob x;
  extract
      ->add_option("PDF", x.pdf,
                   T("filled PDF, - for standard input", "記入済み PDF（- で標準入力）"))
      ->required();
  extract->add_option(
      "-o,--output", x.output,
      T("output XML (default and -: standard output)", "出力 XML（既定と -: 標準出力）"));

  auto* fill = app.add_subcommand(
      "fill", T("fill a yoshiki form PDF with data", "yoshiki の様式 PDF にデータを記入"));
  yoshiki::FillJob f;
  fill->add_option("FORM_PDF", f.form_pdf,
                   T("a PDF made by yoshiki render, - for standard input",
                     "yoshiki render で作った PDF（- で標準入力）"))
      ->required();
  fill->add_option("DATA", f.data,
                   T("data XML, - for standard input", "データ XML（- で標準入力）"))
      ->required();
  fill->add_option("-o,--output", f.output,
                   T("output PDF, - for standard output", "出力 PDF（- で標準出力）"))
      ->required();
  fill->add_option("--creation-date", creation_date,
                   T("fixed creation date YYYY-MM-DDThh:mm:ssZ (byte-identical output)",
                     "作成日時を固定 YYYY-MM-DDThh:mm:ssZ（同じ入力から同じバイト列）"));

  auto* senior = app.add_subcommand(
      "report",
      T("Senior Work Program: link the forms by 管理番号, count, export the 一覧表 (別添6)",
        "高年齢者就業支援: 管理番号で様式を結び、集計し、一覧表（別添6）を出力"));
  yoshiki::SeniorReportJob s;
  senior->add_option("DIR", s.inputs,
                     T("folders or files (every *.xml and *.pdf below a folder)",
                       "フォルダまたはファイル（フォルダ配下の *.xml と *.pdf すべて）"));
  senior->add_option("--files-from", s.files_from,
                     T("read more paths from FILE, one a line (- for standard input)",
                       "FILE から追加のパスを 1 行に 1 つ読む（- で標準入力）"));
  senior->add_option("--csv", s.csv, T("write the 一覧表 as CSV", "一覧表を CSV で書き出す"));
  senior->add_option(
      "--xlsx", s.xlsx,
      T("write the 一覧表 and the aggregates as XLSX", "一覧表と集計を XLSX で書き出す"));
  senior->add_flag("--redact", s.redact,
                   T("labour-bureau copy: leave out the personal columns (spec §5)",
                     "労働局向け: 個人情報の列を除く（仕様 §5）"));
  senior->add_option(
      "--as-of", s.as_of,
      T("report date YYYY-MM-DD (default: today)", "報告日 YYYY-MM-DD（既定: 今日）"));
  senior->add_flag("--json", s.json, T("summary as one JSON document", "集計を JSON 文書 1 つで"));
  senior->add_option("--settings", s.settings,
                     T("organisation settings XML (rules such as DS-005 compare with it)",
                       "団体の設定 XML（DS-005 などのルールが照合に使う）"));

  auto* serve = app.add_subcommand(
      "serve", T("HTTP service and web page for the forms (JSON API under /v1; see README)",
                 "様式の HTTP サービスと Web ページ（JSON API は /v1。README を参照）"));
  yoshiki::serve::Options sv;
  std::string listen = "127.0.0.1:8080";
  serve
      ->add_option("--listen", listen,
                   T("HOST:PORT to listen on; port 0 = any free port (printed)",
                     "待ち受ける HOST:PORT。ポート 0 で空きポート（表示する）"))
      ->capture_default_str();
  serve->add_option(
      "--token-file", sv.token_file,
      T("file holding the bearer token API requests must carry (required unless "
        "HOST is loopback)",
        "API の要求が持つべきベアラートークンのファイル（ループバック以外では必須）"));
  serve->add_option("--settings", sv.settings_file,
                    T("organisation settings XML: the rules (DS-005) and the forms use it",
                      "団体の設定 XML（DS-005 などのルールと様式が使う）"));
  serve->add_option("-j,--jobs", sv.jobs,
                    T("requests worked on at once (default: one per core)",
                      "同時に処理する要求数（既定: コア数）"));
  serve->add_option("--queue", sv.queue,
                    T("requests that may wait for a turn; more get 503 (default: 4 x jobs)",
                      "順番を待てる要求数。超えると 503（既定: jobs の 4 倍）"));
  serve
      ->add_option(
          "--max-upload", sv.max_upload_mb,
          T("largest request body in MB (413 beyond)", "要求本文の上限 MB（超えると 413）"))
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  serve
      ->add_option("--request-seconds", sv.request_seconds,
                   T("time limit of a request's wait, upload and PDF worker, in seconds",
                     "要求の待ち・受信・PDF ワーカーの時間上限（秒）"))
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));

  // Options every subcommand takes (--lang before the subcommand too), or
  // every one that reads PDFs.
  bool in_process = false;
  for (auto* cmd : {&app, forms, render, validate, extract, fill, senior, serve}) {
    if (ja && cmd != &app) cmd->set_help_flag("-h,--help", "このヘルプを表示して終了");
    if (ja && cmd != &app) cmd->group("サブコマンド");
    cmd->footer(ja ? kExitCodesJa : kExitCodes);
    cmd->add_option(
           "--lang", job.lang,
           T("language of messages and reports: ja or en (default: from LC_ALL, "
             "LC_MESSAGES, LANG)",
             "メッセージと報告の言語: ja または en（既定: LC_ALL, LC_MESSAGES, LANG から）"))
        ->check(CLI::IsMember({"ja", "en"}));
  }
  for (auto* cmd : {validate, extract, fill, senior})
    cmd->add_flag("--in-process", in_process,
                  T("parse PDFs in this process (trusted files only)",
                    "PDF をこのプロセス内で解析（信頼できるファイルのみ）"));
  for (auto* cmd : {validate, extract, fill, serve}) {
    cmd->add_option("--worker-memory", job.pdf.memory_mb,
                    T("memory limit of a PDF worker in MB", "PDF ワーカーのメモリ上限（MB）"))
        ->capture_default_str();
    cmd->add_option("--worker-seconds", job.pdf.seconds,
                    T("time limit of a PDF worker in seconds", "PDF ワーカーの時間上限（秒）"))
        ->capture_default_str();
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? yoshiki::kExitOk : yoshiki::kExitUsage;
  }

  if (!in_process) job.pdf.worker = yoshiki::self_pdf_worker();
  if (!in_process && *validate) yoshiki::start_pdf_workers(job.pdf, pdf_workers_for(v));
  if (!in_process && ((*extract && x.pdf != "-") || (*fill && f.form_pdf != "-")))
    yoshiki::start_pdf_workers(job.pdf, 1);
  using Output = yoshiki::RenderOptions::Output;
  using Typing = yoshiki::RenderOptions::TypingFont;
  using Format = yoshiki::ValidateJob::Format;
  if (*forms) job.command = yoshiki::FormsJob{};
  if (*render) {
    // One DATA that is not a folder: one PDF, as always; else a batch.
    std::error_code ec;
    if (render_data.size() == 1 && !std::filesystem::is_directory(render_data[0], ec))
      r.data = render_data[0];
    else if (!render_data.empty())
      r.inputs = render_data;
    r.progress = isatty(STDERR_FILENO) && !render_no_progress;
    r.creation_date = creation_date;
    r.kind = fillable ? Output::Fillable : flat ? Output::Flat : Output::Auto;
    r.typing_font = typing_font == "embed"  ? Typing::Embed
                    : typing_font == "none" ? Typing::None
                                            : Typing::Auto;
    job.command = r;
  }
  if (*validate) {
    v.format = json ? Format::Json : jsonl ? Format::JsonLines : Format::Human;
    v.lang = job.lang;
    v.colour = isatty(STDOUT_FILENO) && !no_color();
    v.progress = isatty(STDERR_FILENO) && !no_progress;
    job.command = v;
  }
  if (*extract) job.command = x;
  if (*fill) {
    f.creation_date = creation_date;
    job.command = f;
  }
  if (*senior) {
    s.lang = job.lang;
    job.command = s;
  }
  if (*serve) {
    if (!parse_listen(listen, sv)) {
      std::cerr << "yoshiki: --listen: expected HOST:PORT, got " << yoshiki::printable(listen)
                << "\n";
      return yoshiki::kExitUsage;
    }
    sv.engine = job.engine;
    sv.pdf = job.pdf;  // always the worker processes: uploads are untrusted
    return yoshiki::serve::run(sv, std::cout, std::cerr);
  }
  return job.run(std::cout, std::cerr);
}
