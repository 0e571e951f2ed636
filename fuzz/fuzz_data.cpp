// Fuzz target: data XML through the whole validation pipeline (safe parse,
// normalisation, XSD, business rules), and load_data.
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& engine = yoshiki::fuzz::engine();
  auto xml = yoshiki::fuzz::bytes(data, size);
  yoshiki::ValidateOptions options;
  options.today = "2024-04-01";
  auto r = engine.validate(xml, "fuzz.xml", options);
  if (r.valid && !r.readable) std::abort();
  try {
    engine.load_data(xml, "fuzz.xml");
  } catch (const yoshiki::Error&) {
  }
  return 0;
}
