// api/form_data — what a FormData holds: the parsed, normalised, XSD-checked
// document. Internal, so that library stages (report/) can read the data a
// FormData carries without another parse.
#pragma once

#include <string>
#include <vector>

#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki {

struct detail::FormDataState {
  xml::Doc doc;
  std::string form_id, form_version, name;
  // What loading noticed short of an error (normalisation notes, XSD
  // warnings): validate(FormData) reports them as validate(xml) would.
  std::vector<Diagnostic> notes;
};

// Inline: programs built on the library (report/) read it without an export.
inline const detail::FormDataState* detail::state_of(const FormData& data) {
  return data.impl_.get();
}

}  // namespace yoshiki
