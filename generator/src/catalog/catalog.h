// catalog — the versioned list of forms (schemas/catalog.xml): for each form
// id and version, its data root element, data XSD and layout template.
// Adding a form is adding data here, not code.
#pragma once

#include <string>
#include <vector>

#include "yoshiki/yoshiki.h"

namespace yoshiki::catalog {

// Reads <root>/schemas/catalog.xml; paths in the result are absolute
// (resolved against `root`).
std::vector<FormInfo> load(const std::string& root);

}  // namespace yoshiki::catalog
