// code_box — <box w= path=>: a small ruled box on a line (the ※ code boxes
// of the 受講申込書), showing a data value when it has a path.
#include "fields/common.h"

namespace yoshiki::fields {
namespace {

// Clear space either side of the box, in em: the glyphs printed beside it
// (「（※」, 「）」, 「※産業分類」) set their ink against their em box's edge.
constexpr double kMargin = 0.2;

class CodeBox final : public Item {
 public:
  std::shared_ptr<xml::XPath> path;  // null: an empty box to write in by hand
  std::string label;
  double width_mm = 10;

  const char* type() const override { return "box"; }

  Measured measure(Canvas& c, const Style& s) const override {
    return {layout::mm(width_mm) + 2 * kMargin * s.size, false, path ? c.value(path.get()) : ""};
  }

  void draw(Canvas& c, const Style& s, const Measured& m, const Rect& box) const override {
    const double w = m.width - 2 * kMargin * s.size, x = box.x + kMargin * s.size;
    const Rect r{x, box.y + box.h / 2 - s.size * 0.75, w, s.size * 1.5};
    stroke(c, r, kThin);
    if (!path) return;
    FieldSpec spec = widget_spec(FieldSpec::Kind::Text, path->text(), label, r, m.value, s.size);
    spec.binding.item = this;
    spec.centred = true;
    c.widget(std::move(spec), [&] {
      value_in_box(c, s, path->text(), line, 0, Align::Center, m.value, {x, box.y, w, box.h});
    });
  }

  void read_back(const Binding& b, const pdf::PdfFormContent& pdf, DataEdits& e) const override {
    read_text(b, pdf, e);
  }
};

}  // namespace

FieldType code_box_type() {
  return {"box",
          "",
          "",
          Placement::Inline,
          "fields/box.xsd",
          [](const xmlNode* n, const TemplateReader& r, const Style&) {
            auto b = std::make_shared<CodeBox>();
            b->line = xml::line(n);
            b->label = xml::attr(n, "label");
            b->width_mm = r.number(n, "w", 10);
            b->path = xml::has_attr(n, "path") ? r.xpath(n, xml::attr(n, "path")) : nullptr;
            return std::shared_ptr<const Item>(std::move(b));
          }};
}

}  // namespace yoshiki::fields
