// PDF isolation (pdf/read/isolated): a worker process that crashes, hangs,
// runs out of memory or talks nonsense costs only its file, reported with
// the file's path and the reason; the rest of a bulk run is intact. The
// workers here are shell one-liners standing in for a broken parser; the CLI
// tests (tests/hostile) run the real worker on real hostile PDFs.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "pdf/read/isolated.h"
#include "support.h"

namespace yoshiki::test {
namespace {

const std::string kPdf = kRoot + "/tests/hostile/files/cyclic-refs.pdf";

// One process per PDF (serve = false): the script gets "-" as $1 and the PDF
// on standard input, as a one-file worker does.
PdfIsolation shell_worker(const std::string& script, unsigned seconds = 30) {
  PdfIsolation iso;
  iso.worker = {"/bin/sh", "-c", script, "worker"};  // the PDF path arrives as $1
  iso.seconds = seconds;
  iso.serve = false;
  return iso;
}

// The same script as a long-lived worker ($1 is "--serve").
PdfIsolation shell_server(const std::string& script, unsigned seconds = 30) {
  PdfIsolation iso = shell_worker(script, seconds);
  iso.serve = true;
  return iso;
}

Diagnostic only_error(const PdfIsolation& iso, const std::string& path = kPdf) {
  auto e = expect_error([&] { pdf::read_pdf_form_isolated(path, iso); });
  REQUIRE(e.diagnostics().size() == 1);
  CHECK(e.diagnostics()[0].file == path);
  CHECK(e.kind() == ErrorKind::InvalidInput);
  return e.diagnostics()[0];
}

// What serve_pdf_worker answers for `pdf`, saved in `dir`; its path.
std::string saved_answer(const TempDir& dir, const std::string& pdf, int want_status) {
  const std::string answer = (dir.path / "answer").string();
  int fd = ::open(answer.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  CHECK(pdf::serve_pdf_worker(pdf, fd) == want_status);
  ::close(fd);
  return answer;
}

}  // namespace

TEST_CASE("isolation: a worker killed by a signal is a crash naming the signal", "[isolation]") {
  auto d = only_error(shell_worker("kill -SEGV $$"));
  CHECK(d.code == "pdf.worker-crashed");
  CHECK(d.message == "the PDF parser crashed on this file (signal SIGSEGV)");
}

TEST_CASE("isolation: a worker past its wall-clock limit is killed and timed out", "[isolation]") {
  auto d = only_error(shell_worker("sleep 60", 1));
  CHECK(d.code == "pdf.worker-timeout");
  CHECK(d.message == "the PDF parser timed out on this file (limits: 1024 MB, 1 s)");
}

TEST_CASE("isolation: a worker spinning on the CPU is stopped by its CPU limit", "[isolation]") {
  auto d = only_error(shell_worker("while :; do :; done", 1));
  CHECK(d.code == "pdf.worker-timeout");
}

TEST_CASE("isolation: exit status 3 is out of memory; garbage and silence are crashes",
          "[isolation]") {
  CHECK(only_error(shell_worker("exit 3")).code == "pdf.worker-memory");
  auto garbage = only_error(shell_worker("echo 'yoshiki-pdf-worker 1'; echo zzz"));
  CHECK(garbage.code == "pdf.worker-crashed");
  CHECK(garbage.message == "the PDF worker sent an unreadable answer");
  auto silent = only_error(shell_worker("exit 5"));
  CHECK(silent.message == "the PDF parser crashed on this file (exit status 5)");
}

TEST_CASE("isolation: a worker that cannot be started is an I/O error", "[isolation]") {
  for (bool serve : {false, true}) {
    PdfIsolation iso;
    iso.worker = {"/nonexistent/worker"};
    iso.serve = serve;
    auto e = expect_error([&] { pdf::read_pdf_form_isolated(kPdf, iso); });
    CHECK(e.kind() == ErrorKind::Io);
    CHECK(e.diagnostics()[0].code == "pdf.worker-start");
  }
}

TEST_CASE("isolation: a long-lived worker that crashes, hangs or runs out of memory costs its file",
          "[isolation]") {
  auto crashed = only_error(shell_server("test \"$1\" = --serve && kill -SEGV $$"));
  CHECK(crashed.code == "pdf.worker-crashed");
  CHECK(crashed.message == "the PDF parser crashed on this file (signal SIGSEGV)");
  auto hung = only_error(shell_server("sleep 60", 1));
  CHECK(hung.code == "pdf.worker-timeout");
  CHECK(hung.message == "the PDF parser timed out on this file (limits: 1024 MB, 1 s)");
  CHECK(only_error(shell_server("exit 3")).code == "pdf.worker-memory");
  auto silent = only_error(shell_server("exit 0"));  // no answer at all
  CHECK(silent.message == "the PDF worker sent an unreadable answer");
}

TEST_CASE("isolation: the worker's answer round-trips the PDF's content", "[isolation]") {
  // serve_pdf_worker's answer fed back through a shell worker that cats it.
  TempDir dir;
  const std::string pdf = kRoot + "/tests/hostile/files/incremental-update.pdf";
  const std::string answer = saved_answer(dir, pdf, 0);
  auto content = pdf::read_pdf_form_isolated(pdf, shell_worker("cat '" + answer + "'"));
  auto direct = pdf::read_pdf_form(slurp(pdf), pdf);
  CHECK(content.form_id == "jukou-moushikomi");
  CHECK(content.form_version == "1.0");
  CHECK(content.text == direct.text);
  CHECK(content.text.at("applicant/name") == "佐藤 花子");
  CHECK(content.updates == 1);
  CHECK(content.has_acroform);
  CHECK_FALSE(content.has_javascript);
}

TEST_CASE("isolation: signatures and the fields changed after them come back from the worker",
          "[isolation]") {
  TempDir dir;
  const std::string pdf = kRoot + "/tests/hostile/files/signed-then-changed.pdf";
  const std::string answer = saved_answer(dir, pdf, 0);
  auto content = pdf::read_pdf_form_isolated(pdf, shell_worker("cat '" + answer + "'"));
  auto direct = pdf::read_pdf_form(slurp(pdf), pdf);
  REQUIRE(content.signatures.size() == 1);
  REQUIRE(direct.signatures.size() == 1);
  for (const auto* c : {&content, &direct}) {
    const pdf::PdfSignature& s = c->signatures[0];
    CHECK(s.field == "signature");
    CHECK(s.byte_range_valid);
    CHECK(s.signed_bytes == 2162);  // the size of signed.pdf, the signed revision
    CHECK(s.changed_after);
    CHECK(s.signed_revision_read);
    CHECK(s.changed_fields == std::vector<std::string>{"applicant/name"});
  }
  CHECK(content.text.at("applicant/name") == "佐藤 花子");
}

TEST_CASE("isolation: the worker sends only the attachments read-back uses", "[isolation]") {
  // data.xml and f01.xml … f63.xml name one stream inflating to 8 MB: the
  // reader decodes data.xml and f01.xml (16 MB together), the parent needs
  // only data.xml.
  TempDir dir;
  const std::string pdf = kRoot + "/tests/hostile/files/attachment-amplify.pdf";
  const std::string answer = saved_answer(dir, pdf, 0);
  auto direct = pdf::read_pdf_form(slurp(pdf), pdf);
  REQUIRE(direct.attachments.size() == 2);
  CHECK(direct.attachments.count("f01.xml") == 1);
  CHECK(std::filesystem::file_size(answer) < (9u << 20));
  auto content = pdf::read_pdf_form_isolated(pdf, shell_worker("cat '" + answer + "'"));
  REQUIRE(content.attachments.size() == 1);
  CHECK(content.attachments.at("data.xml") == direct.attachments.at("data.xml"));
  CHECK(content.skipped_attachments == direct.skipped_attachments);
  CHECK(pdf::attachment_is_read_back("settings.xml"));
  CHECK_FALSE(pdf::attachment_is_read_back("f01.xml"));
}

TEST_CASE("isolation: an unreadable PDF comes back as the parser's own error", "[isolation]") {
  TempDir dir;
  const std::string pdf = kRoot + "/tests/hostile/files/encrypted.pdf";
  const std::string answer = saved_answer(dir, pdf, 1);
  auto d = only_error(shell_worker("cat '" + answer + "'; exit 1"), pdf);
  CHECK(d.code == "pdf.encrypted");
  CHECK(d.message == "encrypted PDFs are not supported");
}

TEST_CASE("isolation: a bulk run loses only the file whose worker crashed",
          "[isolation][threads]") {
  BulkOptions options;
  options.jobs = 2;
  options.validate.today = "2024-04-01";
  options.validate.pdf = shell_worker("kill -ABRT $$");
  std::vector<std::string> paths = {kSamples + "/complete.xml", kPdf, kSamples + "/minimal.xml"};
  std::vector<ValidationResult> got;
  validate_bulk(engine(), paths, options, [&](const ValidationResult& r) { got.push_back(r); });
  REQUIRE(got.size() == 3);
  CHECK(got[0].valid);
  CHECK(got[2].valid);
  CHECK(got[1].source == kPdf);
  CHECK_FALSE(got[1].readable);
  REQUIRE(got[1].diagnostics.size() == 1);
  CHECK(got[1].diagnostics[0].message == "the PDF parser crashed on this file (signal SIGABRT)");
}

// ---- PDFs from memory (Engine::validate/extract on bytes) -------------------

namespace {

const std::string kFilled = kRoot + "/tests/hostile/files/incremental-update.pdf";

PdfIsolation self_worker() {
  PdfIsolation iso;
  iso.worker = self_pdf_worker();  // this test binary: its main runs the worker
  return iso;
}

// The result's findings as "code@field" one a line, to compare two results.
std::string findings(const ValidationResult& r) {
  std::string s;
  for (const auto& d : r.diagnostics) s += d.code + "@" + d.field + ": " + d.message + "\n";
  return s;
}

}  // namespace

TEST_CASE("memory: extract from PDF bytes in a worker equals extract from the file",
          "[isolation][memory]") {
  const std::string bytes = slurp(kFilled);
  const auto from_file = engine().extract(kFilled, self_worker());
  const auto from_bytes = engine().extract(bytes, "upload.pdf", self_worker());
  const auto in_process = engine().extract(bytes, "upload.pdf");
  CHECK(from_bytes.form_id == "jukou-moushikomi");
  CHECK(from_bytes.xml == from_file.xml);
  CHECK(from_bytes.xml == in_process.xml);
  CHECK(from_bytes.xml.find("佐藤 花子") != std::string::npos);
  CHECK(from_bytes.notes.size() == from_file.notes.size());
}

TEST_CASE("memory: validate on PDF bytes reads them back first, as validate on the file",
          "[isolation][memory]") {
  ValidateOptions options;
  options.today = "2024-04-01";
  options.pdf = self_worker();
  const std::string bytes = slurp(kFilled);
  const auto from_file = engine().validate(kFilled, options);
  const auto from_bytes = engine().validate(std::string_view(bytes), kFilled, options);
  CHECK(from_bytes.readable);
  CHECK(from_bytes.form_id == "jukou-moushikomi");
  CHECK(from_bytes.valid == from_file.valid);
  CHECK(findings(from_bytes) == findings(from_file));
  // Not xml.malformed, as PDF bytes were before.
  for (const auto& d : from_bytes.diagnostics) CHECK(d.code != "xml.malformed");
  options.pdf = {};  // in-process: the same result
  CHECK(findings(engine().validate(std::string_view(bytes), kFilled, options)) ==
        findings(from_file));
}

TEST_CASE("memory: the worker gets \"-\" and the PDF bytes on its standard input",
          "[isolation][memory]") {
  TempDir dir;
  const std::string got = (dir.path / "got").string();
  // A stand-in worker that keeps what it was sent and its argument, then fails.
  auto iso = shell_worker("printf '%s' \"$1\" > '" + got + ".arg'; cat > '" + got + "'; exit 5");
  const std::string bytes = slurp(kPdf);
  auto e = expect_error([&] { engine().extract(bytes, "upload.pdf", iso); });
  CHECK(e.diagnostics()[0].file == "upload.pdf");
  CHECK(e.diagnostics()[0].message == "the PDF parser crashed on this file (exit status 5)");
  CHECK(slurp(got) == bytes);
  CHECK(slurp(got + ".arg") == "-");
}

TEST_CASE("memory: a long-lived worker gets the request header and the PDF bytes unchanged",
          "[isolation][memory]") {
  // Sent with one sendmsg from where they lie (header, then the caller's
  // bytes); 3 MB is past the socket's buffer, so it goes in several parts.
  TempDir dir;
  const std::string got = (dir.path / "got").string();
  std::string bytes = "%PDF-1.7\n";
  for (std::size_t i = 0; bytes.size() < (3u << 20); ++i) bytes += std::to_string(i * 7919) + ' ';
  auto iso =
      shell_server("head -c " + std::to_string(16 + bytes.size()) + " > '" + got + "'; exit 5");
  auto e = expect_error([&] { pdf::read_pdf_form_isolated(bytes, "upload.pdf", iso); });
  CHECK(e.diagnostics()[0].message == "the PDF parser crashed on this file (exit status 5)");
  std::string header(16, '\0');
  const std::uint64_t size = bytes.size(), seconds = iso.seconds;
  std::memcpy(header.data(), &size, 8);
  std::memcpy(header.data() + 8, &seconds, 8);
  CHECK(slurp(got) == header + bytes);
}

TEST_CASE("memory: a hostile PDF from bytes costs only its worker", "[isolation][memory]") {
  const std::string bytes = slurp(kPdf);
  ValidateOptions options;
  options.pdf = shell_worker("kill -SEGV $$");  // the parser crashing on it
  const auto r = engine().validate(std::string_view(bytes), "upload.pdf", options);
  CHECK_FALSE(r.readable);
  CHECK_FALSE(r.io_error);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "pdf.worker-crashed");
  CHECK(r.diagnostics[0].file == "upload.pdf");
  CHECK(r.diagnostics[0].message == "the PDF parser crashed on this file (signal SIGSEGV)");
  // The real worker on an encrypted PDF: the parser's own error, from the worker.
  const std::string encrypted = slurp(kRoot + "/tests/hostile/files/encrypted.pdf");
  auto e = expect_error([&] { engine().extract(encrypted, "upload.pdf", self_worker()); });
  CHECK(e.kind() == ErrorKind::InvalidInput);
  CHECK(e.diagnostics()[0].code == "pdf.encrypted");
  CHECK(e.diagnostics()[0].file == "upload.pdf");
}

TEST_CASE("memory: long-lived workers read file after file, retiring after a refused one",
          "[isolation][memory]") {
  PdfIsolation iso = self_worker();
  REQUIRE(iso.serve);  // the default
  const std::string bytes = slurp(kFilled);
  const auto in_process = engine().extract(bytes, "upload.pdf");
  const std::string encrypted = slurp(kRoot + "/tests/hostile/files/encrypted.pdf");
  for (int i = 0; i < 3; ++i) {
    CHECK(engine().extract(bytes, "upload.pdf", iso).xml == in_process.xml);
    auto e = expect_error([&] { engine().extract(encrypted, "enc.pdf", iso); });
    CHECK(e.diagnostics()[0].code == "pdf.encrypted");
    CHECK(e.diagnostics()[0].file == "enc.pdf");
  }
  // From several threads at once (a worker each), in input order.
  BulkOptions options;
  options.jobs = 2;
  options.validate.today = "2024-04-01";
  options.validate.pdf = iso;
  const std::string kEncrypted = kRoot + "/tests/hostile/files/encrypted.pdf";
  std::vector<std::string> paths;
  for (int i = 0; i < 6; ++i) paths.push_back(i % 3 == 2 ? kEncrypted : kFilled);
  std::vector<ValidationResult> got;
  validate_bulk(engine(), paths, options, [&](const ValidationResult& r) { got.push_back(r); });
  REQUIRE(got.size() == paths.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].source == paths[i]);
    CHECK(got[i].readable == (paths[i] == kFilled));
  }
}

