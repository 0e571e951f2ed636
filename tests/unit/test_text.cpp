// Unit tests of text/font, text/shape and text/linebreak: shaping with
// IPAexGothic, kinsoku-aware line breaking and the shrink/wrap fitting.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "support.h"
#include "text/font.h"
#include "text/linebreak.h"
#include "text/shape.h"
#include "yoshiki/yoshiki.h"

using namespace yoshiki::text;
using namespace yoshiki::test;

namespace {

const FontSet& fonts() {
  static const FontSet set(YOSHIKI_TEST_ROOT "/fonts/fonts.xml");
  return set;
}

const Font& gothic() { return fonts().role("gothic"); }

double em_width(const std::string& s, double size) { return shape(gothic(), s).width(size); }

// UTF-8 characters of a string.
std::vector<std::string> chars(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t n = 1;
    while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string join(const std::vector<std::string>& v, const char* sep = "") {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

std::string show(const std::vector<std::string>& v) { return "[" + join(v, " | ") + "]"; }

}  // namespace

// ---- fonts -------------------------------------------------------------------

TEST_CASE("FontSet loads the roles of fonts/fonts.xml", "[text][font]") {
  CHECK(fonts().roles() == std::vector<std::string>{"gothic", "mincho"});
  CHECK(gothic().metrics().postscript_name == "IPAexGothic");
  CHECK(fonts().role("mincho").metrics().postscript_name == "IPAexMincho");
  CHECK(gothic().metrics().units_per_em > 0);
  CHECK(gothic().has_codepoint(U'日'));
  CHECK(gothic().has_codepoint(U'ｱ'));
  CHECK_FALSE(gothic().has_codepoint(0x1F600));  // emoji: not in IPAex
}

TEST_CASE("FontSet::role throws Error(Usage) for an unknown role", "[text][font]") {
  try {
    (void)fonts().role("fraktur");
    FAIL("no exception");
  } catch (const yoshiki::Error& e) {
    CHECK(e.kind() == yoshiki::ErrorKind::Usage);
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].code == "font.role");
    CHECK_THAT(e.diagnostics()[0].message, Catch::Contains("fraktur"));
  }
}

TEST_CASE("FontSet on a missing font map throws Error(Io)", "[text][font]") {
  try {
    FontSet bad(YOSHIKI_TEST_ROOT "/fonts/no-such-map.xml");
    FAIL("no exception");
  } catch (const yoshiki::Error& e) {
    CHECK(e.kind() == yoshiki::ErrorKind::Io);
    REQUIRE_FALSE(e.diagnostics().empty());
    CHECK_THAT(e.diagnostics()[0].file, Catch::EndsWith("no-such-map.xml"));
  }
}

// ---- shaping -----------------------------------------------------------------

TEST_CASE("shape gives one glyph per character with its text", "[text][shape]") {
  const int upem = gothic().metrics().units_per_em;
  struct Case {
    const char* text;
    int advance_per_glyph;  // in units of upem/2
  };
  const std::vector<Case> cases = {
      {"日本語", 2},    // full-width kanji: 1 em
      {"あいう", 2},    // hiragana
      {"カタカナ", 2},  // full-width katakana
      {"。、「」", 2},  // full-width punctuation
      {"１２３", 2},    // full-width digits
      {"ﾃｽﾄ", 1},       // half-width katakana: 1/2 em
      {"ｱｲｳｴｵ", 1},
  };
  for (const auto& c : cases) {
    SECTION(c.text) {
      INFO("text: " << c.text);
      const std::string s = c.text;
      const auto cs = chars(s);
      ShapedRun run = shape(gothic(), s);
      CHECK(run.font == &gothic());
      REQUIRE(run.glyphs.size() == cs.size());
      size_t offset = 0;
      for (size_t i = 0; i < cs.size(); ++i) {
        INFO("glyph " << i << " (" << cs[i] << ")");
        const Glyph& g = run.glyphs[i];
        CHECK(g.gid != 0);
        CHECK(g.text == cs[i]);
        CHECK(g.cluster == offset);
        CHECK(g.advance * 2 == c.advance_per_glyph * upem);
        offset += cs[i].size();
      }
      CHECK(run.advance * 2 == static_cast<std::int64_t>(cs.size()) * c.advance_per_glyph * upem);
      CHECK(run.width(10) == Approx(cs.size() * c.advance_per_glyph * 5.0));
    }
  }
}

