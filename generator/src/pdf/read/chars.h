// chars — PDF byte classes (ISO 32000-1 7.2.2) as one table, shared by the
// tokenizer of the pre-checks (lexer.h) and the object parser (objects.h):
// one look-up per byte instead of a chain of compares or a strchr.
#pragma once

#include <array>
#include <string_view>

namespace yoshiki::pdf::chars {

enum : unsigned char { kWhite = 1, kDelimiter = 2, kNumeric = 4, kDigit = 8 };

constexpr std::array<unsigned char, 256> make_classes() {
  std::array<unsigned char, 256> t{};
  for (unsigned char c : {0, 9, 10, 12, 13, 32}) t[c] = kWhite;  // NUL TAB LF FF CR SP
  for (char c : std::string_view("()<>[]{}/%")) t[static_cast<unsigned char>(c)] = kDelimiter;
  for (int c = '0'; c <= '9'; ++c) t[c] = kNumeric | kDigit;
  t['+'] = t['-'] = t['.'] = kNumeric;
  return t;
}
inline constexpr std::array<unsigned char, 256> kClass = make_classes();

inline unsigned char of(char c) { return kClass[static_cast<unsigned char>(c)]; }
inline bool white(char c) { return of(c) & kWhite; }
inline bool delimiter(char c) { return of(c) & kDelimiter; }
inline bool regular(char c) { return !(of(c) & (kWhite | kDelimiter)); }

}  // namespace yoshiki::pdf::chars
