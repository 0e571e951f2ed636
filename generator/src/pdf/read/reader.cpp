#include "pdf/read/reader.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "pdf/read/flat_text.h"
#include "pdf/read/lexer.h"
#include "pdf/read/object_index.h"
#include "pdf/read/objects.h"
#include "pdf/write/podofo_wrap.h"
#include "yoshiki/yoshiki.h"

using namespace PoDoFo;

namespace yoshiki::pdf {
namespace {

constexpr int kMaxDepth = 32;                          // field trees deeper than this are hostile
constexpr std::size_t kMaxAttachmentBytes = 8u << 20;  // form data is KBs; 8 MB is generous
// All embedded files together: what a reader inflates, holds and (in a
// worker) sends its caller. 64 names for one 8 MB stream made a 10 KB PDF
// cost the parent 528 MB.
constexpr std::size_t kMaxAttachmentsBytes = 16u << 20;

// Thrown while reading through the reader's own index (object_index.h)
// at anything it does not read exactly as PoDoFo would: the file is then
// read again, loaded by PoDoFo.
struct UsePoDoFo {};

using HeldCopy = std::unique_ptr<char, void (*)(void*)>;

// The document as the reader sees it: the objects of the reader's own index
// (object_index.h), or PoDoFo's cross-reference and objects. Either way an
// object is parsed from the bytes by objects.h when it is plain (two thirds
// of the reading time went into PoDoFo parsing the fields' dictionaries),
// each once; on the index, every object is, or the file goes to PoDoFo.
struct Source {
  Source(std::string_view b, const PdfMemDocument* loaded, const ObjectIndex* own)
      : bytes(b), pdf(loaded), index(own) {}

  std::string_view bytes;
  const PdfMemDocument* pdf = nullptr;  // PoDoFo's load, or
  const ObjectIndex* index = nullptr;   // the reader's own
  const PdfObject* catalog = nullptr;
  // What object() answered for each reference asked (ours, PoDoFo's or
  // null): the walk asks for most objects several times, and each answer
  // was PoDoFo's look-up, a dynamic_cast and a search here again.
  std::unordered_map<std::uint64_t, const PdfObject*> answers;
  std::vector<std::unique_ptr<PdfObject>> parsed;  // by objects.h
  // On the index: the raw data of each stream object read.
  std::unordered_map<const PdfObject*, std::string_view> streams;

  const PdfObject* object(const PdfReference& ref) {
    const std::uint64_t id = std::uint64_t{ref.ObjectNumber()} << 16 | ref.GenerationNumber();
    auto [it, fresh] = answers.try_emplace(id, nullptr);
    if (!fresh) return it->second;
    if (index) return it->second = indexed(ref, ObjectKeys::Read);
    PdfObject* o = pdf->GetObjects().GetObject(ref);
    it->second = o;
    // Not a single call on `o` before this: any would make PoDoFo parse it.
    auto* lazy = dynamic_cast<PdfParserObject*>(o);
    if (!lazy || lazy->GetOffset() <= 0) return o;
    if (auto mine = parse_plain_object(bytes, static_cast<std::size_t>(lazy->GetOffset()))) {
      it->second = mine.get();
      parsed.push_back(std::move(mine));
    }
    return it->second;
  }

  // The object of the index `ref` names, null if none (as PoDoFo's
  // look-up); a stream's data found as PoDoFo finds them.
  const PdfObject* indexed(const PdfReference& ref, ObjectKeys keys) {
    const std::size_t body = index->body(ref.ObjectNumber(), ref.GenerationNumber());
    if (body == 0) return nullptr;
    auto o = parse_object(bytes, body, keys);
    if (!o) throw UsePoDoFo{};
    if (o->stream != std::string_view::npos)
      streams.emplace(o->value.get(), stream_data(*o->value, o->stream));
    parsed.push_back(std::move(o->value));
    return parsed.back().get();
  }

  // PoDoFo's reading of a stream: /Length a direct integer, or a reference
  // to one; the data from the end of line after the keyword. Any other
  // /Length, or data past the end, PoDoFo reads in its own way.
  std::string_view stream_data(const PdfObject& dict, std::size_t keyword_end) const {
    const PdfObject* length = dict.GetDictionary().GetKey(PdfName::KeyLength);
    if (length && length->IsReference()) {
      const std::size_t body = index->body(length->GetReference().ObjectNumber(),
                                           length->GetReference().GenerationNumber());
      auto l = body ? parse_object(bytes, body, ObjectKeys::Read) : std::nullopt;
      if (!l || l->stream != std::string_view::npos || !l->value->IsNumber()) throw UsePoDoFo{};
      return stream_bytes(l->value->GetNumber(), keyword_end);
    }
    if (!length || !length->IsNumber()) throw UsePoDoFo{};
    return stream_bytes(length->GetNumber(), keyword_end);
  }
  std::string_view stream_bytes(pdf_int64 length, std::size_t keyword_end) const {
    const std::size_t at = stream_data_start(bytes, keyword_end);
    if (at == std::string_view::npos || length < 0 ||
        static_cast<std::uint64_t>(length) > bytes.size() - at)
      throw UsePoDoFo{};
    return bytes.substr(at, static_cast<std::size_t>(length));
  }

