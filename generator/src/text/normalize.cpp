#include "text/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

namespace yoshiki::text {
namespace {

const icu::Normalizer2& nfkc() {
  UErrorCode status = U_ZERO_ERROR;
  return *icu::Normalizer2::getNFKCInstance(status);  // a singleton, thread-safe
}

std::string to_utf8(const icu::UnicodeString& u) {
  std::string s;
  u.toUTF8String(s);
  return s;
}

bool is_hyphen_like(UChar32 c) {
  return (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0x30FC || c == 0xFF70 || c == 0xFF0D;
}

}  // namespace

// Fast checks on UTF-8 bytes, so that the usual input (nothing to change)
// never reaches ICU.
bool numeric_may_change(std::string_view s) {
  for (size_t i = 0; i + 2 < s.size() + 0 && i + 1 < s.size(); ++i) {
    unsigned char a = s[i], b = s[i + 1];
    if ((a == 0xEF && (b == 0xBC || b == 0xBD)) || (a == 0xE2 && (b == 0x80 || b == 0x88)) ||
        (a == 0xE3 && (b == 0x83 || b == 0x80)))
      return true;
  }
  return false;
}

bool kana_may_change(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    unsigned char a = s[i], b = s[i + 1];
    if (a == 0xEF && (b == 0xBD || b == 0xBE)) return true;  // U+FF40–U+FFBF: half-width kana
  }
  return false;
}

std::string normalize_numeric(const std::string& utf8) {
  if (!numeric_may_change(utf8)) return utf8;
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(utf8), out;
  for (int32_t i = 0; i < in.length();) {
    UChar32 c = in.char32At(i);
    i += U16_LENGTH(c);
    if (is_hyphen_like(c)) {
      out.append(static_cast<UChar32>('-'));
    } else if (c >= 0xFF01 && c <= 0xFF5E) {  // full-width ASCII forms: NFKC maps them
      UErrorCode status = U_ZERO_ERROR;
      out.append(nfkc().normalize(icu::UnicodeString(c), status));
    } else if (c == 0x3000) {
      out.append(static_cast<UChar32>(' '));
    } else {
      out.append(c);
    }
  }
  return to_utf8(out);
}

std::string normalize_kana(const std::string& utf8) {
  if (!kana_may_change(utf8)) return utf8;
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(utf8), out, run;
  auto flush = [&] {
    if (run.isEmpty()) return;
    UErrorCode status = U_ZERO_ERROR;
    out.append(nfkc().normalize(run, status));  // also joins ｶﾞ into ガ
    run.remove();
  };
  for (int32_t i = 0; i < in.length();) {
    UChar32 c = in.char32At(i);
    i += U16_LENGTH(c);
    if (c >= 0xFF61 && c <= 0xFF9F) {
      run.append(c);
    } else {
      flush();
      out.append(c);
    }
  }
  flush();
  return to_utf8(out);
}

bool is_katakana(const std::string& utf8) {
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(utf8);
  if (s.isEmpty()) return false;
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    bool ok = (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FB || c == 0x30FC || c == 0x30FD ||
              c == 0x30FE || c == 0x20 || c == 0x3000;
    if (!ok) return false;
  }
  return true;
}

}  // namespace yoshiki::text
