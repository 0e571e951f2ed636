// What rendering keeps between documents (static text's font subsets per
// form and settings, ICU line breaks per text) must not change the bytes:
// a document renders the same whatever the Engine rendered before.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support.h"
#include "text/linebreak.h"
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
  const auto first = yoshiki::text::line_breaks(s);
  const auto again = yoshiki::text::line_breaks(s);
  REQUIRE(first.size() == again.size());
  REQUIRE(first.size() > 3);
  for (std::size_t i = 0; i < first.size(); ++i) {
    CHECK(first[i].offset == again[i].offset);
    CHECK(first[i].hard == again[i].hard);
  }
  CHECK(first.back().offset == s.size());
}
