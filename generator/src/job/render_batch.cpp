#include "job/render_batch.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "job/reporters.h"

namespace yoshiki::job {
namespace {

namespace fs = std::filesystem;

bool is_xml(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".xml";
}

struct Outcome {
  int code = kExitOk;
  std::string messages;
};

}  // namespace

int render_batch(const RenderJob& r, const std::string& lang, std::ostream& err,
                 const RenderOne& render_one) {
  const bool ja = lang == "ja";
  std::vector<std::string> inputs;
  for (const auto& a : r.inputs) {
    if (a == kStdio)
      throw Error(ErrorKind::Usage, {{Severity::Error, "option.stdin",
                                      "render: several DATA files cannot include - (the input "
                                      "stream)"}});
    std::error_code ec;
    if (!fs::is_directory(a, ec)) {
      inputs.push_back(a);  // a missing file is reported in its turn
      continue;
    }
    std::vector<std::string> found;
    add_paths(a, found);
    for (auto& f : found)
      if (is_xml(f)) inputs.push_back(std::move(f));
  }
  if (r.output.empty() || r.output == kStdio)
    throw Error(ErrorKind::Usage, {{Severity::Error, "option.output",
                                    "render: several DATA files need -o DIR (a folder)"}});
  std::error_code ec;
  fs::create_directories(r.output, ec);
  if (!fs::is_directory(r.output, ec))
    throw Error(ErrorKind::Io,
                {{Severity::Error, "io.write", "cannot make the output folder", r.output}});

  // DIR/NAME.pdf; two inputs of the same NAME would overwrite each other.
  std::vector<std::string> outputs(inputs.size());
  std::map<std::string, std::size_t> taken;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::string out = (fs::path(r.output) / fs::path(inputs[i]).stem()).string() + ".pdf";
    if (!taken.emplace(out, i).second) continue;  // left empty: reported below
    outputs[i] = std::move(out);
  }

  const std::size_t n = inputs.size();
  unsigned jobs = r.jobs ? r.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(n, 1)));
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  std::vector<std::optional<Outcome>> done(n);  // waiting to be reported in input order
  std::size_t reported = 0, failed = 0;
  int worst = kExitOk;
  auto rank = [](int code) { return code == kExitUsage ? 2 : code == kExitInvalid ? 1 : 0; };

  auto report = [&] {  // under the lock
    bool any = false;
    while (reported < n && done[reported]) {
      Outcome& o = *done[reported];
      if (!o.messages.empty()) {
        if (r.progress) err << "\r\033[K";
        err << o.messages;
      }
      if (o.code != kExitOk) ++failed;
      if (rank(o.code) > rank(worst)) worst = o.code;
      done[reported].reset();
      ++reported;
      any = true;
    }
    if (any && r.progress) progress_bar(err, reported, n, ja ? "失敗 " : "failed ", failed);
  };

  auto worker = [&] {
    for (std::size_t i; (i = next++) < n;) {
      Outcome o;
      std::ostringstream messages;
      try {
        if (outputs[i].empty())
          throw Error(
              ErrorKind::Usage,
              {{Severity::Error, "io.output-taken",
                "another DATA file of the same name is written to the same PDF", inputs[i]}});
        o.code = render_one(inputs[i], outputs[i], messages);
      } catch (const Error& e) {
        o.code = report_error(e, messages, lang);
      } catch (const std::exception& e) {
        messages << "yoshiki: internal error: " << inputs[i] << ": " << e.what() << "\n";
        o.code = kExitUsage;
      }
      o.messages = messages.str();
      std::lock_guard lock(mu);
      done[i] = std::move(o);
      report();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  if (r.progress) err << "\r\033[K";
  err << "yoshiki: "
      << (ja ? std::to_string(n - failed) + " 件の PDF を書き出しました（失敗 " +
                   std::to_string(failed) + " 件）"
             : std::to_string(n - failed) + " PDFs written, " + std::to_string(failed) + " failed")
      << "\n";
  return worst;
}

}  // namespace yoshiki::job
