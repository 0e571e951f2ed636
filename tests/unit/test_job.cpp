// yoshiki::Job (yoshiki/job.h): a CLI run as a library call — reports to the
// streams it is given, exit codes, paths from the input stream, a program's
// job (the Senior Work Program report) dispatched through ProgramJob.
#include <sstream>

#include "support.h"
#include "yoshiki/job.h"
#include "yoshiki/senior_work.h"
#include "yoshiki/version.h"

using namespace yoshiki;

namespace {

Job job_of(decltype(Job::command) command) {
  Job job;
  job.engine.resource_root = test::kRoot;
  job.command = std::move(command);
  return job;
}

}  // namespace

TEST_CASE("job: forms lists the catalogue on the output stream", "[job]") {
  std::ostringstream out, err;
  CHECK(job_of(FormsJob{}).run(out, err) == kExitOk);
  CHECK(out.str().find("shitsugyo-nintei\t") != std::string::npos);
  CHECK(err.str().empty());
}

TEST_CASE("job: validate reads paths from the input stream, JSON Lines, exit codes", "[job]") {
  ValidateJob v;
  v.files_from = "-";
  v.format = ValidateJob::Format::JsonLines;
  v.jobs = 1;
  Job job = job_of(v);
  std::istringstream in(test::kSamples + "/complete.xml\n");
  job.input = &in;
  std::ostringstream out, err;
  CHECK(job.run(out, err) == kExitOk);
  CHECK(out.str().find("\"valid\":true") != std::string::npos);
  CHECK(out.str().find("{\"summary\":") != std::string::npos);

  // A missing file is reported unreadable, the run goes on, and exits 2.
  v.files_from.clear();
  v.inputs = {test::kRoot + "/no/such/file.xml", test::kSamples + "/complete.xml"};
  std::ostringstream out2, err2;
  CHECK(job_of(v).run(out2, err2) == kExitUsage);
  CHECK(out2.str().find("\"rule\":\"io.read\"") != std::string::npos);
  CHECK(out2.str().find("cannot open file: No such file or directory") != std::string::npos);
  CHECK(out2.str().find("\"valid\":true") != std::string::npos);
}

TEST_CASE("job: validate - reads data XML from the input stream, in its place", "[job][stdin]") {
  ValidateJob v;
  v.inputs = {test::kSamples + "/minimal.xml", "-", test::kSamples + "/complete.xml"};
  v.format = ValidateJob::Format::JsonLines;
  v.jobs = 1;
  Job job = job_of(v);
  std::istringstream in(test::slurp(test::kSamples + "/complete.xml"));
  job.input = &in;
  std::ostringstream out, err;
  CHECK(job.run(out, err) == kExitOk);
  const std::string report = out.str();
  const auto first = report.find("minimal.xml"), stdin_at = report.find("\"file\":\"<stdin>\""),
             last = report.find("complete.xml");
  CHECK(first < stdin_at);
  CHECK(stdin_at < last);
  CHECK(last != std::string::npos);
  // "-" twice, or "-" and --files-from -: the stream can be read once only.
  v.files_from = "-";
  std::ostringstream out2, err2;
  CHECK(job_of(v).run(out2, err2) == kExitUsage);
  CHECK(err2.str() ==
        "yoshiki: error [option.stdin]: validate: the input stream (-) can be read only once\n");
}

TEST_CASE("job: a program's job runs with the Job's engine and streams", "[job][senior]") {
  SeniorReportJob report;
  report.inputs = {test::kRoot + "/samples/senior-program"};
  report.as_of = "2025-03-31";
  report.json = true;
  Job job = job_of(ProgramJob(report));
  std::ostringstream out, err;
  const int rc = job.run(out, err);
  CHECK((rc == kExitOk || rc == kExitInvalid));
  CHECK(out.str().find("\"asOf\": \"2025-03-31\"") != std::string::npos);
}

