#include "layout/layout.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "text/linebreak.h"
#include "text/wareki.h"

namespace yoshiki::layout {
namespace {

constexpr double kThin = 0.5;        // ruled lines, points
constexpr double kMinSize = 6.0;     // smallest text size when shrinking data
constexpr double kOptionPad = 0.35;  // em on each side of a circled option

struct Rect {
  double x, y, w, h;
};

class Layouter {
 public:
  Layouter(const LayoutInput& in, std::vector<Diagnostic>& problems)
      : in_(in), problems_(problems) {
    if (in_.data) xpath_ = std::make_unique<xml::XPathContext>(in_.data, in_.functions);
  }

  LaidOutDocument run() {
    LaidOutDocument doc;
    doc.title = in_.tmpl->title;
    doc.form_id = in_.tmpl->id;
    doc.form_version = in_.tmpl->version;
    for (const auto& tp : in_.tmpl->pages) {
      const int copies = copies_of(tp);
      for (int k = 0; k < copies; ++k) {
        flow_first_ = tp.flow ? tp.flow->from + k * tp.flow->per_page : 1;
        doc.pages.push_back(page(tp));
      }
    }
    return doc;
  }

 private:
  const LayoutInput& in_;
  std::vector<Diagnostic>& problems_;
  std::unique_ptr<xml::XPathContext> xpath_;  // one context for all bindings of this render
  Page* page_ = nullptr;
  std::vector<DrawOp>* sink_ = nullptr;  // where drawing goes: the page, or a field's appearance
  // Repeated rows: the item the current row shows (null past the data's
  // last item), and the prefix path[index]/ of its field names.
  int flow_first_ = 1;  // index of the first item the current (continuation) page shows
  bool in_item_ = false;
  xmlNode* item_ = nullptr;
  std::string item_prefix_;

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
    for (const auto& c : tp.calendars) placed.emplace_back(calendar(c), c.line);
    check_overlaps(placed, page);
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

  // Draws what `draw` draws into a new field's appearance (fillable output)
  // or onto the page (flat output).
  template <typename Draw>
  void field(FieldSpec spec, Draw&& draw) {
    if (!in_.fillable) {
      draw();
      return;
    }
    auto* saved = sink_;
    sink_ = &spec.appearance;
    draw();
    sink_ = saved;
    page_->fields.push_back(std::move(spec));
  }
  std::string name_of(const Inline& it) const {
    return it.path ? item_prefix_ + it.path->text() : "";
  }

  // ---- data access -------------------------------------------------------
  std::string value(const std::shared_ptr<xml::XPath>& p) const {
    if (!p || !xpath_ || (in_item_ && !item_)) return "";
    auto v = p->strings(*xpath_, item_);
    return v.empty() ? "" : v.front();
  }
  bool selected(const Inline& it) const {
    return it.test && xpath_ && !(in_item_ && !item_) && it.test->boolean(*xpath_, item_);
  }
  std::string setting(const Inline& item) const {
    if (in_.settings) {
      auto it = in_.settings->find(item.text);
      if (it != in_.settings->end() && !it->second.empty()) return it->second;
    }
    return item.fallback;
  }

  void overflow(const std::string& field, int line, const std::string& msg) {
    problems_.push_back({Severity::Error, "layout.overflow", msg, in_.tmpl->path, line, 0, field});
  }

  const text::Font& font(const Style& s) const { return in_.fonts->role(s.font); }

  // ---- drawing -------------------------------------------------------------
  void stroke_rect(const Rect& r, double width) {
    sink_->push_back(RectOp{r.x, r.y, r.w, r.h, width});
  }

  // Baseline that centres the em box of `size` vertically in [top, top+h].
  double baseline(const text::Font& f, double top, double h, double size) const {
    const auto& m = f.metrics();
    double asc = static_cast<double>(m.ascender) / (m.ascender - m.descender);
    return top + (h - size) / 2 + asc * size;
  }

