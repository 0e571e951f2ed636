// layout — a Template plus (optional) form data and settings become pages of
// drawing operations: ruled cells, shaped text, circled choices, 和暦 dates,
// digit boxes. Text that does not fit its box even at the minimum size is
// reported as an overflow naming the field; it is never clipped silently.
#pragma once

#include <vector>

#include "layout/page.h"
#include "layout/template.h"
#include "text/font.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::layout {

struct LayoutInput {
  const Template* tmpl = nullptr;
  xmlDoc* data = nullptr;  // nullptr = blank form
  const Settings* settings = nullptr;
  const text::FontSet* fonts = nullptr;
  bool fillable = false;  // data values go into AcroForm fields, not onto the page
  const xml::XPathEnv* functions = nullptr;  // y: functions the template's XPaths call
};

// Problems (overflows) are appended to `problems`; layout continues so that
// every problem is reported at once.
LaidOutDocument lay_out(const LayoutInput& in, std::vector<Diagnostic>& problems);

}  // namespace yoshiki::layout
