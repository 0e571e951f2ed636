#include "layout/layout.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <typeinfo>

#include "fields/common.h"
#include "fields/naming.h"
#include "text/kept_registry.h"
#include "text/linebreak.h"

namespace yoshiki::layout {
namespace {

using fields::kThin;  // ruled lines, points

// Creating an XPath context and registering the y: functions in it cost
// ~0.25 M instructions, a sixth of a document's layout: each thread keeps
// one per function environment and rebinds it to the next document. It
// never holds data once a document is done (rebound to nothing). A nested
// lay_out on the same thread gets a context of its own.
class ThreadContext {
 public:
  struct Release {
    void operator()(xml::XPathContext* c) const {
      if (c == slot().ctx.get()) {
        c->rebind(nullptr);
        slot().busy = false;
      } else {
        delete c;
      }
    }
  };
  using Lease = std::unique_ptr<xml::XPathContext, Release>;

  static Lease acquire(xmlDoc* doc, const xml::XPathEnv* env) {
    Slot& s = slot();
    if (s.busy) return Lease(new xml::XPathContext(doc, env));
    // The type too: another environment may reuse a freed one's address.
    const std::type_info* type = env ? &typeid(*env) : nullptr;
    if (!s.ctx || s.env != env || s.type != type) {
      s.ctx.reset();  // before its replacement: at most one per thread
      s.ctx = std::make_unique<xml::XPathContext>(doc, env);
      s.env = env;
      s.type = type;
    }
    s.ctx->rebind(doc);
    s.busy = true;
    return Lease(s.ctx.get());
  }

 private:
  struct Slot {
    std::unique_ptr<xml::XPathContext> ctx;
    const xml::XPathEnv* env = nullptr;
    const std::type_info* type = nullptr;
    bool busy = false;
  };
  static Slot& slot() {
    thread_local Slot s;
    return s;
  }
};

// Lays out one document; the field types draw through its Canvas side.
class Layouter final : public fields::Canvas {
 public:
  Layouter(const LayoutInput& in, std::vector<Diagnostic>& problems)
      : in_(in), problems_(problems) {
    if (in_.data) xpath_ = ThreadContext::acquire(in_.data, in_.functions);
  }

  LaidOutDocument run() {
    LaidOutDocument doc;
    doc.title = in_.tmpl->title;
    doc.form_id = in_.tmpl->id;
    doc.form_version = in_.tmpl->version;
    page_count_ = 0;
    for (const auto& tp : in_.tmpl->pages) page_count_ += copies_of(tp);
    for (const auto& tp : in_.tmpl->pages) {
      const int copies = copies_of(tp);
      for (int k = 0; k < copies; ++k) {
        page_number_ = static_cast<int>(doc.pages.size()) + 1;
        flow_first_ = tp.flow ? tp.flow->from + k * tp.flow->per_page : 1;
        doc.pages.push_back(page(tp));
      }
    }
    return doc;
  }

 private:
  const LayoutInput& in_;
  std::vector<Diagnostic>& problems_;
  ThreadContext::Lease xpath_;  // one context for all bindings of this render
  // Calls whose answer may differ between documents (data, page numbers,
  // widgets): a cell laid out without any is static (StaticDrawing).
  mutable unsigned long dependent_ = 0;
  mutable std::string role_name_;  // font(): the role last looked up, and its font
  mutable const text::Font* role_font_ = nullptr;
  // The text last shaped: a field measures a text, then draws it.
  mutable std::string last_text_;
  mutable text::ShapedRun last_run_;
  Page* page_ = nullptr;
  std::vector<DrawOp>* sink_ = nullptr;  // where drawing goes: the page, or a field's appearance
  // Repeated rows: the item the current row shows (null past the data's
  // last item), and the prefix path[index]/ of its field names.
  int page_number_ = 0, page_count_ = 0;  // of the document being laid out
  int flow_first_ = 1;  // index of the first item the current (continuation) page shows
  bool in_item_ = false;
  xmlNode* item_ = nullptr;
  int item_index_ = 0;
  std::string item_prefix_, item_pattern_;  // path[i]/ and path[#]/

