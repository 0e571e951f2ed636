#include "fields/common.h"

#include "pdf/read/reader.h"
#include "text/normalize.h"
#include "text/wareki.h"

namespace yoshiki::fields {

FieldSpec widget_spec(FieldSpec::Kind kind, const std::string& name, const std::string& label,
                      const Rect& r, const std::string& value, double size) {
  FieldSpec spec;
  spec.kind = kind;
  spec.name = name;
  spec.label = label;
  spec.x = r.x;
  spec.y = r.y;
  spec.w = r.w;
  spec.h = r.h;
  spec.value = value;
  spec.size = size;
  spec.binding.path = name;
  return spec;
}

void value_in_box(Canvas& c, const Style& s, const std::string& field, int line, double min_size,
                  Align align, const std::string& v, const Rect& box) {
  const text::Font* f = c.font(s);
  if (v.empty() || !f) return;
  text::FitBox fb{box.w, box.h, s.size, min_size > 0 ? min_size : kMinSize, 1.15};
  auto fit = text::fit_shrink_then_wrap(*f, v, fb);
  if (!fit.fits) {
    c.overflow(c.field_name(field), line,
               "value does not fit its " +
                   std::to_string(static_cast<int>(box.w / layout::kPointsPerMm)) +
                   " mm box even at " + std::to_string(static_cast<int>(fb.min_size)) + " pt");
  }
  draw_lines(c, s, fit, box, align, 1.15);
}

void draw_lines(Canvas& c, const Style& s, const text::FitResult& fit, const Rect& box, Align a,
                double leading) {
  double lh = fit.size * leading;
  double total = fit.lines.empty() ? 0 : (fit.lines.size() - 1) * lh + fit.size;
  double top = box.y + (box.h - total) / 2;
  for (const auto& l : fit.lines) {
    double w = c.width(s, l, fit.size);
    double x = box.x;
    if (a == Align::Center)
      x += (box.w - w) / 2;
    else if (a == Align::Right)
      x += box.w - w;
    c.text(s, l, x, top, fit.size, fit.size);
    top += lh;
  }
}

void draw_centred(Canvas& c, const Style& s, const std::string& t, const Rect& r, double size) {
  if (t.empty()) return;
  c.text(s, t, r.x + (r.w - c.width(s, t, size)) / 2, r.y, r.h, size);
}

void stroke(Canvas& c, const Rect& r, double width) {
  c.draw(layout::RectOp{r.x, r.y, r.w, r.h, width});
}

std::string iso_date_from_typed(const std::string& typed) {
  std::string v = xml::trim(typed);
  if (v.empty()) return v;
  auto d = text::parse_date_as_typed(text::normalize_numeric(v));
  return d ? text::format_iso_date(*d) : v;
}

void read_text(const Binding& b, const pdf::PdfFormContent& pdf, DataEdits& e, bool date) {
  auto it = pdf.text.find(b.field);
  if (it != pdf.text.end())
    e.set(b.path, date ? iso_date_from_typed(it->second) : xml::trim(it->second));
}

Diagnostic field_wins(const std::string& source, const std::string& field) {
  Diagnostic d(Severity::Info, "extract.field-wins",
               "the field and the attached data differ; the field's value is used", source, 0, 0,
               field);
  d.message_ja = "フィールドの値と添付データが異なるため、フィールドの値を採用しました。";
  return d;
}

}  // namespace yoshiki::fields