  bool has_stream(const PdfObject* o) const { return index ? streams.count(o) : o->HasStream(); }
  // The stream's bytes as the file has them (still encoded); `hold` keeps
  // PoDoFo's copy.
  std::optional<std::string_view> raw_stream(const PdfObject* o, HeldCopy& hold) const {
    if (index) return streams.at(o);
    char* raw = nullptr;
    pdf_long raw_len = 0;
    o->GetStream()->GetCopy(&raw, &raw_len);
    hold.reset(raw);
    if (!raw || raw_len < 0) return std::nullopt;
    return std::string_view(raw, static_cast<std::size_t>(raw_len));
  }
};

const PdfObject* resolve(Source& doc, const PdfObject* o) {
  for (int i = 0; o && o->IsReference() && i < 8; ++i) o = doc.object(o->GetReference());
  return o && o->IsReference() ? nullptr : o;
}

const PdfObject* key(Source& doc, const PdfObject* dict, const char* k) {
  if (!dict || !dict->IsDictionary()) return nullptr;
  return resolve(doc, dict->GetDictionary().GetKey(PdfName(k)));
}

std::string as_text(const PdfObject* o) {
  if (!o) return "";
  if (o->IsString() || o->IsHexString()) return o->GetString().GetStringUtf8();
  if (o->IsName()) return o->GetName().GetName();
  return "";
}

// A signature dictionary's /ByteRange: [0 a b c] covers the file's first a
// bytes and the c bytes from b (the gap between is the /Contents string), so
// the signed revision is the file's first b + c bytes.
PdfSignature signature_of(Source& doc, std::string name, const PdfObject* v,
                          std::size_t file_size) {
  PdfSignature s;
  s.field = std::move(name);
  const PdfObject* range = key(doc, v, "ByteRange");
  if (!range || !range->IsArray() || range->GetArray().size() != 4) return s;
  std::array<pdf_int64, 4> r{};
  for (std::size_t i = 0; i < r.size(); ++i) {
    const PdfObject* x = resolve(doc, &range->GetArray()[i]);
    if (!x || !x->IsNumber() || x->GetNumber() < 0) return s;
    r[i] = x->GetNumber();
  }
  if (r[0] != 0 || r[1] <= 0 || r[2] < r[1]) return s;
  auto end = static_cast<std::uint64_t>(r[2]) + static_cast<std::uint64_t>(r[3]);
  if (end > file_size) return s;
  s.byte_range_valid = true;
  s.signed_bytes = static_cast<std::size_t>(end);
  return s;
}

// A field name (/T) as UTF-8 with any control character kept, and whether
// it holds one: C0, DEL or C1 in UTF-16, C0 or DEL in PDFDocEncoding (whose
// 0x80…0x9F are printable). PoDoFo's own UTF-8 text stops at a NUL, which
// made "applicant/name\0x" read as "applicant/name".
struct NameText {
  std::string text;
  bool control = false;
};
NameText name_text(const PdfObject* o) {
  NameText r;
  if (!o || !(o->IsString() || o->IsHexString())) {
    r.text = as_text(o);
    return r;
  }
  const PdfString& s = o->GetString();
  auto control = [](unsigned c) { return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f); };
  if (s.IsUnicode()) {
    const auto* units = reinterpret_cast<const unsigned char*>(s.GetUnicode());
    const std::size_t n = static_cast<std::size_t>(std::max<pdf_long>(0, s.GetUnicodeLength()));
    auto unit = [&](std::size_t i) { return unsigned(units[2 * i]) << 8 | units[2 * i + 1]; };
    for (std::size_t i = 0; i < n; ++i) r.control = r.control || control(unit(i));
    if (!r.control) {
      r.text = s.GetStringUtf8();
      return r;
    }
    for (std::size_t i = 0; i < n; ++i) {
      unsigned c = unit(i);
      if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && unit(i + 1) >= 0xDC00 && unit(i + 1) < 0xE000)
        c = 0x10000 + ((c - 0xD800) << 10) + (unit(++i) - 0xDC00);
      else if (c >= 0xD800 && c < 0xE000)
        c = 0xFFFD;  // a lone surrogate half
      if (c < 0x80) {
        r.text += static_cast<char>(c);
      } else if (c < 0x800) {
        r.text += {static_cast<char>(0xC0 | c >> 6), static_cast<char>(0x80 | (c & 0x3F))};
      } else if (c < 0x10000) {
        r.text += {static_cast<char>(0xE0 | c >> 12), static_cast<char>(0x80 | (c >> 6 & 0x3F)),
                   static_cast<char>(0x80 | (c & 0x3F))};
      } else {
        r.text += {static_cast<char>(0xF0 | c >> 18), static_cast<char>(0x80 | (c >> 12 & 0x3F)),
                   static_cast<char>(0x80 | (c >> 6 & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
      }
    }
    return r;
  }
  const std::string_view bytes(s.GetString(),
                               static_cast<std::size_t>(std::max<pdf_long>(0, s.GetLength())));
  // Runs between control bytes go through PoDoFo's PDFDocEncoding table.
  std::size_t run = 0;
  for (std::size_t i = 0; i <= bytes.size(); ++i) {
    const bool end = i == bytes.size();
    const auto c = end ? 0u : static_cast<unsigned char>(bytes[i]);
    if (!end && !(c < 0x20 || c == 0x7f)) continue;
    if (i > run)
      r.text += PdfString(bytes.data() + run, static_cast<pdf_long>(i - run)).GetStringUtf8();
    if (!end) {
      r.control = true;
      r.text += static_cast<char>(c);
    }
    run = i + 1;
  }
  return r;
}

// A widget annotation that shows on the page: neither Hidden (flag 2) nor
// NoView (flag 32), and a /Rect at least a point wide and high.
bool widget_visible(Source& doc, const PdfObject* w) {
  if (auto* f = key(doc, w, "F"); f && f->IsNumber() && (f->GetNumber() & (2 | 32))) return false;
  const PdfObject* rect = key(doc, w, "Rect");
  if (!rect || !rect->IsArray() || rect->GetArray().size() != 4) return false;
  std::array<double, 4> r{};
  for (std::size_t i = 0; i < r.size(); ++i) {
    const PdfObject* x = resolve(doc, &rect->GetArray()[i]);
    if (!x || !(x->IsNumber() || x->IsReal())) return false;
    r[i] = x->GetReal();
  }
  return std::abs(r[2] - r[0]) >= 1 && std::abs(r[3] - r[1]) >= 1;
}

struct Walker {
  Source& doc;
  PdfFormContent& out;
  std::size_t file_size;
  std::set<const PdfObject*> seen;  // cyclic /Kids are hostile
  // Every data field read, by name, in /Fields order: which of them is read
  // is decided once all are known (resolve()).
  struct Reading {
    bool button;
    std::string value;
    bool visible;
  };
  std::map<std::string, std::vector<Reading>> readings;
  std::set<std::string> control_names;

  void field(const PdfObject* f, const std::string& parent_name, std::string ft, const PdfObject* v,
             long ff, int depth, bool control = false) {
    if (!f || !f->IsDictionary() || depth > kMaxDepth || !seen.insert(f).second) return;
    NameText t = name_text(key(doc, f, "T"));
    control = control || t.control;
    std::string name = t.text.empty()        ? parent_name
                       : parent_name.empty() ? t.text
                                             : parent_name + "." + t.text;
    if (auto* x = key(doc, f, "FT"); x && x->IsName()) ft = x->GetName().GetName();
    if (auto* x = key(doc, f, "V")) v = x;
    if (auto* x = key(doc, f, "Ff"); x && x->IsNumber()) ff = static_cast<long>(x->GetNumber());
    const PdfObject* kids = key(doc, f, "Kids");
    bool has_field_kids = false;
    bool visible = key(doc, f, "Rect") && widget_visible(doc, f);  // a field and its widget in one
    if (kids && kids->IsArray()) {
      for (const auto& k : kids->GetArray()) {
        const PdfObject* kid = resolve(doc, &k);
        if (key(doc, kid, "T")) {
          has_field_kids = true;
          field(kid, name, ft, v, ff, depth + 1, control);
        } else {
          visible = visible || widget_visible(doc, kid);
        }
      }
    }
    if (has_field_kids || name.empty()) return;
    const bool data_field = ft == "Tx" || ft == "Ch" || (ft == "Btn" && !(ff & (1 << 16)));
    if (control && data_field) {
      control_names.insert(name);
      return;
    }
    if (ft == "Tx" || ft == "Ch") {
      readings[name].push_back({false, as_text(v), visible});
    } else if (ft == "Sig") {
      if (v && v->IsDictionary()) out.signatures.push_back(signature_of(doc, name, v, file_size));
    } else if (data_field) {  // a check box or radio group, not a push button
      std::string state = as_text(v);
      if (state.empty()) {  // no /V: the widget whose /AS is on
        auto on_state = [&](const PdfObject* w) {
          std::string as = as_text(key(doc, w, "AS"));
          if (!as.empty() && as != "Off") state = as;
        };
        on_state(f);
        if (kids && kids->IsArray())
          for (const auto& k : kids->GetArray()) on_state(resolve(doc, &k));
      }
      // pypdf writes states as strings, sometimes with the name's slash ("/2").
      if (!state.empty() && state[0] == '/') state.erase(0, 1);
      readings[name].push_back({true, state == "Off" ? "" : state, visible});
    }
  }

  // One value per name: the last visible field's, else the last field's.
  // Never silently: every other field of the name, and every invisible one,
  // is a problem the caller reports.
  void resolve_readings() {
    using Kind = FieldProblem::Kind;
    for (const auto& name : control_names) out.field_problems.push_back({Kind::ControlName, name});
    for (auto& [name, list] : readings) {
      std::size_t chosen = list.size() - 1;
      for (std::size_t i = list.size(); i-- > 0;)
        if (list[i].visible) {
          chosen = i;
          break;
        }
      if (list.size() > 1)
        out.field_problems.push_back({Kind::Duplicate, name, static_cast<int>(list.size())});
      bool hidden_read = false, hidden_ignored = false;
      for (std::size_t i = 0; i < list.size(); ++i)
        if (!list[i].visible) (i == chosen ? hidden_read : hidden_ignored) = true;
      if (hidden_read) out.field_problems.push_back({Kind::HiddenRead, name});
      if (hidden_ignored) out.field_problems.push_back({Kind::HiddenIgnored, name});
      Reading& r = list[chosen];
      (r.button ? out.buttons : out.text)[name] = std::move(r.value);
    }
  }
};

// zlib inflation that stops once the output passes `limit` bytes: a few KB
// of Flate can inflate to gigabytes. A truncated stream keeps what came.
struct Inflated {
  std::string bytes;
  bool complete = false;    // the stream ended, or was merely truncated
  bool over_limit = false;  // stopped at the limit
};
Inflated inflate_bounded(std::string_view raw, std::size_t limit) {
  Inflated r;
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return r;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  char chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    r.bytes.append(chunk, sizeof chunk - z.avail_out);
    if (r.bytes.size() > limit) {
      r.over_limit = true;
      break;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;  // truncated stream: keep what came
  }
  inflateEnd(&z);
  r.complete = rc == Z_STREAM_END || rc == Z_BUF_ERROR;
  return r;
}

// The decoded stream, or nullopt when it would exceed `limit` bytes or uses
// a filter other than none or FlateDecode. Inflated here with zlib and a
// bound: a few KB of Flate can inflate to gigabytes, and PoDoFo's decoders
// are not exception-safe to stop half-way.
std::optional<std::string> decoded(Source& doc, const PdfObject* o, std::size_t limit) {
  if (!o || !doc.has_stream(o)) return std::nullopt;
  const PdfObject* filter = key(doc, o, "Filter");
  bool flate = false;
  if (filter && filter->IsName()) {
    flate = filter->GetName().GetName() == "FlateDecode";
    if (!flate) return std::nullopt;
  } else if (filter && filter->IsArray()) {
    const PdfArray& a = filter->GetArray();
    if (a.size() != 1 || !a[0].IsName() || a[0].GetName().GetName() != "FlateDecode")
      return std::nullopt;
    flate = true;
  } else if (filter) {
    return std::nullopt;
  }
  if (flate && key(doc, o, "DecodeParms")) return std::nullopt;  // predictors: not for XML
  HeldCopy hold(nullptr, podofo_free);
  const std::optional<std::string_view> raw = doc.raw_stream(o, hold);
  if (!raw) return std::nullopt;
  if (!flate) {
    if (raw->size() > limit) return std::nullopt;
    return std::string(*raw);
  }
  auto inflated = inflate_bounded(*raw, limit);
  if (!inflated.complete || inflated.over_limit) return std::nullopt;
  return std::move(inflated.bytes);
}

// <yoshiki:formId>…</yoshiki:formId> in the XMP packet: survives tools that
// rebuild the Info dictionary but keep the catalog (pypdf).
std::string xmp_value(Source& doc, const std::string& tag) {
  auto packet = decoded(doc, key(doc, doc.catalog, "Metadata"), 1 << 20);
  if (!packet) return "";
  const std::string& xmp = *packet;
  const std::string open = "<yoshiki:" + tag + ">", close = "</yoshiki:" + tag + ">";
  size_t a = xmp.find(open);
  if (a == std::string::npos) return "";
  a += open.size();
  size_t b = xmp.find(close, a);
  return b == std::string::npos || b - a > 64 ? "" : xmp.substr(a, b - a);
}

}  // namespace

bool attachment_is_read_back(std::string_view file_name) {
  return file_name == "data.xml" || file_name == "settings.xml";
}

namespace {

void read_attachments(Source& doc, PdfFormContent& out) {
  const PdfObject* names = key(doc, doc.catalog, "Names");
  const PdfObject* ef = key(doc, names, "EmbeddedFiles");
  const PdfObject* arr = key(doc, ef, "Names");  // flat name tree (what yoshiki writes)
  if (!arr || !arr->IsArray()) return;
  const PdfArray& a = arr->GetArray();
  std::size_t budget = kMaxAttachmentsBytes;
  for (size_t i = 0; i + 1 < a.size() && i < 64; i += 2) {
    std::string fname = as_text(resolve(doc, &a[i]));
    const PdfObject* spec = resolve(doc, &a[i + 1]);
    const PdfObject* efd = key(doc, spec, "EF");
    // Data attachments are small XML: anything inflating past the XML size
    // limit or the budget left is ignored (the fields still count), never
    // decoded in full. A name seen twice keeps its first file.
    if (out.attachments.count(fname)) continue;
    if (auto bytes = decoded(doc, key(doc, efd, "F"), std::min(kMaxAttachmentBytes, budget))) {
      budget -= bytes->size();
      out.attachments[fname] = std::move(*bytes);
    } else {
      out.skipped_attachments.push_back(std::move(fname));
    }
  }
}

// `needle` (not empty) in `hay` from `from` on (npos if absent). memchr
// for its first byte, then one memcmp there: glibc's memmem (two-way) cost
// ~1.4 instructions a byte over the whole file, memchr a fraction of that.
// std::string_view::find would compare at every occurrence of the first
// byte through char_traits; here, in fuzz builds, only those memcmp calls
// go through libFuzzer's comparison hook.
std::size_t find_bytes(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  if (from > hay.size() || needle.size() > hay.size() - from) return std::string_view::npos;
  const char* p = hay.data() + from;
  const char* const last = hay.data() + (hay.size() - needle.size());  // the last start
  while (p <= last) {
    p = static_cast<const char*>(std::memchr(p, needle[0], static_cast<std::size_t>(last - p) + 1));
    if (!p) break;
    if (std::memcmp(p + 1, needle.data() + 1, needle.size() - 1) == 0)
      return static_cast<std::size_t>(p - hay.data());
    ++p;
  }
  return std::string_view::npos;
}

constexpr int kMaxNesting = 256;

// The PDF's bytes as PoDoFo's input device, without a copy and without an
// std::istream: PoDoFo's buffer device copies the whole file twice, and its
// tokenizer reads one character at a time through the device, where an
// istream's get/peek (a sentry each) cost a sixth of the reading. The
// device's calls keep istream's state bits exactly as PoDoFo 0.9.8's own
// istream device sees them (it calls get, peek, tellg, seekg, read and
// nothing more), so PoDoFo reads every file, damaged ones too, the same way.
class MemoryDevice : public PdfInputDevice {
 public:
  explicit MemoryDevice(std::string_view b) : b_(b) { SetSeekable(true); }

