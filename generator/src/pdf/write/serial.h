// serial — PDF objects written straight into one buffer: we number the
// objects, keep each one's offset and write the xref table ourselves. What
// PoDoFo's object model cost per document (a dictionary per widget, copies
// of the static fonts' programs) was the largest part of a render.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace yoshiki::pdf {

// "00" "01" … "99": two digits per division (numbers are most of a
// content stream).
inline constexpr auto kDigitPairs = [] {
  std::array<char, 200> t{};
  for (int i = 0; i < 100; ++i) {
    t[static_cast<std::size_t>(2 * i)] = static_cast<char>('0' + i / 10);
    t[static_cast<std::size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
  }
  return t;
}();

// Digits of `v` written backwards ending at `end`; returns where they start.
inline char* uint_digits(char* end, unsigned long long v) {
  while (v >= 100) {
    const auto pair = static_cast<std::size_t>(v % 100);
    v /= 100;
    end -= 2;
    std::memcpy(end, &kDigitPairs[2 * pair], 2);
  }
  if (v >= 10) {
    end -= 2;
    std::memcpy(end, &kDigitPairs[2 * static_cast<std::size_t>(v)], 2);
  } else {
    *--end = static_cast<char>('0' + v);
  }
  return end;
}

// Three decimals as written: ".125", ".25", ".5", "" for 0 (trailing zeros
// dropped), by their value 0…999.
struct Decimals3 {
  char text[4];
  unsigned char size;
};
inline constexpr auto kDecimals3 = [] {
  std::array<Decimals3, 1000> t{};
  for (int v = 1; v < 1000; ++v) {
    Decimals3& d = t[static_cast<std::size_t>(v)];
    d.text[0] = '.';
    d.text[1] = static_cast<char>('0' + v / 100);
    d.text[2] = static_cast<char>('0' + v / 10 % 10);
    d.text[3] = static_cast<char>('0' + v % 10);
    d.size = v % 100 == 0 ? 2 : v % 10 == 0 ? 3 : 4;
  }
  return t;
}();

// Unsigned decimal, one append (std::to_string allocates).
inline void put_uint(std::string& out, unsigned long long v) {
  char d[20];
  char* start = uint_digits(d + sizeof d, v);
  out.append(start, static_cast<std::size_t>(d + sizeof d - start));
}

inline void put_int(std::string& out, long long v) {
  if (v < 0) {
    out += '-';
    put_uint(out, static_cast<unsigned long long>(-v));
  } else {
    put_uint(out, static_cast<unsigned long long>(v));
  }
}

// Rounds half away from zero, as std::llround (no libm call: put_real runs
// once per coordinate). `a - t` is exact: the fraction of a double is one.
// Beyond ±9e18 (and NaN), where the conversion would be undefined, ±9e18 or
// 0: no length reaches that (templates' lengths are at most 1000 mm).
inline long long round_half_away(double v) {
  constexpr double kLimit = 9e18;
  const double a = std::fabs(v);
  if (!(a < kLimit))
    return a == a ? (v < 0 ? -9'000'000'000'000'000'000LL : 9'000'000'000'000'000'000LL) : 0;
  auto t = static_cast<long long>(a);
  if (a - static_cast<double>(t) >= 0.5) ++t;
  return v < 0 ? -t : t;
}

// Room write_real needs at `at` (it copies a fixed 32 bytes: sign, 19
// digits, point, 6 decimals and the trailer are at most 29).
inline constexpr std::size_t kRealRoom = 32;

// A real with at most `Decimals` (≤ 6) decimals, no trailing zeros, no
// exponent, then `trailer` unless it is '\0': what PDF syntax allows, and
// stable across platforms. Written at `at` (kRealRoom bytes free there);
// returns its end. Unsigned arithmetic by constants, the digits by tables:
// content streams are mostly numbers.
template <int Decimals>
inline char* write_real(char* at, double v, char trailer) {
  static_assert(Decimals >= 0 && Decimals <= 6);
  constexpr unsigned long long kScales[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  constexpr unsigned long long scale = kScales[Decimals];
  const long long rounded = round_half_away(v * static_cast<double>(scale));
  const bool negative = rounded < 0;
  const unsigned long long m = negative ? 0ull - static_cast<unsigned long long>(rounded)
                                        : static_cast<unsigned long long>(rounded);
  // The integer part is written backwards ending at `mid`, the decimals
  // forwards from it.
  char d[64] = {};
  char* const mid = d + 24;
  char* end = mid;
  unsigned long long frac = m % scale;
  if constexpr (Decimals == 3) {
    const Decimals3& written = kDecimals3[static_cast<std::size_t>(frac)];
    std::memcpy(end, written.text, 4);
    end += written.size;
  } else if (frac) {
    char digits[Decimals > 0 ? Decimals : 1];
    for (int i = Decimals - 1; i >= 0; --i, frac /= 10)
      digits[i] = static_cast<char>('0' + frac % 10);
    int n = Decimals;
    while (digits[n - 1] == '0') --n;  // no trailing zeros
    *end++ = '.';
    for (int i = 0; i < n; ++i) *end++ = digits[i];
  }
  if (trailer) *end++ = trailer;
  char* start = uint_digits(mid, m / scale);
  if (negative) *--start = '-';
  std::memcpy(at, start, kRealRoom);
  return at + (end - start);
}

// The same appended to `out`.
template <int Decimals>
inline void put_real_as(std::string& out, double v, char trailer) {
  char d[kRealRoom];
  out.append(d, static_cast<std::size_t>(write_real<Decimals>(d, v, trailer) - d));
}

// A real with at most `decimals` (≤ 6) decimals (see put_real_as).
inline void put_real(std::string& out, double v, int decimals = 3) {
  static constexpr void (*kByDecimals[])(std::string&, double, char) = {
      put_real_as<0>, put_real_as<1>, put_real_as<2>, put_real_as<3>,
      put_real_as<4>, put_real_as<5>, put_real_as<6>};
  kByDecimals[std::clamp(decimals, 0, 6)](out, v, '\0');
}

// A name: bytes outside the regular printable ones as #xx.
inline void put_name(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '/';
  for (unsigned char c : s) {
    const bool delimiter = c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' ||
                           c == '{' || c == '}' || c == '/' || c == '%' || c == '#';
    if (c < 0x21 || c > 0x7E || delimiter) {
      out += '#';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
}

// A literal string of bytes: \ ( ) escaped, CR and LF too (a reader would
// otherwise read a bare CR as LF).
inline void put_bytes(std::string& out, std::string_view s) {
  out += '(';
  for (char c : s) {
    if (c == '\\' || c == '(' || c == ')') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += ')';
}

// A text string: UTF-8 → UTF-16BE with a byte order mark, as a literal
// string (what PoDoFo wrote for every text string; fillers read it).
inline void put_text(std::string& out, std::string_view utf8) {
  std::string u16 = "\xFE\xFF";
  auto unit = [&](std::uint32_t u) {
    u16 += static_cast<char>(u >> 8);
    u16 += static_cast<char>(u & 0xFF);
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t cp;
    int n;
    if (c < 0x80) {
      cp = c, n = 1;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1F, n = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0F, n = 3;
    } else {
      cp = c & 0x07, n = 4;
    }
    for (int k = 1; k < n && i + k < utf8.size(); ++k) cp = (cp << 6) | (utf8[i + k] & 0x3F);
    i += static_cast<std::size_t>(n);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
  put_bytes(out, u16);
}

// Bytes appended with the room checked inline: a content stream is built
// of thousands of small pieces, and std::string's append is a call each.
class ContentBytes {
 public:
  void clear() { size_ = 0; }
  std::size_t size() const { return size_; }
  std::string_view view() const { return {data_.get(), size_}; }

  // Room for `n` more bytes; write there, then hand the end to used().
  char* room(std::size_t n) {
    if (capacity_ - size_ < n) grow(n);
    return data_.get() + size_;
  }
  void used(const char* end) { size_ = static_cast<std::size_t>(end - data_.get()); }

  void add(std::string_view s) {
    if (s.empty()) return;  // (memcpy to a null buffer is undefined even for 0 bytes)
    std::memcpy(room(s.size()), s.data(), s.size());
    size_ += s.size();
  }
  void add(char c) {
    *room(1) = c;
    ++size_;
  }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0, capacity_ = 0;

  void grow(std::size_t n) {
    const std::size_t capacity = std::max(2 * capacity_, std::max<std::size_t>(size_ + n, 4096));
    auto data = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_) std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }
};

// Objects numbered by the caller, appended to `buf`; offsets[n] is where
// object n starts (offsets[0] stands for the free-list head).
struct ObjectWriter {
  std::string buf;
  std::vector<std::size_t> offsets{0};

  int reserve() {
    offsets.push_back(0);
    return static_cast<int>(offsets.size() - 1);
  }
  // "n 0 obj\n" (n reserved before).
  void begin(int n) {
    offsets[static_cast<std::size_t>(n)] = buf.size();
    put_uint(buf, static_cast<unsigned>(n));
    buf += " 0 obj\n";
  }
  int begin_new() {
    int n = reserve();
    begin(n);
    return n;
  }
  void end() { buf += "\nendobj\n"; }
  void ref(int n) {
    put_uint(buf, static_cast<unsigned>(n));
    buf += " 0 R";
  }
  // A stream whose dictionary `dict` (entries, without << >>) gets /Length.
  void stream(std::string_view dict, std::string_view data) {
    buf += "<<";
    buf += dict;
    buf += "/Length ";
    put_uint(buf, data.size());
    buf += ">>\nstream\n";
    buf += data;
    buf += "\nendstream";
  }
};

}  // namespace yoshiki::pdf