TEST_CASE("shape: 日本語 gives distinct glyphs of exactly 1 em", "[text][shape]") {
  ShapedRun run = shape(gothic(), "日本語");
  REQUIRE(run.glyphs.size() == 3);
  CHECK(run.glyphs[0].text == "日");
  CHECK(run.glyphs[1].text == "本");
  CHECK(run.glyphs[2].text == "語");
  CHECK(run.glyphs[0].gid != run.glyphs[1].gid);
  CHECK(run.glyphs[1].gid != run.glyphs[2].gid);
  for (const auto& g : run.glyphs) CHECK(g.advance == gothic().metrics().units_per_em);
  CHECK(run.width(12) == Approx(36.0));
}

TEST_CASE("shape: glyph texts concatenate back to the input", "[text][shape]") {
  const std::vector<std::string> cases = {
      "Hello, world",
      "東京都中野区中野五丁目24番8号",
      "か\u3099",  // か + combining dakuten: one cluster
      "ｶﾞｷﾞ",      // half-width with sound marks
      "k.yamamoto58@example.jp",
      "fi ffl",  // possible Latin ligatures
  };
  for (const auto& s : cases) {
    INFO("text: " << s);
    ShapedRun run = shape(gothic(), s);
    REQUIRE_FALSE(run.glyphs.empty());
    std::string back;
    std::int64_t sum = 0;
    for (const auto& g : run.glyphs) {
      back += g.text;
      sum += g.advance;
    }
    CHECK(back == s);
    CHECK(sum == run.advance);
    CHECK(run.glyphs.front().cluster == 0);
  }
}

// ---- plain characters: read from the font's table, as HarfBuzz shapes them --

namespace {

// UTF-8 of a code point.
std::string utf8_of(std::uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

// What a run is, glyph by glyph, as text for a failing check's message.
std::string glyphs_of(const ShapedRun& run) {
  std::string s;
  for (const auto& g : run.glyphs)
    s += std::to_string(g.gid) + "/" + std::to_string(g.advance) + "@" + std::to_string(g.cluster) +
         "'" + g.text + "' ";
  return s + "= " + std::to_string(run.advance);
}

// The fonts whose plain characters are checked: IPAex (fonts/fonts.xml) and
// Noto CJK (fonts/noto.xml: CFF, with locl and kern lookups) when installed.
std::vector<std::pair<std::string, const Font*>> plain_test_fonts() {
  std::vector<std::pair<std::string, const Font*>> out;
  for (const char* role : {"gothic", "mincho"}) out.emplace_back(role, &fonts().role(role));
  static const std::unique_ptr<FontSet> noto = []() -> std::unique_ptr<FontSet> {
    if (!std::filesystem::exists("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"))
      return nullptr;
    return std::make_unique<FontSet>(YOSHIKI_TEST_ROOT "/fonts/noto.xml");
  }();
  if (noto)
    for (const char* role : {"gothic", "mincho"})
      out.emplace_back(std::string("noto ") + role, &noto->role(role));
  return out;
}

std::vector<std::uint32_t> plain_code_points(const Font& f) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t cp = 0; cp < 0x10000; ++cp)
    if (f.plain(cp)) out.push_back(cp);
  return out;
}

}  // namespace

TEST_CASE("plain characters: which are and which are not", "[text][shape][plain]") {
  for (const char* role : {"gothic", "mincho"}) {
    INFO(role);
    const Font& f = fonts().role(role);
    const auto plain = plain_code_points(f);
    // IPAex maps ~12,000 BMP characters; all but a few hundred are plain.
    CHECK(plain.size() > 11000);
    for (std::uint32_t cp : {U'日', U'本', U'か', U'が', U'ウ', U'ヴ', U'ｶ',  U'0',  U'1',  U'9',
                             U'A',  U'z',  U'@',  U'　', U' ',  U'、', U'。', U'「', U'ー', U'髙'})
      CHECK(f.plain(cp) != 0);
    // Marks, grapheme extenders (ﾞ ﾟ), controls, format characters, U+2044
    // (HarfBuzz's fractions),
    // unmapped characters and those beyond the BMP never are.
    for (std::uint32_t cp : {0x3099u, 0x309Au, 0xFF9Eu, 0xFF9Fu, 0x0301u, 0x09u, 0x0Au, 0x200Cu,
                             0x200Du, 0xFE0Fu, 0x2044u, 0xE000u, 0x1F600u, 0x20B9Fu})
      CHECK(f.plain(cp) == 0);
    // A plain character's glyph and advance are the font's own.
    const std::uint32_t ka = f.plain(U'か');
    hb_codepoint_t gid = 0;
    REQUIRE(hb_font_get_nominal_glyph(f.hb(), U'か', &gid));
    CHECK((ka & 0xFFFF) == gid);
    CHECK(static_cast<int>(ka >> 16) == f.advance(gid));
    CHECK(static_cast<int>(ka >> 16) == f.metrics().units_per_em);
  }
}

