// reader — what a filled PDF holds, read with PoDoFo at object level: field
// values (/V, never appearances: a tool may change /V without redrawing),
// radio and check box states written as names or as strings (pypdf writes
// strings), the form id, and the associated files. Knows nothing of forms.
// Before PoDoFo parses anything, the raw bytes are checked by a tokenizer
// (lexer.h): size, declared encryption, nesting depth, and object and
// cross-reference streams inflated under a budget (PoDoFo would inflate
// them without one).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/read/flat_text.h"

namespace yoshiki::pdf {

// A signature field's /V as far as the bytes show. yoshiki does not verify
// signatures cryptographically; it tells whether the file was changed after
// signing and which fields differ from the signed revision (the bytes the
// /ByteRange covers, which end with that revision's %%EOF).
struct PdfSignature {
  std::string field;              // the signature field's name
  bool byte_range_valid = false;  // /ByteRange [0 a b c], 0 < a ≤ b, b + c ≤ the file's size
  std::size_t signed_bytes = 0;   // b + c: where the signed revision ends
  bool changed_after = false;     // more than white space follows the signed revision
  bool signed_revision_read = false;        // the signed revision parsed (only when changed_after)
  std::vector<std::string> changed_fields;  // fields whose value differs there (names, no values)
  // Embedded files added, removed or replaced since this signature (names).
  // Their content is invisible on the page, so the reader keeps the signed
  // revision's version of each (see compare_signed_revisions).
  std::vector<std::string> changed_attachments;
};

// A field the reader does not take at face value. A form yoshiki wrote has
// none of these (its one hidden field, yoshiki-form, is the caller's to
// exempt): they are how a filler or an attacker makes the data say what the
// page does not show.
struct FieldProblem {
  enum class Kind {
    ControlName,    // the name holds a control character (C0, DEL, C1): not read at all
    Duplicate,      // more than one field has this name (one record per name)
    HiddenRead,     // every widget hidden or without size, and its value is the one read
    HiddenIgnored,  // as HiddenRead, but a visible field of the same name is read instead
  };
  Kind kind;
  std::string field;  // the name as written (control characters kept: reports escape them)
  int count = 0;      // Duplicate: how many fields have the name
};

// The embedded files read-back uses (the form's data and its organisation
// settings). A worker sends only these to the calling process; the others
// still count in the signature comparison, which the worker makes itself.
bool attachment_is_read_back(std::string_view file_name);

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
  // Embedded files not read (names, in the file's order): too large decoded,
  // past the budget of all of them, or not Flate/plain.
  std::vector<std::string> skipped_attachments;
  std::vector<PdfSignature> signatures;      // signature fields that hold a signature (/V)
  std::vector<FieldProblem> field_problems;  // in name order
  // Only when there is no field and no attached data.xml (a flattened or
  // printed copy): the pages' text with positions (flat_text.h).
  std::vector<PageText> pages;
};

inline constexpr std::size_t kMaxPdfBytes = 64u << 20;

// Throws Error(InvalidInput) naming `name` if the PDF cannot be read.
PdfFormContent read_pdf_form(std::string_view bytes, const std::string& name);

}  // namespace yoshiki::pdf
