// calendar — <calendar from= to= days= date= mark= set= weeks=>: a ruled
// week-by-week grid (Sunday first) of a period, one cell per day, where the
// mark of each day in the data (○, ×) is printed; days outside the period
// are struck through. In fillable output every cell is a text widget named
// "days#n" (n = 1-based cell from the grid's first Sunday), so that a blank
// form's cells can be typed before the period is known. Read-back turns
// typed marks into day elements, dated from the period's first day.
#include <algorithm>
#include <map>

#include "fields/common.h"
#include "fields/naming.h"
#include "pdf/read/reader.h"
#include "text/wareki.h"
#include "xml/data_path.h"

namespace yoshiki::fields {
namespace {

using layout::mm;

// ○ and × as people type them.
std::string normalize_mark(const std::string& typed) {
  static const char* const kCircles[] = {"○", "〇", "◯", "o", "O", "ｏ", "Ｏ", "◎"};
  static const char* const kCrosses[] = {"×", "x", "X", "ｘ", "Ｘ", "✕", "✖", "☓", "✗", "╳"};
  const std::string t = xml::trim(typed);
  for (const char* c : kCircles)
    if (t == c) return "○";
  for (const char* c : kCrosses)
    if (t == c) return "×";
  return t;
}

class Calendar final : public Item {
 public:
  double x_mm = 0, y_mm = 0, w_mm = 0, h_mm = 0;
  int weeks = 5;
  std::shared_ptr<xml::XPath> from, to;  // the period's first and last day (ISO)
  std::shared_ptr<xml::XPath> days;      // the day elements, from the root: a simple path
  std::shared_ptr<xml::XPath> date;      // from a day: its ISO date
  std::shared_ptr<xml::XPath> mark;      // from a day: its mark, derived or explicit
  std::string set;                       // child of a day a typed mark goes to
  std::string label;                     // tooltip prefix of the cells' fields
  Style style;

  const char* type() const override { return "calendar"; }