  Page page(const TemplatePage& tp) {
    Page page;
    page.width = mm(tp.w_mm);
    page.height = mm(tp.h_mm);
    page_ = &page;
    sink_ = &page.ops;
    std::vector<std::pair<Rect, int>> placed;  // page-level elements, for the overlap check
    for (const auto& g : tp.grids) placed.emplace_back(grid(g), g.line);
    for (const auto& b : tp.boxes) {
      Rect r{mm(b.x_mm), mm(b.y_mm), mm(b.cell.w_mm), mm(b.h_mm)};
      cell(b.cell, r);
      placed.emplace_back(r, b.cell.line);
    }
    for (const auto& f : tp.fields) placed.emplace_back(f->place(*this), f->line);
    if (drawing()) check_overlaps(placed, page);
    return page;
  }

  // A continuation page is printed as often as the items after the earlier
  // pages' rows need, and at least min_pages times (blank forms too).
  int copies_of(const TemplatePage& tp) const {
    if (!tp.flow) return 1;
    const auto& f = *tp.flow;
    const int items = xpath_ ? static_cast<int>(f.items->nodes(*xpath_).size()) : 0;
    const int rest = std::max(0, items - f.from + 1);
    return std::max(f.min_pages, (rest + f.per_page - 1) / f.per_page);
  }

  // ---- the Canvas the field types draw on --------------------------------
 public:
  std::string value(const xml::XPath* p) const override {
    ++dependent_;
    if (!p || !xpath_ || (in_item_ && !item_)) return "";
    return p->first_string(*xpath_, item_);
  }
  bool blank() const override {
    ++dependent_;
    return !xpath_;
  }
  bool holds(const xml::XPath* test) const override {
    ++dependent_;
    return test && xpath_ && !(in_item_ && !item_) && test->boolean(*xpath_, item_);
  }
  std::vector<xmlNode*> nodes(const xml::XPath& p) const override {
    ++dependent_;
    return xpath_ ? p.nodes(*xpath_) : std::vector<xmlNode*>{};
  }
  std::string value_at(const xml::XPath& p, xmlNode* node) const override {
    ++dependent_;
    return xpath_ ? p.string(*xpath_, node) : "";
  }
  std::string setting(const std::string& key, const std::string& fallback) const override {
    if (in_.settings) {
      auto it = in_.settings->find(key);
      if (it != in_.settings->end() && !it->second.empty()) return it->second;
    }
    return fallback;
  }
  int page_number() const override {
    ++dependent_;
    return page_number_;
  }
  int page_count() const override {
    ++dependent_;
    return page_count_;
  }
  bool drawing() const override { return in_.fonts != nullptr; }
  const text::Font* font(const Style& s) const override {
    if (!in_.fonts) return nullptr;
    // The last role looked up kept: a map look-up per text measured or drawn.
    if (!role_font_ || s.font != role_name_) {
      role_font_ = &in_.fonts->role(s.font);
      role_name_ = s.font;
    }
    return role_font_;
  }
  double width(const Style& s, const std::string& t, double size) const override {
    return in_.fonts ? shaped(*font(s), t).width(size) : 0;
  }
  void text(const Style& s, const std::string& t, double x, double top, double h,
            double size) override {
    if (t.empty() || !in_.fonts) return;
    draw_text(*font(s), t, x, top, h, size);
  }
  void draw(DrawOp op) override { sink_->push_back(std::move(op)); }
  void overflow(const std::string& field, int line, const std::string& msg) override {
    problems_.push_back({Severity::Error, "layout.overflow", msg, in_.tmpl->path, line, 0, field});
  }
  bool fillable() const override { return in_.fillable; }
  std::string field_name(const std::string& relative) const override {
    ++dependent_;
    return item_prefix_ + relative;
  }
  void widget(FieldSpec spec, const std::function<void()>& draw) override {
    ++dependent_;
    if (!in_.fillable) {
      draw();
      return;
    }
    auto* saved = sink_;
    sink_ = &spec.appearance;
    if (drawing()) draw();
    sink_ = saved;
    add_widget(std::move(spec));
  }
  void add_widget(FieldSpec spec) override {
    ++dependent_;
    if (spec.label.empty())
      spec.label = item_prefix_ + spec.name;
    else if (!item_prefix_.empty())
      spec.label = row_label(spec.label, item_index_);
    spec.binding.field = item_pattern_ + spec.name;
    spec.binding.path = item_pattern_ + spec.binding.path;
    spec.name = item_prefix_ + spec.name;
    page_->fields.push_back(std::move(spec));
  }

