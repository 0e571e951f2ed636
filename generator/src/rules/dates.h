// dates — dates as people write them, normalised before the XSD: in every
// element the form's schema types as a date, 2024/5/21, 2024-5-21,
// 2024.5.21, 2024年5月21日, 令和6年5月21日 or R6.5.21 (full-width digits too)
// become 2024-05-21, each change an info note `normalized` naming the field.
// What cannot be read as a real date is left for the XSD, whose Japanese
// message shows the accepted spellings.
#pragma once

#include <string>
#include <vector>

#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::rules {

std::vector<Diagnostic> normalize_dates(xmlDoc* doc, const xml::Schema& schema,
                                        const std::string& name);

}  // namespace yoshiki::rules