TEST_CASE("plain characters shape as HarfBuzz shapes them, one by one", "[text][shape][plain]") {
  for (const auto& [name, font] : plain_test_fonts()) {
    INFO(name);
    const Font& f = *font;
    std::size_t checked = 0, differ = 0;
    for (std::uint32_t cp : plain_code_points(f)) {
      const std::string s = utf8_of(cp);
      const ShapedRun table = shape(f, s), hb = shape_harfbuzz(f, s);
      ++checked;
      if (glyphs_of(table) == glyphs_of(hb)) continue;
      if (++differ <= 10)
        FAIL_CHECK("U+" << std::hex << cp << ": " << glyphs_of(table) << " vs " << glyphs_of(hb));
    }
    CHECK(checked > 11000);  // IPAex ~11,600; Noto ~16,600 (most kana and Latin have lookups)
    CHECK(differ == 0);
  }
}

TEST_CASE("every pair of plain Latin, kana and punctuation shapes as HarfBuzz shapes it",
          "[text][shape][plain]") {
  // Where lookups gather (ligatures, kana with sound marks, Latin pairs):
  // every ordered pair of the plain characters of ASCII, Latin-1, the
  // Japanese punctuation, hiragana, katakana and the half-width forms.
  for (const auto& [name, font] : plain_test_fonts()) {
    INFO(name);
    const Font& f = *font;
    std::vector<std::uint32_t> set;
    for (std::uint32_t cp : plain_code_points(f))
      if (cp < 0x100 || (cp >= 0x3000 && cp < 0x3100) || (cp >= 0xFF00 && cp < 0xFFF0))
        set.push_back(cp);
    if (name.rfind("noto", 0) != 0) CHECK(set.size() > 400);
    std::size_t differ = 0;
    for (std::uint32_t a : set) {
      for (std::uint32_t b : set) {
        const std::string s = utf8_of(a) + utf8_of(b);
        const ShapedRun table = shape(f, s), hb = shape_harfbuzz(f, s);
        if (table.advance == hb.advance && glyphs_of(table) == glyphs_of(hb)) continue;
        if (++differ <= 10) FAIL_CHECK(s << ": " << glyphs_of(table) << " vs " << glyphs_of(hb));
      }
    }
    CHECK(differ == 0);
  }
}

TEST_CASE("runs of plain and other characters shape as HarfBuzz shapes them",
          "[text][shape][plain]") {
  // Random runs (fixed seed) of plain characters, with now and then one
  // that is not (a combining mark after kana, ligature letters, U+2044
  // between digits, a tab, a variation selector): every run, glyph by
  // glyph, as HarfBuzz gives it.
  const std::vector<std::string> others = {"\u3099", "\u309A", "fi",     "ffl", "1\u20442",
                                           "\t",     "\uFE0F", "\u0301", "ｶﾞ",  "\U00020B9F"};
  for (const auto& [name, font] : plain_test_fonts()) {
    INFO(name);
    const Font& f = *font;
    const auto plain = plain_code_points(f);
    std::mt19937 random(20261206);
    std::size_t differ = 0, tabled = 0;
    for (int i = 0; i < 4000; ++i) {
      std::string s;
      const int length = 1 + static_cast<int>(random() % 24);
      const bool mixed = i % 4 == 3;
      for (int k = 0; k < length; ++k) {
        if (mixed && random() % 5 == 0)
          s += others[random() % others.size()];
        else
          s += utf8_of(plain[random() % plain.size()]);
      }
      const ShapedRun table = shape(f, s), hb = shape_harfbuzz(f, s);
      if (!mixed) ++tabled;
      if (glyphs_of(table) == glyphs_of(hb)) continue;
      if (++differ <= 10) FAIL_CHECK(s << ": " << glyphs_of(table) << " vs " << glyphs_of(hb));
    }
    CHECK(tabled == 3000);
    CHECK(differ == 0);
  }
  // The marks still combine (HarfBuzz's path): か + U+3099 is the glyph of が.
  const ShapedRun composed = shape(gothic(), "か\u3099"), ga = shape(gothic(), "が");
  REQUIRE(composed.glyphs.size() == 1);
  CHECK(composed.glyphs[0].gid == ga.glyphs[0].gid);
  CHECK(composed.glyphs[0].text == "か\u3099");
}

