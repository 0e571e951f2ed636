// The reader's own cross-reference index (pdf/read/object_index.h) and the
// reading through it (reader.cpp): what it indexes is where PoDoFo finds
// each object, what it does not read exactly as PoDoFo would, it refuses,
// and the reader then reads the file through PoDoFo with the same result.
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "pdf/read/object_index.h"
#include "pdf/read/reader.h"
#include "yoshiki/yoshiki.h"

using yoshiki::pdf::ObjectIndex;
using yoshiki::pdf::read_object_index;
using yoshiki::pdf::read_pdf_form;
using yoshiki::pdf::stream_data_start;

namespace {

struct Written {
  std::string bytes;
  std::map<int, std::size_t> offsets;  // object number → where "N 0 obj" starts
};

// A PDF of `objects` (bodies without "obj"/"endobj") with one classic table,
// entries ending in `eol`, /Size and /Root 1 0 R plus `trailer_extra`.
Written pdf(const std::map<int, std::string>& objects, const std::string& trailer_extra = "",
            const std::string& eol = " \n") {
  Written w;
  w.bytes = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  for (const auto& [n, body] : objects) {
    w.offsets[n] = w.bytes.size();
    w.bytes += std::to_string(n) + " 0 obj\n" + body + "\nendobj\n";
  }
  const int size = objects.rbegin()->first + 1;
  const std::size_t xref = w.bytes.size();
  w.bytes += "xref\n0 " + std::to_string(size) + "\n0000000000 65535 f" + eol;
  for (int n = 1; n < size; ++n) {
    char entry[32];
    auto it = w.offsets.find(n);
    std::snprintf(entry, sizeof entry, "%010zu %05d %c", it == w.offsets.end() ? 0 : it->second,
                  it == w.offsets.end() ? 65535 : 0, it == w.offsets.end() ? 'f' : 'n');
    w.bytes += entry + eol;
  }
  w.bytes += "trailer\n<< /Size " + std::to_string(size) + " /Root 1 0 R" + trailer_extra +
             " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return w;
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

// `bytes` with startxref leading to its (last) table again, after an edit
// in the last object moved it.
std::string xref_refound(const std::string& bytes) {
  const std::size_t xref = bytes.rfind("\nxref\n") + 1;
  const std::size_t value = bytes.rfind("startxref\n") + 10;
  return bytes.substr(0, value) + std::to_string(xref) + "\n%%EOF\n";
}

// A form: one text field, Info keys, and data.xml embedded as `stream`
// (the stream object's body from its dictionary on).
std::map<int, std::string> form(const std::string& stream) {
  return {
      {1,
       "<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R /Names << /EmbeddedFiles << /Names "
       "[(data.xml) 6 0 R] >> >> >>"},
      {2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
      {3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [5 0 R] >>"},
      {4, "<< /Fields [5 0 R] >>"},
      {5, "<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Yamada) /Rect [10 10 200 30] >>"},
      {6, "<< /Type /Filespec /F (data.xml) /EF << /F 7 0 R >> >>"},
      {7, stream},
      {8, "8"},
      {9, "<< /YoshikiFormId (jukou-moushikomi) /YoshikiFormVersion (1.0) >>"},
  };
}

}  // namespace

TEST_CASE("object index: where PoDoFo finds each object", "[object_index]") {
  const Written w = pdf({{1, "<< /Type /Catalog /Pages 2 0 R >>"},
                         {2, "<< /Type /Pages /Kids [] /Count 0 >>"},
                         {4, "(four)"}},
                        " /Info 4 0 R");
  const auto index = read_object_index(w.bytes);
  REQUIRE(index);
  REQUIRE(index->objects.size() == 5);
  CHECK(index->body(1, 0) == w.offsets.at(1) + 7);  // just after "1 0 obj"
  CHECK(index->body(2, 0) == w.offsets.at(2) + 7);
  CHECK(index->body(4, 0) == w.offsets.at(4) + 7);
  CHECK(index->body(3, 0) == 0);  // free
  CHECK(index->body(0, 0) == 0);  // free
  CHECK(index->body(1, 1) == 0);  // another generation
  CHECK(index->body(5, 0) == 0);  // past the table
  const auto& trailer = index->trailer->GetDictionary();
  CHECK(trailer.GetKey("Size")->GetNumber() == 5);
  CHECK(trailer.GetKey("Root")->GetReference().ObjectNumber() == 1);
  CHECK(trailer.GetKey("Info")->GetReference().ObjectNumber() == 4);

  // Entries ending CR LF, LF CR and space CR read alike.
  for (const char* eol : {"\r\n", "\n\r", " \r"}) {
    const Written v = pdf({{1, "<< /Pages 2 0 R >>"}, {2, "<< >>"}}, "", eol);
    const auto i = read_object_index(v.bytes);
    REQUIRE(i);
    CHECK(i->body(2, 0) == v.offsets.at(2) + 7);
  }
}

TEST_CASE("object index: two subsections, an entry read twice keeps the first", "[object_index]") {
  Written w = pdf({{1, "<< /Pages 2 0 R >>"}, {2, "<< >>"}, {3, "(x)"}});
  // "0 4" → "0 3" then a second subsection "2 2" naming 2 again (at 3's
  // offset: its header says 3, so taken it would be refused) and 3.
  const std::string entry3 = [&] {
    char e[21];
    std::snprintf(e, sizeof e, "%010zu 00000 n", w.offsets.at(3));
    return std::string(e) + " \n";
  }();
  w.bytes = replaced(w.bytes, "xref\n0 4\n", "xref\n0 3\n");
  w.bytes = replaced(w.bytes, entry3, "2 2\n" + entry3 + entry3);
  const std::size_t xref = w.bytes.find("xref\n");
  w.bytes =
      w.bytes.substr(0, w.bytes.find("startxref\n") + 10) + std::to_string(xref) + "\n%%EOF\n";
  const auto index = read_object_index(w.bytes);
  REQUIRE(index);
  CHECK(index->body(2, 0) == w.offsets.at(2) + 7);
  CHECK(index->body(3, 0) == w.offsets.at(3) + 7);
}

TEST_CASE("object index: anything PoDoFo reads its own way is refused", "[object_index]") {
  const Written w = pdf({{1, "<< /Type /Catalog /Pages 2 0 R >>"}, {2, "<< /Type /Pages >>"}});
  REQUIRE(read_object_index(w.bytes));
  const std::string entry2 = [&] {
    char e[21];
    std::snprintf(e, sizeof e, "%010zu 00000 n", w.offsets.at(2));
    return std::string(e);
  }();
  const std::string xref_at = std::to_string(w.bytes.find("xref\n"));
  const std::map<std::string, std::string> damaged = {
      {"entry use neither n nor f", replaced(w.bytes, entry2, entry2.substr(0, 17) + "x")},
      {"entry end of line LF LF", replaced(w.bytes, entry2 + " \n", entry2 + "\n\n")},
      {"entry offset not digits", replaced(w.bytes, entry2, " " + entry2.substr(1))},
      {"entry past the end", replaced(w.bytes, entry2, "9999999999" + entry2.substr(10))},
      {"entry into the middle of a token",
       replaced(w.bytes, entry2,
                [&] {
                  char e[21];
                  std::snprintf(e, sizeof e, "%010zu 00000 n", w.offsets.at(2) + 1);  // " 0 obj"
                  return std::string(e);
                }())},
      {"header naming another object", replaced(w.bytes, "2 0 obj", "3 0 obj")},
      {"header with a comment", xref_refound(replaced(w.bytes, "2 0 obj", "2 0 obj%"))},
      {"generation past 16 bits", xref_refound(replaced(w.bytes, "2 0 obj", "2 99999 obj"))},
      {"no startxref", replaced(w.bytes, "startxref", "startxrex")},
      {"startxref past the end", replaced(w.bytes, "startxref\n" + xref_at, "startxref\n99999999")},
      {"a cross-reference stream", replaced(w.bytes, "xref\n0 3", "3 0 obj\n<< /Type /XRef >>")},
      {"a comment after xref", replaced(w.bytes, "xref\n", "xref%\n")},
      {"an incremental update", replaced(w.bytes, "/Root 1 0 R", "/Root 1 0 R /Prev 9")},
      {"a hybrid file", replaced(w.bytes, "/Root 1 0 R", "/Root 1 0 R /XRefStm 9")},
      {"encrypted", replaced(w.bytes, "/Root 1 0 R", "/Root 1 0 R /Encrypt 2 0 R")},
      {"no /Size", replaced(w.bytes, "/Size 3", "")},
      {"/Size too large", replaced(w.bytes, "/Size 3", "/Size 99999999")},
      {"/Root direct", replaced(w.bytes, "/Root 1 0 R", "/Root << >>")},
      {"a second trailer after this one", replaced(w.bytes, "%%EOF", "trailer\n%%EOF")},
      {"no %%EOF", replaced(w.bytes, "%%EOF", "%%EOX")},
      {"not a PDF", replaced(w.bytes, "%PDF-", "%PDX-")},
  };
  for (const auto& [what, bytes] : damaged) {
    INFO(what);
    CHECK_FALSE(read_object_index(bytes));
  }
}

TEST_CASE("object index: stream data start as PoDoFo finds it", "[object_index]") {
  // The offset given is just after the keyword "stream".
  CHECK(stream_data_start("stream\r\nabc", 6) == 8);    // CR LF
  CHECK(stream_data_start("stream\nabc", 6) == 7);      // LF
  CHECK(stream_data_start("stream\rabc", 6) == 7);      // CR alone
  CHECK(stream_data_start("stream\r\rabc", 6) == 7);    // one CR only
  CHECK(stream_data_start("stream   \nabc", 6) == 10);  // spaces, then the line end
  CHECK(stream_data_start("stream \r\nabc", 6) == 9);
  CHECK(stream_data_start("stream\tabc", 6) == 7);                    // any white space byte
  CHECK(stream_data_start("streamabc", 6) == 6);                      // none: the data start here
  CHECK(stream_data_start("stream  ", 6) == std::string_view::npos);  // the end
}

TEST_CASE("reader: a form read through the index, /Length direct or indirect", "[object_index]") {
  const std::string data = "<data>\n  <name>Yamada</name>\n</data>\n";
  const std::string len = std::to_string(data.size());
  for (const std::string& dict :
       std::vector<std::string>{"<< /Type /EmbeddedFile /Length 8 0 R >>",
                                "<< /Type /EmbeddedFile /Length " + len + " >>"}) {
    for (const char* eol : {"\r\n", "\n", " \n", "\r"}) {
      INFO(dict << " EOL " << (eol[0] == '\r' ? "CR" : "other"));
      auto objects = form(dict + "\nstream" + eol + data + "\nendstream");
      objects[8] = len;
      const Written w = pdf(objects, " /Info 9 0 R");
      REQUIRE(read_object_index(w.bytes));
      const auto content = read_pdf_form(w.bytes, "form.pdf");
      CHECK(content.form_id == "jukou-moushikomi");
      CHECK(content.form_version == "1.0");
      CHECK(content.text == std::map<std::string, std::string>{{"name", "Yamada"}});
      CHECK(content.attachments == std::map<std::string, std::string>{{"data.xml", data}});
      CHECK(content.has_acroform);
      CHECK(content.updates == 0);
    }
  }
}

TEST_CASE("reader: what the index refuses reads the same through PoDoFo", "[object_index]") {
  const std::string data = "<data/>\n";
  auto objects = form("<< /Length 8 0 R >>\nstream\n" + data + "\nendstream");
  objects[8] = std::to_string(data.size());
  const Written w = pdf(objects, " /Info 9 0 R");
  auto with = [&](int n, const std::string& from, const std::string& to) {
    auto changed = objects;
    changed[n] = replaced(changed[n], from, to);
    return pdf(changed, " /Info 9 0 R").bytes;
  };
  const std::map<std::string, std::string> refused = {
      // The index refuses the table.
      {"a comment before the trailer dictionary", replaced(w.bytes, "trailer\n", "trailer %c\n")},
      // The index takes the table, objects.h not an object: PoDoFo reads the file.
      {"a /Contents objects.h leaves to PoDoFo", with(5, "/T (name)", "/T (name) /Contents <00>")},
      {"a catalog /Version by reference", with(1, "/Type /Catalog", "/Version 8 0 R")},
  };
  REQUIRE_FALSE(read_object_index(refused.at("a comment before the trailer dictionary")));
  REQUIRE(read_object_index(refused.at("a catalog /Version by reference")));
  for (const auto& [what, bytes] : refused) {
    INFO(what);
    const auto content = read_pdf_form(bytes, "form.pdf");
    CHECK(content.form_id == "jukou-moushikomi");
    CHECK(content.text == std::map<std::string, std::string>{{"name", "Yamada"}});
    CHECK(content.attachments == std::map<std::string, std::string>{{"data.xml", data}});
  }
  // A real /Length: the index leaves the file to PoDoFo, which refuses it.
  try {
    read_pdf_form(with(8, "8", "8.0"), "real.pdf");
    FAIL("read");
  } catch (const yoshiki::Error& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].code == "pdf.damaged");
    CHECK(e.diagnostics()[0].message == "cannot read PDF: ePdfError_InvalidStream");
  }
}

TEST_CASE("reader: hostile offsets give PoDoFo's errors, never a crash", "[object_index]") {
  const Written w = pdf({{1, "<< /Type /Catalog /Pages 2 0 R >>"}, {2, "<< /Type /Pages >>"}});
  // /Root to an object the table does not have: PoDoFo's "no catalog".
  const std::string no_root = replaced(w.bytes, "/Root 1 0 R", "/Root 7 0 R");
  try {
    read_pdf_form(no_root, "bad.pdf");
    FAIL("read");
  } catch (const yoshiki::Error& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].code == "pdf.damaged");
    CHECK(e.diagnostics()[0].message == "cannot read PDF: ePdfError_NoObject");
  }
  // A stream whose /Length runs past the end: read by PoDoFo as before.
  auto objects = form("<< /Length 999999 >>\nstream\n<data/>\nendstream");
  const Written s = pdf(objects, " /Info 9 0 R");
  REQUIRE(read_object_index(s.bytes));
  const auto content = read_pdf_form(s.bytes, "long.pdf");
  CHECK(content.text == std::map<std::string, std::string>{{"name", "Yamada"}});
}
