#include "pdf/read/objects.h"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "pdf/read/chars.h"

using namespace PoDoFo;

namespace yoshiki::pdf {
namespace {

// Deeper than any form's dictionaries; past it, PoDoFo decides.
constexpr int kMaxDepth = 32;

using chars::regular;
using chars::white;  // PoDoFo's white space: NUL, TAB, LF, FF, CR, SP
bool digit(char c) { return c >= '0' && c <= '9'; }
// A run of at most 18 digits (no overflow), as strtol reads it.
long digits_value(std::string_view t) {
  long v = 0;
  for (char c : t) v = v * 10 + (c - '0');
  return v;
}

// The dictionary keys the reader looks up (reader.cpp): the values of all
// others are checked like the rest but not built, which was most of the
// cost (appearance dictionaries, /DA, /MK, /P, /Parent...).
bool wanted(std::string_view k) {
  // By length first: a field's dictionary has a dozen keys, each compared
  // with a few candidates instead of all 23.
  switch (k.size()) {
    case 1:
      return k == "F" || k == "T" || k == "V";
    case 2:
      return k == "AS" || k == "DR" || k == "EF" || k == "FT" || k == "Ff";
    case 3:
      return k == "XFA";
    case 4:
      return k == "Font" || k == "Kids" || k == "Rect";
    case 5:
      return k == "Names";
    case 6:
      return k == "Fields" || k == "Filter" || k == "Length";
    case 8:
      return k == "AcroForm" || k == "Metadata";
    case 9:
      return k == "ByteRange";
    case 11:
      return k == "DecodeParms";
    case 13:
      return k == "EmbeddedFiles" || k == "YoshikiTyping" || k == "YoshikiFormId";
    case 18:
      return k == "YoshikiFormVersion";
    default:
      return false;
  }
}

// Each reader takes `out` null to check the syntax without building the value.
class Parser {
 public:
  Parser(std::string_view b, std::size_t at, ObjectKeys keys)
      : b_(b), at_(at), every_key_(keys == ObjectKeys::All) {}

  // The value, then "endobj" (or, after a dictionary, "stream": `stream`
  // gets where the keyword ends); false: not this parser's to read.
  bool object(PdfObject& out, std::size_t* stream = nullptr) {
    if (!value(&out, 0)) return false;
    const std::string_view t = token();
    if (t == "endobj") return true;
    if (!stream || t != "stream" || !out.IsDictionary()) return false;
    // PoDoFo's tokenizer would take a comment right after the keyword with it.
    if (at_ < b_.size() && b_[at_] == '%') return false;
    *stream = at_;
    return true;
  }
  bool value_only(PdfObject& out) { return value(&out, 0); }

 private:
  void skip_white() {
    while (at_ < b_.size() && white(b_[at_])) ++at_;
  }
  // A run of regular characters (what PoDoFo calls a token).
  std::string_view token() {
    skip_white();
    std::size_t from = at_;
    while (at_ < b_.size() && regular(b_[at_])) ++at_;
    return b_.substr(from, at_ - from);
  }

  // A container is built in place (a PoDoFo container copies all it holds
  // when copied); a scalar is constructed once, then copied into its
  // container: no placeholder assigned over (operator= of a PdfObject is a
  // Clear and a copy).
  using Built = std::optional<PdfObject>;

  bool container_next() {
    skip_white();
    return at_ < b_.size() &&
           (b_[at_] == '[' || (b_[at_] == '<' && at_ + 1 < b_.size() && b_[at_ + 1] == '<'));
  }

  bool value(PdfObject* out, int depth) {
    if (depth > kMaxDepth) return false;
    if (container_next()) {
      if (b_[at_] == '[') {
        ++at_;
        return array(out, depth);
      }
      at_ += 2;
      return dictionary(out, depth);
    }
    if (!out) return scalar(nullptr);
    Built v;
    if (!scalar(&v)) return false;
    *out = *v;
    return true;
  }

  // Anything but an array or a dictionary, after white space.
  bool scalar(Built* out) {
    skip_white();
    if (at_ >= b_.size()) return false;
    const char c = b_[at_];
    if (c == '/') {
      ++at_;
      PdfName n;
      if (!name(out ? &n : nullptr)) return false;
      if (out) out->emplace(n);
      return true;
    }
    if (c == '(') {
      ++at_;
      return literal(out);
    }
    if (c == '<') {
      ++at_;
      return hex(out);
    }
    if (digit(c) || c == '-' || c == '.') return number(out);
    if (c == 't' || c == 'f' || c == 'n') {
      const std::string_view t = token();
      if (t == "true" || t == "false") {
        if (out) out->emplace(t == "true");
        return true;
      }
      if (t == "null") {
        if (out) out->emplace(PdfVariant());
        return true;
      }
    }
    return false;  // '+', '{', '%', '[' or ']' misplaced, another keyword...
  }

