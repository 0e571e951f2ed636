// comb — <digits path= n= split= part=>: one ruled box per character (a
// postal code, a job-seeker number), as a comb widget of n cells; split and
// part pick one part of a value such as "123-4567" (field "path#part").
#include "fields/common.h"
#include "fields/naming.h"
#include "pdf/read/reader.h"

namespace yoshiki::fields {
namespace {

class Comb final : public Item {
 public:
  std::shared_ptr<xml::XPath> path;
  std::string label, split;
  int count = 1;
  int part = 0;  // 1-based part after splitting; 0 = the whole value

  const char* type() const override { return "digits"; }

  static double box_size(const Style& s) { return s.size * 1.4; }
  bool parts() const { return !split.empty() && part > 0; }

  double line_height(const Style& s) const override { return box_size(s); }

  Measured measure(Canvas& c, const Style& s) const override {
    return {count * box_size(s), false, c.value(path.get())};
  }

  std::string part_of(const std::string& v) const {
    if (!parts()) return v;
    size_t start = 0;
    for (int i = 1; i < part && start != std::string::npos; ++i) {
      start = v.find(split, start);
      if (start != std::string::npos) start += split.size();
    }
    if (start == std::string::npos) return "";
    return v.substr(start, v.find(split, start) - start);
  }

  void draw(Canvas& c, const Style& s, const Measured& m, const Rect& box) const override {
    const std::string value = part_of(m.value);
    // Split into characters (UTF-8 sequences).
    std::vector<std::string> chars;
    for (size_t i = 0; i < value.size();) {
      size_t n = 1;
      while (i + n < value.size() && (static_cast<unsigned char>(value[i + n]) & 0xC0) == 0x80) ++n;
      chars.push_back(value.substr(i, n));
      i += n;
    }
    if (static_cast<int>(chars.size()) > count) {
      c.overflow(c.field_name(path->text()), line,
                 "value has " + std::to_string(chars.size()) + " characters for " +
                     std::to_string(count) + " boxes");
    }
    const double cw = box_size(s);
    const double top = box.y + (box.h - cw) / 2;
    for (int i = 0; i < count; ++i)
      stroke(c, {box.x + i * cw, top, cw, cw}, i == 0 ? kThin : kThin * 0.6);
    // The characters: a comb field of `count` cells over the boxes.
    FieldSpec spec = widget_spec(FieldSpec::Kind::Comb,
                                 parts() ? naming::part(path->text(), part) : path->text(), label,
                                 {box.x, top, count * cw, cw}, value, s.size);
    spec.binding = {this, spec.name, path->text()};
    spec.max_len = count;
    c.widget(std::move(spec), [&] {
      for (int i = 0; i < count && i < static_cast<int>(chars.size()); ++i) {
        double w = c.width(s, chars[i], s.size);
        c.text(s, chars[i], box.x + i * cw + (cw - w) / 2, top, cw, s.size);
      }
    });
  }

  void read_back(const Binding& b, const pdf::PdfFormContent& pdf, DataEdits& e) const override {
    auto it = pdf.text.find(b.field);
    if (it == pdf.text.end()) return;
    if (parts())
      e.set_part(b.path, split, part, xml::trim(it->second));
    else
      e.set(b.path, xml::trim(it->second));
  }
};

}  // namespace

FieldType comb_type() {
  return {"digits",
          "",
          "",
          Placement::Inline,
          "fields/digits.xsd",
          [](const xmlNode* n, const TemplateReader& r, const Style&) {
            auto d = std::make_shared<Comb>();
            d->line = xml::line(n);
            d->label = xml::attr(n, "label");
            d->path = r.xpath(n, xml::attr(n, "path"));
            d->count = static_cast<int>(r.number(n, "n", 1));
            d->split = xml::attr(n, "split");
            d->part = static_cast<int>(r.number(n, "part", 0));
            return std::shared_ptr<const Item>(std::move(d));
          }};
}

}  // namespace yoshiki::fields
