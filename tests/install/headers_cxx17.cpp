// The public headers compile as C++17 (the target building this file is
// C++17 with -pedantic-errors): an embedder need not use C++20.
#include <yoshiki/export.h>
#include <yoshiki/job.h>
#include <yoshiki/version.h>
#include <yoshiki/yoshiki.h>

static_assert(__cplusplus == 201703L, "this file checks the headers under C++17");

// The README's way to set options, without C++20's designated initialisers.
yoshiki::Engine engine_at(const std::string& root) {
  return yoshiki::Engine(yoshiki::EngineOptions{root});
}
