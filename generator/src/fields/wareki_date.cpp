// wareki_date — <date path= blank-era=>: an ISO date printed as 和暦 in
// slots "令和 ６ 年 ４ 月 １ 日" (元 for year 1); a blank form prints the
// era and the units. The widget holds the date as printed (令和6年4月1日);
// read-back takes 和暦 or ISO in any width of digits.
#include "fields/common.h"
#include "text/wareki.h"

namespace yoshiki::fields {
namespace {

class WarekiDate final : public Item {
 public:
  std::shared_ptr<xml::XPath> path;
  std::string label, blank_era;

  const char* type() const override { return "date"; }

  // Widths of the slots: era, year/month/day numbers, units.
  struct Slots {
    double era, num, unit;
  };
  static Slots slots(const Style& s) { return {s.size * 2.2, s.size * 1.5, s.size * 1.05}; }

  Measured measure(Canvas& c, const Style& s) const override {
    auto d = slots(s);
    return {d.era + 3 * (d.num + d.unit), false, c.value(path.get())};
  }

  void draw(Canvas& c, const Style& s, const Measured& m, const Rect& r) const override {
    FieldSpec spec = widget_spec(FieldSpec::Kind::Text, path->text(), label, r, m.value, s.size);
    spec.free_text = true;
    spec.binding.item = this;
    if (auto d = text::parse_iso_date(m.value)) spec.value = text::format_wareki(*d);
    c.widget(std::move(spec), [&] { print(c, s, m.value, r); });
  }

  void print(Canvas& c, const Style& s, const std::string& v, const Rect& box) const {
    auto sl = slots(s);
    std::string era = blank_era, y, mo, d;
    if (auto cd = text::parse_iso_date(v)) {
      if (auto e = text::to_era(*cd)) {
        era = e->era;
        y = text::era_year_text(e->year);
        mo = std::to_string(e->month);
        d = std::to_string(e->day);
      }
    }
    double x = box.x;
    auto centred = [&](const std::string& t, double w) {
      if (!t.empty()) c.text(s, t, x + (w - c.width(s, t, s.size)) / 2, box.y, box.h, s.size);
      x += w;
    };
    centred(era, sl.era);
    const char* units[] = {"年", "月", "日"};
    const std::string* nums[] = {&y, &mo, &d};
    for (int i = 0; i < 3; ++i) {
      centred(*nums[i], sl.num);
      centred(units[i], sl.unit);
    }
  }

  void read_back(const Binding& b, const pdf::PdfFormContent& pdf, DataEdits& e) const override {
    read_text(b, pdf, e, true);
  }
};

}  // namespace

FieldType wareki_date_type() {
  return {"date",
          "",
          "",
          Placement::Inline,
          "fields/date.xsd",
          [](const xmlNode* n, const TemplateReader& r, const Style&) {
            auto d = std::make_shared<WarekiDate>();
            d->line = xml::line(n);
            d->label = xml::attr(n, "label");
            d->path = r.xpath(n, xml::attr(n, "path"));
            d->blank_era = xml::attr(n, "blank-era");
            return std::shared_ptr<const Item>(std::move(d));
          }};
}

}  // namespace yoshiki::fields
