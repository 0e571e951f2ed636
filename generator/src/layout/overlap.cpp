#include "layout/overlap.h"

#include <hb.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

namespace yoshiki::layout {
namespace {

struct Box {  // x1 < x2, y1 < y2
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  Rect rect() const { return {x1, y1, x2 - x1, y2 - y1}; }
  Box grown(double d) const { return {x1 - d, y1 - d, x2 + d, y2 + d}; }
  bool meets(const Box& o) const { return x1 < o.x2 && o.x1 < x2 && y1 < o.y2 && o.y1 < y2; }
};

struct Glyph {
  Box ink;
  std::string text;
};

struct Run {  // one TextOp: its glyphs' ink boxes and their union
  size_t op = 0;
  std::string text;
  Box ink;
  std::vector<Glyph> glyphs;
};

struct Segment {  // a stroke: centre line and half its width
  size_t op = 0;
  double x1, y1, x2, y2, half;
};

struct Capsule {  // a mark: points within r of the core segment [xl, xr] × {cy}
  size_t op = 0;
  double xl, xr, cy, r, half;
  Box outline() const { return Box{xl - r, cy - r, xr + r, cy + r}.grown(half); }
};

Run run_of(const TextOp& t, size_t op) {
  Run r;
  r.op = op;
  const text::Font& f = *t.run.font;
  const double scale = t.size / f.metrics().units_per_em;
  double pen = t.x;
  bool any = false;
  for (const auto& g : t.run.glyphs) {
    r.text += g.text;
    hb_glyph_extents_t e{};
    if (hb_font_get_glyph_extents(f.hb(), g.gid, &e) && e.width != 0 && e.height != 0) {
      // HarfBuzz: y up from the baseline, height negative downwards.
      Box b{pen + e.x_bearing * scale, t.baseline - e.y_bearing * scale,
            pen + (e.x_bearing + e.width) * scale, t.baseline - (e.y_bearing + e.height) * scale};
      if (b.x1 > b.x2) std::swap(b.x1, b.x2);
      if (b.y1 > b.y2) std::swap(b.y1, b.y2);
      r.glyphs.push_back({b, g.text});
      r.ink = any ? Box{std::min(r.ink.x1, b.x1), std::min(r.ink.y1, b.y1),
                        std::max(r.ink.x2, b.x2), std::max(r.ink.y2, b.y2)}
                  : b;
      any = true;
    }
    pen += g.advance * scale;
  }
  return r;
}

// Whether the segment (x1,y1)–(x2,y2) passes through `b` (Liang–Barsky).
bool crosses(const Box& b, double x1, double y1, double x2, double y2) {
  double t0 = 0, t1 = 1;
  const double dx = x2 - x1, dy = y2 - y1;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {x1 - b.x1, b.x2 - x1, y1 - b.y1, b.y2 - y1};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;
    } else {
      const double t = q[i] / p[i];
      if (p[i] < 0)
        t0 = std::max(t0, t);
      else
        t1 = std::min(t1, t);
    }
  }
  return t0 < t1 || (t0 == t1 && t0 >= 0 && t0 <= 1 && (dx == 0 || dy == 0));
}

double point_segment(double px, double py, double x1, double y1, double x2, double y2) {
  const double dx = x2 - x1, dy = y2 - y1, len = dx * dx + dy * dy;
  double t = len > 0 ? ((px - x1) * dx + (py - y1) * dy) / len : 0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}

// Distance between a segment and the horizontal core [xl, xr] × {cy}.
double segment_core(const Segment& s, const Capsule& c) {
  const double ax = s.x1, ay = s.y1, bx = s.x2, by = s.y2;
  // Crossing: the segment changes side of cy within [xl, xr].
  if ((ay - c.cy) * (by - c.cy) <= 0 && ay != by) {
    const double x = ax + (c.cy - ay) * (bx - ax) / (by - ay);
    if (x >= c.xl && x <= c.xr) return 0;
  }
  return std::min(
      {point_segment(ax, ay, c.xl, c.cy, c.xr, c.cy), point_segment(bx, by, c.xl, c.cy, c.xr, c.cy),
       point_segment(c.xl, c.cy, ax, ay, bx, by), point_segment(c.xr, c.cy, ax, ay, bx, by)});
}

