// api/form_data — what a FormData holds: the parsed, normalised, XSD-checked
// document. Internal, so that library stages (report/) can read the data a
// FormData carries without another parse.
#pragma once

#include <string>

#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki {

struct FormData::Impl {
  xml::Doc doc;
  std::string form_id, form_version, name;
};

}  // namespace yoshiki
