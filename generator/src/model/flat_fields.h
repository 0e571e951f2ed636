// flat_fields — the field values of a flattened or printed form, read from
// its page text (pdf/read/flat_text.h) at the positions a fillable layout
// of the same form gives its widgets: each character goes to the field
// whose box holds its centre, the template's own static text excepted, and
// is joined as the field's widget value would hold it, so that each field
// type's read-back (fields/) turns it into data as from a filled field.
// Also tells how well a page's text matches a form's static text, which
// identifies the form when no id is left in the file.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "layout/page.h"
#include "pdf/read/flat_text.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::model {

// The share (0…1) of `laid`'s static text found at its place in `pages`.
double static_text_match(const layout::LaidOutDocument& laid,
                         const std::vector<pdf::PageText>& pages);

struct FlatFields {
  std::map<std::string, std::string> text;  // field name → value, as a text widget would hold it
  std::map<std::string, std::string> buttons;  // choice field → state ("" = off), as PDF buttons
  std::vector<Diagnostic> notes;               // choices not read, text across two fields
};

// `laid` is a fillable layout of the form (its fields and static text);
// `data_root` and `source` name fields and the file in notes.
FlatFields read_flat_fields(const layout::LaidOutDocument& laid,
                            const std::vector<pdf::PageText>& pages, const std::string& data_root,
                            const std::string& source);

}  // namespace yoshiki::model