  void draw_text(const text::Font& f, const std::string& s, double x, double top, double h,
                 double size) {
    if (s.empty()) return;
    TextOp op;
    op.x = x;
    op.size = size;
    op.baseline = baseline(f, top, h, size);
    op.run = text::shape(f, s);
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
      item_prefix_ = rr.path + "[" + std::to_string(index) + "]/";
      row(rr.row, {x, y, w, h});
      y += h;
    }
    in_item_ = false;
    item_ = nullptr;
    item_prefix_.clear();
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

  void cell(const Cell& c, const Rect& box) {
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
  struct Measured {
    const Inline* item;
    double width = 0;
    std::string text;  // resolved text (labels, settings, values)
  };

  // Text of a para: literal text with settings and fiscal years resolved.
  std::string para_text(const Block& b) const {
    std::string s;
    for (const auto& it : b.items) {
      if (it.kind == Inline::Kind::Text)
        s += it.text;
      else if (it.kind == Inline::Kind::Setting)
        s += setting(it);
      else if (it.kind == Inline::Kind::FiscalYear)
        s += fiscal_year(it);
    }
    return s;
  }

  std::string fiscal_year(const Inline& it) const {
    auto d = text::parse_iso_date(value(it.path));
    if (!d) return it.blank_era + "\u3000\u3000年度";
    int fy = (d->month >= 4 ? d->year : d->year - 1) + it.offset;
    // The year is named in the era current on the fiscal year's first day.
    auto e = text::to_era({fy, 4, 1});
    if (!e) return std::to_string(fy) + "年度";  // before 明治: no era to name it in
    return e->era + text::era_year_text(e->year) + "年度";
  }

  double line_height(const Style& s) const { return s.size * s.leading; }

  void content(const Cell& c, const Rect& box) {
    const Style& s = c.style;
    const double pad_x = mm(s.pad), pad_y = mm(s.pad) / 2;
    Rect inner{box.x + pad_x, box.y + pad_y, box.w - 2 * pad_x, box.h - 2 * pad_y};
    const text::Font& f = font(s);

    // Heights of the blocks; an area takes whatever is left.
    std::vector<double> heights;
    std::vector<std::vector<std::string>> para_lines(c.blocks.size());
    double used = 0;
    int areas = 0;
    for (size_t i = 0; i < c.blocks.size(); ++i) {
      const Block& b = c.blocks[i];
      double h = 0;
      if (b.kind == Block::Kind::Line) {
        h = c.blocks.size() == 1 ? inner.h : line_height(s);
        h = std::max(h, digit_box_size(s) * digits_in(b));
      } else if (b.kind == Block::Kind::Para) {
        std::string t = para_text(b);
        auto run = text::shape(f, t);
        para_lines[i] = text::wrap(run, t, s.size, inner.w);
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
        for (const auto& l : para_lines[i]) {
          draw_text(f, l, inner.x, y, line_height(s), s.size);
          y += line_height(s);
        }
      } else {
        area(b, s, {inner.x, y, inner.w, area_h});
        y += area_h;
      }
    }
  }

  static int digits_in(const Block& b) {
    for (const auto& it : b.items)
      if (it.kind == Inline::Kind::Digits) return 1;
    return 0;
  }
  double digit_box_size(const Style& s) const { return s.size * 1.4; }

  // Widths of the date layout "令和 ６ 年 ４ 月 １ 日": era, year, month, day slots.
  struct DateSlots {
    double era, num, unit;
  };
  DateSlots date_slots(const Style& s) const { return {s.size * 2.2, s.size * 1.5, s.size * 1.05}; }

  void line(const Block& b, const Style& s, const Rect& box) {
    const text::Font& f = font(s);
    std::vector<Measured> ms;
    double fixed = 0;
    int fills = 0;
    for (const auto& it : b.items) {
      Measured m{&it, 0, {}};
      switch (it.kind) {
        case Inline::Kind::Text:
          m.text = it.text;
          m.width = text::shape(f, m.text).width(s.size);
          break;
        case Inline::Kind::Setting:
          m.text = setting(it);
          m.width = text::shape(f, m.text).width(s.size);
          break;
        case Inline::Kind::FiscalYear:
          m.text = fiscal_year(it);
          m.width = text::shape(f, m.text).width(s.size);
          break;
        case Inline::Kind::Option:
          m.text = it.text;
          m.width = text::shape(f, m.text).width(s.size) + 2 * kOptionPad * s.size;
          break;
        case Inline::Kind::Value:
          m.text = value(it.path);
          if (it.fill)
            ++fills;
          else
            m.width = it.width_mm > 0 ? mm(it.width_mm) : text::shape(f, m.text).width(s.size);
          break;
        case Inline::Kind::Date: {
          if (it.month_day) {
            m.text = value(it.path);
            if (it.fill)
              ++fills;
            else
              m.width = mm(it.width_mm);
            break;
          }
          auto d = date_slots(s);
          m.width = d.era + 3 * (d.num + d.unit);
          m.text = value(it.path);
          break;
        }
        case Inline::Kind::Digits:
          m.width = it.count * digit_box_size(s);
          m.text = value(it.path);
          break;
        case Inline::Kind::Gap:
        case Inline::Kind::Box:
          m.width = mm(it.width_mm);
          m.text = it.path ? value(it.path) : "";
          break;
      }
      fixed += m.width;
      ms.push_back(std::move(m));
    }
    const double free = box.w - fixed;
    if (free < -0.5) {
      overflow("", b.line,
               "line content is " +
                   std::to_string(static_cast<int>((fixed - box.w) / kPointsPerMm + 1)) +
                   " mm wider than its cell");
    }
    if (fills) {
      for (auto& m : ms)
        if (m.item->fill) m.width = std::max(0.0, free / fills);
    }
    double total = 0;
    for (auto& m : ms) total += m.width;
    double x = box.x;
    if (s.align == Align::Center)
      x += (box.w - total) / 2;
    else if (s.align == Align::Right)
      x += box.w - total;

    for (const auto& m : ms) {
      const Inline& it = *m.item;
      switch (it.kind) {
        case Inline::Kind::Text:
        case Inline::Kind::Setting:
        case Inline::Kind::FiscalYear:
          draw_text(f, m.text, x, box.y, box.h, s.size);
          break;
        case Inline::Kind::Option: {
          draw_text(f, m.text, x + kOptionPad * s.size, box.y, box.h, s.size);
          EllipseOp mark{x + m.width / 2, box.y + box.h / 2, m.width / 2 - 0.05 * s.size,
                         s.size * 0.6, 0.7};  // 1.2 em high: clear of the lines above and below
          const bool on = selected(it);
          if (in_.fillable && !it.field.empty()) {
            // The mark is the "on" appearance of a radio button / check box
            // over the printed label.
            FieldSpec spec;
            spec.kind = FieldSpec::Kind::Choice;
            spec.name = item_prefix_ + (it.multi ? it.field + "#" + it.on : it.field);
            spec.label = it.label.empty() ? it.field : it.label;
            spec.on = it.on;
            spec.radio = !it.multi;
            spec.selected = on;
            spec.x = x;
            spec.y = mark.cy - mark.ry - 1;
            spec.w = m.width;
            spec.h = 2 * mark.ry + 2;
            spec.appearance.push_back(mark);
            page_->fields.push_back(std::move(spec));
          } else if (on) {
            sink_->push_back(mark);
          }
          break;
        }
        case Inline::Kind::Value: {
          Rect r{x, box.y, m.width, box.h};
          field(text_field(it, m.text, s, r, FieldSpec::Kind::Text),
                [&] { value_in_box(it, m.text, s, r); });
          break;
        }
        case Inline::Kind::Date: {
          Rect r{x, box.y, m.width, box.h};
          if (it.month_day) {
            month_day(it, m.text, s, r);
            break;
          }
          auto spec = text_field(it, m.text, s, r, FieldSpec::Kind::Date);
          // The field holds the date as printed (和暦); extraction reads either form.
          if (auto d = text::parse_iso_date(m.text)) spec.value = text::format_wareki(*d);
          field(std::move(spec), [&] { date(it, m.text, s, r); });
          break;
        }
        case Inline::Kind::Digits:
          digits(it, m.text, s, {x, box.y, m.width, box.h});
          break;
        case Inline::Kind::Box: {
          Rect r{x, box.y + box.h / 2 - s.size * 0.75, m.width, s.size * 1.5};
          stroke_rect(r, kThin);
          if (it.path) {
            auto spec = text_field(it, m.text, s, r, FieldSpec::Kind::Text);
            spec.centred = true;
            field(std::move(spec), [&] {
              value_in_box(it, m.text, s, {x, box.y, m.width, box.h});
            });
          }
          break;
        }
        case Inline::Kind::Gap:
          break;
      }
      x += m.width;
    }
  }

  static FieldSpec make_field(FieldSpec::Kind kind, const std::string& name,
                              const std::string& label, const Rect& r, const std::string& v,
                              double size) {
    FieldSpec spec;
    spec.kind = kind;
    spec.name = name;
    spec.label = label.empty() ? name : label;
    spec.x = r.x;
    spec.y = r.y;
    spec.w = r.w;
    spec.h = r.h;
    spec.value = v;
    spec.size = size;
    return spec;
  }

  FieldSpec text_field(const Inline& it, const std::string& v, const Style& s, const Rect& r,
                       FieldSpec::Kind kind) const {
    FieldSpec spec = make_field(kind, name_of(it), it.label, r, v, s.size);
    spec.centred = it.align == Align::Center;
    return spec;
  }

  // A data value in a fixed box: shrink to fit one line, then wrap, else report.
  void value_in_box(const Inline& it, const std::string& v, const Style& s, const Rect& box) {
    if (v.empty()) return;
    const text::Font& f = font(s);
    text::FitBox fb{box.w, box.h, s.size, it.min_size > 0 ? it.min_size : kMinSize, 1.15};
    auto fit = text::fit_shrink_then_wrap(f, v, fb);
    if (!fit.fits) {
      overflow(name_of(it), it.line,
               "value does not fit its " + std::to_string(static_cast<int>(box.w / kPointsPerMm)) +
                   " mm box even at " + std::to_string(static_cast<int>(fb.min_size)) + " pt");
    }
    draw_lines(f, fit, box, it.align, 1.15);
  }

  void draw_lines(const text::Font& f, const text::FitResult& fit, const Rect& box, Align a,
                  double leading) {
    double lh = fit.size * leading;
    double total = fit.lines.empty() ? 0 : (fit.lines.size() - 1) * lh + fit.size;
    double top = box.y + (box.h - total) / 2;
    for (const auto& l : fit.lines) {
      double w = text::shape(f, l).width(fit.size);
      double x = box.x;
      if (a == Align::Center)
        x += (box.w - w) / 2;
      else if (a == Align::Right)
        x += box.w - w;
      draw_text(f, l, x, top, fit.size, fit.size);
      top += lh;
    }
  }

  void area(const Block& b, const Style& s, const Rect& box) {
    std::string v = value(b.path);
    field(make_field(FieldSpec::Kind::Multiline, item_prefix_ + b.path->text(), b.label, box, v,
                     s.size),
          [&] { area_text(b, v, s, box); });
  }

  void area_text(const Block& b, const std::string& v, const Style& s, const Rect& box) {
    if (v.empty()) return;
    const text::Font& f = font(s);
    text::FitBox fb{box.w, box.h, s.size + 1, b.min_size > 0 ? b.min_size : kMinSize, s.leading};
    auto fit = text::fit_wrapped(f, v, fb);
    if (!fit.fits) {
      overflow(item_prefix_ + b.path->text(), b.line,
               "text does not fit its area even at " +
                   std::to_string(static_cast<int>(fb.min_size)) + " pt (" +
                   std::to_string(fit.lines.size()) + " lines needed)");
    }
    double lh = fit.size * s.leading;
    double y = box.y;
    for (const auto& l : fit.lines) {
      draw_text(f, l, box.x, y, lh, fit.size);
      y += lh;
    }
  }

  void date(const Inline& it, const std::string& v, const Style& s, const Rect& box) {
    const text::Font& f = font(s);
    auto slots = date_slots(s);
    std::string era = it.blank_era, y, m, d;
    if (auto cd = text::parse_iso_date(v)) {
      if (auto e = text::to_era(*cd)) {
        era = e->era;
        y = text::era_year_text(e->year);
        m = std::to_string(e->month);
        d = std::to_string(e->day);
      }
    }
    double x = box.x;
    auto centred = [&](const std::string& t, double w) {
      if (!t.empty())
        draw_text(f, t, x + (w - text::shape(f, t).width(s.size)) / 2, box.y, box.h, s.size);
      x += w;
    };
    centred(era, slots.era);
    const char* units[] = {"年", "月", "日"};
    const std::string* nums[] = {&y, &m, &d};
    for (int i = 0; i < 3; ++i) {
      centred(*nums[i], slots.num);
      centred(units[i], slots.unit);
    }
  }

  // ---- calendars -----------------------------------------------------------
  // The period's days in week rows under the weekday names; each day's mark
  // (the template's XPath, evaluated on the day element) centred in its cell
  // under a small date. Days outside the period are struck through.
  Rect calendar(const Calendar& c) {
    const Rect box{mm(c.x_mm), mm(c.y_mm), mm(c.w_mm), mm(c.h_mm)};
    const Style& s = c.style;
    const text::Font& f = font(s);
    const double head_h = std::min(mm(4.5), box.h / (c.weeks + 1));
    const double cw = box.w / 7, rh = (box.h - head_h) / c.weeks;
    static const char* const kWeekdays[] = {"日", "月", "火", "水", "木", "金", "土"};
    for (int d = 0; d < 7; ++d) {
      const Rect head{box.x + d * cw, box.y, cw, head_h};
      stroke_rect(head, kThin);
      draw_centred(f, kWeekdays[d], head, s.size);
    }
    // The period and the marks, by day number.
    auto parse_day = [&](const std::string& v) -> std::optional<long> {
      auto d = text::parse_iso_date(v);
      if (!d) return std::nullopt;
      return text::days_from_civil(*d);
    };
    const auto first = parse_day(value(c.from)), last = parse_day(value(c.to));
    const bool dated = first && last && *first <= *last;
    long anchor = 0;
    if (dated) {
      anchor = *first - text::weekday(text::civil_from_days(*first));
      const long weeks = (*last - anchor) / 7 + 1;
      if (weeks > c.weeks) {
        overflow(c.days->text(), c.line,
                 "the period needs " + std::to_string(weeks) + " weeks but the calendar has " +
                     std::to_string(c.weeks));
      }
    }
    std::map<long, std::string> marks;
    if (xpath_ && dated) {
      for (xmlNode* day : c.days->nodes(*xpath_))
        if (auto d = parse_day(c.date->string(*xpath_, day)))
          marks[*d] = c.mark->string(*xpath_, day);
    }
    const double date_size = s.size * 0.75;
    const double mark_size = std::min(s.size * 1.6, rh * 0.62);
    for (int n = 0; n < 7 * c.weeks; ++n) {
      const Rect cell{box.x + (n % 7) * cw, box.y + head_h + (n / 7) * rh, cw, rh};
      stroke_rect(cell, kThin);
      const long day = anchor + n;
      std::string tooltip = (c.label.empty() ? c.days->text() : c.label) + " / ";
      Rect target = cell;
      if (dated) {
        if (day < *first || day > *last) {
          strike(cell);
          continue;
        }
        const auto cd = text::civil_from_days(day);
        const bool with_month = day == *first || cd.day == 1;
        const std::string label = with_month
                                      ? std::to_string(cd.month) + "/" + std::to_string(cd.day)
                                      : std::to_string(cd.day);
        draw_text(f, label, cell.x + mm(0.6), cell.y + mm(0.3), date_size, date_size);
        tooltip += std::to_string(cd.month) + "月" + std::to_string(cd.day) + "日";
        target = {cell.x + cell.w * 0.2, cell.y + date_size, cell.w * 0.6,
                  cell.h - date_size - mm(0.3)};
      } else {
        tooltip += "第" + std::to_string(n / 7 + 1) + "週 " + kWeekdays[n % 7];
        target = {cell.x + cell.w * 0.2, cell.y + cell.h * 0.25, cell.w * 0.6, cell.h * 0.7};
      }
      auto it = marks.find(day);
      const std::string v = dated && it != marks.end() ? it->second : "";
      FieldSpec spec =
          make_field(FieldSpec::Kind::Text, c.days->text() + "#" + std::to_string(n + 1), tooltip,
                     target, v, mark_size);
      spec.centred = true;
      field(std::move(spec), [&] { draw_centred(f, v, target, mark_size); });
    }
    return box;
  }

  // The diagonal through a cell that is not part of the period.
  void strike(const Rect& r) {
    const LineOp diagonal{r.x, r.y + r.h, r.x + r.w, r.y, kThin * 0.6};
    sink_->emplace_back(std::in_place_type<LineOp>, diagonal);
  }

  void draw_centred(const text::Font& f, const std::string& t, const Rect& r, double size) {
    if (t.empty()) return;
    draw_text(f, t, r.x + (r.w - text::shape(f, t).width(size)) / 2, r.y, r.h, size);
  }

  // A log row's date: printed as month/day under the form's "/" (a blank
  // row shows the "/" alone); the fillable field holds the whole 和暦 date,
  // since month/day alone could not be read back.
  void month_day(const Inline& it, const std::string& v, const Style& s, const Rect& box) {
    auto spec = text_field(it, v, s, box, FieldSpec::Kind::Date);
    const auto d = text::parse_iso_date(v);
    if (d) spec.value = text::format_wareki(*d);
    std::string shown = spec.value;
    if (!in_.fillable)
      shown = d ? std::to_string(d->month) + "/" + std::to_string(d->day) : v.empty() ? "/" : v;
    field(std::move(spec), [&] { value_in_box(it, shown, s, box); });
  }

  void digits(const Inline& it, const std::string& v, const Style& s, const Rect& box) {
    const text::Font& f = font(s);
    std::string part = v;
    if (!it.split.empty() && it.part > 0) {
      size_t start = 0;
      for (int i = 1; i < it.part && start != std::string::npos; ++i) {
        start = v.find(it.split, start);
        if (start != std::string::npos) start += it.split.size();
      }
      if (start == std::string::npos)
        part.clear();
      else
        part = v.substr(start, v.find(it.split, start) - start);
    }
    // Split into characters (UTF-8 sequences).
    std::vector<std::string> chars;
    for (size_t i = 0; i < part.size();) {
      size_t n = 1;
      while (i + n < part.size() && (static_cast<unsigned char>(part[i + n]) & 0xC0) == 0x80) ++n;
      chars.push_back(part.substr(i, n));
      i += n;
    }
    if (static_cast<int>(chars.size()) > it.count) {
      overflow(name_of(it), it.line,
               "value has " + std::to_string(chars.size()) + " characters for " +
                   std::to_string(it.count) + " boxes");
    }
    const double cw = digit_box_size(s);
    const double top = box.y + (box.h - cw) / 2;
    for (int i = 0; i < it.count; ++i)
      stroke_rect({box.x + i * cw, top, cw, cw}, i == 0 ? kThin : kThin * 0.6);
    // The characters: a comb field of `count` cells over the boxes.
    FieldSpec spec =
        text_field(it, part, s, {box.x, top, it.count * cw, cw}, FieldSpec::Kind::Comb);
    if (!it.split.empty() && it.part > 0) spec.name += "#" + std::to_string(it.part);
    spec.max_len = it.count;
    field(std::move(spec), [&] {
      for (int i = 0; i < it.count && i < static_cast<int>(chars.size()); ++i) {
        double w = text::shape(f, chars[i]).width(s.size);
        draw_text(f, chars[i], box.x + i * cw + (cw - w) / 2, top, cw, s.size);
      }
    });
  }
};

}  // namespace

LaidOutDocument lay_out(const LayoutInput& in, std::vector<Diagnostic>& problems) {
  return Layouter(in, problems).run();
}

}  // namespace yoshiki::layout
