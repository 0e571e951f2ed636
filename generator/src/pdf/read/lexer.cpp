#include "pdf/read/lexer.h"

#include <algorithm>
#include <cstring>

namespace yoshiki::pdf::lex {
namespace {

bool white(unsigned char c) { return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32; }
bool delimiter(unsigned char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}
bool regular(unsigned char c) { return !white(c) && !delimiter(c); }
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

// What a dictionary says that matters here.
struct Dict {
  std::string type;  // /Type's value
  bool n = false, first = false, decode_parms = false;
  std::vector<std::string> filters;
  bool filter_unreadable = false;
  long long length = -1;  // a direct /Length
};

struct Frame {
  bool dict = false;
  bool expect_key = true;          // dictionary: the next name is a key
  std::string key;                 // dictionary: the last key read
  Dict info;                       // dictionary
  std::vector<std::string> names;  // array: the names in it (a /Filter array)
  bool only_names = true;          // array
};

enum class Token { Name, Number, Keyword, String, Array, Dict };

class Lexer {
 public:
  explicit Lexer(std::string_view b) : b_(b) {}

  Scan run() {
    const std::size_t n = b_.size();
    std::size_t i = 0;
    while (i < n) {
      const auto c = static_cast<unsigned char>(b_[i]);
      if (white(c)) {
        ++i;
      } else if (c == '%') {
        while (i < n && b_[i] != '\n' && b_[i] != '\r') ++i;
      } else if (c == '(') {
        i = literal_string_end(i);
        token(Token::String, {});
      } else if (c == '<' && i + 1 < n && b_[i + 1] == '<') {
        open(true);
        i += 2;
      } else if (c == '<') {
        const void* gt = std::memchr(b_.data() + i, '>', n - i);
        i = gt ? static_cast<std::size_t>(static_cast<const char*>(gt) - b_.data()) + 1 : n;
        token(Token::String, {});
      } else if (c == '>' && i + 1 < n && b_[i + 1] == '>') {
        close();
        i += 2;
      } else if (c == '[') {
        open(false);
        ++i;
      } else if (c == ']') {
        close();
        ++i;
      } else if (c == '/') {
        std::string name;
        for (++i; i < n && regular(static_cast<unsigned char>(b_[i])); ++i) {
          unsigned char d = static_cast<unsigned char>(b_[i]);
          if (d == '#' && i + 2 < n && hex(b_[i + 1]) >= 0 && hex(b_[i + 2]) >= 0) {
            d = static_cast<unsigned char>(hex(b_[i + 1]) << 4 | hex(b_[i + 2]));
            i += 2;
          }
          if (name.size() < kKeptNameBytes) name += static_cast<char>(d);
        }
        // /Encrypt belongs only in a trailer or a cross-reference stream;
        // seen anywhere, however the structure around it was misread, the
        // file is treated as encrypted and never reaches PoDoFo's decryption.
        if (name == "Encrypt") out_.encrypted = true;
        token(Token::Name, name);
      } else if (delimiter(c)) {  // a stray ')', '>', '{' or '}'
        ++i;
        last_closed_dict_ = false;
      } else {
        std::size_t start = i;
        while (i < n && regular(static_cast<unsigned char>(b_[i]))) ++i;
        std::string_view word = b_.substr(start, i - start);
        if (word == "stream" && last_closed_dict_) {
          i = stream(i);
        } else if (word == "trailer") {
          // PoDoFo reads the trailer on its own, whatever came before it: an
          // object left unbalanced (a hex string swallowing a ">") must not
          // count as nesting around the trailer's dictionary.
          frames_.clear();
          depth_ = 0;
          last_closed_dict_ = false;
        } else {
          bool number = word.find_first_not_of("0123456789+-.") == std::string_view::npos;
          token(number ? Token::Number : Token::Keyword, std::string(word.substr(0, 20)));
        }
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

  Frame* top() { return depth_ > 0 && depth_ <= frames_.size() ? &frames_.back() : nullptr; }

  void open(bool dict) {
    ++depth_;
    out_.max_depth =
        std::max(out_.max_depth, static_cast<int>(std::min<std::size_t>(depth_, 1 << 30)));
    if (depth_ <= kKeptFrames) {
      Frame f;
      f.dict = dict;
      frames_.push_back(std::move(f));
    }
    last_closed_dict_ = false;
  }

  // Unbalanced closers are tolerated (a damaged file), never below zero.
  void close() {
    if (depth_ == 0) {
      last_closed_dict_ = false;
      return;
    }
    const bool kept = depth_ <= frames_.size();
    --depth_;
    if (!kept) {  // below the kept frames: what it was does not matter
      token(Token::Array, {});
      return;
    }
    Frame closed = std::move(frames_.back());
    frames_.pop_back();
    if (Frame* parent = top();
        parent && parent->dict && !parent->expect_key && parent->key == "Filter" && !closed.dict) {
      parent->info.filters = std::move(closed.names);
      parent->info.filter_unreadable = !closed.only_names;
    }
    token(closed.dict ? Token::Dict : Token::Array, {});
    if (closed.dict) {
      last_dict_ = std::move(closed.info);
      last_closed_dict_ = true;
    }
  }

  // A token at the current level: a key or value of a dictionary, or an
  // element of an array.
  void token(Token kind, const std::string& text) {
    last_closed_dict_ = false;
    Frame* f = top();
    if (!f) return;
    if (!f->dict) {
      if (kind == Token::Name)
        f->names.push_back(text);
      else
        f->only_names = false;
      return;
    }
    if (f->expect_key) {
      if (kind == Token::Name) {
        if (text == "JS") out_.javascript = true;
        f->key = text;
        f->expect_key = false;
      } else if (kind == Token::Keyword && text == "R" && f->key == "Length") {
        f->info.length = -1;  // "/Length 12 0 R": the number read was an object number
      }
      return;  // otherwise the rest of a reference ("0 R") or junk
    }
    f->expect_key = true;
    Dict& d = f->info;
    if (f->key == "S" && kind == Token::Name && text == "JavaScript") out_.javascript = true;
    if (f->key == "Type") {
      d.type = kind == Token::Name ? text : "";
    } else if (f->key == "N") {
      d.n = true;
    } else if (f->key == "First") {
      d.first = true;
    } else if (f->key == "DecodeParms") {
      d.decode_parms = true;
    } else if (f->key == "Filter") {
      if (kind == Token::Name)
        d.filters = {text};
      else if (kind != Token::Array)  // an array's names were taken when it closed
        d.filter_unreadable = true;
    } else if (f->key == "Length") {
      d.length = -1;
      if (kind == Token::Number && text.find_first_not_of("0123456789") == std::string::npos &&
          text.size() <= 15)
        d.length = std::stoll(text);
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
    const bool object_stream = d.type == "ObjStm" || (d.n && d.first);
    if (object_stream || d.type == "XRef") {
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
  std::vector<Frame> frames_;
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
