// What rendering keeps between documents (static text's font subsets per
// form and settings, its shaped runs and ICU line breaks) must not change
// the bytes: a document renders the same whatever the Engine rendered
// before. And it keeps template text only, never a data value.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "layout/layout.h"
#include "support.h"
#include "text/linebreak.h"
#include "text/shape.h"
#include "yoshiki/yoshiki.h"

using namespace yoshiki::test;

namespace {

yoshiki::RenderOptions fixed_date() {
  yoshiki::RenderOptions o;
  o.creation_date = "2024-04-01T00:00:00Z";
  return o;
}

}  // namespace

TEST_CASE("render: the same bytes whatever the Engine rendered before", "[render][pdf]") {
  const std::string form = "jukou-moushikomi";
  const auto opts = fixed_date();
  yoshiki::Engine fresh({kRoot, ""});
  const auto expected = fresh.render(form, fresh.load_data(kSamples + "/complete.xml"), opts);
  // Another Engine that first renders other data, a blank and a fillable form.
  yoshiki::Engine used({kRoot, ""});
  used.render(form, used.load_data(kSamples + "/minimal.xml"), opts);
  used.render(form, used.load_data(kSamples + "/long-texts.xml"), opts);
  used.render(form, yoshiki::FormData{}, opts);
  CHECK(used.render(form, used.load_data(kSamples + "/complete.xml"), opts) == expected);
}

TEST_CASE("line_breaks: the same answer from the cache", "[text]") {
  const std::string s = "受講申込書（シニア）の記入例です。長い行は、句読点の前で折り返さない。";
  const auto uncached = yoshiki::text::line_breaks(s);  // no scope: nothing kept
  yoshiki::text::TextScope scope(nullptr);
  const auto first = yoshiki::text::line_breaks(s);
  REQUIRE(uncached.size() == first.size());
  const auto again = yoshiki::text::line_breaks(s);
  REQUIRE(first.size() == again.size());
  REQUIRE(first.size() > 3);
  for (std::size_t i = 0; i < first.size(); ++i) {
    CHECK(first[i].offset == again[i].offset);
    CHECK(first[i].hard == again[i].hard);
  }
  CHECK(first.back().offset == s.size());
}

TEST_CASE("render: no cache keeps a data value, only the template's text", "[render][privacy]") {
  const std::string form = "jukou-moushikomi";
  // A value that is shaped, fitted and wrapped (a long motivation) and one
  // that is shaped only (a name); no template holds either.
  const std::string motivation =
      "固有値テスト甲乙丙。派遣で事務の仕事をしていますが、契約が終了する予定です。"
      "経理や総務の経験を生かせる仕事を希望しています。";
  const std::string name = "固有値　乙丙丁";
  std::string xml = complete_with("motivation", motivation);
  const auto open = xml.find("<name>") + 6;
  xml.replace(open, xml.find("</name>") - open, name);
  yoshiki::Engine engine({kRoot, ""});
  auto opts = fixed_date();
  opts.settings = yoshiki::load_settings(kRoot + "/samples/organisation.xml");
  const auto pdf = engine.render(form, engine.load_data(xml, "unique.xml"), opts);
  REQUIRE(pdf.size() > 1000);
  CHECK_FALSE(yoshiki::text::text_is_kept(motivation));
  CHECK_FALSE(yoshiki::text::text_is_kept(name));
  // Nor the static cells' drawing (layout::StaticDrawing) a first part of
  // the motivation, or the name.
  CHECK_FALSE(yoshiki::layout::drawing_is_kept("固有値テスト"));
  CHECK_FALSE(yoshiki::layout::drawing_is_kept(name));
  CHECK(yoshiki::layout::drawing_is_kept("氏　名"));
  // The hook sees what is kept: the form's labels are.
  CHECK(yoshiki::text::text_is_kept("氏　名"));
  // While a document is laid out its values are kept in the scope's scratch
  // (fitting tries several sizes), and gone with it.
  {
    yoshiki::text::TextScope scope(nullptr);
    yoshiki::text::line_breaks(motivation);
    CHECK(yoshiki::text::text_is_kept(motivation));
  }
  CHECK_FALSE(yoshiki::text::text_is_kept(motivation));
}
