// serial.h: PDF syntax as the writer serialises it (names, strings, reals,
// the object offsets the xref table is made from).
#include <catch2/catch.hpp>
#include <limits>
#include <string>

#include "pdf/write/serial.h"

using namespace yoshiki::pdf;

namespace {
template <typename F>
std::string out(F f) {
  std::string s;
  f(s);
  return s;
}
}  // namespace

TEST_CASE("serial: names escape delimiters, # and bytes outside !..~ as #xx") {
  CHECK(out([](std::string& s) { put_name(s, "F1"); }) == "/F1");
  CHECK(out([](std::string& s) { put_name(s, "text/xml"); }) == "/text#2Fxml");
  CHECK(out([](std::string& s) { put_name(s, "a b#(c)"); }) == "/a#20b#23#28c#29");
  CHECK(out([](std::string& s) { put_name(s, "\xE6\x9C\x89"); }) == "/#E6#9C#89");  // 有
}

TEST_CASE("serial: literal strings escape backslash, parentheses, CR and LF") {
  CHECK(out([](std::string& s) { put_bytes(s, "a(b)\\c"); }) == "(a\\(b\\)\\\\c)");
  CHECK(out([](std::string& s) { put_bytes(s, "x\r\ny"); }) == "(x\\r\\ny)");
  CHECK(out([](std::string& s) { put_bytes(s, ""); }) == "()");
}

TEST_CASE("serial: text strings are UTF-16BE with a byte order mark") {
  // 様 U+69D8, ")" U+0029 (its low byte escaped), 𠮷 U+20BB7 (a surrogate pair).
  CHECK(out([](std::string& s) { put_text(s, "\xE6\xA7\x98)\xF0\xA0\xAE\xB7"); }) ==
        std::string("(\xFE\xFF\x69\xD8\x00\\)\xD8\x42\xDF\xB7)", 13));
  CHECK(out([](std::string& s) { put_text(s, ""); }) == "(\xFE\xFF)");
}

TEST_CASE("serial: reals have at most the given decimals, no trailing zeros") {
  auto real = [](double v, int d = 3) { return out([&](std::string& s) { put_real(s, v, d); }); };
  CHECK(real(0) == "0");
  CHECK(real(12) == "12");
  CHECK(real(-0.5) == "-0.5");
  CHECK(real(841.8897637795) == "841.89");
  CHECK(real(841.8897637795, 6) == "841.889764");
  CHECK(real(0.0004) == "0");
  CHECK(real(-0.0004) == "0");
  CHECK(real(1.0006) == "1.001");
  CHECK(real(-1234567.25) == "-1234567.25");
  // Out of any length's range: defined digits, never an undefined conversion.
  CHECK(real(1e300) == "9000000000000000");
  CHECK(real(-std::numeric_limits<double>::infinity()) == "-9000000000000000");
  CHECK(real(std::numeric_limits<double>::quiet_NaN()) == "0");
  CHECK(real(1e300, 6) == "9000000000000");
  auto integer = [](long long v) { return out([&](std::string& s) { put_int(s, v); }); };
  CHECK(integer(0) == "0");
  CHECK(integer(-1000) == "-1000");
  CHECK(integer(16777216) == "16777216");
}

TEST_CASE("serial: objects record where they start; streams get their /Length") {
  ObjectWriter w;
  w.buf = "%PDF-1.7\n";
  const int a = w.reserve(), b = w.begin_new();
  w.stream("/Filter/FlateDecode", std::string("x\0y", 3));
  w.end();
  w.begin(a);
  w.buf += "<</Next ";
  w.ref(b);
  w.buf += ">>";
  w.end();
  CHECK(a == 1);
  CHECK(b == 2);
  CHECK(w.offsets.size() == 3);
  CHECK(w.buf.compare(w.offsets[2], 8, "2 0 obj\n") == 0);
  CHECK(w.buf.compare(w.offsets[1], 8, "1 0 obj\n") == 0);
  CHECK(w.buf == std::string("%PDF-1.7\n2 0 obj\n<</Filter/FlateDecode/Length 3>>\nstream\nx\0y\n"
                             "endstream\nendobj\n1 0 obj\n<</Next 2 0 R>>\nendobj\n",
                             109));
}
