#include "pdf/read/lexer.h"

#include <algorithm>
#include <cstring>

#include "pdf/read/chars.h"

namespace yoshiki::pdf::lex {
namespace {

using chars::kClass;
using chars::kDelimiter;
using chars::kNumeric;
using chars::kWhite;
bool white(unsigned char c) { return kClass[c] & kWhite; }
bool regular(unsigned char c) { return !(kClass[c] & (kWhite | kDelimiter)); }
int hex(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Frames deeper than this are only counted: what this lexer looks for sits
// in top-level dictionaries, and a frame per level of 20,000-deep nesting
// would cost memory for nothing.
constexpr std::size_t kKeptFrames = 32;
// Names are compared with a handful of short keys: longer ones are kept cut.
constexpr std::size_t kKeptNameBytes = 32;

// The dictionary keys that matter here, named once when the key is read.
enum class Key : unsigned char { Other, Type, N, First, DecodeParms, Filter, Length, S };
Key key_of(std::string_view k) {
  if (k == "Type") return Key::Type;
  if (k == "N") return Key::N;
  if (k == "First") return Key::First;
  if (k == "DecodeParms") return Key::DecodeParms;
  if (k == "Filter") return Key::Filter;
  if (k == "Length") return Key::Length;
  if (k == "S") return Key::S;
  return Key::Other;
}
enum class TypeName : unsigned char { Other, ObjStm, XRef };

// What a dictionary says that matters here.
struct Dict {
  TypeName type = TypeName::Other;  // /Type's value
  bool n = false, first = false, decode_parms = false;
  std::vector<std::string> filters;
  bool filter_unreadable = false;
  long long length = -1;  // a direct /Length
};

// Frames are reused from level to level (reset, not rebuilt), so that their
// vectors keep their capacity: no allocation per dictionary or array.
struct Frame {
  bool dict = false;
  bool expect_key = true;          // dictionary: the next name is a key
  Key key = Key::Other;            // dictionary: the last key read
  Dict info;                       // dictionary
  bool keep_names = false;         // array: the value of a /Filter, its names are kept
  std::vector<std::string> names;  // array: the names in it (a /Filter array)
  bool only_names = true;          // array

  void reset(bool is_dict, bool keep) {
    dict = is_dict;
    expect_key = true;
    key = Key::Other;
    info.type = TypeName::Other;
    info.n = info.first = info.decode_parms = info.filter_unreadable = false;
    info.filters.clear();
    info.length = -1;
    keep_names = keep;
    names.clear();
    only_names = true;
  }
};

enum class Token { Name, Number, Keyword, String, Array, Dict };

class Lexer {
 public:
  explicit Lexer(std::string_view b) : b_(b) {}

  Scan run() {
    const std::size_t n = b_.size();
    const char* const p = b_.data();
    std::size_t i = 0;
    while (i < n) {
      const auto c = static_cast<unsigned char>(p[i]);
      const unsigned char cls = kClass[c];
      if (cls & kWhite) {
        for (++i; i < n && white(static_cast<unsigned char>(p[i]));) ++i;
      } else if (!(cls & kDelimiter)) {
        // A number or a keyword; its bytes' classes tell which.
        const std::size_t start = i;
        unsigned char all = kNumeric;
        for (; i < n && regular(static_cast<unsigned char>(p[i])); ++i)
          all &= kClass[static_cast<unsigned char>(p[i])];
        std::string_view word(p + start, i - start);
        if (word == "stream" && last_closed_dict_) {
          i = stream(i);
        } else if (word == "trailer") {
          // PoDoFo reads the trailer on its own, whatever came before it: an
          // object left unbalanced (a hex string swallowing a ">") must not
          // count as nesting around the trailer's dictionary.
          kept_ = 0;
          depth_ = 0;
          last_closed_dict_ = false;
        } else {
          token(all ? Token::Number : Token::Keyword, word);
        }
      } else if (c == '/') {
        char name[kKeptNameBytes];
        std::size_t len = 0;
        for (++i; i < n && regular(static_cast<unsigned char>(p[i])); ++i) {
          unsigned char d = static_cast<unsigned char>(p[i]);
          if (d == '#' && i + 2 < n && hex(p[i + 1]) >= 0 && hex(p[i + 2]) >= 0) {
            d = static_cast<unsigned char>(hex(p[i + 1]) << 4 | hex(p[i + 2]));
            i += 2;
          }
          if (len < kKeptNameBytes) name[len++] = static_cast<char>(d);
        }
        const std::string_view text(name, len);
        // /Encrypt belongs only in a trailer or a cross-reference stream;
        // seen anywhere, however the structure around it was misread, the
        // file is treated as encrypted and never reaches PoDoFo's decryption.
        if (text == "Encrypt") out_.encrypted = true;
        token(Token::Name, text);
      } else if (c == '%') {
        while (i < n && p[i] != '\n' && p[i] != '\r') ++i;
      } else if (c == '(') {
        i = literal_string_end(i);
        token(Token::String, {});
      } else if (c == '<' && i + 1 < n && p[i + 1] == '<') {
        open(true);
        i += 2;
      } else if (c == '<') {
        const void* gt = std::memchr(p + i, '>', n - i);
        i = gt ? static_cast<std::size_t>(static_cast<const char*>(gt) - p) + 1 : n;
        token(Token::String, {});
      } else if (c == '>' && i + 1 < n && p[i + 1] == '>') {
        close();
        i += 2;
      } else if (c == '[') {
        open(false);
        ++i;
      } else if (c == ']') {
        close();
        ++i;
      } else {  // a stray ')', '>', '{' or '}'
        ++i;
        last_closed_dict_ = false;
      }
    }
    return std::move(out_);
  }

 private:
  // One past the ')' closing the literal string opened at `i`: parentheses
  // balance, a backslash escapes the next byte.
  std::size_t literal_string_end(std::size_t i) const {
    int parens = 0;
    for (; i < b_.size(); ++i) {
      if (b_[i] == '\\')
        ++i;
      else if (b_[i] == '(')
        ++parens;
      else if (b_[i] == ')' && --parens == 0)
        return i + 1;
    }
    return b_.size();
  }

  Frame* top() { return depth_ > 0 && depth_ <= kept_ ? &frames_[kept_ - 1] : nullptr; }

  void open(bool dict) {
    // Only an array that is a dictionary's /Filter value needs its names.
    const Frame* parent = top();
    const bool keep =
        !dict && parent && parent->dict && !parent->expect_key && parent->key == Key::Filter;
    ++depth_;
    out_.max_depth =
        std::max(out_.max_depth, static_cast<int>(std::min<std::size_t>(depth_, 1 << 30)));
    if (depth_ <= kKeptFrames) {
      if (frames_.size() <= kept_) frames_.emplace_back();
      frames_[kept_++].reset(dict, keep);
    }
    last_closed_dict_ = false;
  }

  // Unbalanced closers are tolerated (a damaged file), never below zero.
  void close() {
    if (depth_ == 0) {
      last_closed_dict_ = false;
      return;
    }
    const bool kept = depth_ <= kept_;
    --depth_;
    if (!kept) {  // below the kept frames: what it was does not matter
      token(Token::Array, {});
      return;
    }
    Frame& closed = frames_[--kept_];  // stays in place until the next open()
    if (Frame* parent = top(); parent && parent->dict && !parent->expect_key &&
                               parent->key == Key::Filter && !closed.dict) {
      parent->info.filters.swap(closed.names);
      parent->info.filter_unreadable = !closed.only_names;
    }
    token(closed.dict ? Token::Dict : Token::Array, {});
    if (closed.dict) {
      std::swap(last_dict_, closed.info);
      last_closed_dict_ = true;
    }
  }

  // A token at the current level: a key or value of a dictionary, or an
  // element of an array.
  void token(Token kind, std::string_view text) {
    last_closed_dict_ = false;
    Frame* f = top();
    if (!f) return;
    if (!f->dict) {
      if (kind != Token::Name)
        f->only_names = false;
      else if (f->keep_names)
        f->names.emplace_back(text);
      return;
    }
    if (f->expect_key) {
      if (kind == Token::Name) {
        if (text == "JS") out_.javascript = true;
        f->key = key_of(text);
        f->expect_key = false;
      } else if (kind == Token::Keyword && text == "R" && f->key == Key::Length) {
        f->info.length = -1;  // "/Length 12 0 R": the number read was an object number
      }
      return;  // otherwise the rest of a reference ("0 R") or junk
    }
    f->expect_key = true;
    Dict& d = f->info;
    switch (f->key) {
      case Key::S:
        if (kind == Token::Name && text == "JavaScript") out_.javascript = true;
        break;
      case Key::Type:
        d.type = kind != Token::Name ? TypeName::Other
                 : text == "ObjStm"  ? TypeName::ObjStm
                 : text == "XRef"    ? TypeName::XRef
                                     : TypeName::Other;
        break;
      case Key::N:
        d.n = true;
        break;
      case Key::First:
        d.first = true;
        break;
      case Key::DecodeParms:
        d.decode_parms = true;
        break;
      case Key::Filter:
        if (kind == Token::Name)
          d.filters.assign(1, std::string(text));
        else if (kind != Token::Array)  // an array's names were taken when it closed
          d.filter_unreadable = true;
        break;
      case Key::Length:
        d.length = -1;
        if (kind == Token::Number && text.size() <= 15 &&
            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
          d.length = 0;
          for (char c : text) d.length = d.length * 10 + (c - '0');
        }
        break;
      case Key::Other:
        break;
    }
  }

  // The stream whose keyword ends at `i`: its data is skipped (by a direct
  // /Length that lands on "endstream", else up to the next "endstream"),
  // and recorded if it is a structure stream. Returns where lexing resumes.
  std::size_t stream(std::size_t i) {
    last_closed_dict_ = false;
    const std::size_t n = b_.size();
    std::size_t data = i;
    if (data < n && b_[data] == '\r') ++data;
    if (data < n && b_[data] == '\n') ++data;
    std::size_t end = std::string_view::npos, resume = n;
    const Dict& d = last_dict_;
    if (d.length >= 0 && static_cast<unsigned long long>(d.length) <= n - data) {
      std::size_t k = data + static_cast<std::size_t>(d.length);
      while (k < n && white(static_cast<unsigned char>(b_[k]))) ++k;
      if (b_.substr(k, 9) == "endstream") {
        end = data + static_cast<std::size_t>(d.length);
        resume = k + 9;
      }
    }
    if (end == std::string_view::npos) {
      const void* at = data < n ? ::memmem(b_.data() + data, n - data, "endstream", 9) : nullptr;
      if (at) {
        end = static_cast<std::size_t>(static_cast<const char*>(at) - b_.data());
        resume = end + 9;
      } else {
        end = n;
      }
    }
    const bool object_stream = d.type == TypeName::ObjStm || (d.n && d.first);
    if (object_stream || d.type == TypeName::XRef) {
      StructureStream s;
      s.object_stream = object_stream;
      s.data = data;
      s.size = end - data;
      s.filters = d.filters;
      s.filter_unreadable = d.filter_unreadable;
      s.decode_parms = d.decode_parms;
      out_.structure_streams.push_back(std::move(s));
    }
    return resume;
  }

  std::string_view b_;
  Scan out_;
  std::vector<Frame> frames_;  // the first kept_ are in use
  std::size_t kept_ = 0;
  std::size_t depth_ = 0;
  bool last_closed_dict_ = false;  // the last token closed a dictionary: "stream" may follow
  Dict last_dict_;
};

}  // namespace

namespace {

// PoDoFo finds the trailer it decrypts by from the last "startxref": the
// offset there leads to a cross-reference table and its trailer, or to a
// cross-reference stream. The one pass above can miss that dictionary when
// stream data it skipped (up to an "endstream" placed after the trailer)
// covered it, so the place PoDoFo will read is lexed again on its own —
// at most twice kWindow bytes, whatever the file.
bool encrypt_at_startxref(std::string_view b) {
  constexpr std::size_t kWindow = 64 * 1024;
  const std::size_t at = b.rfind("startxref");
  if (at == std::string_view::npos) return false;
  std::size_t i = at + 9;
  while (i < b.size() && (b[i] == ' ' || b[i] == '\r' || b[i] == '\n' || b[i] == '\t')) ++i;
  std::size_t offset = 0, digits = 0;
  for (; i < b.size() && b[i] >= '0' && b[i] <= '9' && digits < 15; ++i, ++digits)
    offset = offset * 10 + static_cast<std::size_t>(b[i] - '0');
  if (digits == 0 || offset >= b.size()) return false;
  if (Lexer(b.substr(offset, kWindow)).run().encrypted) return true;
  const std::size_t trailer = b.find("trailer", offset);
  return trailer != std::string_view::npos && Lexer(b.substr(trailer, kWindow)).run().encrypted;
}

}  // namespace

Scan scan(std::string_view bytes) {
  Scan s = Lexer(bytes).run();
  if (!s.encrypted) s.encrypted = encrypt_at_startxref(bytes);
  return s;
}

}  // namespace yoshiki::pdf::lex