TEST_CASE(
    "job: report takes --files-from (a file or the input stream), refuses - as data, "
    "and names the tool's version in JSON",
    "[job][senior][stdin]") {
  const std::string dir = test::kRoot + "/samples/senior-program";
  auto run = [](const SeniorReportJob& r, const std::string& stdin_text, std::string& out_text,
                std::string& err_text) {
    Job job = job_of(ProgramJob(r));
    std::istringstream in(stdin_text);
    job.input = &in;
    std::ostringstream out, err;
    const int rc = job.run(out, err);
    out_text = out.str();
    err_text = err.str();
    return rc;
  };
  SeniorReportJob by_dir;
  by_dir.inputs = {dir};
  by_dir.as_of = "2025-03-31";
  by_dir.json = true;
  std::string expected, err;
  const int rc = run(by_dir, "", expected, err);
  CHECK_THAT(expected, Catch::Contains("\"yoshiki\": {\n    \"format\": 1,\n    \"version\": \"" +
                                       std::string(version()) + "\""));

  // The same files listed on the input stream give the same report.
  std::istringstream none;
  std::string list;
  for (const auto& p : expand_paths({dir}, none)) list += p + "\n";
  SeniorReportJob listed = by_dir;
  listed.inputs.clear();
  listed.files_from = "-";
  std::string got;
  CHECK(run(listed, list, got, err) == rc);
  CHECK(got == expected);

  SeniorReportJob dash = by_dir;
  dash.inputs = {"-"};
  CHECK(run(dash, list, got, err) == kExitUsage);
  CHECK_THAT(err, Catch::Contains("[option.stdin]") && Catch::Contains("--files-from -"));

  SeniorReportJob none_given = by_dir;
  none_given.inputs.clear();
  CHECK(run(none_given, "", got, err) == kExitUsage);
  CHECK_THAT(err, Catch::Contains("report: no input"));
}

TEST_CASE("job: a folder walk takes .PDF and .XML in any case and reports a symlink loop, going on",
          "[job][paths]") {
  test::TempDir tmp;
  const std::string good = test::slurp(test::kSamples + "/complete.xml");
  tmp.write("a.xml", good);
  tmp.write("B.XML", good);
  tmp.write("c.Pdf", "%PDF-1.4 not really");
  tmp.write("notes.txt", "ignored");
  std::filesystem::create_symlink("loop.xml", tmp.path / "loop.xml");  // points at itself
  std::filesystem::create_directory(tmp.path / "sub");
  std::filesystem::create_directory_symlink("..", tmp.path / "sub" / "up");  // not followed
  std::istringstream none;
  const auto paths = expand_paths({tmp.path.string()}, none);
  std::vector<std::string> names;
  for (const auto& p : paths) names.push_back(std::filesystem::path(p).filename().string());
  CHECK(names == std::vector<std::string>{"B.XML", "a.xml", "c.Pdf", "loop.xml"});
  // The run reports every file, the loop as unreadable, and goes on.
  ValidateJob v;
  v.inputs = {tmp.path.string()};
  v.format = ValidateJob::Format::JsonLines;
  v.jobs = 1;
  std::ostringstream out, err;
  CHECK(job_of(v).run(out, err) == kExitUsage);  // the loop cannot be read: 2
  const std::string report = out.str();
  CHECK(std::count(report.begin(), report.end(), '\n') == 5);  // four files and the summary
  const size_t loop = report.find("loop.xml\"");
  REQUIRE(loop != std::string::npos);
  const std::string loop_line = report.substr(loop, report.find('\n', loop) - loop);
  CHECK(loop_line.find("\"readable\":false") != std::string::npos);
  CHECK(loop_line.find("\"rule\":\"io.read\"") != std::string::npos);
  // A looping symlink given directly is one unreadable file, not an abort.
  v.inputs = {(tmp.path / "loop.xml").string(), tmp.path.string() + "/a.xml"};
  std::ostringstream out2, err2;
  CHECK(job_of(v).run(out2, err2) == kExitUsage);
  CHECK(out2.str().find("\"valid\":true") != std::string::npos);
}

