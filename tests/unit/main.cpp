// The unit tests' main is also a PDF worker, as an embedder's program would
// be (yoshiki.h, PdfIsolation): the tests run PDFs from memory through
// self_pdf_worker().
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "yoshiki/yoshiki.h"

int main(int argc, char** argv) {
  if (int rc = yoshiki::run_pdf_worker_if_asked(argc, argv); rc >= 0) return rc;
  return Catch::Session().run(argc, argv);
}
