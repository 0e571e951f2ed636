// page — the plain data between layout and PDF writing: pages of drawing
// operations in points, origin at the top-left corner, y growing downwards.
// Nothing here knows about templates or about PoDoFo.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "text/shape.h"

namespace yoshiki::fields {
class Item;
}

namespace yoshiki::layout {

enum class Align { Left, Center, Right };

// Text style of a grid, row, cell or item (template attributes, inherited).
struct Style {
  std::string font = "gothic";
  double size = 9;   // points
  double pad = 1.0;  // mm, horizontal; vertical is half of it
  double leading = 1.3;
  Align align = Align::Center;
  bool valign_top = false;
};

struct Rect {  // points, top-left origin
  double x = 0, y = 0, w = 0, h = 0;
};

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

// A fillable field (fillable output only): where its widget goes, what it
// shows (drawn into its appearance stream, not onto the page) and what it
// holds. Named by the data path it binds, so extraction can rebuild the data.
// What a widget's value means: the field type item that emitted it reads it
// back (fields/field_type.h); `field` and `path` hold "[#]" for a repeated
// row's index (fields/naming.h).
struct WidgetBinding {
  const fields::Item* item = nullptr;
  std::string field, path;
};

struct FieldSpec {
  enum class Kind { Text, Multiline, Comb, Choice };  // widget kinds: all the writer knows
  Kind kind = Kind::Text;
  std::string name;   // data path; "path#n" for part n of a split value or a check box
  std::string label;  // /TU
  double x = 0, y = 0, w = 0, h = 0;  // widget rectangle, top-left origin
  std::string value;                  // /V for text kinds
  double size = 10;                   // font size for /DA
  int max_len = 0;                    // Comb: number of boxes
  bool centred = false;
  bool free_text = false;  // what people type here may be long (names, dates): see the writer's /DA
  std::vector<DrawOp> appearance;  // page coordinates
  // Choice
  std::string on;        // the value the option sets
  std::string state;     // its state name in the PDF ("" = `on`); unique in a radio group
  std::string on_label;  // what the state means (the option's printed text), for /TU
  bool radio = false;    // options sharing `name` are one radio group
  bool selected = false;
  WidgetBinding binding;
};

// What a PDF writer serialised from drawing operations that every document
// replays unchanged (layout::StaticDrawing), by the writer's state when it
// reached them (`key`), with its state after them (`after`); both opaque
// here. Thread-safe and bounded; it holds static operations' bytes only.
class SerialCache {
 public:
  struct Bytes {
    std::string key, bytes, after;
  };
  // A cell's bytes: the states a cell is reached in are few.
  explicit SerialCache(std::size_t max = 8) : max_(max) {}
  std::shared_ptr<const Bytes> find(std::string_view key) const;
  void keep(std::shared_ptr<const Bytes> bytes) const;  // past the bound: not kept
  std::size_t size() const;

 private:
  std::size_t max_;
  mutable std::mutex mu_;
  mutable std::vector<std::shared_ptr<const Bytes>> kept_;
};

// ops[first, first + count) of a page, replayed as they are from a
// StaticDrawing whose serialisations `serial` keeps.
struct StaticSpan {
  std::size_t first = 0, count = 0;
  const SerialCache* serial = nullptr;
};

struct Page {
  double width = 595.276, height = 841.89;  // A4
  std::vector<DrawOp> ops;
  std::vector<FieldSpec> fields;
  std::vector<StaticSpan> spans;  // in order; empty when nothing was replayed
  // With spans: where a writer keeps the page's replayed operations as one
  // stream of their own, made once per sequence of spans (the StaticDrawing's
  // StaticDrawing::streams()).
  const SerialCache* static_streams = nullptr;
};

struct LaidOutDocument {
  std::string title;
  std::string form_id, form_version;
  std::vector<Page> pages;
};

constexpr double kPointsPerMm = 72.0 / 25.4;
inline double mm(double v) { return v * kPointsPerMm; }

}  // namespace yoshiki::layout
