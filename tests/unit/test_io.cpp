// Unit tests of the Io interface (EngineOptions::io): an Engine reads every
// resource, data file and the time through it — validation with a fixed
// clock, data and resources served from memory, a blank render dated by the
// clock — and the whole-font cache is keyed by font content, never by the
// Font's address.
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "fields/registry.h"
#include "pdf/write/font_embed.h"
#include "pdf/write/podofo_wrap.h"
#include "support.h"
#include "text/font.h"
#include "yoshiki/yoshiki.h"

using yoshiki::Diagnostic;
using yoshiki::Engine;
using yoshiki::EngineOptions;
using yoshiki::Error;
using yoshiki::ErrorKind;
using yoshiki::Severity;
using yoshiki::ValidationResult;
using namespace yoshiki::test;

namespace {

// Files from memory first, then (unless memory_only) from the file system,
// noting every path read there; a fixed clock.
class MemoryIo : public yoshiki::Io {
 public:
  std::map<std::string, std::string> files;
  bool memory_only = false;
  std::string today_ = "2024-06-09", now_ = "2024-06-09T08:30:00Z";

  std::string read(const std::string& path, std::size_t max_bytes) const override {
    if (auto it = files.find(path); it != files.end()) {
      if (it->second.size() > max_bytes)
        throw Error(ErrorKind::Io, {{Severity::Error, "io.too-large", "too large", path}});
      return it->second;
    }
    if (memory_only)
      throw Error(ErrorKind::Io, {{Severity::Error, "io.read", "not in memory", path}});
    {
      std::lock_guard lock(mu_);
      from_disk_.insert(path);
    }
    return yoshiki::system_io()->read(path, max_bytes);
  }
  bool exists(const std::string& path) const override {
    return files.count(path) || (!memory_only && yoshiki::system_io()->exists(path));
  }
  std::string today() const override { return today_; }
  std::string now_utc() const override { return now_; }

  std::set<std::string> from_disk() const {
    std::lock_guard lock(mu_);
    return from_disk_;
  }

 private:
  mutable std::mutex mu_;
  mutable std::set<std::string> from_disk_;
};

std::set<std::string> ew_codes(const ValidationResult& r) {
  std::set<std::string> out;
  for (const auto& d : r.diagnostics)
    if (d.severity != Severity::Info) out.insert(d.code);
  return out;
}

// What the Engine reads at construction: the catalogue and every form's files.
std::vector<std::string> resource_files() {
  std::vector<std::string> out = {"schemas/catalog.xml", "schemas/catalog.xsd",
                                  "schemas/template.xsd", "schemas/rules.xsd"};
  for (const auto& f : engine().forms())
    for (const auto* p : {&f.schema_path, &f.rules_path, &f.template_path})
      out.push_back(p->substr(kRoot.size() + 1));
  return out;
}

}  // namespace

TEST_CASE("io: validation takes today from the Engine's clock", "[io][today]") {
  auto io = std::make_shared<MemoryIo>();
  const Engine e(EngineOptions{kRoot, "", io});
  const std::string path = kSamples + "/complete.xml";  // applicationDate 2024-06-10
  ValidationResult r = e.validate(path);                // the clock says 2024-06-09
  INFO(all(r.diagnostics));
  CHECK(ew_codes(r) == std::set<std::string>{"JK-003"});  // a date in the future
  io->today_ = "2024-06-10";
  CHECK(ew_codes(e.validate(path)).empty());
  yoshiki::ValidateOptions given;  // a given date still wins over the clock
  given.today = "2024-06-09";
  CHECK(ew_codes(e.validate(path, given)) == std::set<std::string>{"JK-003"});
}

TEST_CASE("io: data files given by path are read through the Engine's Io", "[io]") {
  auto io = std::make_shared<MemoryIo>();
  io->today_ = "2026-01-01";
  io->files["memory/complete.xml"] = slurp(kSamples + "/complete.xml");
  const Engine e(EngineOptions{kRoot, "", io});
  ValidationResult r = e.validate("memory/complete.xml");
  INFO(all(r.diagnostics));
  CHECK(r.readable);
  CHECK(r.valid);
  CHECK(e.load_data("memory/complete.xml").form_id() == "jukou-moushikomi");
  Error missing = expect_error([&] { e.load_data("memory/missing.xml"); });
  CHECK(missing.kind() == ErrorKind::Io);
}

