#include "pdf/read/object_index.h"

#include <algorithm>

#include "pdf/read/chars.h"
#include "pdf/read/objects.h"

namespace yoshiki::pdf {
namespace {

constexpr std::size_t npos = std::string_view::npos;
// PoDoFo's FindToken looks in this many bytes before the %%EOF.
constexpr std::size_t kTailWindow = 512;

// A cursor over the bytes that reads tokens as PoDoFo's tokenizer does, as
// far as this index needs: white space skipped, a token a run of regular
// characters. A comment anywhere PoDoFo would skip one is not read here.
struct Cursor {
  std::string_view b;
  std::size_t at = 0;

  void skip_white() {
    while (at < b.size() && chars::white(b[at])) ++at;
  }
  // The token at `at` (after white space), or "" at a delimiter or the end.
  std::string_view token() {
    skip_white();
    const std::size_t from = at;
    while (at < b.size() && chars::regular(b[at])) ++at;
    return b.substr(from, at - from);
  }
  // The token ended by white space, or by a delimiter other than '%' (PoDoFo
  // takes a comment right after a token with it), not by the end.
  bool ended_cleanly() const { return at < b.size() && b[at] != '%'; }
  bool ended_by_white() const { return at < b.size() && chars::white(b[at]); }
  // A token of 1 to `max_digits` digits, as strtol reads it.
  std::optional<std::uint64_t> number(std::size_t max_digits) {
    const std::string_view t = token();
    if (t.empty() || t.size() > max_digits) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : t) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
  }
};

bool digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One 20-byte entry "oooooooooo ggggg n" and an end of line PoDoFo accepts
// (CR LF, LF CR, or a space before CR or LF): the values sscanf reads from it.
struct Entry {
  std::uint64_t offset = 0, generation = 0;
  char use = 0;
};
std::optional<Entry> entry(std::string_view e) {
  if (!digits(e.substr(0, 10)) || e[10] != ' ' || !digits(e.substr(11, 5)) || e[16] != ' ' ||
      (e[17] != 'n' && e[17] != 'f'))
    return std::nullopt;
  const char e1 = e[18], e2 = e[19];
  if (!((e1 == '\r' && e2 == '\n') || (e1 == '\n' && e2 == '\r') ||
        (e1 == ' ' && (e2 == '\r' || e2 == '\n'))))
    return std::nullopt;
  Entry r;
  for (char c : e.substr(0, 10)) r.offset = r.offset * 10 + static_cast<std::uint64_t>(c - '0');
  for (char c : e.substr(11, 5))
    r.generation = r.generation * 10 + static_cast<std::uint64_t>(c - '0');
  r.use = e[17];
  return r;
}

// The header "N G obj" at `offset` (after white space): where the body
// starts, if N is `number` and G fits PoDoFo's 16 bits.
std::optional<ObjectIndex::Entry> header(std::string_view b, std::size_t offset,
                                         std::uint64_t number) {
  Cursor c{b, static_cast<std::size_t>(offset)};
  const auto n = c.number(10);
  if (!n || *n != number || !c.ended_by_white()) return std::nullopt;
  const auto g = c.number(5);
  if (!g || *g > 0xFFFF || !c.ended_by_white()) return std::nullopt;
  if (c.token() != "obj" || !c.ended_cleanly()) return std::nullopt;
  return ObjectIndex::Entry{c.at, static_cast<std::uint16_t>(*g)};
}

}  // namespace

std::size_t stream_data_start(std::string_view b, std::size_t at) {
  while (at < b.size() && b[at] == ' ') ++at;
  if (at >= b.size()) return npos;
  if (chars::white(b[at])) {
    if (b[at] == '\r' && at + 1 < b.size() && b[at + 1] == '\n') ++at;
    ++at;
  }
  return at;
}