// Distance between a box and the core of a capsule (0 when they meet).
double box_core(const Box& b, const Capsule& c) {
  const double dx = std::max({0.0, b.x1 - c.xr, c.xl - b.x2});
  const double dy = std::max({0.0, b.y1 - c.cy, c.cy - b.y2});
  return std::hypot(dx, dy);
}

// A mark stands round its option: a glyph whose centre lies inside the mark
// is the option's, and must stay within the mark's extent (its corners may
// reach past the round ends: ink seldom fills them); any other glyph must
// stay clear of the outline.
bool glyph_meets_mark(const Box& g, const Capsule& c) {
  const double clear = c.half + kClearance;
  const double gx = (g.x1 + g.x2) / 2, gy = (g.y1 + g.y2) / 2;
  if (point_segment(gx, gy, c.xl, c.cy, c.xr, c.cy) < c.r) {
    return g.x1 < c.xl - c.r + clear || g.x2 > c.xr + c.r - clear || g.y1 < c.cy - c.r + clear ||
           g.y2 > c.cy + c.r - clear;
  }
  return box_core(g, c) < c.r + clear;
}

std::string rect_text(const Rect& r) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "(x %.1f y %.1f w %.1f h %.1f)", r.x, r.y, r.w, r.h);
  return buf;
}

class Checker {
 public:
  explicit Checker(const Page& page) {
    for (size_t i = 0; i < page.ops.size(); ++i) {
      const auto& op = page.ops[i];
      if (const auto* t = std::get_if<TextOp>(&op)) {
        if (t->run.font) {
          Run r = run_of(*t, i);
          if (!r.glyphs.empty()) runs_.push_back(std::move(r));
        }
      } else if (const auto* l = std::get_if<LineOp>(&op)) {
        segments_.push_back({i, l->x1, l->y1, l->x2, l->y2, l->width / 2});
        names_[i] = {"line",
                     {std::min(l->x1, l->x2), std::min(l->y1, l->y2), std::abs(l->x2 - l->x1),
                      std::abs(l->y2 - l->y1)}};
      } else if (const auto* r = std::get_if<RectOp>(&op)) {
        const double x2 = r->x + r->w, y2 = r->y + r->h, h = r->width / 2;
        segments_.push_back({i, r->x, r->y, x2, r->y, h});
        segments_.push_back({i, x2, r->y, x2, y2, h});
        segments_.push_back({i, r->x, y2, x2, y2, h});
        segments_.push_back({i, r->x, r->y, r->x, y2, h});
        names_[i] = {"rect", {r->x, r->y, r->w, r->h}};
      } else if (const auto* e = std::get_if<EllipseOp>(&op)) {
        // As the writer strokes it: radius ry, straight part where rx > ry.
        const double half = std::max(0.0, e->rx - e->ry);
        marks_.push_back({i, e->cx - half, e->cx + half, e->cy, e->ry, e->width / 2});
        names_[i] = {"mark", marks_.back().outline().rect()};
      }
    }
  }

