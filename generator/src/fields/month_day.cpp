// month_day — <date format="month-day" path= w=>: a log row's date printed
// as month/day ("6/10") under the form's "/" (a blank row shows the "/"
// alone). Its widget holds the whole 和暦 date, since month/day alone could
// not be read back. Declared by date.xsd (the same element as wareki_date).
#include "fields/common.h"
#include "text/wareki.h"

namespace yoshiki::fields {
namespace {

class MonthDay final : public Item {
 public:
  std::shared_ptr<xml::XPath> path;
  std::string label;
  double width_mm = 0;
  bool fill = false;

  const char* type() const override { return "month-day"; }

  Measured measure(Canvas& c, const Style&) const override {
    return {fill ? 0 : layout::mm(width_mm), fill, c.value(path.get())};
  }

  void draw(Canvas& c, const Style& s, const Measured& m, const Rect& box) const override {
    FieldSpec spec = widget_spec(FieldSpec::Kind::Text, path->text(), label, box, m.value, s.size);
    spec.free_text = true;
    spec.binding.item = this;
    spec.centred = true;
    const auto d = text::parse_iso_date(m.value);
    if (d) spec.value = text::format_wareki(*d);
    std::string shown = spec.value;
    if (!c.fillable())
      shown = d                 ? std::to_string(d->month) + "/" + std::to_string(d->day)
              : m.value.empty() ? "/"
                                : m.value;
    c.widget(std::move(spec),
             [&] { value_in_box(c, s, path->text(), line, 0, Align::Center, shown, box); });
  }

  void read_back(const Binding& b, const pdf::PdfFormContent& pdf, DataEdits& e) const override {
    read_text(b, pdf, e, true);
  }
};

}  // namespace

FieldType month_day_type() {
  return {"date",
          "format",
          "month-day",
          Placement::Inline,
          "",
          [](const xmlNode* n, const TemplateReader& r, const Style&) {
            auto d = std::make_shared<MonthDay>();
            d->line = xml::line(n);
            d->label = xml::attr(n, "label");
            d->path = r.xpath(n, xml::attr(n, "path"));
            d->fill = xml::attr(n, "w") == "*";
            d->width_mm = d->fill ? 0 : r.number(n, "w", 0);
            return std::shared_ptr<const Item>(std::move(d));
          }};
}

}  // namespace yoshiki::fields
