// layout — a Template plus (optional) form data and settings become pages of
// drawing operations. Layout owns pages, grids, rows, cells and the lines of
// a cell; what stands in them is drawn by its field type (fields/), which
// also emits the fillable widgets with their bindings. Text that does not
// fit its box even at the minimum size is reported as an overflow naming the
// field; it is never clipped silently.
#pragma once

#include <vector>

#include "fields/field_type.h"
#include "layout/page.h"
#include "layout/template.h"
#include "text/font.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::layout {

struct LayoutInput {
  const Template* tmpl = nullptr;
  xmlDoc* data = nullptr;  // nullptr = blank form
  const Settings* settings = nullptr;
  const text::FontSet* fonts = nullptr;  // null: widgets and bindings only, nothing drawn
  bool fillable = false;                 // data values go into AcroForm fields, not onto the page
  const xml::XPathEnv* functions = nullptr;  // y: functions the template's XPaths call
};

// Problems (overflows) are appended to `problems`; layout continues so that
// every problem is reported at once.
LaidOutDocument lay_out(const LayoutInput& in, std::vector<Diagnostic>& problems);

// The widgets of a blank fillable layout, laid out without fonts (nothing
// measured or drawn): where each field is and what it binds.
LaidOutDocument blank_widgets(const Template& t, const xml::XPathEnv* functions);

// What a fillable PDF's fields mean, from the widgets a blank fillable
// layout emits (without fonts: nothing is measured or drawn): one entry per
// field name, "[#]" standing for a repeated row's index, in layout order;
// button fields carry the states their widgets set.
std::vector<fields::Binding> field_bindings(const Template& t, const xml::XPathEnv* functions);

}  // namespace yoshiki::layout
