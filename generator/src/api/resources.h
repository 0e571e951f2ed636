// resources — where an Engine finds its resource root (templates/, schemas/,
// fonts/, programs/…/data): the first of
//   1. EngineOptions::resource_root,
//   2. the environment variable YOSHIKI_RESOURCES,
//   3. share/yoshiki of the installation, found from the loaded library's
//      file and from the running executable's,
//   4. the source tree, in developer builds run from their build tree.
// A root set by the caller (1, 2) is used or refused, never passed over for
// another: a wrong setting must not go unnoticed. When no place holds the
// catalogue, the error lists every place tried and why it failed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "yoshiki/yoshiki.h"

namespace yoshiki::resources {

// What the lookup starts from; system_places() fills it for this process,
// tests by hand.
struct Places {
  std::string option;                   // EngineOptions::resource_root; "" = unset
  std::optional<std::string> env;       // YOSHIKI_RESOURCES; nullopt or "" = unset
  std::string library;                  // the file the library was loaded from; "" = unknown
  std::string executable;               // the running executable; "" = unknown
  std::string library_to_resources;     // e.g. "../share/yoshiki", relative to the library's folder
  std::string executable_to_resources;  // e.g. "../share/yoshiki"
  std::string developer_root;           // the source tree; "" = not a developer build
};

// The places of this process: the environment, dladdr and /proc/self/exe,
// and the source tree when the library or executable lives in the build tree
// of a developer build (YOSHIKI_DEVELOPER_ROOT).
Places system_places(std::string option);

// The resource root: the first place whose schemas/catalog.xml `io` finds.
// Throws Error (Io, "resources.not-found") listing every place tried.
std::string find_root(const Places& places, const Io& io);

}  // namespace yoshiki::resources
