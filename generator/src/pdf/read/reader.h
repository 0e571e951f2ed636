// reader — what a filled PDF holds, read with PoDoFo at object level: field
// values (/V, never appearances: a tool may change /V without redrawing),
// radio and check box states written as names or as strings (pypdf writes
// strings), the form id, and the associated files. Knows nothing of forms.
// Before PoDoFo parses anything, the raw bytes are checked: size, declared
// encryption, nesting depth, and object/cross-reference streams inflated
// under a budget (PoDoFo would inflate them without one).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace yoshiki::pdf {

struct PdfFormContent {
  std::string form_id, form_version;               // from the Info dictionary ("" if absent)
  std::map<std::string, std::string> text;         // text field name → value (UTF-8)
  std::map<std::string, std::string> buttons;      // button field name → state ("" = off)
  std::map<std::string, std::string> attachments;  // embedded file name → bytes
  bool has_acroform = false;
  bool has_xfa = false;
  bool has_typing_font = false;  // /DR holds yoshiki's full "typing" font
  bool has_javascript = false;   // JavaScript actions (document, page, field): never run
  int updates = 0;               // incremental updates appended after the first save
  int skipped_attachments = 0;   // embedded files not read: too large decoded, or not Flate/plain
};

inline constexpr std::size_t kMaxPdfBytes = 64u << 20;

// Throws Error(InvalidInput) naming `name` if the PDF cannot be read.
PdfFormContent read_pdf_form(std::string_view bytes, const std::string& name);

}  // namespace yoshiki::pdf
