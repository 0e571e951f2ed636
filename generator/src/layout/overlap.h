// overlap — the collision check of a laid-out page, from the layout's own
// geometry (never from pixels): each glyph's ink box, each stroke (rule
// lines, the four edges of a rectangle) as a segment as wide as it is drawn,
// and each option mark as the capsule the writer strokes. What may overlap
// is modelled by what a thing is: text inside a rectangle or a mark touches
// none of its strokes and so does not collide with it (a text's container);
// text touching or crossing any stroke or another run's ink, a mark touching
// another mark or a rule, does. Strokes meeting strokes (a grid's corners)
// are the drawing itself and are not checked.
#pragma once

#include <string>
#include <vector>

#include "layout/page.h"

namespace yoshiki::layout {

// Least gap, in points, between ink and the edge of a stroke (or another
// run's ink): less prints as touching.
constexpr double kClearance = 0.25;

struct Collision {
  std::string a, b;              // what collides: 「text」, line, rect, mark
  Rect ra, rb;                   // their boxes (a glyph's ink box for text)
  std::string describe() const;  // "「（※」 (x y w h) × rect (x y w h)", points
};

// Every collision on `page`, each pair once, in drawing order.
std::vector<Collision> collisions(const Page& page);

}  // namespace yoshiki::layout