TEST_CASE("job: printable escapes C0 and C1 controls and keeps Japanese", "[job][terminal]") {
  CHECK(printable("a\x1b[2Jb") == "a\\x1B[2Jb");
  CHECK(printable("x\xc2\x9b"
                  "31my") == "x\\u009B31my");  // U+009B CSI
  CHECK(printable("\xc2\x9d"
                  "0;t\xc2\x9c") == "\\u009D0;t\\u009C");  // OSC … ST
  CHECK(printable("日本語（２）") == "日本語（２）");      // continuation bytes 0x80…0x9F stay
  CHECK(printable("\xc2\xa0") == "\xc2\xa0");              // NBSP is not a control
}

TEST_CASE("job: - reads the input stream and -o - writes the output stream", "[job][stdin]") {
  // render DATA "-" -o "-": the PDF on the output stream, as to a file.
  RenderJob r;
  r.form = "jukou-moushikomi";
  r.data = "-";
  r.output = "-";
  r.creation_date = "2024-04-01T00:00:00Z";
  r.today = "2024-07-01";
  Job job = job_of(r);
  std::istringstream in(test::slurp(test::kSamples + "/complete.xml"));
  job.input = &in;
  std::ostringstream out, err;
  CHECK(job.run(out, err) == kExitOk);
  CHECK(err.str().empty());
  RenderOptions fixed;
  fixed.creation_date = r.creation_date;
  const auto direct = test::engine().render(
      "jukou-moushikomi", test::engine().load_data(test::kSamples + "/complete.xml"), fixed);
  CHECK(out.str() == std::string(direct.begin(), direct.end()));

  // extract "-" in a worker (this test binary, see main.cpp): the data XML.
  ExtractJob x;
  x.pdf = "-";
  Job extract = job_of(x);
  extract.pdf.worker = self_pdf_worker();
  const std::string filled = test::kRoot + "/tests/hostile/files/incremental-update.pdf";
  std::istringstream pdf(test::slurp(filled));
  extract.input = &pdf;
  std::ostringstream xml, notes;
  CHECK(extract.run(xml, notes) == kExitOk);
  CHECK(xml.str() == test::engine().extract(filled).xml);
}

TEST_CASE("job: render prints the business rules' findings; strict refuses errors",
          "[job][render]") {
  test::TempDir tmp;
  RenderJob r;
  r.form = "jukou-moushikomi";
  r.data = test::kSamples + "/rules/JK-001-fail.xml";
  r.output = (tmp.path / "out.pdf").string();
  r.today = "2024-07-01";
  std::ostringstream out, err;
  CHECK(job_of(r).run(out, err) == kExitOk);
  CHECK(err.str().find(r.data + ":") != std::string::npos);
  CHECK(err.str().find("error [JK-001]") != std::string::npos);
  CHECK(std::filesystem::exists(r.output));
  std::filesystem::remove(r.output);
  r.strict = true;
  std::ostringstream out2, err2;
  CHECK(job_of(r).run(out2, err2) == kExitInvalid);
  CHECK(err2.str().find("error [JK-001]") != std::string::npos);
  CHECK(err2.str().find("no PDF written: the data break business rules (--strict)") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(r.output));
}

namespace {

// An output stream behind a full disk: every byte is refused.
struct FullDisk : std::streambuf {
  int overflow(int) override { return traits_type::eof(); }
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

}  // namespace

TEST_CASE("job: an output stream that refuses bytes is an I/O error (exit 2), not the verdict",
          "[job][io]") {
  FullDisk full;
  ValidateJob v;
  v.inputs = {test::kSamples + "/complete.xml"};
  v.format = ValidateJob::Format::Json;
  v.jobs = 1;
  for (auto command : {decltype(Job::command){FormsJob{}}, decltype(Job::command){v}}) {
    std::ostream out(&full);
    std::ostringstream err;
    Job job = job_of(command);
    job.lang = "ja";
    CHECK(job.run(out, err) == kExitUsage);
    CHECK(err.str() == "yoshiki: <stdout>: error [io.write]: 出力ストリームに書き出せません\n");
  }
}
