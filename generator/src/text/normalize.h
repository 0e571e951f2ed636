// normalize — input text normalisation with ICU: full-width ASCII and
// hyphen-like marks to ASCII in numeric fields (NFKC plus the dashes NFKC
// keeps), half-width katakana to full-width in text fields, and the
// katakana-only check used by furigana rules.
#pragma once

#include <string>
#include <string_view>

namespace yoshiki::text {

// "０３－１２３４" → "03-1234". Only characters NFKC maps into ASCII, and
// hyphen-like marks (‐ ‑ ‒ – — ― − ー ｰ －), are changed.
std::string normalize_numeric(const std::string& utf8);

// "ﾔﾏﾀﾞ" → "ヤマダ": runs of half-width katakana through NFKC; nothing else changes.
std::string normalize_kana(const std::string& utf8);

// Byte scans: false means normalize_numeric / normalize_kana certainly leave
// `utf8` as it is (so callers can skip copying it).
bool numeric_may_change(std::string_view utf8);
bool kana_may_change(std::string_view utf8);

// Full-width katakana (ァ–ヺ, ヽヾ), ー, ・ and spaces (U+0020, U+3000) only; non-empty.
bool is_katakana(const std::string& utf8);

}  // namespace yoshiki::text
