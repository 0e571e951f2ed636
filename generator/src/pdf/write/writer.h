// writer — laid-out pages to PDF bytes with PoDoFo: one content stream per
// page, fonts subset-embedded once per document, Info and (fixed) dates so
// that the same input gives byte-identical output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "layout/page.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::pdf {

struct WriteOptions {
  std::string creation_date;  // "YYYY-MM-DDThh:mm:ssZ"; empty = now
};

std::vector<std::uint8_t> write_pdf(const layout::LaidOutDocument& doc, const WriteOptions& options,
                                    RenderStats* stats);

}  // namespace yoshiki::pdf