  std::streamoff Tell() const override {
    if (!sentry()) return -1;
    return static_cast<std::streamoff>(at_);
  }
  int GetChar() const override {
    if (!sentry()) return EOF;
    if (at_ == b_.size()) {
      state_ |= std::ios_base::eofbit | std::ios_base::failbit;
      return EOF;
    }
    return static_cast<unsigned char>(b_[at_++]);
  }
  int Look() const override {
    if (!sentry()) return EOF;
    if (at_ == b_.size()) {
      state_ |= std::ios_base::eofbit;
      return EOF;
    }
    return static_cast<unsigned char>(b_[at_]);
  }
  void Seek(std::streamoff off, std::ios_base::seekdir dir) override {
    state_ &= ~std::ios_base::eofbit;  // seekg clears eofbit first (N3168)
    if (!sentry()) return;
    const std::streamoff base = dir == std::ios_base::beg ? 0
                                : dir == std::ios_base::cur
                                    ? static_cast<std::streamoff>(at_)
                                    : static_cast<std::streamoff>(b_.size());
    const std::streamoff to = base + off;
    if (to < 0 || to > static_cast<std::streamoff>(b_.size()))
      state_ |= std::ios_base::failbit;
    else
      at_ = static_cast<std::size_t>(to);
  }
  std::streamoff Read(char* buffer, std::streamsize len) override {
    if (!sentry() || len <= 0) return 0;
    const std::size_t n = std::min(static_cast<std::size_t>(len), b_.size() - at_);
    std::memcpy(buffer, b_.data() + at_, n);
    at_ += n;
    if (n < static_cast<std::size_t>(len)) state_ |= std::ios_base::eofbit | std::ios_base::failbit;
    return static_cast<std::streamoff>(n);
  }
  bool Eof() const override { return state_ & std::ios_base::eofbit; }
  bool Bad() const override { return state_ & std::ios_base::badbit; }
  void Clear(std::ios_base::iostate state) const override { state_ = state; }

