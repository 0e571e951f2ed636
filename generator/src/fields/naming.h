// naming — the field-name conventions of yoshiki's fillable PDFs, their only
// home. A field is named by the data path it binds, so that a PDF filled by
// any tool reads back without the template's help beyond these rules:
//   path             a value                       applicant/name
//   path#n           part n of a split value       applicant/postalCode#2
//   field#on         a check box of a repeated element   licenses/license#3
//   days#n           cell n of a calendar (from its first Sunday)   work/day#12
//   path[i]/…        a field of repeated row i     consultations/consultation[3]/date
//   state            a radio option's state: the value it sets, or its own
//                    state= when options share a value (2-true: パート under 臨時)
//   yoshiki-form     a hidden, read-only field holding "<form id> <version>":
//                    what identifies the form when a filler drops the
//                    document information, metadata and attachments
#pragma once

#include <optional>
#include <string>

namespace yoshiki::fields::naming {

// Stands for a repeated row's index in bindings: path[#]/date.
inline constexpr const char* kRowIndex = "[#]";

std::string part(const std::string& path, int part);
std::string check_box(const std::string& field, const std::string& on);
std::string calendar_cell(const std::string& days, int cell);
std::string row_prefix(const std::string& path, int index);  // "path[i]/"
std::string row_pattern(const std::string& path);            // "path[#]/"
bool indexed(const std::string& name);                       // holds "[#]"
// `name` (a PDF field) against `pattern` (holding "[#]"): the index it
// carries ("12"), if it is that field of some row. Indices are positive,
// without leading zeros.
std::optional<std::string> row_index(const std::string& pattern, const std::string& name);
// `pattern` with its "[#]" replaced by "[index]".
std::string with_index(const std::string& pattern, const std::string& index);

// The form-identity field: its name, its value for a form, and the form id
// and version read from a value (nothing when it is not of that shape).
inline constexpr const char* kFormField = "yoshiki-form";
std::string form_field_value(const std::string& id, const std::string& version);
struct FormIdentity {
  std::string id, version;
};
std::optional<FormIdentity> parse_form_field(const std::string& value);

// Radio states of forms written before options had their own state names:
// the n-th option setting the same value was "value~n". Reading drops the suffix.
std::string radio_value(const std::string& state);

}  // namespace yoshiki::fields::naming
