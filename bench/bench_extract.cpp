// Extraction throughput: reads N filled PDFs back into data XML in one
// process, one thread. Usage: yoshiki_bench_extract DIR [--resources ROOT]
// (DIR holds the PDFs, e.g. written by scripts/bench-extract.sh).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "yoshiki/yoshiki.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR [--resources ROOT]\n", argv[0]);
    return 2;
  }
  // --resources first: the default root is looked up (and may be missing,
  // for a copy of this binary outside the build tree) only without it.
  std::string root;
  for (int i = 2; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--resources") root = argv[i + 1];
  if (root.empty()) root = yoshiki::default_resource_root();
  yoshiki::Engine engine({root, ""});
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(argv[1]))
    if (e.path().extension() == ".pdf") files.push_back(e.path().string());
  std::vector<std::string> bytes;  // read first: measure extraction, not the disk
  for (const auto& f : files) {    // in one read: istreambuf_iterator cost ~7 M instructions a file
    std::ifstream in(f, std::ios::binary);
    std::string& b = bytes.emplace_back(std::filesystem::file_size(f), '\0');
    in.read(b.data(), static_cast<std::streamsize>(b.size()));
  }
  auto t0 = std::chrono::steady_clock::now();
  std::size_t out = 0;
  for (std::size_t i = 0; i < files.size(); ++i)
    out += engine.extract(bytes[i], files[i]).xml.size();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("yoshiki extract: %zu PDFs in %.3f s: %.1f documents/s (%zu bytes of XML)\n",
              files.size(), s, files.size() / s, out);
  return 0;
}