TEST_CASE("io: the catalogue, schemas, rules and templates come from memory", "[io]") {
  auto io = std::make_shared<MemoryIo>();
  io->today_ = "2026-01-01";
  for (const auto& f : resource_files()) io->files[kRoot + "/" + f] = slurp(kRoot + "/" + f);
  // The field types' XSD fragments, beside the template schema (or anywhere: absolute paths).
  for (const auto& f : yoshiki::fields::schema_fragments(kRoot + "/schemas"))
    io->files[f] = slurp(f);
  // The rule files' code tables.
  for (const auto& f : std::filesystem::directory_iterator(kRoot + "/schemas/codes"))
    if (f.path().extension() == ".csv") io->files[f.path().string()] = slurp(f.path().string());
  // Changed in memory only: the title of a form, and JK-004 (a warning) made an error.
  std::string& catalogue = io->files[kRoot + "/schemas/catalog.xml"];
  const std::string title = "title=\"受講申込書\"";
  catalogue.replace(catalogue.find(title), title.size(), "title=\"受講申込書（試）\"");
  std::string& rules = io->files[kRoot + "/schemas/jukou-moushikomi.rules.xml"];
  const auto jk004 = rules.find("id=\"JK-004\" severity=\"W\"");
  REQUIRE(jk004 != std::string::npos);
  rules.replace(rules.find("severity=\"W\"", jk004), 12, "severity=\"E\"");

  const Engine e(EngineOptions{kRoot, "", io});
  // (libxml2 would read an XSD's xs:include from the file system; yoshiki's have none.)
  for (const auto& path : io->from_disk()) {
    INFO(path);
    CHECK(false);  // every file the Engine itself reads came from memory
  }
  bool found = false;
  for (const auto& f : e.forms())
    if (f.id == "jukou-moushikomi") found = f.title == "受講申込書（試）";
  CHECK(found);
  ValidationResult r = e.validate(kSamples + "/rules/JK-004-fail.xml");
  INFO(all(r.diagnostics));
  CHECK_FALSE(r.valid);  // an error now
}

TEST_CASE("io: a rule file for another form or version than its catalogue entry is refused",
          "[io][catalog]") {
  for (const char* attrs :
       {"form=\"koyou-joukyou\" version=\"1.0\"", "form=\"jukou-moushikomi\" version=\"2.0\""}) {
    auto io = std::make_shared<MemoryIo>();
    const std::string path = kRoot + "/schemas/jukou-moushikomi.rules.xml";
    std::string rules = slurp(path);
    const std::string own = "form=\"jukou-moushikomi\" version=\"1.0\"";
    REQUIRE(rules.find(own) != std::string::npos);
    io->files[path] = rules.replace(rules.find(own), own.size(), attrs);
    Error e = expect_error([&] { Engine(EngineOptions{kRoot, "", io}); });
    INFO(all(e.diagnostics()));
    CHECK(e.kind() == ErrorKind::InvalidInput);
    CHECK(e.diagnostics()[0].code == "catalog.rules");
    CHECK(e.diagnostics()[0].file == path);
    CHECK_THAT(e.diagnostics()[0].message, Catch::Contains("schemas/catalog.xml"));
  }
}

TEST_CASE("io: a render without a creation date is dated by the Engine's clock", "[io][render]") {
  auto io = std::make_shared<MemoryIo>();
  const Engine e(EngineOptions{kRoot, "", io});
  yoshiki::RenderOptions options;
  options.output = yoshiki::RenderOptions::Output::Flat;
  const auto pdf = e.render("jukou-moushikomi", yoshiki::FormData(), options);
  const std::string bytes(pdf.begin(), pdf.end());
  CHECK(bytes.find("D:20240609083000Z") != std::string::npos);
}

// font_embed cached the typing font by `const Font*`: a later Font at
// the address of a freed one got the freed one's font program.
TEST_CASE("io: the typing-font cache is keyed by content, not address", "[io][font]") {
  using yoshiki::text::Font;
  const yoshiki::text::FontSet fonts(kRoot + "/fonts/fonts.xml");
  const std::string gothic = fonts.role("gothic").path(), mincho = fonts.role("mincho").path();
  if (gothic == mincho || fonts.role("mincho").outlines() != Font::Outlines::TrueType) {
    WARN("skipped: needs two different TrueType fonts (IPAex gothic and mincho)");
    return;
  }
  alignas(Font) unsigned char storage[sizeof(Font)];
  std::vector<long> lengths;
  for (const std::string& path : {gothic, mincho}) {  // the same address, two fonts
    Font* font = new (storage) Font(path, 0);
    lengths.push_back(static_cast<long>(yoshiki::pdf::prepared_typing(*font)->length));
    // The typing subset: most of the font (JIS X 0208 and more), not all of it.
    CHECK(lengths.back() > 1'000'000);
    CHECK(lengths.back() < static_cast<long>(slurp(path).size()));
    font->~Font();
  }
  CHECK(lengths[0] != lengths[1]);
  const Font a(gothic, 0), b(gothic, 0), c(mincho, 0);
  CHECK(a.content_key() == b.content_key());
  CHECK(a.content_key() != c.content_key());
}