  // After the slash. "/" before white space or a delimiter is the empty
  // name, as in PoDoFo. `raw` gets the name as written.
  bool name(PdfName* out, std::string_view* raw = nullptr) {
    std::size_t from = at_;
    while (at_ < b_.size() && regular(b_[at_])) ++at_;
    const std::string_view t = b_.substr(from, at_ - from);
    if (raw) *raw = t;
    // Escapes (#xx) decoded only where there are any: the same name.
    if (out)
      *out = t.empty() ? PdfName()
             : t.find('#') == std::string_view::npos
                 ? PdfName(t.data(), static_cast<long>(t.size()))
                 : PdfName::FromEscaped(std::string(t));
    return true;
  }

  // PoDoFo's ReadString: balanced parentheses, the escapes n r t b f ( )
  // and backslash, up to three octal digits; an unknown escape drops both
  // characters; every other byte (line ends too) is kept as it is.
  bool literal(Built* out) {
    int balance = 0;
    // Only skipped (a /TU, a /DA): an escape's next byte cannot open or
    // close, and the octal digits after it are neither parenthesis.
    if (!out) {
      for (;;) {
        if (at_ >= b_.size()) return false;
        const char c = b_[at_++];
        if (c == '\\') {
          if (at_ >= b_.size()) return false;
          ++at_;
        } else if (c == '(') {
          ++balance;
        } else if (c == ')') {
          if (balance == 0) return true;
          --balance;
        }
      }
    }
    std::string s;
    for (;;) {
      if (at_ >= b_.size()) return false;
      const char c = b_[at_++];
      if (c == ')' && balance == 0) break;
      if (c == '(') ++balance;
      if (c == ')') --balance;
      if (c != '\\') {
        if (out) s += c;
        continue;
      }
      if (at_ >= b_.size()) return false;
      const char e = b_[at_];
      if (e >= '0' && e <= '7') {
        char v = 0;
        for (int n = 0; n < 3 && at_ < b_.size() && b_[at_] >= '0' && b_[at_] <= '7'; ++n)
          v = static_cast<char>(v << 3 | (b_[at_++] - '0'));
        if (out) s += v;
        continue;
      }
      ++at_;
      if (!out) continue;
      switch (e) {
        case 'n':
          s += '\n';
          break;
        case 'r':
          s += '\r';
          break;
        case 't':
          s += '\t';
          break;
        case 'b':
          s += '\b';
          break;
        case 'f':
          s += '\f';
          break;
        case '(':
          s += '(';
          break;
        case ')':
          s += ')';
          break;
        case '\\':
          s += '\\';
          break;
        default:
          break;
      }
    }
    if (out)
      out->emplace(s.empty() ? PdfString("")
                             : PdfString(s.data(), static_cast<pdf_long>(s.size())));
    return true;
  }

  // Only hex digits and white space, an even number of digits: anything
  // else PoDoFo reads in its own way.
  bool hex(Built* out) {
    std::string digits;
    std::size_t count = 0;
    for (;;) {
      if (at_ >= b_.size()) return false;
      const char c = b_[at_++];
      if (c == '>') break;
      if (std::isxdigit(static_cast<unsigned char>(c))) {
        ++count;
        if (out) digits += c;
      } else if (!white(c)) {
        return false;
      }
    }
    if (count % 2) return false;
    if (out) {
      PdfString s;
      s.SetHexData(digits.empty() ? "" : digits.data(), static_cast<pdf_long>(digits.size()));
      out->emplace(s);
    }
    return true;
  }

  bool array(PdfObject* out, int depth) {
    // Built in place: a PoDoFo container copies all it holds when copied.
    if (out) *out = PdfObject(PdfArray());
    for (;;) {
      skip_white();
      if (at_ >= b_.size()) return false;
      if (b_[at_] == ']') {
        ++at_;
        break;
      }
      if (!out) {
        if (!value(nullptr, depth + 1)) return false;
        continue;
      }
      PdfArray& a = out->GetArray();
      if (depth + 1 > kMaxDepth) return false;
      if (container_next()) {
        a.push_back(PdfObject(PdfVariant()));
        if (!value(&a.back(), depth + 1)) return false;
      } else {
        Built v;
        if (!scalar(&v)) return false;
        a.push_back(*v);
      }
    }
    return true;
  }

