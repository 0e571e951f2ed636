// choice — <opt path= value= test= field= on= multi=>: a printed option,
// circled when its test holds (or path = value). In fillable output the
// circle is the "on" appearance of a widget over the label: options of one
// field form a radio group (state = the value it sets, or its own state=
// when two options set the same value), or check boxes of a repeated element
// when multi="1" (field "field#on").
#include "fields/common.h"
#include "fields/naming.h"
#include "pdf/read/reader.h"

namespace yoshiki::fields {
namespace {

constexpr double kOptionPad = 0.45;  // em on each side of a circled option
// em between the mark and the edge of its slot: two options side by side, or
// an option beside 「（」, keep their marks and ink apart.
constexpr double kMarkInset = 0.15;

class Choice final : public Item {
 public:
  std::string text, label;
  std::string option;                // what it is, for its tooltip ("" = text)
  std::shared_ptr<xml::XPath> test;  // selected when true
  std::string field;                 // path it sets when ticked ("" = display only)
  std::string on;                    // value it sets
  std::string state;                 // its radio state name ("" = on)
  bool multi = false;                // a check box of a repeated element

  const char* type() const override { return "opt"; }

  Measured measure(Canvas& c, const Style& s) const override {
    return {c.width(s, text, s.size) + 2 * kOptionPad * s.size, false, text};
  }

  void draw(Canvas& c, const Style& s, const Measured& m, const Rect& box) const override {
    c.text(s, text, box.x + kOptionPad * s.size, box.y, box.h, s.size);
    layout::EllipseOp mark{box.x + m.width / 2, box.y + box.h / 2,
                           m.width / 2 - kMarkInset * s.size, s.size * 0.6,
                           0.7};  // 1.2 em high: clear of the lines above and below
    const bool selected = c.holds(test.get());
    if (c.fillable() && !field.empty()) {
      FieldSpec spec;
      spec.kind = FieldSpec::Kind::Choice;
      spec.name = multi ? naming::check_box(field, on) : field;
      spec.label = label.empty() ? field : label;
      spec.on = on;
      spec.state = state;
      spec.on_label = option.empty() ? text : option;
      spec.radio = !multi;
      spec.selected = selected;
      spec.x = box.x;
      spec.y = mark.cy - mark.ry - 1;
      spec.w = m.width;
      spec.h = 2 * mark.ry + 2;
      spec.size = s.size;  // the label's: what a regenerated mark must go round
      spec.appearance.push_back(mark);
      spec.binding = {this, spec.name, field};
      c.add_widget(std::move(spec));
    } else if (selected) {
      c.draw(mark);
    }
  }

  // The value a radio state sets: its option's, or (forms written before
  // options had their own states) the state without its "~n".
  static std::string radio_value(const Binding& b, const std::string& state) {
    auto it = b.state_values.find(state);
    return it != b.state_values.end() ? it->second : naming::radio_value(state);
  }

  void read_back(const Binding& b, const pdf::PdfFormContent& pdf, DataEdits& e) const override {
    auto it = pdf.buttons.find(b.field);
    if (it == pdf.buttons.end()) return;
    if (multi)
      e.tick(b.path, on, !it->second.empty());
    else
      e.choose(b.path, radio_value(b, it->second), b.states);
  }
};

}  // namespace

FieldType choice_type() {
  return {"opt",
          "",
          "",
          Placement::Inline,
          "fields/opt.xsd",
          [](const xmlNode* n, const TemplateReader& r, const Style&) {
            auto o = std::make_shared<Choice>();
            o->line = xml::line(n);
            o->label = xml::attr(n, "label");
            o->text = r.text(n);
            std::string test = xml::attr(n, "test");
            if (test.empty())
              test = "(" + xml::attr(n, "path") + ") = '" + xml::attr(n, "value") + "'";
            o->test = r.xpath(n, "boolean(" + test + ")");
            o->field = xml::attr(n, "field", xml::attr(n, "path"));
            o->on = xml::attr(n, "on", xml::attr(n, "value"));
            o->multi = xml::attr(n, "multi") == "1" || xml::attr(n, "multi") == "true";
            o->state = xml::attr(n, "state");
            o->option = xml::attr(n, "option");
            return std::shared_ptr<const Item>(std::move(o));
          }};
}

}  // namespace yoshiki::fields
