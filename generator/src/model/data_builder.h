// data_builder — the data XML of a form rebuilt from a filled PDF: field
// values (read back by their field types, from the bindings the layout
// emitted) over the data attached to the PDF, fields winning where both have
// a value (a person typed them last); elements come out in the order the
// form's XSD requires.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fields/field_type.h"
#include "pdf/read/reader.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::model {

// Element name → the names of its child elements in schema order, read
// from an XSD's sequences (named and anonymous complex types).
using ElementOrder = std::map<std::string, std::vector<std::string>>;
ElementOrder element_order(const std::string& xsd_path, const Io& io = *system_io());

struct BuiltData {
  xml::Doc doc;
  std::vector<Diagnostic> notes;  // info: conflicts resolved, values normalised
};

// `base` is the attached data (may be null); the root is created as
// <data_root formId= formVersion=> when there is none. Each binding's field
// type reads its widget values back (fields/field_type.h); `functions` are
// the form's XPath functions, for types that evaluate the data.
BuiltData build_data(const std::vector<fields::Binding>& bindings, const pdf::PdfFormContent& pdf,
                     xml::Doc base, const FormInfo& form, const ElementOrder& order,
                     const xml::XPathEnv* functions, const std::string& source);

}  // namespace yoshiki::model