  std::vector<Collision> run() {
    for (size_t i = 0; i < runs_.size(); ++i) {
      const Run& a = runs_[i];
      for (const auto& s : segments_) text_stroke(a, s);
      for (const auto& m : marks_) text_mark(a, m);
      for (size_t j = i + 1; j < runs_.size(); ++j) text_text(a, runs_[j]);
    }
    for (size_t i = 0; i < marks_.size(); ++i) {
      for (const auto& s : segments_) mark_stroke(marks_[i], s);
      for (size_t j = i + 1; j < marks_.size(); ++j) mark_mark(marks_[i], marks_[j]);
    }
    std::sort(found_.begin(), found_.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<Collision> out;
    for (auto& f : found_) out.push_back(std::move(f.second));
    return out;
  }

 private:
  std::vector<Run> runs_;
  std::vector<Segment> segments_;
  std::vector<Capsule> marks_;
  std::map<size_t, std::pair<std::string, Rect>> names_;  // stroke and mark ops
  std::set<std::pair<size_t, size_t>> seen_;              // op pairs reported
  std::vector<std::pair<std::pair<size_t, size_t>, Collision>> found_;

  static std::string text_name(const Run& r, const Glyph& g) {
    return "「" + r.text + "」" + (r.text == g.text ? "" : " at 「" + g.text + "」");
  }

  // Each pair of ops once, ordered by where they are drawn; `a` is the text
  // when one of them is.
  void report(size_t op_a, std::string a, Rect ra, size_t op_b, std::string b, Rect rb) {
    const std::pair<size_t, size_t> key{std::min(op_a, op_b), std::max(op_a, op_b)};
    if (!seen_.insert(key).second) return;
    found_.push_back({key, Collision{std::move(a), std::move(b), ra, rb}});
  }
  void report_named(const Run& r, const Glyph& g, size_t op) {
    const auto& n = names_.at(op);
    report(r.op, text_name(r, g), g.ink.rect(), op, n.first, n.second);
  }

  void text_stroke(const Run& r, const Segment& s) {
    const double grow = s.half + kClearance;
    if (seen_.count({std::min(r.op, s.op), std::max(r.op, s.op)})) return;
    if (!crosses(r.ink.grown(grow), s.x1, s.y1, s.x2, s.y2)) return;
    for (const auto& g : r.glyphs) {
      if (crosses(g.ink.grown(grow), s.x1, s.y1, s.x2, s.y2)) {
        report_named(r, g, s.op);
        return;
      }
    }
  }

  void text_mark(const Run& r, const Capsule& m) {
    if (!r.ink.meets(m.outline().grown(kClearance))) return;
    for (const auto& g : r.glyphs) {
      if (glyph_meets_mark(g.ink, m)) {
        report_named(r, g, m.op);
        return;
      }
    }
  }

  void text_text(const Run& a, const Run& b) {
    if (!a.ink.grown(kClearance / 2).meets(b.ink.grown(kClearance / 2))) return;
    for (const auto& ga : a.glyphs)
      for (const auto& gb : b.glyphs)
        if (ga.ink.grown(kClearance / 2).meets(gb.ink.grown(kClearance / 2))) {
          report(a.op, text_name(a, ga), ga.ink.rect(), b.op, text_name(b, gb), gb.ink.rect());
          return;
        }
  }

  void mark_stroke(const Capsule& m, const Segment& s) {
    const double clear = m.half + s.half + kClearance;
    const double far = std::max(point_segment(s.x1, s.y1, m.xl, m.cy, m.xr, m.cy),
                                point_segment(s.x2, s.y2, m.xl, m.cy, m.xr, m.cy));
    if (far <= m.r - clear) return;  // a stroke inside the mark
    if (segment_core(s, m) >= m.r + clear) return;
    const auto& n = names_.at(s.op);
    const auto& mn = names_.at(m.op);
    report(m.op, mn.first, mn.second, s.op, n.first, n.second);
  }

  void mark_mark(const Capsule& a, const Capsule& b) {
    const double dx = std::max({0.0, a.xl - b.xr, b.xl - a.xr});
    const double d = std::hypot(dx, a.cy - b.cy);
    if (d >= a.r + b.r + a.half + b.half + kClearance) return;
    const auto& na = names_.at(a.op);
    const auto& nb = names_.at(b.op);
    report(a.op, na.first, na.second, b.op, nb.first, nb.second);
  }
};

}  // namespace

std::string Collision::describe() const {
  return a + " " + rect_text(ra) + " × " + b + " " + rect_text(rb);
}

std::vector<Collision> collisions(const Page& page) { return Checker(page).run(); }

}  // namespace yoshiki::layout
