// Unit tests of what an installed yoshiki relies on: the version macros and
// function, and where an Engine finds its resource root (api/resources.h) —
// each step of the lookup order, and the error listing every place tried.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "api/resources.h"
#include "support.h"
#include "yoshiki/version.h"
#include "yoshiki/yoshiki.h"

using yoshiki::Error;
using yoshiki::ErrorKind;
using yoshiki::resources::find_root;
using yoshiki::resources::Places;

namespace {

// A file system holding exactly `files`.
class FilesIo : public yoshiki::Io {
 public:
  explicit FilesIo(std::set<std::string> files) : files_(std::move(files)) {}
  std::string read(const std::string& path, std::size_t) const override {
    throw Error(ErrorKind::Io, {{yoshiki::Severity::Error, "io.read", "not here", path}});
  }
  bool exists(const std::string& path) const override { return files_.count(path) > 0; }
  std::string today() const override { return "2024-06-09"; }
  std::string now_utc() const override { return "2024-06-09T08:30:00Z"; }

 private:
  std::set<std::string> files_;
};

// Every place set: the option, the environment, an installed library and
// program, and the source tree.
Places all_places() {
  Places p;
  p.option = "/opt/option";
  p.env = "/opt/env";
  p.library = "/usr/lib/x86_64-linux-gnu/libyoshiki.so.0.1";
  p.library_to_resources = "../../share/yoshiki";
  p.executable = "/opt/app/bin/prog";
  p.executable_to_resources = "../share/yoshiki";
  p.developer_root = "/src/yoshiki";
  return p;
}

const FilesIo everywhere({"/opt/option/schemas/catalog.xml", "/opt/env/schemas/catalog.xml",
                          "/usr/share/yoshiki/schemas/catalog.xml",
                          "/opt/app/share/yoshiki/schemas/catalog.xml",
                          "/src/yoshiki/schemas/catalog.xml"});

// The last diagnostic of a failed lookup: what to do.
const std::string kHint =
    "error [resources.not-found]: no resource root found: set YOSHIKI_RESOURCES or --resources "
    "to a folder holding schemas/catalog.xml";

// The messages of the error find_root throws.
std::vector<std::string> failure(const Places& places, const yoshiki::Io& io) {
  try {
    find_root(places, io);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Io);
    std::vector<std::string> lines;
    for (const auto& d : e.diagnostics()) {
      CHECK(d.code == "resources.not-found");
      lines.push_back(d.to_string());
    }
    return lines;
  }
  FAIL("find_root found a root");
  return {};
}

}  // namespace

TEST_CASE("version: the macros are the CMake project's version", "[install]") {
  CHECK(std::string(YOSHIKI_VERSION_STRING) == YOSHIKI_TEST_PROJECT_VERSION);
  CHECK(std::to_string(YOSHIKI_VERSION_MAJOR) + "." + std::to_string(YOSHIKI_VERSION_MINOR) + "." +
            std::to_string(YOSHIKI_VERSION_PATCH) ==
        YOSHIKI_TEST_PROJECT_VERSION);
  CHECK(std::string(yoshiki::version()) == YOSHIKI_TEST_PROJECT_VERSION);
  CHECK(YOSHIKI_REPORT_FORMAT == 1);
}

TEST_CASE("resources: the lookup order", "[install]") {
  Places p = all_places();
  CHECK(find_root(p, everywhere) == "/opt/option");
  p.option.clear();
  CHECK(find_root(p, everywhere) == "/opt/env");
  p.env = "";  // set but empty: unset
  CHECK(find_root(p, everywhere) == "/usr/share/yoshiki");
  p.env.reset();
  CHECK(find_root(p, everywhere) == "/usr/share/yoshiki");
  p.library.clear();
  CHECK(find_root(p, everywhere) == "/opt/app/share/yoshiki");
  p.executable.clear();
  CHECK(find_root(p, everywhere) == "/src/yoshiki");
}

TEST_CASE("resources: a place without the catalogue passes to the next", "[install]") {
  const FilesIo only_source({"/src/yoshiki/schemas/catalog.xml"});
  Places p = all_places();
  p.option.clear();
  p.env.reset();
  CHECK(find_root(p, only_source) == "/src/yoshiki");
  const FilesIo beside_program({"/opt/app/share/yoshiki/schemas/catalog.xml"});
  CHECK(find_root(p, beside_program) == "/opt/app/share/yoshiki");
}

TEST_CASE("resources: a static library is the program, tried once", "[install]") {
  Places p = all_places();
  p.option.clear();
  p.env.reset();
  p.developer_root.clear();
  p.library = p.executable = YOSHIKI_TEST_ROOT "/CMakeLists.txt";  // one existing file
  p.executable_to_resources = "share/yoshiki";
  CHECK(failure(p, FilesIo({})) ==
        std::vector<std::string>{YOSHIKI_TEST_ROOT
                                 "/share/yoshiki/schemas/catalog.xml: error [resources.not-found]: "
                                 "tried beside the "
                                 "program " YOSHIKI_TEST_ROOT "/CMakeLists.txt: no such file",
                                 kHint});
}

TEST_CASE("resources: the error lists every place tried", "[install]") {
  const FilesIo nothing({});
  Places p = all_places();
  p.option.clear();
  p.env.reset();
  CHECK(failure(p, nothing) ==
        std::vector<std::string>{
            "/usr/share/yoshiki/schemas/catalog.xml: error [resources.not-found]: tried beside "
            "the library /usr/lib/x86_64-linux-gnu/libyoshiki.so.0.1: no such file",
            "/opt/app/share/yoshiki/schemas/catalog.xml: error [resources.not-found]: tried "
            "beside the program /opt/app/bin/prog: no such file",
            "/src/yoshiki/schemas/catalog.xml: error [resources.not-found]: tried the source tree "
            "of this developer build: no such file",
            kHint});
}

TEST_CASE("resources: a root the caller set is used or refused, never passed over", "[install]") {
  Places p = all_places();
  CHECK(failure(p, FilesIo({"/usr/share/yoshiki/schemas/catalog.xml"})).at(0) ==
        "/opt/option/schemas/catalog.xml: error [resources.not-found]: tried "
        "EngineOptions::resource_root (--resources): no such file");
  p.option.clear();
  auto env = failure(p, FilesIo({"/usr/share/yoshiki/schemas/catalog.xml"}));
  CHECK(env.size() == 2);
  CHECK(env.at(0) ==
        "/opt/env/schemas/catalog.xml: error [resources.not-found]: tried YOSHIKI_RESOURCES: no "
        "such file");
}

TEST_CASE("resources: this test program, in the build tree, finds the source tree", "[install]") {
  const auto places = yoshiki::resources::system_places({});
  CHECK(places.library.empty());  // linked statically
  CHECK(places.developer_root == YOSHIKI_TEST_ROOT);
  if (!places.env) CHECK(yoshiki::default_resource_root() == YOSHIKI_TEST_ROOT);
}
