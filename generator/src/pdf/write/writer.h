// writer — laid-out pages to PDF bytes with PoDoFo: one content stream per
// page, fonts subset-embedded once per document, Info and (fixed) dates so
// that the same input gives byte-identical output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "layout/page.h"
#include "text/font.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::pdf {

struct Attachment {
  std::string name;          // file name in the PDF, e.g. "data.xml"
  std::string relationship;  // AFRelationship: Data, Source, Supplement…
  std::string description;
  std::string bytes;
};

struct WriteOptions {
  std::string creation_date;  // "YYYY-MM-DDThh:mm:ssZ" (the Engine's clock gives now)
  // The font viewers use for what people type into fields (/DR); null = the
  // page's gothic subset (small, but shows only glyphs it already holds).
  const text::Font* typing_font = nullptr;
  const text::Font* field_font = nullptr;  // the font named in /DA when no typing font
  std::vector<Attachment> attachments;     // associated files (/AF), PDF/A-3 style
};

std::vector<std::uint8_t> write_pdf(const layout::LaidOutDocument& doc, const WriteOptions& options,
                                    RenderStats* stats);

}  // namespace yoshiki::pdf
