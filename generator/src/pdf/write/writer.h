// writer — laid-out pages to PDF bytes (serialised by us, see serial.h): one content stream per
// page, fonts subset-embedded once per document, Info and (fixed) dates so
// that the same input gives byte-identical output.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "layout/page.h"
#include "pdf/write/font_embed.h"
#include "text/font.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::pdf {

struct Attachment {
  std::string name;          // file name in the PDF, e.g. "data.xml"
  std::string relationship;  // AFRelationship: Data, Source, Supplement…
  std::string description;
  std::string bytes;
};

// The static part of a form's text — what a blank of the same template and
// settings draws (labels, notes, rules' captions) — subset and deflated once
// (the Engine keeps it per template and settings). A run made only of its
// glyphs is drawn with it; the rest (values) go into a small per-document
// subset. It depends only on the template and settings, so output stays the
// same whatever was rendered before.
// Their objects are serialised once too, numbered from 1: every document
// that uses them starts with these bytes as they are.
struct StaticFonts {
  std::map<const text::Font*, std::shared_ptr<const PreparedFont>> fonts;
  std::map<const text::Font*, int> type0;  // each font's Type0 object number
  std::string objects;                     // objects 1…offsets.size()-1
  std::vector<std::size_t> offsets;        // where object n starts in `objects`
};

// Prepares the static fonts from a blank layout.
std::shared_ptr<const StaticFonts> prepare_static(const layout::LaidOutDocument& blank);

struct WriteOptions {
  std::string creation_date;  // "YYYY-MM-DDThh:mm:ssZ" (the Engine's clock gives now)
  // The font viewers use for what people type into fields (/DR); null = the
  // page's gothic subset (small, but shows only glyphs it already holds).
  const text::Font* typing_font = nullptr;
  const text::Font* field_font = nullptr;           // the font named in /DA when no typing font
  std::vector<Attachment> attachments;              // associated files (/AF), PDF/A-3 style
  std::shared_ptr<const StaticFonts> static_fonts;  // null: one subset per font and document
};

std::vector<std::uint8_t> write_pdf(const layout::LaidOutDocument& doc, const WriteOptions& options,
                                    RenderStats* stats);

}  // namespace yoshiki::pdf
