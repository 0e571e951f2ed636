// Fuzz target: a PDF read back as `extract` and `validate` do (PoDoFo parse,
// field walk, bounded inflate of attachments and XMP, data building).
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto pdf = yoshiki::fuzz::bytes(data, size);
  try {
    auto r = yoshiki::fuzz::engine().extract(pdf, "fuzz.pdf");
    yoshiki::fuzz::engine().validate(r.xml, "fuzz.pdf");
  } catch (const yoshiki::Error&) {
  }
  return 0;
}
