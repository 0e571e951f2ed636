// yen — a field type that exists only in the tests, to show that a new type
// is one file plus its XSD fragment (yen.xsd) and needs no other C++ change:
// <yen path= w= label=> prints an amount of money right-aligned with
// thousands separators ("12,345円"), as a text widget holding that text;
// read-back takes it as people type it (１２，３４５円, ¥12345, 12345) back to
// the integer the data holds.
#include "fields/common.h"
#include "fields/registry.h"
#include "pdf/read/reader.h"
#include "text/normalize.h"

namespace {

using namespace yoshiki::fields;

class Yen final : public Item {
 public:
  std::shared_ptr<yoshiki::xml::XPath> path;
  std::string label;
  double width_mm = 20;

  const char* type() const override { return "yen"; }

  // "12345" → "12,345円"; anything else as it is.
  static std::string printed(const std::string& v) {
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) return v;
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0 && (v.size() - i) % 3 == 0) out += ',';
      out += v[i];
    }
    return out + "円";
  }

  Measured measure(Canvas& c, const Style&) const override {
    return {yoshiki::layout::mm(width_mm), false, c.value(path.get())};
  }

  void draw(Canvas& c, const Style& s, const Measured& m, const Rect& box) const override {
    const std::string shown = printed(m.value);
    FieldSpec spec = widget_spec(FieldSpec::Kind::Text, path->text(), label, box, shown, s.size);
    spec.binding.item = this;
    c.widget(std::move(spec),
             [&] { value_in_box(c, s, path->text(), line, 0, Align::Right, shown, box); });
  }

  void read_back(const Binding& b, const yoshiki::pdf::PdfFormContent& pdf,
                 DataEdits& e) const override {
    auto it = pdf.text.find(b.field);
    if (it == pdf.text.end()) return;
    const std::string typed = yoshiki::xml::trim(yoshiki::text::normalize_numeric(it->second));
    std::string digits;
    for (size_t i = 0; i < typed.size(); ++i) {
      const char ch = typed[i];
      if (ch >= '0' && ch <= '9') {
        digits += ch;
      } else if (ch == ',' || ch == ' ' || ch == '\\') {
      } else if (typed.compare(i, 3, "円") == 0 || typed.compare(i, 3, "，") == 0 ||
                 typed.compare(i, 2, "¥") == 0 || typed.compare(i, 3, "￥") == 0) {
        i += typed.compare(i, 2, "¥") == 0 ? 1 : 2;
      } else {
        e.set(b.path, typed);  // not an amount: as typed, for the XSD to report
        return;
      }
    }
    e.set(b.path, digits);
  }
};

const bool registered =
    register_type({"yen", "", "", Placement::Inline, YOSHIKI_TEST_ROOT "/tests/fields/yen.xsd",
                   [](const xmlNode* n, const TemplateReader& r, const Style&) {
                     auto y = std::make_shared<Yen>();
                     y->line = yoshiki::xml::line(n);
                     y->label = yoshiki::xml::attr(n, "label");
                     y->path = r.xpath(n, yoshiki::xml::attr(n, "path"));
                     y->width_mm = r.number(n, "w", 20);
                     return std::shared_ptr<const Item>(std::move(y));
                   }});

}  // namespace
