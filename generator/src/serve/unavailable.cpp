// serve/unavailable — `yoshiki serve` in a build without cpp-httplib (an
// embedder's, say): it says so and exits 2; the rest of the CLI is whole.
#include <ostream>

#include "serve.h"
#include "yoshiki/job.h"

namespace yoshiki::serve {

int run(const Options&, std::ostream&, std::ostream& log) {
  log << "yoshiki: serve: this yoshiki was built without cpp-httplib (libcpp-httplib-dev)\n";
  return kExitUsage;
}

}  // namespace yoshiki::serve