  bool dictionary(PdfObject* out, int depth) {
    if (out) *out = PdfObject(PdfDictionary());
    for (;;) {
      skip_white();
      if (at_ + 1 < b_.size() && b_[at_] == '>' && b_[at_ + 1] == '>') {
        at_ += 2;
        break;
      }
      if (at_ >= b_.size() || b_[at_] != '/') return false;
      ++at_;
      std::string_view raw;
      name(nullptr, &raw);
      // Escapes (#xx) decoded only where there are any.
      const bool escaped = raw.find('#') != std::string_view::npos;
      const PdfName key = escaped ? PdfName::FromEscaped(std::string(raw)) : PdfName();
      const std::string_view k = escaped ? std::string_view(key.GetName()) : raw;
      // PoDoFo reads a hex /Contents (a signature's) in a way of its own.
      if (k == "Contents") return false;
      if (!out || !(every_key_ || wanted(k))) {
        if (!value(nullptr, depth + 1)) return false;
        continue;
      }
      // A repeated key: the last one, as PoDoFo.
      PdfDictionary& d = out->GetDictionary();
      const PdfName name = escaped ? key : PdfName(raw.data(), static_cast<long>(raw.size()));
      if (depth + 1 > kMaxDepth) return false;
      if (container_next()) {
        d.AddKey(name, PdfObject(PdfVariant()));
        if (!value(d.GetKey(name), depth + 1)) return false;
      } else {
        Built v;
        if (!scalar(&v)) return false;
        d.AddKey(name, *v);
      }
    }
    return true;
  }

  // "-12", "3.5", ".5", "7." and "N G R"; PoDoFo reads other runs of
  // digits and signs (such as "+-1" or "1-2") its own way.
  bool number(Built* out) {
    std::string_view t = token();
    std::size_t i = t.starts_with('-') ? 1 : 0;
    std::size_t digits = 0, dots = 0;
    for (std::size_t j = i; j < t.size(); ++j) {
      if (digit(t[j]))
        ++digits;
      else if (t[j] == '.')
        ++dots;
      else
        return false;
    }
    // Integers within a long (PoDoFo's strtol); reals of any sensible length
    // (PoDoFo's istream and strtod round alike).
    if (digits == 0 || dots > 1 || (dots ? t.size() > 64 : digits > 18)) return false;
    if (dots) {
      // from_chars rounds correctly as strtod does (the same double for
      // these plain decimals, no locale, no exponent here), at a third of
      // the cost; a form's /Rect holds four 17-digit reals.
      if (!out) return true;
      double v = 0;
      const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
      if (r.ec != std::errc() || r.ptr != t.data() + t.size()) {
        char z[65];  // at most 64 characters
        std::memcpy(z, t.data(), t.size());
        z[t.size()] = '\0';
        v = std::strtod(z, nullptr);
      }
      out->emplace(v);
      return true;
    }
    const long n = i ? -digits_value(t.substr(1)) : digits_value(t);
    // A reference: two non-negative integers and R.
    const std::size_t back = at_;
    if (n >= 0) {
      std::string_view g = token();
      if (!g.empty() && g.size() <= 5 &&
          g.find_first_not_of("0123456789") == std::string_view::npos) {
        const long gen = digits_value(g);
        if (gen <= 65535 && n <= 0x7fffffff && token() == "R") {
          if (out)
            out->emplace(PdfReference(static_cast<unsigned int>(n), static_cast<pdf_uint16>(gen)));
          return true;
        }
      }
    }
    at_ = back;
    if (out) out->emplace(static_cast<pdf_int64>(n));
    return true;
  }

  std::string_view b_;
  std::size_t at_;
  bool every_key_;
};

}  // namespace

std::unique_ptr<PdfObject> parse_plain_object(std::string_view bytes, std::size_t offset) {
  if (offset >= bytes.size()) return nullptr;
  auto out = std::make_unique<PdfObject>(PdfVariant());
  if (!Parser(bytes, offset, ObjectKeys::Read).object(*out)) return nullptr;
  return out;
}

std::optional<ParsedObject> parse_object(std::string_view bytes, std::size_t offset,
                                         ObjectKeys keys) {
  if (offset >= bytes.size()) return std::nullopt;
  ParsedObject r{std::make_unique<PdfObject>(PdfVariant()), std::string_view::npos};
  if (!Parser(bytes, offset, keys).object(*r.value, &r.stream)) return std::nullopt;
  return r;
}

std::unique_ptr<PdfObject> parse_value(std::string_view bytes, std::size_t offset,
                                       ObjectKeys keys) {
  if (offset >= bytes.size()) return nullptr;
  auto out = std::make_unique<PdfObject>(PdfVariant());
  if (!Parser(bytes, offset, keys).value_only(*out)) return nullptr;
  return out;
}

}  // namespace yoshiki::pdf