TEST_CASE("memory: workers started ahead serve the next PDFs, no more started than asked",
          "[isolation][memory]") {
  // The real worker behind a script that counts its starts, one line each.
  TempDir dir;
  const std::string log = (dir.path / "starts").string();
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  PdfIsolation iso;
  iso.worker = {"/bin/sh", "-c",
                "echo started >> '" + log + "'; exec '" + self + "' " + kPdfWorkerArg + " \"$1\"",
                "worker"};
  auto starts = [&] {
    std::error_code ec;
    if (!std::filesystem::exists(log, ec)) return 0L;
    const std::string lines = slurp(log);
    return static_cast<long>(std::count(lines.begin(), lines.end(), '\n'));
  };
  start_pdf_workers(iso, 2);
  const std::string bytes = slurp(kFilled);
  const auto in_process = engine().extract(bytes, "upload.pdf");
  for (int i = 0; i < 3; ++i)
    CHECK(engine().extract(bytes, "upload.pdf", iso).xml == in_process.xml);
  // The second worker may still be starting: its line comes, no third.
  for (int i = 0; i < 1000 && starts() < 2; ++i) ::usleep(10000);
  CHECK(starts() == 2);
  start_pdf_workers(iso, 2);  // two are idle already
  CHECK(engine().extract(bytes, "upload.pdf", iso).xml == in_process.xml);
  CHECK(starts() == 2);
}