std::optional<ObjectIndex> read_object_index(std::string_view b) {
  if (b.size() < 8 || !b.starts_with("%PDF-")) return std::nullopt;
  // PoDoFo searches the tokens in the bytes before the last %%EOF (all but
  // the byte just before it), at most 512 of them, the last occurrence
  // wins, and one at the very start of that window is an error.
  const std::size_t eof = b.rfind("%%EOF");
  if (eof == npos || eof < 1) return std::nullopt;
  const std::size_t window_end = eof - 1;
  const std::size_t window_start = window_end - std::min(window_end, kTailWindow);
  const std::string_view window = b.substr(window_start, window_end - window_start);
  const std::size_t startxref = window.rfind("startxref");
  const std::size_t trailer = window.rfind("trailer");
  if (startxref == npos || startxref == 0 || trailer == npos || trailer == 0) return std::nullopt;

  Cursor c{b, window_start + startxref};
  if (c.token() != "startxref" || !c.ended_cleanly()) return std::nullopt;
  const auto xref = c.number(18);
  if (!xref || *xref >= b.size()) return std::nullopt;  // PoDoFo looks for one elsewhere

  c.at = static_cast<std::size_t>(*xref);
  if (c.token() != "xref" || !c.ended_cleanly()) return std::nullopt;  // a stream, or damaged
  // Subsections "first count" and their entries, until "trailer"; an entry
  // read twice keeps its first reading, as PoDoFo.
  std::vector<Entry> entries;
  std::vector<bool> read;
  for (int section = 0;; ++section) {
    if (section > 0) {
      const std::size_t at = c.at;
      if (c.token() == "trailer") {
        if (!c.ended_cleanly()) return std::nullopt;
        break;
      }
      c.at = at;
    }
    const auto first = c.number(7);
    if (!first || !c.ended_by_white()) return std::nullopt;
    const auto count = c.number(7);
    if (!count || !c.ended_by_white()) return std::nullopt;
    if (*first + *count > kMaxIndexedObjects) return std::nullopt;
    c.skip_white();
    if (*count > (b.size() - c.at) / 20) return std::nullopt;  // PoDoFo: too few entries
    const std::size_t end = static_cast<std::size_t>(*first + *count);
    if (entries.size() < end) {
      entries.resize(end);
      read.resize(end);
    }
    for (auto i = static_cast<std::size_t>(*first); i < end; ++i, c.at += 20) {
      const auto e = entry(b.substr(c.at, 20));
      if (!e) return std::nullopt;
      if (read[i]) continue;
      read[i] = true;
      entries[i] = *e;
    }
  }
  // PoDoFo's trailer is the last "trailer" before %%EOF; merged with the one
  // after this table, it adds nothing only when they are the same.
  if (c.at != window_start + trailer + 7) return std::nullopt;

  ObjectIndex index;
  index.trailer = parse_value(b, c.at, ObjectKeys::All);
  if (!index.trailer || !index.trailer->IsDictionary()) return std::nullopt;
  const PoDoFo::PdfDictionary& t = index.trailer->GetDictionary();
  for (const char* k : {"Prev", "XRefStm", "Encrypt"})
    if (t.HasKey(k)) return std::nullopt;
  const PoDoFo::PdfObject* size = t.GetKey("Size");
  if (!size || !size->IsNumber() || size->GetNumber() < 0 ||
      size->GetNumber() > static_cast<PoDoFo::pdf_int64>(kMaxIndexedObjects))
    return std::nullopt;
  const PoDoFo::PdfObject* root = t.GetKey("Root");
  if (!root || !root->IsReference()) return std::nullopt;
  index.objects.resize(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    if (!read[i] || e.use != 'n' || e.offset == 0) continue;  // free, as PoDoFo treats it
    if (e.offset >= b.size()) return std::nullopt;            // PoDoFo drops it, with a log
    const auto h = header(b, static_cast<std::size_t>(e.offset), i);
    if (!h) return std::nullopt;
    index.objects[i] = *h;
  }
  return index;
}

}  // namespace yoshiki::pdf
