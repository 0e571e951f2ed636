// common — what several field types share: widget specs, fitting a value
// into its box, centred text, dates read back from what people type, and
// the read-back note. Nothing here knows a particular type.
#pragma once

#include <string>

#include "fields/field_type.h"
#include "text/linebreak.h"

namespace yoshiki::fields {

constexpr double kThin = 0.5;     // ruled lines, points
constexpr double kMinSize = 6.0;  // smallest text size when shrinking data

// A widget over `r`; an empty label becomes the field's full name.
FieldSpec widget_spec(FieldSpec::Kind kind, const std::string& name, const std::string& label,
                      const Rect& r, const std::string& value, double size);

// A data value in a fixed box: shrink to fit one line, then wrap, else an
// overflow naming `field` (relative to the current row).
void value_in_box(Canvas& c, const Style& s, const std::string& field, int line, double min_size,
                  Align align, const std::string& value, const Rect& box);

void draw_lines(Canvas& c, const Style& s, const text::FitResult& fit, const Rect& box, Align a,
                double leading);

void draw_centred(Canvas& c, const Style& s, const std::string& t, const Rect& r, double size);

void stroke(Canvas& c, const Rect& r, double width);

// A date as typed (ISO, 西暦 with / - . or 年月日, 和暦; any width of digits)
// → ISO; otherwise as typed.
std::string iso_date_from_typed(const std::string& typed);

// Printed text (labels, settings, fiscal years): resolved once per render,
// drawn on the line's baseline, part of a paragraph's text.
class PrintedText : public Item {
 public:
  virtual std::string resolve(const Canvas& c) const = 0;

  Measured measure(Canvas& c, const Style& s) const override {
    Measured m;
    m.value = resolve(c);
    m.width = c.width(s, m.value, s.size);
    return m;
  }
  void draw(Canvas& c, const Style& s, const Measured& m, const Rect& box) const override {
    c.text(s, m.value, box.x, box.y, box.h, s.size);
  }
  std::optional<std::string> para_text(const Canvas& c) const override { return resolve(c); }
};

// Read-back of a text widget: its value trimmed (`date`: a date as typed
// becomes ISO, see iso_date_from_typed).
void read_text(const Binding& b, const pdf::PdfFormContent& pdf, DataEdits& e, bool date = false);

// The info note: a field's value differs from the attached data, and wins.
Diagnostic field_wins(const std::string& source, const std::string& field);

}  // namespace yoshiki::fields