// The typing font is the Windows-31J repertoire (ICU's round-trip set):
// IPAexGothic lacks only ∑ (U+2211, NEC row 13) of it; the IBM extensions'
// 髙 and 﨑, half-width kana and ASCII are in its ToUnicode (what viewers
// use to find the glyph of a typed character).
TEST_CASE("io: the typing font covers Windows-31J but for what the font lacks", "[io][font]") {
  using yoshiki::text::Font;
  const yoshiki::text::FontSet fonts(kRoot + "/fonts/fonts.xml");
  const Font& gothic = fonts.role("gothic");
  if (gothic.path().find("ipaexg") == std::string::npos) {
    WARN("skipped: the gothic role is not IPAexGothic");
    return;
  }
  CHECK(yoshiki::pdf::typing_gaps(gothic) == std::vector<std::uint32_t>{0x2211});
  const auto typing = yoshiki::pdf::prepared_typing(gothic);
  char* data = nullptr;
  PoDoFo::pdf_long len = 0;
  const std::unique_ptr<PoDoFo::PdfFilter> flate(  // Create hands over a raw pointer
      PoDoFo::PdfFilterFactory::Create(PoDoFo::ePdfFilter_FlateDecode));
  flate->Decode(typing->cmap.data(), static_cast<PoDoFo::pdf_long>(typing->cmap.size()), &data,
                &len);
  const std::string text(data, static_cast<std::size_t>(len));
  PoDoFo::podofo_free(data);
  for (const char* cp : {"<9AD9>", "<FA11>", "<FF76>", "<0041>", "<3000>", "<65E5>"})
    CHECK(text.find(std::string(" ") + cp) != std::string::npos);
  CHECK(text.find(" <2F47>") == std::string::npos);  // ⽇ is not typed: 日 is
}

namespace {

// The table tags of an sfnt font program (its table directory).
std::set<std::string> sfnt_tables(const std::string& program) {
  auto u16 = [&](std::size_t at) {
    return static_cast<unsigned>(static_cast<unsigned char>(program.at(at))) << 8 |
           static_cast<unsigned char>(program.at(at + 1));
  };
  std::set<std::string> tags;
  for (unsigned i = 0, n = u16(4); i < n; ++i) tags.insert(program.substr(12 + 16 * i, 4));
  return tags;
}

}  // namespace

// A subset of the page's text carries only what a CIDFontType2 with
// Identity CIDs is drawn from (ISO 32000-1 9.9: head, hhea, loca, maxp,
// glyf, hmtx): no cmap, name, post, OS/2 or gasp — making those was a fifth of
// the values' subset per document. The typing font keeps its cmap:
// viewers find a typed character's glyph through it.
TEST_CASE(
    "io: a page-text subset holds no cmap, name, post, OS/2 or gasp; the typing font keeps cmap",
    "[io][font]") {
  using yoshiki::text::Font;
  const yoshiki::text::FontSet fonts(kRoot + "/fonts/fonts.xml");
  const Font& gothic = fonts.role("gothic");
  if (gothic.outlines() != Font::Outlines::TrueType) {
    WARN("skipped: the gothic role is not a TrueType font");
    return;
  }
  yoshiki::pdf::FontUsage usage;
  usage.font = &gothic;
  hb_codepoint_t gid = 0;
  REQUIRE(hb_font_get_nominal_glyph(gothic.hb(), 0x65E5, &gid));  // 日
  usage.add(gid, "日");
  const auto page = yoshiki::pdf::prepare_subset(usage, 0);  // level 0: the program as it is
  REQUIRE_FALSE(page->program_deflated);
  CHECK(sfnt_tables(page->program) ==
        std::set<std::string>{"glyf", "head", "hhea", "hmtx", "loca", "maxp"});
  CHECK(page->cid(gid) == 1);  // .notdef is 0

  const auto typing = yoshiki::pdf::prepared_typing(gothic);
  char* data = nullptr;
  PoDoFo::pdf_long len = 0;
  const std::unique_ptr<PoDoFo::PdfFilter> flate(
      PoDoFo::PdfFilterFactory::Create(PoDoFo::ePdfFilter_FlateDecode));
  flate->Decode(typing->program.data(), static_cast<PoDoFo::pdf_long>(typing->program.size()),
                &data, &len);
  const std::string program(data, static_cast<std::size_t>(len));
  PoDoFo::podofo_free(data);
  CHECK(sfnt_tables(program).count("cmap") == 1);
}