TEST_CASE("shape of an empty string is an empty run", "[text][shape]") {
  ShapedRun run = shape(gothic(), "");
  CHECK(run.glyphs.empty());
  CHECK(run.advance == 0);
  CHECK(run.font == &gothic());
}

TEST_CASE("shape_part: every wrapped line's run is the one shaping the line alone gives",
          "[text][shape]") {
  // Scripts changing between lines (Han, Hiragana, Katakana, Latin), Latin
  // ligatures and kerning pairs, a combining mark, an ideographic variation
  // sequence, digits and spaces only: sliced or shaped afresh, a line's
  // glyphs must not differ from shape() of the line.
  const std::vector<std::string> cases = {
      "個人情報の取り扱いについては、シニアワークプログラム地域事業の受託者が変更となった際には、"
      "上記太枠箇所について引き継ぐ場合があります。office ffi AVAWAY To.",
      "か\u3099か\u3099か\u3099か\u3099ｶﾞｷﾞｶﾞｷﾞ葛\U000E0100飾区の葛\U000E0100西さん",
      "1234 5678 9012 3456 7890 (03) 1234-5678",
      "First line\n  indented second line\n\nafter a blank line ffi fl",
  };
  for (const Font* font : {&gothic(), &fonts().role("mincho")}) {
    for (const auto& s : cases) {
      const ShapedRun whole = shape(*font, s);
      for (double width : {20.0, 33.0, 47.5, 80.0, 150.0, 400.0}) {
        for (const LineSpan& l : wrap_spans(whole, s, 10, width)) {
          const std::string line = s.substr(l.begin, l.end - l.begin);
          INFO("width " << width << ", line: " << line);
          const ShapedRun part = shape_part(whole, s, l.begin, l.end);
          const ShapedRun alone = shape(*font, line);
          CHECK(part.font == font);
          CHECK(part.advance == alone.advance);
          REQUIRE(part.glyphs.size() == alone.glyphs.size());
          for (size_t i = 0; i < part.glyphs.size(); ++i) {
            CHECK(part.glyphs[i].gid == alone.glyphs[i].gid);
            CHECK(part.glyphs[i].advance == alone.glyphs[i].advance);
            CHECK(part.glyphs[i].cluster == alone.glyphs[i].cluster);
            CHECK(part.glyphs[i].text == alone.glyphs[i].text);
          }
        }
      }
    }
  }
}

TEST_CASE("shape_part keeps a value's line in the document's scope only", "[text][shape]") {
  const std::string s = "夜間の見守りと配達の仕事を希望します。長く続けられる仕事を探しています。";
  const ShapedRun whole = shape(gothic(), s);
  const auto lines = wrap_spans(whole, s, 10, 60);
  REQUIRE(lines.size() > 1);
  const std::string second = s.substr(lines[1].begin, lines[1].end - lines[1].begin);
  {
    TextScope scope(nullptr);
    shape_part(whole, s, lines[1].begin, lines[1].end);
    CHECK(text_is_kept(second));
  }
  CHECK_FALSE(text_is_kept(second));
}

// ---- line breaking -------------------------------------------------------------