 private:
  // A repeated row's widgets carry the row's number in their tooltip, after
  // the label's first part: "個別相談の内容 / 年月日" → "個別相談の内容 3 / 年月日".
  static std::string row_label(const std::string& label, int index) {
    // Appended, not " " + number: GCC 12 at -O3 warns (-Wrestrict) on that
    // temporary, a known false positive.
    const size_t slash = label.find(" / ");
    std::string out = label.substr(0, slash);
    out.push_back(' ');
    out += std::to_string(index);
    if (slash != std::string::npos) out += label.substr(slash);
    return out;
  }

  void stroke_rect(const Rect& r, double width) {
    sink_->emplace_back(std::in_place_type<RectOp>, RectOp{r.x, r.y, r.w, r.h, width});
  }

  // Baseline that centres the em box of `size` vertically in [top, top+h].
  double baseline(const text::Font& f, double top, double h, double size) const {
    const auto& m = f.metrics();
    double asc = static_cast<double>(m.ascender) / (m.ascender - m.descender);
    return top + (h - size) / 2 + asc * size;
  }

  const text::ShapedRun& shaped(const text::Font& f, const std::string& t) const {
    if (last_run_.font != &f || last_text_ != t) {
      last_run_ = text::shape(f, t);
      last_text_ = t;
    }
    return last_run_;
  }

  void draw_text(const text::Font& f, const std::string& s, double x, double top, double h,
                 double size) {
    if (!s.empty()) draw_run(shaped(f, s), x, top, h, size);
  }

  void draw_run(text::ShapedRun run, double x, double top, double h, double size) {
    if (run.glyphs.empty()) return;
    TextOp op;
    op.x = x;
    op.size = size;
    op.baseline = baseline(*run.font, top, h, size);
    op.run = std::move(run);
    sink_->push_back(std::move(op));
  }

  // ---- grids ---------------------------------------------------------------
  // Page-level boxes and grids must not overlap each other or leave the page.
  void check_overlaps(const std::vector<std::pair<Rect, int>>& placed, const Page& page) {
    constexpr double eps = 0.3;  // points: shared edges are fine
    for (size_t i = 0; i < placed.size(); ++i) {
      const Rect& a = placed[i].first;
      if (a.x < -eps || a.y < -eps || a.x + a.w > page.width + eps || a.y + a.h > page.height + eps)
        overflow("", placed[i].second, "element lies outside the page");
      for (size_t j = i + 1; j < placed.size(); ++j) {
        const Rect& b = placed[j].first;
        if (a.x + eps < b.x + b.w && b.x + eps < a.x + a.w && a.y + eps < b.y + b.h &&
            b.y + eps < a.y + a.h) {
          overflow("", placed[j].second,
                   "element overlaps the one at line " + std::to_string(placed[i].second));
        }
      }
    }
  }

  Rect grid(const Grid& g) {
    double y = mm(g.y_mm);
    const double x = mm(g.x_mm), w = mm(g.w_mm);
    for (const auto& group : g.groups) {
      double top = y;
      if (group.repeat) {
        y = repeated_rows(*group.repeat, x, y, w);
      } else {
        for (const auto& r : group.rows) {
          double h = mm(r.h_mm);
          row(r, {x, y, w, h});
          y += h;
        }
      }
      if (group.frame_width > 0) stroke_rect({x, top, w, y - top}, group.frame_width);
    }
    return {x, mm(g.y_mm), w, y - mm(g.y_mm)};
  }

