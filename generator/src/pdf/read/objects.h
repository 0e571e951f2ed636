// objects — the reader's own parser for the plain objects read-back walks
// (the catalog's dictionaries, the AcroForm, every field and widget).
// PoDoFo 0.9.8 parses one such dictionary in about 150,000 instructions
// (token queues, copies of every nested value), which was two thirds of
// reading a form; this parses the same bytes into the same PoDoFo values
// (PdfString, PdfName::FromEscaped, PdfReference...) directly from memory.
// It takes only what it reads exactly as PoDoFo's tokenizer does: a
// dictionary or array of names, strings, hex strings, integers, reals,
// references, booleans and null, followed by "endobj". Anything else — a
// stream, a comment, a number PoDoFo might read otherwise, nesting past a
// bound, a signature's /Contents — is left to PoDoFo (null), so every
// file reads as it did.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "pdf/write/podofo_wrap.h"

namespace yoshiki::pdf {

// The value of the object whose body starts at `offset` in `bytes` (just
// after its "N G obj"), or null when PoDoFo must read it.
std::unique_ptr<PoDoFo::PdfObject> parse_plain_object(std::string_view bytes, std::size_t offset);

// Which dictionary keys get their values built: those the reader looks up
// (the others are checked, not built), or all (the trailer, the catalog and
// the page tree's root, whose other keys PoDoFo's loading looks at).
enum class ObjectKeys { Read, All };

// An object's value as parse_plain_object reads it, where a dictionary may
// also be followed by "stream" instead of "endobj".
struct ParsedObject {
  std::unique_ptr<PoDoFo::PdfObject> value;
  std::size_t stream = std::string_view::npos;  // just after the keyword "stream"
};
std::optional<ParsedObject> parse_object(std::string_view bytes, std::size_t offset,
                                         ObjectKeys keys);

// The value at `offset` alone, nothing required after it (a trailer's dictionary).
std::unique_ptr<PoDoFo::PdfObject> parse_value(std::string_view bytes, std::size_t offset,
                                               ObjectKeys keys);

}  // namespace yoshiki::pdf
