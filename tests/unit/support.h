// Shared helpers of the unit tests (header-only): paths into the source tree
// (kRoot, kSamples), one shared Engine, reading files (slurp, xml_files,
// file_with, complete_with), a self-removing TempDir, expect_error for calls that must
// throw yoshiki::Error, all() to print diagnostics in INFO, line_of, repeat
// and date (an ISO date that must parse).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "text/wareki.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::test {

// The source tree, and the samples of the 受講申込書.
inline const std::string kRoot = YOSHIKI_TEST_ROOT;
inline const std::string kSamples = kRoot + "/samples/jukou-moushikomi";

// One Engine over the source tree, shared by the tests.
inline const Engine& engine() {
  static const Engine e(EngineOptions{kRoot, ""});
  return e;
}

// The bytes of a file, which must be readable.
// The test-only resource root of tests/fields/form: a fifth form using a
// field type that only the tests register (tests/fields/yen.cpp).
inline const std::string kTestForms = kRoot + "/tests/fields/form";
inline const Engine& test_forms_engine() {
  static const Engine e(EngineOptions{kTestForms, ""});
  return e;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The .xml files directly in `dir`, sorted.
inline std::vector<std::string> xml_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".xml") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// The file at `path` with the text of the first <tag>…</tag> replaced.
inline std::string file_with(const std::string& path, const std::string& tag,
                             const std::string& value) {
  std::string s = slurp(path);
  const auto open = s.find("<" + tag + ">");
  REQUIRE(open != std::string::npos);
  const auto from = open + tag.size() + 2;
  const auto to = s.find("</" + tag + ">", from);
  REQUIRE(to != std::string::npos);
  s.replace(from, to - from, value);
  return s;
}

// complete.xml (of the 受講申込書) with the text of the first <tag>…</tag> replaced.
inline std::string complete_with(const std::string& tag, const std::string& value) {
  return file_with(kSamples + "/complete.xml", tag, value);
}

// Diagnostics one a line, for INFO.
inline std::string all(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) s += d.to_string() + "\n";
  return s;
}

// Runs `f`, which must throw yoshiki::Error; returns it.
template <class F>
Error expect_error(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no yoshiki::Error thrown");
  throw;  // unreachable
}

// A private folder for files the tests write; removed afterwards.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("yoshiki-unit-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // Writes `bytes` to `name` in the folder; returns its path.
  std::string write(const std::string& name, const std::string& bytes) const {
    const std::filesystem::path p = path / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

// 1-based line of the first occurrence of `needle` in `text`.
inline int line_of(const std::string& text, const std::string& needle) {
  auto pos = text.find(needle);
  REQUIRE(pos != std::string::npos);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

// `unit` written `n` times.
inline std::string repeat(const std::string& unit, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += unit;
  return s;
}

// An ISO date (YYYY-MM-DD), which must parse.
inline text::CivilDate date(const std::string& iso) {
  auto d = text::parse_iso_date(iso);
  REQUIRE(d.has_value());
  return *d;
}

}  // namespace yoshiki::test
