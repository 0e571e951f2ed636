// field_type — the interface every field type implements. A field type owns
// the whole life of one kind of template item (a data value, a 和暦 date, a
// circled choice, a calendar…): parsing its template element, measuring it,
// drawing its printed part, the AcroForm widgets it emits with their binding
// to a data path, and turning widget values back into data. Layout, the PDF
// writer and the data builder call this interface and never switch on a
// kind; a new type is one file plus its XSD fragment (schemas/fields/).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "layout/page.h"
#include "text/font.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::pdf {
struct PdfFormContent;
}

namespace yoshiki::fields {

using layout::Align;
using layout::FieldSpec;
using layout::Rect;
using layout::Style;

// What the template loader offers a type while it parses its element.
class TemplateReader {
 public:
  virtual ~TemplateReader() = default;
  // A numeric attribute (bounded), or `fallback` when absent.
  virtual double number(const xmlNode* n, const char* attribute, double fallback) const = 0;
  // An XPath compiled with the form's functions, named by file and line.
  virtual std::shared_ptr<xml::XPath> xpath(const xmlNode* n, const std::string& expr) const = 0;
  // The form's functions those XPaths call (null: plain XPath).
  virtual const xml::XPathEnv* functions_env() const { return nullptr; }
  // The element's style attributes over `parent`.
  virtual Style style(const xmlNode* n, const Style& parent) const = 0;
  virtual Align align(const std::string& value, Align fallback) const = 0;
  // Text content with template white space collapsed.
  virtual std::string text(const xmlNode* n) const = 0;
  // A template error naming file and line.
  virtual Error error(const xmlNode* n, const std::string& message) const = 0;
};

// What layout offers a field while it is measured and drawn. Data values are
// those of the current item of a repeated row when there is one. Without
// fonts (a bindings-only pass, see layout::field_bindings) every text
// operation measures 0 and draws nothing, and only widgets are collected.
class Canvas {
 public:
  virtual ~Canvas() = default;
  // ---- data ("" / false / none on a blank form)
  virtual std::string value(const xml::XPath* path) const = 0;
  virtual bool blank() const { return false; }  // a blank form: no data at all
  virtual bool holds(const xml::XPath* test) const = 0;
  virtual std::vector<xmlNode*> nodes(const xml::XPath& path) const = 0;  // from the root
  virtual std::string value_at(const xml::XPath& path, xmlNode* node) const = 0;
  virtual std::string setting(const std::string& key, const std::string& fallback) const = 0;
  // ---- the page being laid out: its number (1-based) and the document's
  // page count (0 when not laying out a document)
  virtual int page_number() const { return 0; }
  virtual int page_count() const { return 0; }
  // ---- text and lines (page coordinates in points, y downwards)
  virtual bool drawing() const = 0;                          // false: bindings only
  virtual const text::Font* font(const Style& s) const = 0;  // null when not drawing
  virtual double width(const Style& s, const std::string& text, double size) const = 0;
  // One line of text whose em box is centred vertically in [top, top + h].
  virtual void text(const Style& s, const std::string& text, double x, double top, double h,
                    double size) = 0;
  virtual void draw(layout::DrawOp op) = 0;
  virtual void overflow(const std::string& field, int line, const std::string& message) = 0;
  // ---- widgets
  virtual bool fillable() const = 0;
  // `spec.name` and `spec.binding.path` are relative to the current row;
  // the canvas names them in full. Fillable output: `draw` draws the
  // widget's appearance; flat output: it draws onto the page.
  virtual void widget(FieldSpec spec, const std::function<void()>& draw) = 0;
  // A widget whose appearance is already in `spec` (fillable output only).
  virtual void add_widget(FieldSpec spec) = 0;
  // The field name `relative` gets in the current row (for messages).
  virtual std::string field_name(const std::string& relative) const = 0;
};

// What an item needs on a line, and the data value it resolved.
struct Measured {
  double width = 0;   // points; ignored when `fill`
  bool fill = false;  // takes a share of the line's free width
  std::string value;  // resolved text (data value, setting, label)
};

// Data changes read back from widget values; model/ applies them to the
// attached data (see model::build_data).
class DataEdits {
 public:
  virtual ~DataEdits() = default;
  // The element at `path` gets `value`; "" removes it.
  virtual void set(const std::string& path, const std::string& value) = 0;
  // Part `part` (1-based) of a value whose parts are joined by `split`.
  virtual void set_part(const std::string& path, const std::string& split, int part,
                        const std::string& value) = 0;
  // A radio group's choice ("" = none) among the values its options set.
  virtual void choose(const std::string& path, const std::string& value,
                      const std::vector<std::string>& options) = 0;
  // A check box of a repeated element: `value` present when ticked.
  virtual void tick(const std::string& path, const std::string& value, bool ticked) = 0;
};

// After the edits: types that rebuild elements from many widgets at once
// (a calendar's cells) work on the document itself.
struct ReadBackDocument {
  const pdf::PdfFormContent& pdf;
  xmlDoc* doc;
  const xml::XPathEnv* functions;
  const std::string& source;
  std::vector<Diagnostic>& notes;
};

class Item;

// A widget's meaning: which item emitted it and the field and data path it
// binds, "[#]" standing for a repeated row's index (naming.h).
struct Binding {
  const Item* item = nullptr;
  std::string field, path;
  std::vector<std::string> states;                  // button fields: the values its widgets set
  std::map<std::string, std::string> state_values;  // radio: each state name → its value
};

// One template element of a field type, parsed. Immutable and shared
// between threads.
class Item {
 public:
  virtual ~Item() = default;
  virtual const char* type() const = 0;  // the type's name, e.g. "date"
  int line = 0;                          // template line, for diagnostics

  // Inline items (in a line of a cell).
  virtual Measured measure(Canvas&, const Style&) const { return {}; }
  virtual double line_height(const Style&) const { return 0; }  // least height of its line
  // Inline and block items: draw into `box` (block items get the cell's rest).
  virtual void draw(Canvas&, const Style&, const Measured&, const Rect& /*box*/) const {}
  // Inline items allowed in a paragraph: their text.
  virtual std::optional<std::string> para_text(const Canvas&) const { return std::nullopt; }
  // Page items: draw at their own position; return the area they cover.
  virtual Rect place(Canvas&) const { return {}; }

  // Read-back: one binding of this item's widgets (row index filled in).
  virtual void read_back(const Binding&, const pdf::PdfFormContent&, DataEdits&) const {}
  // Read-back after every edit (once per item that emitted widgets).
  virtual void complete(ReadBackDocument&) const {}
};

// Where an element may stand in a template.
enum class Placement {
  Inline,  // inside a line of a cell (and, for text-like items, a paragraph)
  Block,   // a block of a cell, taking the cell's remaining height
  Page,    // directly on a page, at its own position
};

// A field type as the registry knows it.
struct FieldType {
  std::string element;  // template element name, e.g. "date"
  // Optional discriminator: the type applies only when this attribute has
  // this value (date format="month-day"); types without one are the default.
  std::string attribute, value;
  Placement placement = Placement::Inline;
  // The XSD fragment declaring the element (a member of the substitution
  // group inline-field, block-field or page-field of schemas/template.xsd):
  // relative to the folder of the template schema (yoshiki's own types:
  // "fields/<type>.xsd"), or absolute; "" = declared by another type's
  // fragment (same element).
  std::string schema;
  std::function<std::shared_ptr<const Item>(const xmlNode*, const TemplateReader&,
                                            const Style& parent)>
      parse;
};

}  // namespace yoshiki::fields