  Rect place(Canvas& c) const override {
    const Rect box{mm(x_mm), mm(y_mm), mm(w_mm), mm(h_mm)};
    const Style& s = style;
    const double head_h = std::min(mm(4.5), box.h / (weeks + 1));
    const double cw = box.w / 7, rh = (box.h - head_h) / weeks;
    static const char* const kWeekdays[] = {"日", "月", "火", "水", "木", "金", "土"};
    for (int d = 0; d < 7; ++d) {
      const Rect head{box.x + d * cw, box.y, cw, head_h};
      stroke(c, head, kThin);
      draw_centred(c, s, kWeekdays[d], head, s.size);
    }
    // The period and the marks, by day number.
    auto parse_day = [&](const std::string& v) -> std::optional<long> {
      auto d = text::parse_iso_date(v);
      if (!d) return std::nullopt;
      return text::days_from_civil(*d);
    };
    const auto first = parse_day(c.value(from.get())), last = parse_day(c.value(to.get()));
    const bool dated = first && last && *first <= *last;
    long anchor = 0;
    if (dated) {
      anchor = *first - text::weekday(text::civil_from_days(*first));
      const long needed = (*last - anchor) / 7 + 1;
      if (needed > weeks) {
        c.overflow(days->text(), line,
                   "the period needs " + std::to_string(needed) + " weeks but the calendar has " +
                       std::to_string(weeks));
      }
    }
    std::map<long, std::string> marks;
    if (dated) {
      for (xmlNode* day : c.nodes(*days))
        if (auto d = parse_day(c.value_at(*date, day))) marks[*d] = c.value_at(*mark, day);
    }
    const double date_size = s.size * 0.75;
    const double mark_size = std::min(s.size * 1.6, rh * 0.62);
    for (int n = 0; n < 7 * weeks; ++n) {
      const Rect cell{box.x + (n % 7) * cw, box.y + head_h + (n / 7) * rh, cw, rh};
      stroke(c, cell, kThin);
      const long day = anchor + n;
      std::string tooltip = (label.empty() ? days->text() : label) + " / ";
      Rect target = cell;
      if (dated) {
        if (day < *first || day > *last) {
          // The diagonal through a cell that is not part of the period.
          c.draw(layout::LineOp{cell.x, cell.y + cell.h, cell.x + cell.w, cell.y, kThin * 0.6});
          continue;
        }
        const auto cd = text::civil_from_days(day);
        const bool with_month = day == *first || cd.day == 1;
        const std::string shown = with_month
                                      ? std::to_string(cd.month) + "/" + std::to_string(cd.day)
                                      : std::to_string(cd.day);
        c.text(s, shown, cell.x + mm(0.6), cell.y + mm(0.3), date_size, date_size);
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
          widget_spec(FieldSpec::Kind::Text, naming::calendar_cell(days->text(), n + 1), tooltip,
                      target, v, mark_size);
      spec.binding.item = this;
      spec.centred = true;
      c.widget(std::move(spec), [&] { draw_centred(c, s, v, target, mark_size); });
    }
    return box;
  }

  // Typed marks back into day elements. A mark (○ or ×, also 〇 o x ✕ …)
  // that the day's own data gives anyway (the mark XPath) changes nothing;
  // another mark becomes the day's explicit mark; an emptied cell removes
  // its day; a mark on a day the data lacks adds the day. Differences from
  // the attached data are info notes.
  void complete(ReadBackDocument& rb) const override {
    const std::string days_path = days->text(), date_child = date->text();
    xmlNode* root = xmlDocGetRootElement(rb.doc);
    const bool had_base = rb.pdf.attachments.count("data.xml") > 0;  // else every mark is new
    std::map<int, std::string> typed;                                // cell → mark
    for (int n = 1; n <= 7 * weeks; ++n) {
      auto it = rb.pdf.text.find(naming::calendar_cell(days_path, n));
      if (it != rb.pdf.text.end()) typed[n] = normalize_mark(it->second);
    }
    if (typed.empty()) return;
    xml::XPathContext ctx(rb.doc, rb.functions);
    auto first = text::parse_iso_date(from->string(ctx));
    if (!first) {
      bool any = false;
      for (const auto& [n, v] : typed) any |= !v.empty();
      if (any) {
        rb.notes.push_back(
            {Severity::Warning, "extract.calendar",
             "calendar marks cannot be dated without the period's first day; they are left out",
             rb.source, 0, 0, "/" + std::string(xml::name(root)) + "/" + days_path});
        rb.notes.back().message_ja =
            "期間の初日がないため、カレンダーの印の日付が分かりません。印は読み込みません。";
      }
      return;
    }
    const long anchor = text::days_from_civil(*first) - text::weekday(*first);
    // The days the data already has, by date.
    std::map<std::string, xmlNode*> existing;
    for (xmlNode* day : xml::XPath(days_path, rb.source).nodes(ctx))
      existing[xml::trim(date->string(ctx, day))] = day;
    const auto slash = days_path.rfind('/');
    const std::string parent_path = slash == std::string::npos ? "" : days_path.substr(0, slash);
    const std::string leaf = slash == std::string::npos ? days_path : days_path.substr(slash + 1);
    for (const auto& [n, typed_mark] : typed) {
      const std::string iso = text::format_iso_date(text::civil_from_days(anchor + n - 1));
      auto found = existing.find(iso);
      const std::string where = "/" + std::string(xml::name(root)) + "/" + days_path + "[" +
                                date_child + "='" + iso + "']";
      if (found == existing.end()) {
        if (typed_mark.empty()) continue;
        xmlNode* parent = parent_path.empty() ? root : xml::make_path(root, parent_path);
        xmlNode* day = xmlNewChild(parent, nullptr, BAD_CAST leaf.c_str(), nullptr);
        xmlNewTextChild(day, nullptr, BAD_CAST date_child.c_str(), BAD_CAST iso.c_str());
        xmlNewTextChild(day, nullptr, BAD_CAST set.c_str(), BAD_CAST typed_mark.c_str());
        if (had_base) rb.notes.push_back(field_wins(rb.source, where));
        continue;
      }
      xmlNode* day = found->second;
      if (typed_mark.empty()) {
        xml::remove(day);
        rb.notes.push_back(field_wins(rb.source, where));
        continue;
      }
      if (xml::trim(mark->string(ctx, day)) == typed_mark) continue;  // what the day's data gives
      xmlNode* explicit_mark = xml::nth_child(day, set, 1);
      if (explicit_mark)
        xml::set_text(explicit_mark, typed_mark);
      else
        xmlNewTextChild(day, nullptr, BAD_CAST set.c_str(), BAD_CAST typed_mark.c_str());
      rb.notes.push_back(field_wins(rb.source, where));
    }
    // Days in date order: those added by a mark stand among the others, not
    // after them (a day whose date cannot be read keeps its place at the end).
    xmlNode* parent = parent_path.empty() ? root : xml::find_path(root, parent_path);
    if (!parent) return;
    std::vector<std::pair<std::string, xmlNode*>> dated;
    for (xmlNode* day : xml::children(parent, leaf.c_str())) {
      std::string iso = xml::trim(date->string(ctx, day));
      dated.emplace_back(text::parse_iso_date(iso) ? iso : "~", day);  // "~" sorts last
    }
    std::stable_sort(dated.begin(), dated.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [iso, day] : dated) {
      xmlUnlinkNode(day);
      xmlAddChild(parent, day);
    }
  }
};

}  // namespace

FieldType calendar_type() {
  return {"calendar",
          "",
          "",
          Placement::Page,
          "fields/calendar.xsd",
          [](const xmlNode* n, const TemplateReader& r, const Style& parent) {
            auto c = std::make_shared<Calendar>();
            c->line = xml::line(n);
            c->x_mm = r.number(n, "x", 0);
            c->y_mm = r.number(n, "y", 0);
            c->w_mm = r.number(n, "w", 0);
            c->h_mm = r.number(n, "h", 0);
            c->weeks = static_cast<int>(r.number(n, "weeks", 5));
            c->from = r.xpath(n, xml::attr(n, "from"));
            c->to = r.xpath(n, xml::attr(n, "to"));
            c->days = r.xpath(n, xml::attr(n, "days"));
            c->date = r.xpath(n, xml::attr(n, "date", "date"));
            c->mark = r.xpath(n, xml::attr(n, "mark"));
            c->set = xml::attr(n, "set", "mark");
            c->label = xml::attr(n, "label");
            c->style = r.style(n, parent);
            return std::shared_ptr<const Item>(std::move(c));
          }};
}

}  // namespace yoshiki::fields
