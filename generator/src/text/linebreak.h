// linebreak — where Japanese text may break (ICU's UAX #14 line breaker with
// the strict Japanese rules: no break before 。、）ッ ー…, none after （「…;
// that is kinsoku), and fitting text into a box: shrink, then wrap, then
// report overflow.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "text/shape.h"

namespace yoshiki::text {

// Break opportunities of `utf8` in increasing order; the last is utf8.size().
std::vector<BreakOpportunity> line_breaks(std::string_view utf8);

// Greedy wrapping of `utf8` (shaped as `run`) at `size` points into lines no
// wider than `max_width` points. Lines are UTF-8 with trailing spaces and
// newlines removed. A segment longer than a line is broken between
// characters as a last resort.
std::vector<std::string> wrap(const ShapedRun& run, std::string_view utf8, double size,
                              double max_width);
// The same lines as byte ranges of `utf8` (see shape_part for their runs).
std::vector<LineSpan> wrap_spans(const ShapedRun& run, std::string_view utf8, double size,
                                 double max_width);

struct FitResult {
  bool fits = false;
  double size = 0;                 // the size chosen (the minimum if it does not fit)
  std::vector<std::string> lines;  // one entry when no wrapping was needed
};

struct FitBox {
  double width = 0, height = 0;    // points
  double size = 10, min_size = 6;  // points
  double leading = 1.25;           // line height as a multiple of size
};

// For single-line boxes that may wrap as a last resort: the largest size at
// which the text fits on one line; failing that, the largest size at which
// it fits wrapped into the box's height.
FitResult fit_shrink_then_wrap(const Font& font, std::string_view utf8, const FitBox& box);

// For multi-line areas: the largest size at which the wrapped text fits.
FitResult fit_wrapped(const Font& font, std::string_view utf8, const FitBox& box);

}  // namespace yoshiki::text
