// Shared by the fuzz targets: one Engine over the source tree, and a private
// scratch file for the loaders that take a path (templates, rule files).
// Every target catches yoshiki::Error only: anything else escaping is a bug.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "yoshiki/yoshiki.h"

namespace yoshiki::fuzz {

inline const std::string kRoot = YOSHIKI_FUZZ_ROOT;

inline const Engine& engine() {
  static const Engine e(EngineOptions{kRoot, ""});
  return e;
}

inline std::string_view bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A folder of this process's own, removed at exit: in /dev/shm when there is
// one (every execution writes its input there), else under the temp dir.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    std::error_code ec;
    std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec)
                                     ? std::filesystem::path("/dev/shm")
                                     : std::filesystem::temp_directory_path();
    auto d = base / ("yoshiki-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_dir(), ec);
    });
    return d;
  }();
  return dir;
}

// Writes `content` to scratch_dir()/name and returns the path.
inline std::string write_scratch(const std::string& name, std::string_view content) {
  auto path = scratch_dir() / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(content.data(), static_cast<std::streamsize>(content.size()));
  return path.string();
}

}  // namespace yoshiki::fuzz
