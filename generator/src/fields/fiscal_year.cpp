// fiscal_year — <fiscal-year path= offset= blank-era=>: the fiscal year
// (April–March) of a date plus offset, named in the era of its first day
// (令和６年度); a blank form prints the era and an empty year.
#include "fields/common.h"
#include "text/wareki.h"

namespace yoshiki::fields {
namespace {

class FiscalYear final : public PrintedText {
 public:
  std::shared_ptr<xml::XPath> path;
  int offset = 0;
  std::string blank_era = "令和";

  const char* type() const override { return "fiscal-year"; }

  std::string resolve(const Canvas& c) const override {
    auto d = text::parse_iso_date(c.value(path.get()));
    if (!d) return blank_era + "\u3000\u3000年度";
    int fy = (d->month >= 4 ? d->year : d->year - 1) + offset;
    // The year is named in the era current on the fiscal year's first day.
    auto e = text::to_era({fy, 4, 1});
    if (!e) return std::to_string(fy) + "年度";  // before 明治: no era to name it in
    return e->era + text::era_year_text(e->year) + "年度";
  }
};

}  // namespace

FieldType fiscal_year_type() {
  return {"fiscal-year",
          "",
          "",
          Placement::Inline,
          "fields/fiscal-year.xsd",
          [](const xmlNode* n, const TemplateReader& r, const Style&) {
            auto f = std::make_shared<FiscalYear>();
            f->line = xml::line(n);
            f->path = r.xpath(n, xml::attr(n, "path"));
            f->offset = static_cast<int>(r.number(n, "offset", 0));
            f->blank_era = xml::attr(n, "blank-era", "令和");
            return std::shared_ptr<const Item>(std::move(f));
          }};
}

}  // namespace yoshiki::fields
