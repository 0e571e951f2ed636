// object_index — where each object of a PDF starts, read from its classic
// cross-reference table without PoDoFo. PoDoFo 0.9.8's load made an object
// (a PdfParserObject, its tokenizer and buffer) per table entry and read
// each entry with sscanf: a quarter of reading a filled form. This reads the
// same table the way PoDoFo does (the last %%EOF, the last "startxref" and
// "trailer" in the 512 bytes before it, fixed-width entries, each entry's
// "N G obj" header), but only the files it can read exactly as PoDoFo
// would: one table with its trailer, no /Prev, no /XRefStm, no /Encrypt, no
// comment where PoDoFo would skip one, every entry's header naming its own
// number, a trailer objects.h reads. Anything else (a cross-reference stream, an incremental
// update, a damaged or rebuilt table, an offset past the end...) answers nullopt, and the reader
// loads the file with PoDoFo as before.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "pdf/write/podofo_wrap.h"

namespace yoshiki::pdf {

struct ObjectIndex {
  struct Entry {
    std::size_t body = 0;  // just after the header's "obj"; 0: no such object
    std::uint16_t generation = 0;
  };
  std::vector<Entry> objects;  // by object number
  // The trailer dictionary, every key built (objects.h): /Size a direct
  // integer, /Root a reference, no /Prev, /XRefStm or /Encrypt.
  std::unique_ptr<PoDoFo::PdfObject> trailer;

  // Where the body of object `number` `generation` starts, or 0: no such
  // object (free, absent, or another generation, as PoDoFo's look-up).
  std::size_t body(std::uint64_t number, std::uint64_t generation) const {
    if (number >= objects.size() || objects[number].body == 0) return 0;
    return objects[number].generation == generation ? objects[number].body : 0;
  }
};

// More table entries than this: left to PoDoFo (a form has a few hundred).
inline constexpr std::size_t kMaxIndexedObjects = 1u << 20;

std::optional<ObjectIndex> read_object_index(std::string_view bytes);

// Where a stream's data start after its keyword "stream" ends at `keyword_end`,
// as PoDoFo 0.9.8 finds them: spaces skipped, then one end-of-line byte
// (CR LF as one) if any white-space byte follows. npos past the end.
std::size_t stream_data_start(std::string_view bytes, std::size_t keyword_end);

}  // namespace yoshiki::pdf