TEST_CASE("line_breaks: opportunities and hard breaks", "[text][linebreak]") {
  struct Case {
    const char* text;
    std::vector<BreakOpportunity> expected;
  };
  // あ い う are 3 bytes each; "\n" is one.
  const std::vector<Case> cases = {
      {"あいう", {{3, false}, {6, false}, {9, false}}},
      {"あい\nう", {{3, false}, {7, true}, {10, false}}},
      {"あ。い", {{6, false}, {9, false}}},                    // no break before 。
      {"あ「い」う", {{3, false}, {12, false}, {15, false}}},  // none after 「, none before 」
      {"ab cd", {{3, false}, {5, false}}},
      {"", {{0, false}}},
  };
  for (const auto& c : cases) {
    SECTION(c.text[0] ? c.text : "(empty)") {
      auto got = line_breaks(c.text);
      std::string g, e;
      for (auto b : got) g += std::to_string(b.offset) + (b.hard ? "H " : " ");
      for (auto b : c.expected) e += std::to_string(b.offset) + (b.hard ? "H " : " ");
      CHECK(g == e);
    }
  }
}

TEST_CASE("wrap honours kinsoku (no 。、）」ー ッ ャ at a line start, no 「（ at an end)",
          "[text][linebreak][kinsoku]") {
  // All characters are full-width (1 em); lines are `em` characters wide at 10 pt.
  struct Case {
    const char* text;
    int em;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"あいうえお。かきくけこ", 5, {"あいうえ", "お。かきく", "けこ"}},
      {"かきくけこ、さしすせそ", 5, {"かきくけ", "こ、さしす", "せそ"}},
      {"あいうえお）かきくけ", 5, {"あいうえ", "お）かきく", "け"}},
      {"あいうえお」かきくけ", 5, {"あいうえ", "お」かきく", "け"}},
      {"あいうえおーかきくけ", 5, {"あいうえ", "おーかきく", "け"}},
      {"あいうえおッかきくけ", 5, {"あいうえ", "おッかきく", "け"}},
      {"あいうえキャンプ", 5, {"あいうえ", "キャンプ"}},
      {"あいうえ「かきく」けこ", 5, {"あいうえ", "「かきく」", "けこ"}},
      {"あいうえ（かきく）けこ", 5, {"あいうえ", "（かきく）", "けこ"}},
      {"あいうえおかきくけこ", 5, {"あいうえお", "かきくけこ"}},  // no constraint: full lines
  };
  const std::vector<std::string> no_start = {"。", "、", "）", "」", "ー", "ッ", "ャ"};
  const std::vector<std::string> no_end = {"「", "（"};
  for (const auto& c : cases) {
    SECTION(c.text) {
      const std::string s = c.text;
      const double size = 10, width = c.em * size;
      auto lines = wrap(shape(gothic(), s), s, size, width);
      INFO("text: " << s << " at " << c.em << " em -> " << show(lines));
      CHECK(lines == c.expected);
      CHECK(join(lines) == s);
      for (const auto& l : lines) {
        REQUIRE_FALSE(l.empty());
        CHECK(em_width(l, size) <= width + 1e-6);
        const auto cs = chars(l);
        for (const auto& p : no_start) CHECK(cs.front() != p);
        for (const auto& p : no_end) CHECK(cs.back() != p);
      }
    }
  }
}

TEST_CASE("wrap: kinsoku holds at every width for a realistic sentence",
          "[text][linebreak][kinsoku]") {
  const std::string s =
      "派遣で事務の仕事をしていますが、契約が来年３月で終了する予定です。「マンション管理員（通勤型"
      "）」"
      "として、経理や総務の経験を生かしたいと思いました。チェックリストも作ってみます。";
  const std::vector<std::string> no_start = {"。", "、", "）", "」", "ー", "ッ", "ャ", "ョ"};
  const std::vector<std::string> no_end = {"「", "（"};
  for (int em = 3; em <= 30; ++em) {
    const double width = em * 10.0;
    auto lines = wrap(shape(gothic(), s), s, 10, width);
    INFO(em << " em -> " << show(lines));
    CHECK(join(lines) == s);
    for (const auto& l : lines) {
      CHECK(em_width(l, 10) <= width + 1e-6);
      const auto cs = chars(l);
      for (const auto& p : no_start) CHECK(cs.front() != p);
      for (const auto& p : no_end) CHECK(cs.back() != p);
    }
  }
}

