// The reader's own object parser (pdf/read/objects.h): what it builds is
// what PoDoFo's tokenizer builds from the same bytes, and what it does not
// read exactly as PoDoFo does, it leaves to PoDoFo.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "pdf/read/objects.h"
#include "support.h"

using namespace PoDoFo;
using yoshiki::pdf::parse_plain_object;

namespace {

std::string written(const PdfVariant& v) {
  std::string s;
  v.ToString(s);
  return s;
}

// PoDoFo's reading of `body` (an object's value), written out.
std::string podofo(const std::string& body) {
  PdfTokenizer t(body.data(), body.size());
  PdfVariant v;
  t.GetNextVariant(v, nullptr);
  return written(v);
}

std::string ours(const std::string& body) {
  auto o = parse_plain_object(body + "\nendobj", 0);
  return o ? written(*o) : "(left to PoDoFo)";
}

}  // namespace

TEST_CASE("objects: field dictionaries read as PoDoFo reads them", "[objects]") {
  PdfError::EnableDebug(false);
  PdfError::EnableLogging(false);
  const char* bodies[] = {
      "<< /T (applicant.name) /FT /Tx /Ff 4096 /V <FEFF6C0F540D> >>",
      "<< /T (a\\(b\\)c \\101\\60x \\q\\n\\\\ (nested)) /V (\\0053) >>",
      "<< /Rect [ 159.769488 755.43307100000004 -2 .5 ] /F 4 /AS /Off >>",
      "<< /Kids [ 14 0 R 22 0 R [ 1 2 ] ] /V /2 /FT /Btn >>",
      "<< /T (x) /T (y) /V <61 62 63> >>",  // a repeated key: the last
      "<< /F#54 /Tx /V true /AS null /Ff -7 >>",
      "<</T()/V<>/FT/Tx>>",
      "[ 1 0 R 2 3 (x) /N 4.25 ]",
  };
  for (const char* body : bodies) {
    INFO(body);
    CHECK(ours(body) == podofo(body));
  }
}

TEST_CASE("objects: keys the reader never looks up are checked, not kept", "[objects]") {
  auto o = parse_plain_object(
      "<< /Type /Annot /AP << /N << /1 5 0 R /Off 6 0 R >> >> /DA (/F1 9 Tf 0 g) /T (q1) "
      "/MK << /CA (m) >> >>\nendobj",
      0);
  REQUIRE(o);
  CHECK(written(*o) == "<<\n/T (q1)\n>>");
  // A syntax error inside a dropped value still leaves the object to PoDoFo.
  CHECK_FALSE(parse_plain_object("<< /AP << /N [ 1 2 >> /T (x) >>\nendobj", 0));
}

TEST_CASE("objects: what PoDoFo reads its own way is left to it", "[objects]") {
  for (const char* text : {
           "<< /Length 3 >>\nstream\nabc\nendstream\nendobj",      // a stream
           "<< /Contents <00AB> /ByteRange [0 1 2 3] >>\nendobj",  // a signature
           "<< /T (x) % a comment\n>>\nendobj",                    // a comment
           "<< /V +-1 >>\nendobj",                                 // PoDoFo's strtol
           "<< /V 1-2 >>\nendobj", "<< /T (unterminated >>\nendobj",
           "<< /T (x) >>",      // no endobj
           "<< /T >>\nendobj",  // a key without value
           "<< /V { } >>\nendobj",
           "<< /V <61 62 6> >>\nendobj",  // an odd hex string
       }) {
    INFO(text);
    CHECK_FALSE(parse_plain_object(text, 0));
  }
  // Nesting past the bound.
  CHECK_FALSE(parse_plain_object(std::string(40, '[') + std::string(40, ']') + " endobj", 0));
  CHECK(parse_plain_object(std::string(20, '[') + std::string(20, ']') + " endobj", 0));
  CHECK_FALSE(parse_plain_object("<< >> endobj", 99));  // past the end
}

TEST_CASE("objects: every key the reader looks up is one the parser keeps", "[objects]") {
  // The parser drops the values of keys the reader never reads; a key added
  // to the reader but not to the parser's list would read as absent. Every
  // key(doc, dict, "Name") call of reader.cpp is checked here: the name is
  // the last string literal before the call's closing parenthesis.
  std::ifstream in(yoshiki::test::kRoot + "/generator/src/pdf/read/reader.cpp");
  const std::string source((std::istreambuf_iterator<char>(in)), {});
  std::set<std::string> keys;
  std::size_t calls = 0;
  for (auto at = source.find("key(doc, "); at != std::string::npos;
       at = source.find("key(doc, ", at + 1)) {
    ++calls;
    std::size_t end = at + 3;
    for (int depth = 0; end < source.size(); ++end) {
      if (source[end] == '(') ++depth;
      if (source[end] == ')' && --depth == 0) break;
    }
    REQUIRE(end < source.size());
    REQUIRE(source[end - 1] == '"');
    const std::size_t open = source.rfind('"', end - 2);
    keys.insert(source.substr(open + 1, end - 2 - open));
  }
  CHECK(calls >= 25);
  CHECK(keys.size() >= 20);
  CHECK(keys.count("YoshikiTyping") == 1);  // the outer call of a nested chain
  for (const std::string& k : keys) {
    INFO(k);
    auto o = parse_plain_object("<< /" + k + " 1 /Unread 2 >>\nendobj", 0);
    REQUIRE(o);
    CHECK(written(*o) == "<<\n/" + k + " 1\n>>");
  }
}
