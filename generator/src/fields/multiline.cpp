// multiline — <area path= min-size=>: a block of a cell taking its remaining
// height, holding wrapped text (shrunk to fit), as a multi-line widget.
#include "fields/common.h"

namespace yoshiki::fields {
namespace {

class Area final : public Item {
 public:
  std::shared_ptr<xml::XPath> path;
  std::string label;
  double min_size = 0;

  const char* type() const override { return "area"; }

  void draw(Canvas& c, const Style& s, const Measured&, const Rect& box) const override {
    const std::string v = c.value(path.get());
    FieldSpec spec = widget_spec(FieldSpec::Kind::Multiline, path->text(), label, box, v, s.size);
    spec.binding.item = this;
    c.widget(std::move(spec), [&] { print(c, s, v, box); });
  }

  void print(Canvas& c, const Style& s, const std::string& v, const Rect& box) const {
    const text::Font* f = c.font(s);
    if (v.empty() || !f) return;
    text::FitBox fb{box.w, box.h, s.size + 1, min_size > 0 ? min_size : kMinSize, s.leading};
    auto fit = text::fit_wrapped(*f, v, fb);
    if (!fit.fits) {
      c.overflow(c.field_name(path->text()), line,
                 "text does not fit its area even at " +
                     std::to_string(static_cast<int>(fb.min_size)) + " pt (" +
                     std::to_string(fit.lines.size()) + " lines needed)");
    }
    double lh = fit.size * s.leading;
    double y = box.y;
    for (const auto& l : fit.lines) {
      c.text(s, l, box.x, y, lh, fit.size);
      y += lh;
    }
  }

  void read_back(const Binding& b, const pdf::PdfFormContent& pdf, DataEdits& e) const override {
    read_text(b, pdf, e);
  }
};

}  // namespace

FieldType multiline_type() {
  return {"area",
          "",
          "",
          Placement::Block,
          "fields/area.xsd",
          [](const xmlNode* n, const TemplateReader& r, const Style&) {
            auto a = std::make_shared<Area>();
            a->line = xml::line(n);
            a->path = r.xpath(n, xml::attr(n, "path"));
            a->label = xml::attr(n, "label");
            a->min_size = r.number(n, "min-size", 0);
            return std::shared_ptr<const Item>(std::move(a));
          }};
}

}  // namespace yoshiki::fields