TEST_CASE("wrap: a hard newline forces a break", "[text][linebreak]") {
  struct Case {
    const char* text;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"あい\nうえ", {"あい", "うえ"}},
      {"あい\n\nうえ", {"あい", "", "うえ"}},
      {"一行目\n二行目\n三行目", {"一行目", "二行目", "三行目"}},
      {"abc\ndef", {"abc", "def"}},
      {"末尾\n", {"末尾"}},
  };
  for (const auto& c : cases) {
    SECTION(c.text) {
      const std::string s = c.text;
      auto lines = wrap(shape(gothic(), s), s, 10, 500);  // wide: only hard breaks
      INFO(show(lines));
      CHECK(lines == c.expected);
    }
  }
}

TEST_CASE("wrap: text that fits stays on one line; spaces at breaks are dropped",
          "[text][linebreak]") {
  struct Case {
    const char* text;
    double width;  // points at 10 pt
    std::vector<std::string> expected;
  };
  // IPAexGothic's Latin is proportional, so widths are taken from shaping below.
  const std::vector<Case> cases = {
      {"日本語", 30, {"日本語"}},
      {"日本語", 29.9, {"日本", "語"}},
      {"あいうえお", 1000, {"あいうえお"}},
  };
  for (const auto& c : cases) {
    SECTION(std::string(c.text) + " @" + std::to_string(c.width)) {
      const std::string s = c.text;
      auto lines = wrap(shape(gothic(), s), s, 10, c.width);
      INFO(show(lines));
      CHECK(lines == c.expected);
    }
  }

  SECTION("Latin words break at spaces, which are removed at line ends") {
    const std::string s = "alpha beta gamma delta";
    // Exactly wide enough for the wider of "alpha beta" and "gamma delta"
    // (trailing space excluded), too narrow for three words.
    const double width = std::max(em_width("alpha beta", 10), em_width("gamma delta", 10));
    REQUIRE(em_width("alpha beta gamma", 10) > width);
    REQUIRE(em_width("beta gamma delta", 10) > width);
    auto lines = wrap(shape(gothic(), s), s, 10, width);
    INFO(show(lines));
    CHECK(lines == std::vector<std::string>{"alpha beta", "gamma delta"});
  }
}

TEST_CASE("wrap: a word wider than the line is broken between characters", "[text][linebreak]") {
  struct Case {
    const char* text;
    double width;
  };
  const std::vector<Case> cases = {
      {"Supercalifragilisticexpialidocious", 50},
      {"Supercalifragilisticexpialidocious", 80},
      {"michiko.watanabe.sapporo@example.ne.jp", 60},
      {"see Supercalifragilisticexpialidocious now", 70},
      {"0123456789012345678901234567890123456789", 33},
  };
  for (const auto& c : cases) {
    SECTION(std::string(c.text) + " @" + std::to_string(c.width)) {
      const std::string s = c.text;
      auto lines = wrap(shape(gothic(), s), s, 10, c.width);
      INFO(show(lines));
      REQUIRE(lines.size() > 1);
      std::string back;
      for (const auto& l : lines) back += l;
      std::string no_spaces = s;
      std::erase(no_spaces, ' ');
      std::string back_no_spaces = back;
      std::erase(back_no_spaces, ' ');
      CHECK(back_no_spaces == no_spaces);
      for (size_t i = 0; i < lines.size(); ++i) {
        INFO("line " << i << ": " << lines[i]);
        CHECK_FALSE(lines[i].empty());
        CHECK(em_width(lines[i], 10) <= c.width + 1e-6);
      }
    }
  }

  SECTION("character breaks fill each line as far as possible") {
    const std::string s = "Supercalifragilisticexpialidocious";
    const double width = 50;
    auto lines = wrap(shape(gothic(), s), s, 10, width);
    INFO(show(lines));
    REQUIRE(lines.size() > 1);
    CHECK(join(lines) == s);
    size_t pos = 0;
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
      pos += lines[i].size();
      // One more character would not have fitted.
      CHECK(em_width(lines[i] + s[pos], 10) > width);
    }
  }

  SECTION("a line narrower than one character still makes progress") {
    const std::string s = "日本語";
    auto lines = wrap(shape(gothic(), s), s, 10, 4);
    CHECK(lines == std::vector<std::string>{"日", "本", "語"});
  }
}

// ---- fitting -------------------------------------------------------------------

