// page — the plain data between layout and PDF writing: pages of drawing
// operations in points, origin at the top-left corner, y growing downwards.
// Nothing here knows about templates or about PoDoFo.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "text/shape.h"

namespace yoshiki::layout {

struct TextOp {  // one shaped line of text; (x, baseline) is its origin
  double x = 0, baseline = 0, size = 10;
  text::ShapedRun run;
};

struct LineOp {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0, width = 0.5;
};

struct RectOp {  // stroked rectangle
  double x = 0, y = 0, w = 0, h = 0, width = 0.5;
};

struct EllipseOp {  // the mark round a chosen option: a circle, or a capsule when rx > ry
  double cx = 0, cy = 0, rx = 0, ry = 0, width = 0.6;
};

using DrawOp = std::variant<TextOp, LineOp, RectOp, EllipseOp>;

struct Page {
  double width = 595.276, height = 841.89;  // A4
  std::vector<DrawOp> ops;
};

struct LaidOutDocument {
  std::string title;
  std::string form_id, form_version;
  std::vector<Page> pages;
};

constexpr double kPointsPerMm = 72.0 / 25.4;
inline double mm(double v) { return v * kPointsPerMm; }

}  // namespace yoshiki::layout
