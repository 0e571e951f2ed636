// lexer — a small PDF tokenizer for the checks made before PoDoFo parses a
// file: how deep arrays and dictionaries nest, which streams are object or
// cross-reference streams, and whether the file declares encryption (the
// name /Encrypt anywhere, and again where the last startxref points). It
// reads PDF syntax as a parser does — literal strings with escapes and
// nesting, hex strings, names with #xx decoded, comments, stream data skipped
// by a direct /Length (else up to the next "endstream") — so that a name
// /stream, an "endstream" inside a string, /Obj#53tm or /Encr#79pt cannot
// fool it. It also notices JavaScript actions, so that the reader need not
// load every object to look for them. One pass, linear in the input, memory bounded by what it
// reports.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace yoshiki::pdf::lex {

// A stream whose dictionary makes it an object stream (/Type /ObjStm, or
// /N and /First as only an object stream has) or a cross-reference stream
// (/Type /XRef). PoDoFo inflates both while loading, without a bound.
struct StructureStream {
  bool object_stream = false;        // else a cross-reference stream
  std::size_t data = 0, size = 0;    // the raw stream data in the scanned bytes
  std::vector<std::string> filters;  // /Filter: names, decoded (empty: none)
  bool filter_unreadable = false;    // /Filter neither a name nor an array of names
  bool decode_parms = false;         // /DecodeParms present
};

struct Scan {
  int max_depth = 0;  // deepest nesting of arrays and dictionaries
  bool encrypted =
      false;  // the name /Encrypt outside strings and streams, or where startxref leads
  bool javascript = false;  // a dictionary with a /JS key or /S /JavaScript (an action)
  std::vector<StructureStream> structure_streams;
};

Scan scan(std::string_view bytes);

}  // namespace yoshiki::pdf::lex