namespace {

// Oracle for text made only of 1-em characters with no kinsoku constraints:
// the largest size in 0.5 pt steps at which it fits wrapped into `box`.
struct Expected {
  bool fits;
  double size;
  size_t lines;
};

Expected expected_wrapped(size_t n_chars, const FitBox& box) {
  Expected last{false, box.size, 0};
  for (double s = box.size; s >= box.min_size - 1e-9; s -= 0.5) {
    size_t per_line = static_cast<size_t>(std::floor(box.width / s + 1e-9));
    if (per_line == 0) per_line = 1;
    size_t lines = (n_chars + per_line - 1) / per_line;
    double needed = (lines - 1) * s * box.leading + s;
    last = {needed <= box.height + 1e-6, s, lines};
    if (last.fits) return last;
  }
  return last;
}

}  // namespace

TEST_CASE("fit_shrink_then_wrap: keeps size, shrinks, wraps, reports overflow", "[text][fit]") {
  SECTION("a short text in a wide box stays at 10 pt on one line") {
    FitBox box{200, 20, 10, 6, 1.25};
    auto r = fit_shrink_then_wrap(gothic(), "山本　和彦", box);
    CHECK(r.fits);
    CHECK(r.size == 10);
    CHECK(r.lines == std::vector<std::string>{"山本　和彦"});
  }

  SECTION("a text that fits on one line only at a smaller size gets exactly that size") {
    struct Case {
      const char* text;
      double fraction;  // box width as a fraction of the text's width at 10 pt
    };
    const std::vector<Case> cases = {
        {"マンション管理員養成講座", 0.8333},                           // 12 em in 100 pt: 8 pt
        {"マンション管理員養成講座", 0.99},                             // 9.5 pt
        {"東京都中野区中野五丁目24番8号 中野サンハイツ305号室", 0.72},  // mixed widths: 7 pt
        {"k.yamamoto58@example.jp", 0.61},                              // proportional Latin: 6 pt
        {"ﾃｽﾄﾃｽﾄ", 0.9},                                                // half-width: 9 pt
    };
    for (const auto& c : cases) {
      ShapedRun run = shape(gothic(), c.text);
      const double width = run.width(10) * c.fraction;
      INFO(c.text << " in " << width << " pt");
      FitBox box{width, 20, 10, 6, 1.25};
      double expected = 0;
      for (double s = 10; s >= 6; s -= 0.5) {
        if (run.width(s) <= width) {
          expected = s;
          break;
        }
      }
      REQUIRE(expected > 0);
      REQUIRE(expected < 10);  // the case really needs shrinking
      auto r = fit_shrink_then_wrap(gothic(), c.text, box);
      CHECK(r.fits);
      CHECK(r.size == expected);
      CHECK(r.lines == std::vector<std::string>{c.text});
    }
    // The two katakana cases above, by hand: 12 em in 100 pt → 8 pt; in 119.9 pt → 9.5 pt.
    CHECK(fit_shrink_then_wrap(gothic(), "マンション管理員養成講座", {100, 20, 10, 6, 1.25}).size ==
          8);
    CHECK(
        fit_shrink_then_wrap(gothic(), "マンション管理員養成講座", {119.9, 20, 10, 6, 1.25}).size ==
        9.5);
  }

  SECTION("too long for one line even at the minimum size, but fits wrapped") {
    const std::string s = repeat("あいうえおかきくけこ", 4);  // 40 em
    FitBox box{100, 40, 10, 6, 1.25};
    REQUIRE(shape(gothic(), s).width(6) > 100);  // one line impossible
    auto e = expected_wrapped(40, box);
    REQUIRE(e.fits);
    auto r = fit_shrink_then_wrap(gothic(), s, box);
    CHECK(r.fits);
    CHECK(r.size == e.size);  // 8 pt, 4 lines of 12, 12, 12, 4
    CHECK(r.lines.size() == e.lines);
    CHECK(r.lines.size() > 1);
    CHECK(join(r.lines) == s);
    for (const auto& l : r.lines) CHECK(em_width(l, r.size) <= box.width + 1e-6);
    CHECK(r.size == 8);
    CHECK(r.lines.size() == 4);
  }

  SECTION("too long for the box even wrapped at the minimum size") {
    const std::string s = repeat("あいうえおかきくけこ", 20);  // 200 em
    FitBox box{100, 40, 10, 6, 1.25};
    auto e = expected_wrapped(200, box);
    REQUIRE_FALSE(e.fits);
    auto r = fit_shrink_then_wrap(gothic(), s, box);
    CHECK_FALSE(r.fits);
    CHECK(r.size == 6);  // the minimum
    CHECK(join(r.lines) == s);
  }

  SECTION("a box lower than the text size is not a fit on one line") {
    // 10 pt text in a 7 pt high box: the one-line pass must shrink to 7 pt.
    FitBox box{200, 7, 10, 6, 1.25};
    auto r = fit_shrink_then_wrap(gothic(), "日本語", box);
    CHECK(r.fits);
    CHECK(r.size == 7);
    CHECK(r.lines.size() == 1);
  }

  SECTION("a newline in the value skips the one-line pass") {
    FitBox box{200, 40, 10, 6, 1.25};
    auto r = fit_shrink_then_wrap(gothic(), "一行目\n二行目", box);
    CHECK(r.fits);
    CHECK(r.size == 10);
    CHECK(r.lines == std::vector<std::string>{"一行目", "二行目"});
  }
}

