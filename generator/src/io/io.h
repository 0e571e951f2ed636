// io — everything the core reads from outside: files (resources, fonts, data
// given by path) and the clock, behind the public yoshiki::Io interface that
// an Engine is handed (EngineOptions::io). The core never opens a file or asks
// the time on its own, so tests run from memory with a fixed clock. This
// header adds the few helpers the stages share.
#pragma once

#include <string>

#include "text/wareki.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::io {

// Reads and safely parses the XML file at `path` (bounded by
// xml::kMaxDocumentBytes); errors name the file and line.
xml::Doc parse_file(const Io& io, const std::string& path);

// Reads and compiles the XSD at `path` (its xs:include are read by libxml2).
std::unique_ptr<xml::Schema> schema(const Io& io, const std::string& path);

// Today's date by `io`'s clock (local time).
text::CivilDate today(const Io& io);

// `iso` ("YYYY-MM-DD") as a date; empty = today by `io`. Throws Error (Usage)
// naming `option` when it is not a date.
text::CivilDate date_option(const Io& io, const std::string& iso, const std::string& option);

}  // namespace yoshiki::io