TEST_CASE("memory: a worker started ahead that cannot run is the first PDF's I/O error",
          "[isolation][memory]") {
  PdfIsolation iso;
  iso.worker = {"/nonexistent/worker"};
  start_pdf_workers(iso, 1);  // never throws
  auto e = expect_error([&] { pdf::read_pdf_form_isolated(kPdf, iso); });
  CHECK(e.kind() == ErrorKind::Io);
  CHECK(e.diagnostics()[0].code == "pdf.worker-start");
  iso.serve = false;
  start_pdf_workers(iso, 1);  // a process per PDF: nothing to start ahead
}

TEST_CASE("memory: a missing file is the same I/O error with a worker and in-process",
          "[isolation][memory]") {
  const std::string missing = kRoot + "/no/such/file.pdf";
  for (const auto& iso : {self_worker(), PdfIsolation{}}) {
    auto e = expect_error([&] { engine().extract(missing, iso); });
    CHECK(e.kind() == ErrorKind::Io);
    CHECK(e.diagnostics()[0].code == "io.read");
    CHECK(e.diagnostics()[0].message == "cannot open file: No such file or directory");
    ValidateOptions options;
    options.pdf = iso;
    const auto r = engine().validate(missing, options);
    CHECK(r.io_error);
    CHECK_FALSE(r.readable);
  }
}

}  // namespace yoshiki::test