  // rr.count rows from index rr.from (or the continuation page's first index),
  // each showing one item of the repeated element; returns the y below them.
  double repeated_rows(const RowRepeat& rr, double x, double y, double w) {
    const auto items = xpath_ ? rr.items->nodes(*xpath_) : std::vector<xmlNode*>{};
    const int first = rr.from > 0 ? rr.from : flow_first_;
    const double h = mm(rr.row.h_mm);
    for (int i = 0; i < rr.count; ++i) {
      const size_t index = static_cast<size_t>(first + i);
      in_item_ = true;
      item_ = index <= items.size() ? items[index - 1] : nullptr;
      item_index_ = static_cast<int>(index);
      item_prefix_ = fields::naming::row_prefix(rr.path, item_index_);
      item_pattern_ = fields::naming::row_pattern(rr.path);
      row(rr.row, {x, y, w, h});
      y += h;
    }
    in_item_ = false;
    item_ = nullptr;
    item_prefix_.clear();
    item_pattern_.clear();
    return y;
  }

  void row(const Row& r, const Rect& box) {
    double fixed = 0;
    int flexible = 0;
    for (const auto& c : r.cells) {
      if (c.w_mm > 0)
        fixed += mm(c.w_mm);
      else
        ++flexible;
    }
    double rest = flexible ? std::max(0.0, (box.w - fixed) / flexible) : 0;
    double x = box.x;
    for (const auto& c : r.cells) {
      double w = c.w_mm > 0 ? mm(c.w_mm) : rest;
      cell(c, {x, box.y, w, box.h});
      x += w;
    }
  }

  // A static cell is replayed from the StaticDrawing, or recorded into one.
  void cell(const Cell& c, const Rect& box) {
    const bool on_page = page_ && sink_ == &page_->ops;
    if (in_.statics && on_page) {
      if (const auto* kept = in_.statics->find(c, box)) {
        if (!kept->ops.empty()) {
          page_->spans.push_back({sink_->size(), kept->ops.size(), kept->serial.get()});
          page_->static_streams = &in_.statics->streams();
        }
        sink_->insert(sink_->end(), kept->ops.begin(), kept->ops.end());
        problems_.insert(problems_.end(), kept->problems.begin(), kept->problems.end());
        return;
      }
    }
    if (!in_.record || !on_page) return lay_out_cell(c, box);
    const unsigned long dependent = dependent_;
    const size_t ops = sink_->size(), problems = problems_.size();
    lay_out_cell(c, box);
    if (dependent_ != dependent) return;
    in_.record->keep(
        c, box,
        {{sink_->begin() + static_cast<std::ptrdiff_t>(ops), sink_->end()},
         {problems_.begin() + static_cast<std::ptrdiff_t>(problems), problems_.end()}});
  }

  void lay_out_cell(const Cell& c, const Rect& box) {
    if (c.border) stroke_rect(box, kThin);
    if (!c.rows.empty()) {
      double fixed = 0;
      int flexible = 0;
      for (const auto& r : c.rows) {
        if (r.h_mm > 0)
          fixed += mm(r.h_mm);
        else
          ++flexible;
      }
      double rest = flexible ? std::max(0.0, (box.h - fixed) / flexible) : 0;
      double y = box.y;
      for (const auto& r : c.rows) {
        double h = r.h_mm > 0 ? mm(r.h_mm) : rest;
        row(r, {box.x, y, box.w, h});
        y += h;
      }
      return;
    }
    content(c, box);
  }

  // ---- cell content --------------------------------------------------------
  // Text of a para: its items' printed text (labels, settings, fiscal years).
  std::string para_text(const Block& b) const {
    std::string s;
    for (const auto& it : b.items)
      if (auto t = it->para_text(*this)) s += *t;
    return s;
  }

  double line_height(const Style& s) const { return s.size * s.leading; }

