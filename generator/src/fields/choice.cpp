// choice — <opt path= value= test= field= on= multi=>: a printed option,
// circled when its test holds (or path = value): the whole label, or the
// marker a label starts with (「ア」 of 「ア　した」). In fillable output the
// circle is the "on" appearance of a widget over it: options of one
// field form a radio group (state = the value it sets, or its own state=
// when two options set the same value), or check boxes of a repeated element
// when multi="1" (field "field#on").
#include <algorithm>
#include <utility>

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

  // The marker an option's label starts with — 「ア」 of 「ア　した」, 「1.」 of
  // 「1. 雇用」 — and the space after it, or {} (男, パート, シルバー人材セン
  // ターでの就業). The paper forms say 「ア」に〇印をつける: the mark, and the
  // widget a viewer redraws its own mark in (a ❍ centred from /MK, MuPDF's
  // ✓ at the left), go round the marker only, so the label's text stays
  // legible whatever draws the mark.
  static std::pair<std::string, std::string> marker(const std::string& t) {
    static const std::string kIdeographicSpace = "\xE3\x80\x80";  // 「　」
    std::size_t n = 0;
    auto byte = [&](std::size_t i) { return i < t.size() ? static_cast<unsigned char>(t[i]) : 0; };
    if (byte(0) == 0xE3 &&
        ((byte(1) == 0x82 && byte(2) >= 0xA1) || (byte(1) == 0x83 && byte(2) <= 0xBA))) {
      n = 3;  // one katakana (U+30A1–30FA: ア, イ…), then a space
    } else {
      while (n < t.size() && t[n] >= '0' && t[n] <= '9') ++n;
      if (n == 0 || byte(n) != '.') return {};
      ++n;  // digits and a full stop (1.), then a space
    }
    const std::size_t space = t.compare(n, 3, kIdeographicSpace) == 0 ? 3 : byte(n) == ' ' ? 1 : 0;
    if (!space || t.size() <= n + space) return {};
    return {t.substr(0, n), t.substr(n, space)};
  }

  // Where the mark goes, from the option's left edge: the whole label, or
  // its marker with the same padding, at most the space after it on either
  // side so the widget stops where the label's text starts; the ring is
  // centred on the marker (a ring of 0.6 em round 「1」 alone would cut
  // 「1.」's full stop).
  struct Slot {
    double x = 0, w = 0;  // the widget's
  };
  static Slot slot(Canvas& c, const Style& s, const std::string& text, const Measured& m) {
    const auto [mk, space] = marker(text);
    if (mk.empty() || !c.drawing()) return {0, m.width};  // (no fonts: widths are 0)
    const double pad = kOptionPad * s.size;
    const double side = std::min(pad, c.width(s, space, s.size));
    return {pad - side, c.width(s, mk, s.size) + 2 * side};
  }

  void draw(Canvas& c, const Style& s, const Measured& m, const Rect& box) const override {
    c.text(s, text, box.x + kOptionPad * s.size, box.y, box.h, s.size);
    const Slot at = slot(c, s, text, m);
    layout::EllipseOp mark{box.x + at.x + at.w / 2, box.y + box.h / 2,
                           at.w / 2 - kMarkInset * s.size, s.size * 0.6,
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
      spec.x = box.x + at.x;
      spec.y = mark.cy - mark.ry - 1;
      spec.w = at.w;
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
            if (test.empty()) {
              // Appended, never assigned from or added to a literal: GCC 12
              // at -O3 warns (-Wrestrict) on those, a known false positive.
              std::string built;
              built.push_back('(');
              built += xml::attr(n, "path");
              built += ") = '";
              built += xml::attr(n, "value");
              built.push_back('\'');
              test = std::move(built);
            }
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
