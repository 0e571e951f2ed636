// layout — a Template plus (optional) form data and settings become pages of
// drawing operations. Layout owns pages, grids, rows, cells and the lines of
// a cell; what stands in them is drawn by its field type (fields/), which
// also emits the fillable widgets with their bindings. Text that does not
// fit its box even at the minimum size is reported as an overflow naming the
// field; it is never clipped silently.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fields/field_type.h"
#include "layout/page.h"
#include "layout/template.h"
#include "text/font.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::layout {

class StaticDrawing;

struct LayoutInput {
  const Template* tmpl = nullptr;
  xmlDoc* data = nullptr;  // nullptr = blank form
  const Settings* settings = nullptr;
  const text::FontSet* fonts = nullptr;  // null: widgets and bindings only, nothing drawn
  bool fillable = false;                 // data values go into AcroForm fields, not onto the page
  const xml::XPathEnv* functions = nullptr;  // y: functions the template's XPaths call
  // The cells no value decides, drawn once (may be null: all laid out afresh).
  const StaticDrawing* statics = nullptr;
  StaticDrawing* record = nullptr;  // a blank layout recording into a StaticDrawing
};

// The drawing of the cells whose content no value decides (labels, rules,
// boxes, notes, option texts, settings): recorded while the blank form of a
// template, output kind and settings is laid out, then immutable and shared
// between threads. A document's layout replays a cell's operations (and its
// overflow problems) from here instead of laying it out again. A cell is
// kept only if laying it out asked nothing of the data, the page number or
// the widgets (the Layouter counts those calls), so it draws the same in
// every document; keyed by the template cell and its box, so a cell placed
// elsewhere (a continuation page) misses and is laid out. It never holds a
// data value: the blank has none. Bounded by the template's cells.
class StaticDrawing {
 public:
  struct Entry {
    std::vector<DrawOp> ops;
    std::vector<Diagnostic> problems;
    std::shared_ptr<const SerialCache> serial = std::make_shared<SerialCache>();
  };
  StaticDrawing();
  ~StaticDrawing();
  StaticDrawing(const StaticDrawing&) = delete;
  StaticDrawing& operator=(const StaticDrawing&) = delete;

  const Entry* find(const Cell& cell, const Rect& box) const;
  void keep(const Cell& cell, const Rect& box, Entry entry);  // while recording only
  std::size_t size() const { return cells_.size(); }
  // Whether a kept text operation draws `utf8` (tests: no data value is kept).
  bool holds(std::string_view utf8) const;
  // A page's replayed cells serialised as one stream by a writer, keyed by
  // the writer (the sequence of spans, page height, fonts): per page of the
  // template and the few ways its repeated parts fall, so bounded loosely.
  const SerialCache& streams() const { return streams_; }

 private:
  struct Key {
    const Cell* cell;
    double x, y, w, h;
    bool operator==(const Key&) const = default;
  };
  struct Hash {
    std::size_t operator()(const Key& k) const;
  };
  std::unordered_map<Key, Entry, Hash> cells_;
  SerialCache streams_{64};
};

// Whether any StaticDrawing alive in this process draws `utf8` (tests).
bool drawing_is_kept(std::string_view utf8);

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