  void content(const Cell& c, const Rect& box) {
    const Style& s = c.style;
    const double pad_x = mm(s.pad), pad_y = mm(s.pad) / 2;
    Rect inner{box.x + pad_x, box.y + pad_y, box.w - 2 * pad_x, box.h - 2 * pad_y};

    // Heights of the blocks; block fields (areas) share whatever is left.
    std::vector<double> heights;
    std::vector<std::vector<text::ShapedRun>> para_lines(c.blocks.size());
    double used = 0;
    int areas = 0;
    for (size_t i = 0; i < c.blocks.size(); ++i) {
      const Block& b = c.blocks[i];
      double h = 0;
      if (b.kind == Block::Kind::Line) {
        h = c.blocks.size() == 1 ? inner.h : line_height(s);
        for (const auto& it : b.items) h = std::max(h, it->line_height(s));
      } else if (b.kind == Block::Kind::Para) {
        if (drawing()) {
          std::string t = para_text(b);
          auto run = text::shape(*font(s), t);
          for (const auto& l : text::wrap_spans(run, t, s.size, inner.w))
            para_lines[i].push_back(text::shape_part(run, t, l.begin, l.end));
        }
        h = para_lines[i].size() * line_height(s);
      } else {
        ++areas;
      }
      heights.push_back(h);
      used += h;
    }
    if (used > inner.h + 0.5) {
      overflow("", c.line,
               "static content needs " + std::to_string(static_cast<int>(used / kPointsPerMm)) +
                   " mm but the cell is " +
                   std::to_string(static_cast<int>(inner.h / kPointsPerMm)) + " mm high");
    }
    double area_h = areas ? std::max(0.0, (inner.h - used) / areas) : 0;
    double total = areas ? inner.h : used;
    double y = s.valign_top || areas ? inner.y : inner.y + (inner.h - total) / 2;
    for (size_t i = 0; i < c.blocks.size(); ++i) {
      const Block& b = c.blocks[i];
      if (b.kind == Block::Kind::Line) {
        line(b, s, {inner.x, y, inner.w, heights[i]});
        y += heights[i];
      } else if (b.kind == Block::Kind::Para) {
        for (auto& l : para_lines[i]) {
          draw_run(std::move(l), inner.x, y, line_height(s), s.size);
          y += line_height(s);
        }
      } else {
        b.field->draw(*this, s, {}, {inner.x, y, inner.w, area_h});
        y += area_h;
      }
    }
  }

