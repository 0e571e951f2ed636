// Rendering throughput: N pre-filled forms in one process, one thread,
// cycling through the samples; prints documents/s and where the time went.
// Usage: yoshiki_bench_render [N] [--resources DIR] [--form ID]
//   --form ID: that form's samples only (e.g. jukou-moushikomi, the form
//   the peers' ReportLab page imitates); default: every form's.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "yoshiki/yoshiki.h"

int main(int argc, char** argv) {
  int n = 1000;
  std::string root;  // the default root looked up only without --resources
  std::string only;  // --form
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--resources" && i + 1 < argc)
      root = argv[++i];
    else if (a == "--form" && i + 1 < argc)
      only = argv[++i];
    else
      n = std::atoi(argv[i]);
  }
  if (root.empty()) root = yoshiki::default_resource_root();
  using Clock = std::chrono::steady_clock;
  auto t_start = Clock::now();
  yoshiki::Engine engine({root, ""});
  double startup = std::chrono::duration<double>(Clock::now() - t_start).count();

  std::vector<std::pair<std::string, yoshiki::FormData>> inputs;
  for (const auto& f : engine.forms()) {
    if (!only.empty() && f.id != only) continue;
    for (const auto& e : std::filesystem::directory_iterator(root + "/samples/" + f.id)) {
      if (e.path().extension() == ".xml")
        inputs.emplace_back(f.id, engine.load_data(e.path().string()));
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "yoshiki_bench_render: no samples for form '%s'\n", only.c_str());
    return 2;
  }
  yoshiki::RenderOptions options;
  options.settings = yoshiki::load_settings(root + "/samples/organisation.xml");
  options.creation_date = "2024-04-01T00:00:00Z";

  // One render per sample first: fonts load and each form's static text is
  // prepared at its first render (what a long-running service pays once).
  auto tw = Clock::now();
  for (auto& [form, data] : inputs) engine.render(form, data, options);
  double warm = std::chrono::duration<double>(Clock::now() - tw).count();

  yoshiki::RenderStats stats;
  std::size_t bytes = 0;
  auto t0 = Clock::now();
  const std::clock_t c0 = std::clock();
  for (int i = 0; i < n; ++i) {
    auto& [form, data] = inputs[static_cast<std::size_t>(i) % inputs.size()];
    bytes += engine.render(form, data, options, &stats).size();
  }
  double total = std::chrono::duration<double>(Clock::now() - t0).count();
  // CPU time as well: on a shared machine the wall clock counts other work.
  double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  std::printf("rendered %d documents (%zu samples) in %.3f s: %.1f documents/s, %.1f KB/document\n",
              n, inputs.size(), total, n / total, bytes / 1024.0 / n);
  std::printf("CPU time %.3f s: %.1f documents per CPU second\n", cpu, n / cpu);
  std::printf(
      "engine start-up (catalogue, templates, schemas, rules; fonts load at the first render): "
      "%.1f ms\n",
      startup * 1e3);
  std::printf("first render of each sample (fonts, static text): %.1f ms\n", warm * 1e3);
  auto ms = [&](double s) { return s * 1e3 / n; };
  std::printf(
      "per document: layout %.3f ms, shaping %.3f ms, subsetting %.3f ms, objects %.3f ms, writing "
      "%.3f ms\n",
      ms(stats.layout), ms(stats.shaping), ms(stats.subsetting), ms(stats.objects),
      ms(stats.writing));
  return 0;
}
