// Fuzz target: the reader's own parser of plain objects (pdf/read/objects.h),
// against PoDoFo's tokenizer. Whatever the parser accepts, PoDoFo reads too,
// and every key the parser keeps has the value PoDoFo gives it (the parser
// drops keys the reader never looks up, at any depth: only kept keys are
// compared, recursively).
#include <cstdlib>
#include <string>

#include "pdf/read/objects.h"
#include "support.h"

namespace {

std::string written(const PoDoFo::PdfVariant& v) {
  std::string s;
  v.ToString(s);
  return s;
}

// `ours` is `theirs` less dictionary keys the parser dropped.
bool same(const PoDoFo::PdfVariant& ours, const PoDoFo::PdfVariant& theirs) {
  if (ours.GetDataType() != theirs.GetDataType()) return false;
  if (ours.IsDictionary()) {
    for (const auto& [key, value] : ours.GetDictionary().GetKeys()) {
      const PoDoFo::PdfObject* other = theirs.GetDictionary().GetKey(key);
      if (!other || !same(*value, *other)) return false;
    }
    return true;
  }
  if (ours.IsArray()) {
    const auto &a = ours.GetArray(), &b = theirs.GetArray();
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same(a[i], b[i])) return false;
    return true;
  }
  // PoDoFo cannot write every name it reads (PdfName::Write throws on some
  // bytes): names are compared as the bytes they stand for.
  if (ours.IsName()) return ours.GetName().GetName() == theirs.GetName().GetName();
  return written(ours) == written(theirs);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  PoDoFo::PdfError::EnableDebug(false);
  PoDoFo::PdfError::EnableLogging(false);
  const auto input = yoshiki::fuzz::bytes(data, size);
  auto ours = yoshiki::pdf::parse_plain_object(input, 0);
  if (!ours) return 0;
  PoDoFo::PdfVariant theirs;
  try {
    PoDoFo::PdfTokenizer tokenizer(input.data(), static_cast<long>(input.size()));
    tokenizer.GetNextVariant(theirs, nullptr);
  } catch (const PoDoFo::PdfError&) {
    std::abort();  // accepted here, refused by PoDoFo
  }
  if (!same(*ours, theirs)) std::abort();
  return 0;
}
