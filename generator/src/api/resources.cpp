#include "api/resources.h"

#include <dlfcn.h>
#include <link.h>

#include <cstdlib>
#include <filesystem>

#include "catalog/catalog.h"

// Set by generator/CMakeLists.txt; the defaults keep a hand build working.
#ifndef YOSHIKI_LIBRARY_TO_RESOURCES
#define YOSHIKI_LIBRARY_TO_RESOURCES "../share/yoshiki"
#endif
#ifndef YOSHIKI_EXECUTABLE_TO_RESOURCES
#define YOSHIKI_EXECUTABLE_TO_RESOURCES "../share/yoshiki"
#endif

namespace yoshiki::resources {

namespace fs = std::filesystem;

namespace {

// `path`'s folder joined with `relative`, normalised ("" when `path` is "").
std::string beside(const std::string& path, const std::string& relative) {
  if (path.empty()) return {};
  return (fs::path(path).parent_path() / relative).lexically_normal().string();
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return !a.empty() && !b.empty() && fs::equivalent(a, b, ec);
}

// Whether `file` lies inside the folder `dir`.
[[maybe_unused]] bool inside(const std::string& file, const std::string& dir) {
  if (file.empty() || dir.empty()) return false;
  std::error_code ec;
  const fs::path f = fs::weakly_canonical(file, ec), d = fs::weakly_canonical(dir, ec);
  auto rel = f.lexically_relative(d);
  return !rel.empty() && *rel.begin() != "..";
}

struct Place {
  std::string where;  // how the place was found, for the error
  std::string root;
};

}  // namespace

Places system_places(std::string option) {
  Places p;
  p.option = std::move(option);
  if (const char* env = std::getenv("YOSHIKI_RESOURCES")) p.env = env;
  // The link map names the shared object holding this code; its name is ""
  // when the library is static, part of the executable.
  Dl_info info{};
  link_map* map = nullptr;
  if (dladdr1(reinterpret_cast<void*>(&system_places), &info, reinterpret_cast<void**>(&map),
              RTLD_DL_LINKMAP) &&
      map && map->l_name)
    p.library = map->l_name;
  std::error_code ec;
  p.executable = fs::read_symlink("/proc/self/exe", ec).string();
  p.library_to_resources = YOSHIKI_LIBRARY_TO_RESOURCES;
  p.executable_to_resources = YOSHIKI_EXECUTABLE_TO_RESOURCES;
#if defined(YOSHIKI_DEVELOPER_ROOT) && defined(YOSHIKI_BUILD_ROOT)
  // Only a library or program still in its build tree may fall back to the
  // sources: an installed or packaged copy must find its own resources.
  if (inside(p.library, YOSHIKI_BUILD_ROOT) || inside(p.executable, YOSHIKI_BUILD_ROOT))
    p.developer_root = YOSHIKI_DEVELOPER_ROOT;
#endif
  return p;
}

std::string find_root(const Places& places, const Io& io) {
  std::vector<Place> tried;
  const bool env_set = places.env && !places.env->empty();
  if (!places.option.empty()) {
    tried.push_back({"EngineOptions::resource_root (--resources)", places.option});
  } else if (env_set) {
    tried.push_back({"YOSHIKI_RESOURCES", *places.env});
  } else {
    if (!places.library.empty() && !same_file(places.library, places.executable))
      tried.push_back({"beside the library " + places.library,
                       beside(places.library, places.library_to_resources)});
    if (!places.executable.empty())
      tried.push_back({"beside the program " + places.executable,
                       beside(places.executable, places.executable_to_resources)});
    if (!places.developer_root.empty())
      tried.push_back({"the source tree of this developer build", places.developer_root});
  }
  // One diagnostic a place (the first names the first place tried, as a
  // missing file's error does), then what to do.
  std::vector<Diagnostic> problems;
  for (const auto& place : tried) {
    const std::string catalogue = catalog::catalog_path(place.root);
    if (io.exists(catalogue)) return place.root;
    problems.push_back({Severity::Error, "resources.not-found",
                        "tried " + place.where + ": no such file", catalogue});
  }
  problems.push_back({Severity::Error, "resources.not-found",
                      "no resource root found: set YOSHIKI_RESOURCES or --resources to a folder "
                      "holding schemas/catalog.xml"});
  throw Error(ErrorKind::Io, std::move(problems));
}

}  // namespace yoshiki::resources
