// Fuzz target: the 和暦 and ISO date parsers. Whatever parses must be a real
// day that formats and parses back to itself.
#include <cstdlib>

#include "support.h"
#include "text/wareki.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace yoshiki::text;
  auto s = yoshiki::fuzz::bytes(data, size);
  if (auto d = parse_wareki(s)) {
    if (!is_valid_date(*d)) std::abort();
    auto back = parse_wareki(format_wareki(*d));
    if (!back || !(*back == *d)) std::abort();
  }
  if (auto d = parse_iso_date(s)) {
    if (!is_valid_date(*d)) std::abort();
    auto back = parse_iso_date(format_iso_date(*d));
    if (!back || !(*back == *d)) std::abort();
  }
  return 0;
}
