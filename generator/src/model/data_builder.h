// data_builder — the data XML of a form rebuilt from a filled PDF: field
// values (by the template's bindings) over the data attached to the PDF,
// fields winning where both have a value (a person typed them last); dates
// typed as 和暦 or ISO, in any width of digits, become ISO; elements come
// out in the order the form's XSD requires.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "layout/template.h"
#include "pdf/read/reader.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::model {

// Element name → the names of its child elements in schema order, read
// from an XSD's sequences (named and anonymous complex types).
using ElementOrder = std::map<std::string, std::vector<std::string>>;
ElementOrder element_order(const std::string& xsd_path);

struct BuiltData {
  xml::Doc doc;
  std::vector<Diagnostic> notes;  // info: conflicts resolved, values normalised
};

// `base` is the attached data (may be null); the root is created as
// <data_root formId= formVersion=> when there is none.
BuiltData build_data(const std::vector<layout::Binding>& bindings, const pdf::PdfFormContent& pdf,
                     xml::Doc base, const FormInfo& form, const ElementOrder& order,
                     const std::string& source);

// Calendar cells (fields "<days>#<n>") back into day elements: the cell's
// date comes from the period start in `doc` (the grid starts on the Sunday
// of its week). A typed mark (○ or ×, also 〇 o x ✕ …) that the day's own
// data gives anyway (the binding's mark XPath, with `functions`) changes
// nothing; another mark becomes the day's explicit mark; an emptied cell
// removes its day; a mark on a day the data lacks adds the day. Differences
// from the attached data are info notes, as in build_data.
void apply_calendar_marks(const std::vector<layout::CalendarBinding>& calendars,
                          const pdf::PdfFormContent& pdf, xmlDoc* doc,
                          const xml::XPathEnv* functions, const std::string& source,
                          std::vector<Diagnostic>& notes);

// Children of every element in the order the XSD requires.
void put_in_schema_order(xmlDoc* doc, const ElementOrder& order);

}  // namespace yoshiki::model