  // A line of inline items: each measured, free width shared by the items
  // that fill, aligned as the style says, then each drawn in its slot.
  void line(const Block& b, const Style& s, const Rect& box) {
    std::vector<fields::Measured> ms;
    double fixed = 0;
    int fills = 0;
    for (const auto& it : b.items) {
      ms.push_back(it->measure(*this, s));
      if (ms.back().fill) {
        ms.back().width = 0;
        ++fills;
      }
      fixed += ms.back().width;
    }
    const double free = box.w - fixed;
    if (free < -0.5 && drawing()) {
      overflow("", b.line,
               "line content is " +
                   std::to_string(static_cast<int>((fixed - box.w) / kPointsPerMm + 1)) +
                   " mm wider than its cell");
    }
    if (fills) {
      for (auto& m : ms)
        if (m.fill) m.width = std::max(0.0, free / fills);
    }
    double total = 0;
    for (auto& m : ms) total += m.width;
    double x = box.x;
    if (s.align == Align::Center)
      x += (box.w - total) / 2;
    else if (s.align == Align::Right)
      x += box.w - total;
    for (size_t i = 0; i < ms.size(); ++i) {
      b.items[i]->draw(*this, s, ms[i], {x, box.y, ms[i].width, box.h});
      x += ms[i].width;
    }
  }
};

}  // namespace

// ---- SerialCache -----------------------------------------------------------
std::shared_ptr<const SerialCache::Bytes> SerialCache::find(std::string_view key) const {
  std::lock_guard lock(mu_);
  for (const auto& b : kept_)
    if (b->key == key) return b;
  return nullptr;
}

void SerialCache::keep(std::shared_ptr<const Bytes> bytes) const {
  std::lock_guard lock(mu_);
  if (kept_.size() >= max_) return;
  for (const auto& b : kept_)
    if (b->key == bytes->key) return;
  kept_.push_back(std::move(bytes));
}

std::size_t SerialCache::size() const {
  std::lock_guard lock(mu_);
  return kept_.size();
}

// ---- StaticDrawing ---------------------------------------------------------
StaticDrawing::StaticDrawing() { text::KeptRegistry<StaticDrawing>::add(this); }

StaticDrawing::~StaticDrawing() { text::KeptRegistry<StaticDrawing>::remove(this); }

std::size_t StaticDrawing::Hash::operator()(const Key& k) const {
  // The doubles' bits mixed in (std::hash<double> hashes their bytes: a
  // look-up per cell of every document).
  std::uint64_t h = reinterpret_cast<std::uintptr_t>(k.cell);
  for (double v : {k.x, k.y, k.w, k.h})
    h = (h ^ std::bit_cast<std::uint64_t>(v + 0.0)) * 0x100000001b3u;
  return static_cast<std::size_t>(h ^ (h >> 29));
}

const StaticDrawing::Entry* StaticDrawing::find(const Cell& cell, const Rect& box) const {
  auto it = cells_.find({&cell, box.x, box.y, box.w, box.h});
  return it == cells_.end() ? nullptr : &it->second;
}

void StaticDrawing::keep(const Cell& cell, const Rect& box, Entry entry) {
  cells_.emplace(Key{&cell, box.x, box.y, box.w, box.h}, std::move(entry));
}

bool StaticDrawing::holds(std::string_view utf8) const {
  for (const auto& [key, entry] : cells_) {
    for (const auto& op : entry.ops) {
      const auto* t = std::get_if<TextOp>(&op);
      if (!t) continue;
      std::string drawn;
      for (const auto& g : t->run.glyphs) drawn += g.text;
      if (drawn.find(utf8) != std::string::npos) return true;
    }
  }
  return false;
}

bool drawing_is_kept(std::string_view utf8) {
  return text::KeptRegistry<StaticDrawing>::any_holds(utf8);
}

LaidOutDocument lay_out(const LayoutInput& in, std::vector<Diagnostic>& problems) {
  return Layouter(in, problems).run();
}

LaidOutDocument blank_widgets(const Template& t, const xml::XPathEnv* functions) {
  LayoutInput in;
  in.tmpl = &t;
  in.fillable = true;
  in.functions = functions;
  std::vector<Diagnostic> ignored;  // a blank form without fonts measures nothing
  return lay_out(in, ignored);
}

std::vector<fields::Binding> field_bindings(const Template& t, const xml::XPathEnv* functions) {
  const LaidOutDocument blank = blank_widgets(t, functions);
  std::vector<fields::Binding> out;
  std::map<std::string, size_t> index;  // field name (with [#]) → entry
  for (const auto& page : blank.pages) {
    for (const auto& f : page.fields) {
      auto [at, added] = index.emplace(f.binding.field, out.size());
      if (added) out.push_back({f.binding.item, f.binding.field, f.binding.path, {}, {}});
      if (f.kind != FieldSpec::Kind::Choice) continue;
      auto& b = out[at->second];
      if (std::find(b.states.begin(), b.states.end(), f.on) == b.states.end())
        b.states.push_back(f.on);
      if (!f.radio) continue;
      // A state names one option: a filler selecting it by name (pdf-lib's
      // select, pypdf's update) must mark that option and no other.
      const std::string& state = f.state.empty() ? f.on : f.state;
      if (!b.state_values.emplace(state, f.on).second)
        throw Error(ErrorKind::InvalidInput,
                    {{Severity::Error, "template.radio-state",
                      "radio field " + f.name + ": two options have the state '" + state +
                          "'; give each its own state=",
                      t.path, f.binding.item ? f.binding.item->line : 0}});
    }
  }
  return out;
}

}  // namespace yoshiki::layout