TEST_CASE("fit_wrapped: the largest size at which the wrapped text fits", "[text][fit]") {
  struct Case {
    int n_chars;
    double width, height;
  };
  const std::vector<Case> cases = {
      {5, 200, 20},   // one line at 10 pt
      {30, 100, 40},  // 3 lines at 10 pt: 2*12.5+10 = 35 ≤ 40
      {40, 100, 40},  // needs shrinking: 8 pt
      {45, 100, 40},    {60, 150, 30}, {100, 150, 60}, {200, 100, 40},  // does not fit at all
      {400, 442, 28.3},  // like 申込の動機 with 400 characters
  };
  for (const auto& c : cases) {
    SECTION(std::to_string(c.n_chars) + " chars in " + std::to_string(c.width) + "x" +
            std::to_string(c.height)) {
      std::string text;
      auto unit = chars("あいうえおかきくけこ");
      for (int i = 0; i < c.n_chars; ++i) text += unit[i % unit.size()];
      FitBox box{c.width, c.height, 10, 6, 1.25};
      auto e = expected_wrapped(static_cast<size_t>(c.n_chars), box);
      auto r = fit_wrapped(gothic(), text, box);
      INFO("expected fits=" << e.fits << " size=" << e.size << " lines=" << e.lines << "; got "
                            << r.fits << " " << r.size << " " << r.lines.size());
      CHECK(r.fits == e.fits);
      CHECK(r.size == e.size);
      CHECK(r.lines.size() == e.lines);
      CHECK(join(r.lines) == text);
    }
  }
}

TEST_CASE("fit_wrapped keeps kinsoku while shrinking", "[text][fit][kinsoku]") {
  FitBox box{50, 60, 10, 6, 1.25};  // 5 em per line at 10 pt
  auto r = fit_wrapped(gothic(), "あいうえお。かきくけこ", box);
  CHECK(r.fits);
  CHECK(r.size == 10);
  CHECK(r.lines == std::vector<std::string>{"あいうえ", "お。かきく", "けこ"});
}

// BUG: when a box's size is below its min_size (e.g. a 5 pt cell, or a
// <value min-size="8"> in a 7 pt cell), the size loop in fit_wrapped /
// fit_shrink_then_wrap never runs: the result is fits=false, size=0 and no
// lines at all, so layout reports an overflow for any value, however short,
// and draws nothing. linebreak.h says size is "the minimum if it does not fit".
TEST_CASE("fit_*: a box whose size is below min_size still places short text", "[text][fit]") {
  const FitBox box{100, 100, 5, 6, 1.25};  // 5 pt text, minimum 6 pt, plenty of room
  for (int which = 0; which < 2; ++which) {
    INFO((which == 0 ? "fit_wrapped" : "fit_shrink_then_wrap"));
    auto r =
        which == 0 ? fit_wrapped(gothic(), "あ", box) : fit_shrink_then_wrap(gothic(), "あ", box);
    INFO("fits=" << r.fits << " size=" << r.size << " lines=" << r.lines.size());
    CHECK(r.fits);
    CHECK(r.lines == std::vector<std::string>{"あ"});
    CHECK(r.size > 0);
  }
}
