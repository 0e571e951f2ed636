// api/field_values — a catalogue form's fillable fields as its blank fillable
// PDF has them, and the data XML built from values typed into them (the
// 入力 page of `yoshiki serve`). The values go through the same read-back as
// a filled PDF's (model::build_data): a date typed as 2024/5/21 or R6.6.10
// becomes 2024-05-21 as it would from a PDF viewer, and there is one builder.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "yoshiki/yoshiki.h"

namespace yoshiki::api {

struct FormField {
  // The PDF field name: the data path, a row's index in "[n]", "#n" for
  // part n of a split value or for one check box of a repeated element.
  std::string name;
  std::string path;       // the data path it binds (rows' index filled in)
  std::string type;       // its field type ("text", "date", "opt", "code", ...)
  std::string widget;     // text, multiline, comb, radio, checkbox
  std::string label;      // the template's label (Japanese), as the PDF's /TU
  int max_length = 0;     // comb: the number of boxes
  std::string rows;       // a repeated row's field: its name with "[#]"; else ""
  std::string row_index;  // its row ("1", "2", ...)
  struct Option {
    std::string value, label;  // what choosing it sets, and its printed text
  };
  std::vector<Option> options;  // radio and check box
};

// In the order the blank fillable form lays them out. Throws Error (Usage)
// for a form id the catalogue does not know.
std::vector<FormField> form_fields(const Engine& engine, const std::string& form_id);

// Field name → value: typed text; for a radio group the chosen option's
// value ("" none); for a check box "" unticked, anything else ticked. An
// unknown field name or option is Error (InvalidInput). The data is not
// validated here (Engine::validate does that).
Engine::Extracted data_from_fields(const Engine& engine, const std::string& form_id,
                                   const std::map<std::string, std::string>& values);

}  // namespace yoshiki::api
