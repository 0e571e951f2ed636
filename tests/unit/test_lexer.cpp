// The PDF tokenizer of the reader's pre-checks (pdf/read/lexer.h): what it
// reports for the syntax that fooled the byte scan it replaced (#16 item 4).
#include <catch2/catch.hpp>
#include <string>

#include "pdf/read/lexer.h"

using yoshiki::pdf::lex::scan;

namespace {
std::string nest(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }
}  // namespace

TEST_CASE("lexer: nesting is counted outside strings, comments and stream data", "[lexer]") {
  CHECK(scan("1 0 obj << /A [ [ 1 ] ] >> endobj").max_depth == 3);
  CHECK(scan("(" + nest(50) + ") % [[[[\n[1]").max_depth == 1);
  CHECK(scan("(a \\) ( nested ) " + nest(9) + ") [1]").max_depth == 1);
  CHECK(scan("<5B5B5B> <</A 1>>").max_depth == 1);
  // A direct /Length skips data holding brackets and even "endstream".
  CHECK(scan("<< /Length 19 >>\nstream\nxx endstream [[[[[[\nendstream [1]").max_depth == 1);
  // An indirect /Length: the data runs to the next "endstream".
  CHECK(scan("<< /Length 9 0 R >>\nstream\n[[[[\nendstream [1]").max_depth == 1);
}

TEST_CASE("lexer: a name /stream or an endstream in a string hides nothing", "[lexer]") {
  CHECK(scan("<< /K /stream /D " + nest(300) + " /E (endstream) >>").max_depth == 301);
  CHECK(scan("(stream) " + nest(5) + " (endstream)").max_depth == 5);
  // "stream" only after a dictionary starts stream data.
  CHECK(scan("[1] stream " + nest(4) + " endstream").max_depth == 4);
}

TEST_CASE("lexer: object streams by their decoded /Type, or by /N and /First", "[lexer]") {
  const std::string data = "10 0 [1]";
  auto one = [&](const std::string& dict) {
    return "6 0 obj\n<< " + dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n" +
           data + "\nendstream\nendobj\n";
  };
  for (const char* dict : {"/Type /ObjStm /N 1 /First 5", "/Type /Obj#53tm /N 1 /First 5",
                           "/N 1 /First 5", "/First 5 /Filter /FlateDecode /N 1"}) {
    INFO(dict);
    auto s = scan(one(dict));
    REQUIRE(s.structure_streams.size() == 1);
    CHECK(s.structure_streams[0].object_stream);
    CHECK(s.structure_streams[0].size == data.size());
    CHECK(std::string(one(dict).substr(s.structure_streams[0].data, data.size())) == data);
  }
  CHECK(scan(one("/Type /XObject /Subtype /Form")).structure_streams.empty());
  CHECK(scan(one("/N 1")).structure_streams.empty());
  auto filters = scan(one("/N 1 /First 5 /Filter [/Flate#44ecode /ASCIIHexDecode]"));
  REQUIRE(filters.structure_streams.size() == 1);
  CHECK(filters.structure_streams[0].filters ==
        std::vector<std::string>{"FlateDecode", "ASCIIHexDecode"});
  auto xref = scan(one("/Type /XRef /Size 3 /W [1 2 1]"));
  REQUIRE(xref.structure_streams.size() == 1);
  CHECK_FALSE(xref.structure_streams[0].object_stream);
}

TEST_CASE("lexer: the name /Encrypt anywhere outside strings and streams is encryption",
          "[lexer]") {
  CHECK(scan("trailer\n<< /Size 3 /Encrypt 5 0 R >>").encrypted);
  CHECK(scan("trailer << /Size 3 /Encr#79pt 5 0 R >>").encrypted);
  CHECK(scan("<< /Type /XRef /Encrypt 5 0 R /Length 0 >>\nstream\n\nendstream").encrypted);
  CHECK_FALSE(scan("trailer << /Info (/Encrypt) /Root 1 0 R >>").encrypted);    // a string
  CHECK_FALSE(scan("<< /Length 8 >>\nstream\n/Encrypt\nendstream").encrypted);  // stream data
  // Nothing legitimate names /Encrypt elsewhere: refused rather than guessed.
  CHECK(scan("trailer << /Info /Encrypt >>").encrypted);
  CHECK(scan("1 0 obj << /Encrypt 5 0 R >> endobj").encrypted);
  // Found by the fuzzer: a hex string ending in ">>" leaves an object's
  // dictionary open, so the trailer's looked nested inside it.
  CHECK(scan("1 0 obj << /V <0e>> >> endobj\ntrailer << /Size 2 /Encrypt 5 0 R >>").encrypted);
}

TEST_CASE("lexer: the trailer startxref leads to is read even when stream data hid it", "[lexer]") {
  // "stream" without its "endstream": the pass skips to the next "endstream",
  // placed after %%EOF, over the trailer PoDoFo reads from startxref.
  const std::string head = "%PDF-1.7\n1 0 obj << /Length 3 >>\nstream\nabc\nendobj\n";
  const std::string xref = "xref\n0 1\n0000000000 65535 f \ntrailer << /Size 1 /Encrypt 1 0 R >>\n";
  const std::string file =
      head + xref + "startxref\n" + std::to_string(head.size()) + "\n%%EOF\n%endstream\n";
  CHECK(scan(file).encrypted);
  // The same file without /Encrypt is not.
  std::string plain = file;
  plain.replace(plain.find("/Encrypt 1 0 R"), 14, "/Root 1 0 R   ");
  CHECK_FALSE(scan(plain).encrypted);
  // An offset past the end, or none, is no finding (and no crash).
  CHECK_FALSE(scan("startxref\n99999999999\n%%EOF").encrypted);
  CHECK_FALSE(scan("startxref").encrypted);
}

TEST_CASE("lexer: 20,000-deep nesting costs no memory per level", "[lexer]") {
  CHECK(scan(std::string(20000, '[')).max_depth == 20000);
  CHECK(scan(std::string(20000, '<') + "<").max_depth == 10000);
}
