// text — <value path= w= align= min-size=>: a data value on a line, shrunk
// to fit its width (w="*": the line's free width), as a text widget.
#include "fields/common.h"

namespace yoshiki::fields {
namespace {

class Value final : public Item {
 public:
  std::shared_ptr<xml::XPath> path;
  std::string label;
  double width_mm = 0;
  bool fill = false;
  double min_size = 0;
  Align align = Align::Left;

  const char* type() const override { return "value"; }

  Measured measure(Canvas& c, const Style& s) const override {
    Measured m;
    m.value = c.value(path.get());
    m.fill = fill;
    if (!fill) m.width = width_mm > 0 ? layout::mm(width_mm) : c.width(s, m.value, s.size);
    return m;
  }

  void draw(Canvas& c, const Style& s, const Measured& m, const Rect& r) const override {
    FieldSpec spec = widget_spec(FieldSpec::Kind::Text, path->text(), label, r, m.value, s.size);
    spec.free_text = true;
    spec.binding.item = this;
    spec.centred = align == Align::Center;
    c.widget(std::move(spec),
             [&] { value_in_box(c, s, path->text(), line, min_size, align, m.value, r); });
  }

  void read_back(const Binding& b, const pdf::PdfFormContent& pdf, DataEdits& e) const override {
    read_text(b, pdf, e);
  }
};

}  // namespace

FieldType value_type() {
  return {"value",
          "",
          "",
          Placement::Inline,
          "fields/value.xsd",
          [](const xmlNode* n, const TemplateReader& r, const Style&) {
            auto v = std::make_shared<Value>();
            v->line = xml::line(n);
            v->label = xml::attr(n, "label");
            v->path = r.xpath(n, xml::attr(n, "path"));
            v->fill = xml::attr(n, "w") == "*";
            v->width_mm = v->fill ? 0 : r.number(n, "w", 0);
            v->min_size = r.number(n, "min-size", 0);
            v->align = r.align(xml::attr(n, "align"), Align::Left);
            return std::shared_ptr<const Item>(std::move(v));
          }};
}

}  // namespace yoshiki::fields