 private:
  // An istream sentry: a stream not good() fails the call and sets failbit.
  bool sentry() const {
    if (state_ == std::ios_base::goodbit) return true;
    state_ |= std::ios_base::failbit;
    return false;
  }
  std::string_view b_;
  mutable std::size_t at_ = 0;
  mutable std::ios_base::iostate state_ = std::ios_base::goodbit;
};

// Object streams and cross-reference streams are inflated by PoDoFo while
// it loads the file, without any bound, and the objects inside an object
// stream are parsed as recursively as the plain ones. So before PoDoFo sees
// the file, the tokenizer (lexer.h) finds each such stream — by what its
// dictionary says, names decoded, and by /N and /First when /Type is
// missing — and each is inflated here with a budget for all of them
// together: a decompression bomb is refused, and the nesting inside is
// measured like the plain bytes' — the same answer in-process as in a
// worker. A structure stream in a filter other than FlateDecode alone is
// refused: no PDF writer makes one.
constexpr std::size_t kMaxStructureBytes = 64u << 20;

struct StructureStreams {
  int nesting = 0;
  bool javascript = false;  // an action inside an object stream
  bool over_budget = false;
  bool unsupported_filter = false;
};

StructureStreams check_structure_streams(std::string_view b, const lex::Scan& scan) {
  StructureStreams r;
  std::size_t decoded = 0;
  for (const lex::StructureStream& s : scan.structure_streams) {
    const bool flate = s.filters.size() == 1 && s.filters[0] == "FlateDecode";
    if (s.filter_unreadable || s.filters.size() > 1 || (!s.filters.empty() && !flate)) {
      r.unsupported_filter = true;
      return r;
    }
    std::string_view raw = b.substr(s.data, s.size);
    std::string plain;
    if (flate) {
      auto inflated = inflate_bounded(raw, kMaxStructureBytes - decoded);
      if (inflated.over_limit) {
        r.over_budget = true;
        return r;
      }
      plain = std::move(inflated.bytes);
    } else {
      if (raw.size() > kMaxStructureBytes - decoded) {
        r.over_budget = true;
        return r;
      }
      plain = raw;
    }
    decoded += plain.size();
    if (s.object_stream) {
      const lex::Scan inner = lex::scan(plain);
      r.nesting = std::max(r.nesting, inner.max_depth);
      r.javascript = r.javascript || inner.javascript;
    }
  }
  return r;
}

// Each incremental update appends a new xref section ending in startxref.
int incremental_updates(std::string_view bytes) {
  int n = 0;
  for (size_t at = find_bytes(bytes, "startxref"); at != std::string_view::npos;
       at = find_bytes(bytes, "startxref", at + 9))
    ++n;
  return std::max(0, n - 1);
}

using Values = std::map<std::string, std::string>;

// The keys whose values differ between two readings: every key of either
// side, compared once across each pair of maps (a field is in the text or
// the button map). absent_as_empty: a key missing from a map reads as ""
// (a field cleared and a field removed look alike on the page); otherwise
// a missing key differs from any value (an embedded file added or removed).
std::vector<std::string> differing_keys(
    std::initializer_list<std::pair<const Values*, const Values*>> pairs, bool absent_as_empty) {
  std::set<std::string> keys;
  for (const auto& [a, b] : pairs)
    for (const Values* m : {a, b})
      for (const auto& entry : *m) keys.insert(entry.first);
  auto value = [](const Values& m, const std::string& k) -> std::optional<std::string_view> {
    auto it = m.find(k);
    if (it == m.end()) return std::nullopt;
    return std::string_view(it->second);
  };
  std::vector<std::string> out;
  for (const auto& k : keys) {
    for (const auto& [a, b] : pairs) {
      auto x = value(*a, k), y = value(*b, k);
      if (absent_as_empty ? x.value_or("") != y.value_or("") : x != y) {
        out.push_back(k);
        break;
      }
    }
  }
  return out;
}

// A form is signed once or twice; a file claiming more signed revisions than
// this is not parsed again for each (every comparison re-reads a revision).
constexpr std::size_t kMaxSignedRevisions = 4;

PdfFormContent read_form(std::string_view bytes, const std::string& name, bool compare_signed);

// For each signature that bytes follow: read the signed revision and name
// the fields and embedded files changed since. A field changed after
// signing stays as it is now (it shows on the page and is reported); an
// embedded file (the data.xml a reader falls back on) does not show, so the
// one the latest readable signature covers is put back in its place.
void compare_signed_revisions(std::string_view bytes, const std::string& name,
                              PdfFormContent& out) {
  struct Revision {
    std::vector<std::string> fields, attachments;
    std::map<std::string, std::string> signed_attachments;
  };
  std::map<std::size_t, std::optional<Revision>> revisions;  // end → what changed since
  for (PdfSignature& s : out.signatures) {
    if (!s.byte_range_valid) continue;
    auto rest = bytes.substr(s.signed_bytes);
    s.changed_after = rest.find_first_not_of(" \t\r\n\f", 0) != std::string_view::npos;
    if (!s.changed_after) continue;
    auto it = revisions.find(s.signed_bytes);
    if (it == revisions.end()) {
      std::optional<Revision> changes;
      if (revisions.size() < kMaxSignedRevisions) {
        try {
          PdfFormContent then = read_form(bytes.substr(0, s.signed_bytes), name, false);
          changes = Revision{
              differing_keys({{&then.text, &out.text}, {&then.buttons, &out.buttons}}, true),
              differing_keys({{&then.attachments, &out.attachments}}, false),
              std::move(then.attachments)};
        } catch (const Error&) {  // not a complete PDF: the signature covers no revision
        }
      }
      it = revisions.emplace(s.signed_bytes, std::move(changes)).first;
    }
    s.signed_revision_read = it->second.has_value();
    if (it->second) {
      s.changed_fields = it->second->fields;
      s.changed_attachments = it->second->attachments;
    }
  }
  for (auto it = revisions.rbegin(); it != revisions.rend(); ++it) {
    if (!it->second) continue;
    for (const auto& file : it->second->attachments) {
      auto then = it->second->signed_attachments.find(file);
      if (then == it->second->signed_attachments.end())
        out.attachments.erase(file);
      else
        out.attachments[file] = then->second;
    }
    break;  // the latest signed revision read
  }
}

// What PoDoFo's load reads of a file besides its cross-reference table,
// checked on the index as PoDoFo would check it: the catalog (/Root), a
// dictionary whose /Version, if any, is direct; its /Pages, a dictionary
// whose /Type, if any, is /Pages and whose /Count is direct; /Info, if it
// names an object there is, a dictionary. Returns the Info dictionary (null
// if none); anything else goes to PoDoFo.
const PdfObject* load_indexed(Source& doc) {
  const PdfDictionary& trailer = doc.index->trailer->GetDictionary();
  auto dictionary = [&](const PdfObject* ref) -> const PdfObject* {
    if (!ref->IsReference()) throw UsePoDoFo{};
    const PdfObject* o = doc.indexed(ref->GetReference(), ObjectKeys::All);
    if (o && (!o->IsDictionary() || doc.streams.count(o))) throw UsePoDoFo{};
    return o;
  };
  doc.catalog = dictionary(trailer.GetKey("Root"));
  if (!doc.catalog) throw UsePoDoFo{};
  const PdfDictionary& catalog = doc.catalog->GetDictionary();
  if (const PdfObject* v = catalog.GetKey("Version"); v && v->IsReference()) throw UsePoDoFo{};
  const PdfObject* pages_ref = catalog.GetKey("Pages");
  const PdfObject* pages = pages_ref ? dictionary(pages_ref) : nullptr;
  if (!pages) throw UsePoDoFo{};
  const PdfObject* type = pages->GetDictionary().GetKey("Type");
  if (type && !(type->IsName() && type->GetName() == PdfName("Pages"))) throw UsePoDoFo{};
  if (const PdfObject* count = pages->GetDictionary().GetKey("Count");
      count && count->IsReference())
    throw UsePoDoFo{};
  const PdfObject* info = trailer.GetKey("Info");
  if (!info) return nullptr;
  if (info->IsReference()) return dictionary(info);
  if (!info->IsDictionary()) throw UsePoDoFo{};
  return info;
}

// The form's content, however the document was loaded.
void read_content(Source& doc, const PdfObject* info, PdfFormContent& out) {
  if (info) {
    out.form_id = as_text(key(doc, info, "YoshikiFormId"));
    out.form_version = as_text(key(doc, info, "YoshikiFormVersion"));
  }
  if (out.form_id.empty()) {
    out.form_id = xmp_value(doc, "formId");
    out.form_version = xmp_value(doc, "formVersion");
  }
  const PdfObject* form = key(doc, doc.catalog, "AcroForm");
  if (form) {
    out.has_acroform = true;
    out.has_xfa = key(doc, form, "XFA") != nullptr;
    out.has_typing_font =
        key(doc, key(doc, key(doc, form, "DR"), "Font"), "YoshikiTyping") != nullptr;
    const PdfObject* fields = key(doc, form, "Fields");
    Walker w{doc, out, doc.bytes.size(), {}, {}, {}};
    if (fields && fields->IsArray())
      for (const auto& f : fields->GetArray()) w.field(resolve(doc, &f), "", "", nullptr, 0, 0);
    w.resolve_readings();
  }
  read_attachments(doc, out);
}

PdfFormContent read_form(std::string_view bytes, const std::string& name, bool compare_signed) {
  static std::once_flag quiet;
  std::call_once(quiet, [] {
    PdfError::EnableDebug(false);
    PdfError::EnableLogging(false);
  });
  if (bytes.size() > kMaxPdfBytes) {
    throw Error(ErrorKind::InvalidInput,
                {{Severity::Error, "pdf.too-large", "PDF exceeds the size limit", name}});
  }
  const lex::Scan scan = lex::scan(bytes);
  auto structure = check_structure_streams(bytes, scan);
  // Encrypted files never reach PoDoFo's decryption code: yoshiki cannot
  // use them, PoDoFo fails on them in several ways (AES-128 with an empty
  // password: InternalLogic, and a leak), and it is more attack surface.
  // The key of the trailer or cross-reference stream that says so is enough.
  if (scan.encrypted) {
    throw Error(ErrorKind::InvalidInput,
                {{Severity::Error, "pdf.encrypted", "encrypted PDFs are not supported", name}});
  }
  // PoDoFo parses nested objects recursively, and a few hundred KB of "<<"
  // overflow its stack; nothing legitimate nests past a few dozen.
  if (scan.max_depth > kMaxNesting) {
    throw Error(ErrorKind::InvalidInput, {{Severity::Error, "pdf.too-deep",
                                           "arrays or dictionaries nested deeper than " +
                                               std::to_string(kMaxNesting) + " levels",
                                           name}});
  }
  if (structure.over_budget) {
    throw Error(ErrorKind::InvalidInput,
                {{Severity::Error, "pdf.too-large-decoded",
                  "object or cross-reference streams decode to more than " +
                      std::to_string(kMaxStructureBytes >> 20) + " MB",
                  name}});
  }
  if (structure.unsupported_filter) {
    throw Error(ErrorKind::InvalidInput,
                {{Severity::Error, "pdf.damaged",
                  "cannot read PDF: an object or cross-reference stream in a filter other "
                  "than FlateDecode alone",
                  name}});
  }
  if (structure.nesting > kMaxNesting) {
    throw Error(ErrorKind::InvalidInput,
                {{Severity::Error, "pdf.too-deep",
                  "arrays or dictionaries nested deeper than " + std::to_string(kMaxNesting) +
                      " levels inside an object stream",
                  name}});
  }
  PdfFormContent out;
  try {
    bool read = false;
    if (const std::optional<ObjectIndex> index = read_object_index(bytes)) {
      try {
        Source doc(bytes, nullptr, &*index);
        read_content(doc, load_indexed(doc), out);
        read = true;
      } catch (const UsePoDoFo&) {
      } catch (const PdfError&) {  // PoDoFo's own reading decides what it means
      }
      if (!read) out = PdfFormContent{};
    }
    if (!read) {
      auto made = new_document();
      made->LoadFromDevice(PdfRefCountedInputDevice(new MemoryDevice(bytes)));
      if (made->GetEncrypted()) {
        throw Error(ErrorKind::InvalidInput,
                    {{Severity::Error, "pdf.encrypted", "encrypted PDFs are not supported", name}});
      }
      Source doc(bytes, made.get(), nullptr);
      doc.catalog = made->GetCatalog();
      read_content(doc, made->GetInfo() ? made->GetInfo()->GetObject() : nullptr, out);
    }
    // From the tokenizer's pass: looking in every object here would make
    // PoDoFo load every object of the file (most of the reading time).
    out.has_javascript = scan.javascript || structure.javascript;
    out.updates = incremental_updates(bytes);
  } catch (const PdfError& e) {
    if (e.GetError() == ePdfError_OutOfMemory) {
      throw Error(ErrorKind::InvalidInput, {{Severity::Error, "pdf.out-of-memory",
                                             "out of memory while reading the PDF", name}});
    }
    throw Error(ErrorKind::InvalidInput,
                {{Severity::Error, "pdf.damaged",
                  std::string("cannot read PDF: ") + PdfError::ErrorName(e.GetError()), name}});
  }
  if (compare_signed) compare_signed_revisions(bytes, name, out);
  return out;
}

}  // namespace

PdfFormContent read_pdf_form(std::string_view bytes, const std::string& name) {
  PdfFormContent out = read_form(bytes, name, true);
  // No field and no attached data: a flattened or printed copy, whose
  // values are only in the page text (flat_text.h).
  if (out.text.empty() && out.buttons.empty() && !out.attachments.count("data.xml"))
    out.pages = read_page_text(bytes);
  return out;
}

}  // namespace yoshiki::pdf
