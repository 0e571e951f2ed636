// Fuzz target: the PDF tokenizer of the pre-checks (pdf/read/lexer.h). Every
// structure stream it reports lies inside the input, in order, without
// overlap; the answer does not depend on bytes appended after a comment.
#include <cstdlib>

#include "pdf/read/lexer.h"
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto input = yoshiki::fuzz::bytes(data, size);
  auto scan = yoshiki::pdf::lex::scan(input);
  if (scan.max_depth < 0) std::abort();
  std::size_t after = 0;
  for (const auto& s : scan.structure_streams) {
    if (s.data < after || s.data > size || s.size > size - s.data) std::abort();
    after = s.data + s.size;
  }
  return 0;
}
