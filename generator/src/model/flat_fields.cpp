#include "model/flat_fields.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>
#include <unordered_map>

#include "fields/field_type.h"
#include "text/normalize.h"
#include "text/wareki.h"

namespace yoshiki::model {
namespace {

using layout::FieldSpec;

// A glyph of the template's own text: its text and the centre of its em box.
struct StaticGlyph {
  double x, y, size;
};
using StaticText = std::unordered_multimap<std::string, StaticGlyph>;

// poppler's character box spans the font's ascent to its descent: its
// centre sits about 0.38 em above the baseline in yoshiki's fonts.
constexpr double kCentreAboveBaseline = 0.38;
// Printing again may move text by a little (other metrics, rounding).
constexpr double kFieldTolerance = 2.0;  // points

StaticText static_text(const layout::Page& page) {
  StaticText out;
  for (const auto& op : page.ops) {
    const auto* t = std::get_if<layout::TextOp>(&op);
    if (!t || !t->run.font) continue;
    const double scale = t->size / t->run.font->metrics().units_per_em;
    double pen = 0;
    for (const auto& g : t->run.glyphs) {
      if (!g.text.empty() && g.text != " " && g.text != "\xE3\x80\x80")
        out.emplace(g.text, StaticGlyph{t->x + (pen + g.advance / 2.0) * scale,
                                        t->baseline - kCentreAboveBaseline * t->size, t->size});
      pen += g.advance;
    }
  }
  return out;
}

double cx(const pdf::PageChar& c) { return (c.x0 + c.x1) / 2; }
double cy(const pdf::PageChar& c) { return (c.y0 + c.y1) / 2; }

bool is_static(const StaticText& st, const pdf::PageChar& c) {
  auto [b, e] = st.equal_range(c.text);
  for (auto it = b; it != e; ++it) {
    const StaticGlyph& g = it->second;
    if (std::abs(g.x - cx(c)) <= 0.4 * g.size && std::abs(g.y - cy(c)) <= 0.5 * g.size) return true;
  }
  return false;
}

bool blank(const std::string& t) { return t.empty() || t == " " || t == "\xE3\x80\x80"; }
bool ascii_word(const std::string& t) {
  return t.size() == 1 && (std::isalnum(static_cast<unsigned char>(t[0])) || t[0] == '.' ||
                           t[0] == ',' || t[0] == '-' || t[0] == '@');
}

// Distance from (x, y) to the rectangle (0 inside).
double distance(const FieldSpec& f, double x, double y) {
  const double dx = std::max({f.x - x, 0.0, x - (f.x + f.w)});
  const double dy = std::max({f.y - y, 0.0, y - (f.y + f.h)});
  return std::hypot(dx, dy);
}

// Fields whose value is a run of characters without spaces: comb cells,
// code boxes, dates printed in slots.
bool packed(const FieldSpec& f) {
  if (f.kind == FieldSpec::Kind::Comb) return true;
  if (!f.binding.item) return false;
  const std::string type = f.binding.item->type();
  return type == "box" || type == "date" || type == "month-day" || type == "digits";
}
bool is_date(const FieldSpec& f) {
  if (!f.binding.item) return false;
  const std::string type = f.binding.item->type();
  return type == "date" || type == "month-day";
}

// The characters of one field as its widget would hold them: lines top to
// bottom, characters left to right; a gap poppler saw between words is a
// space (a full-width one when it is an em wide between non-ASCII text);
// lines the layout wrapped are joined again.
std::string join(std::vector<const pdf::PageChar*> cs, bool no_spaces) {
  std::sort(cs.begin(), cs.end(), [](auto* a, auto* b) { return cy(*a) < cy(*b); });
  std::vector<std::vector<const pdf::PageChar*>> lines;
  for (const auto* c : cs) {
    if (lines.empty() || cy(*c) - cy(*lines.back().front()) > 0.5 * (c->y1 - c->y0))
      lines.emplace_back();
    lines.back().push_back(c);
  }
  std::string out;
  const pdf::PageChar* prev = nullptr;
  for (auto& line : lines) {
    std::sort(line.begin(), line.end(), [](auto* a, auto* b) { return a->x0 < b->x0; });
    for (std::size_t i = 0; i < line.size(); ++i) {
      const pdf::PageChar* c = line[i];
      if (prev && !no_spaces) {
        const bool same_line = i > 0;
        if (same_line && prev->word != c->word) {
          const double gap = c->x0 - prev->x1, h = c->y1 - c->y0;
          out += gap >= 0.75 * h && !(ascii_word(prev->text) && ascii_word(c->text))
                     ? "\xE3\x80\x80"
                     : " ";
        } else if (!same_line && ascii_word(prev->text) && ascii_word(c->text)) {
          out += " ";
        }
      }
      out += c->text;
      prev = c;
    }
  }
  return out;
}

bool has_digit(const std::string& s) {
  for (char c : s)
    if (std::isdigit(static_cast<unsigned char>(c))) return true;
  // Full-width digits (０-９: EF BC 90…99) and 元 (year one).
  return s.find("\xEF\xBC") != std::string::npos || s.find("元") != std::string::npos;
}

// Whether the option's mark (layout::EllipseOp: a circle or a capsule) is
// drawn: points all along its outline must be dark in the page's rendering.
// The option's label stays inside it and no ruled line crosses it.
bool marked(const FieldSpec& f, const pdf::PageText& page) {
  const layout::EllipseOp* e = nullptr;
  for (const auto& op : f.appearance)
    if ((e = std::get_if<layout::EllipseOp>(&op))) break;
  if (!e || page.mask.empty()) return false;
  const double half = std::max(0.0, e->rx - e->ry);
  constexpr int kPoints = 24;
  int dark = 0;
  for (int i = 0; i < kPoints; ++i) {
    double x, y;
    const double t = 2 * M_PI * i / kPoints;
    x = e->cx + (std::cos(t) >= 0 ? half : -half) + e->ry * std::cos(t);
    y = e->cy + e->ry * std::sin(t);
    const int px = static_cast<int>(std::lround(x * pdf::kMaskScale));
    const int py = static_cast<int>(std::lround(y * pdf::kMaskScale));
    bool hit = false;
    for (int dy = -2; dy <= 2 && !hit; ++dy)
      for (int dx = -2; dx <= 2 && !hit; ++dx) hit = page.dark(px + dx, py + dy);
    dark += hit;
  }
  return dark >= kPoints * 5 / 6;
}

bool is_type(const FieldSpec& f, const char* type) {
  return f.binding.item && std::string(f.binding.item->type()) == type;
}

// A log row's date prints as month/day alone (fields/month_day.cpp): the
// year comes from the form's full dates. Rows are in date order: the first
// takes the year that puts it nearest the earliest full date, each next one
// the first year that keeps the order. Returns the fields left without one.
std::vector<std::string> complete_years(const std::vector<std::string>& month_days,
                                        const std::vector<std::string>& full_dates,
                                        std::map<std::string, std::string>& text) {
  std::optional<long> reference;
  for (const auto& name : full_dates)
    if (auto d = text::parse_date_as_typed(text::normalize_numeric(text[name])))
      reference =
          std::min(reference.value_or(text::days_from_civil(*d)), text::days_from_civil(*d));
  std::vector<std::string> unknown;
  std::optional<long> previous;
  for (const auto& name : month_days) {
    std::string& v = text[name];
    int month = 0, day = 0;
    char end = 0;
    const std::string n = text::normalize_numeric(v);
    if (n.empty() || std::sscanf(n.c_str(), "%d/%d%c", &month, &day, &end) != 2) continue;
    if (!reference) {
      unknown.push_back(name);
      continue;
    }
    const int year = text::civil_from_days(previous.value_or(*reference)).year;
    std::optional<long> best;
    for (int y = year - 1; y <= year + 1; ++y) {
      const text::CivilDate d{y, month, day};
      if (!text::is_valid_date(d)) continue;
      const long days = text::days_from_civil(d);
      const bool better =
          previous ? days >= *previous && (!best || days < *best)
                   : !best || std::labs(days - *reference) < std::labs(*best - *reference);
      if (better) best = days;
    }
    if (!best) continue;  // no such day: left as printed, for validation to report
    v = text::format_iso_date(text::civil_from_days(*best));
    previous = best;
  }
  return unknown;
}

Diagnostic note(Severity severity, std::string code, std::string en, std::string ja,
                const std::string& source, std::string field) {
  Diagnostic d(severity, std::move(code), std::move(en), source, 0, 0, std::move(field));
  d.message_ja = std::move(ja);
  return d;
}

}  // namespace

double static_text_match(const layout::LaidOutDocument& laid,
                         const std::vector<pdf::PageText>& pages) {
  std::size_t total = 0, found = 0;
  for (std::size_t p = 0; p < laid.pages.size(); ++p) {
    const StaticText st = static_text(laid.pages[p]);
    total += st.size();
    if (p >= pages.size()) continue;
    // Each static glyph found at its place counts once.
    std::set<const StaticGlyph*> seen;
    for (const auto& c : pages[p].chars) {
      auto [b, e] = st.equal_range(c.text);
      for (auto it = b; it != e; ++it) {
        const StaticGlyph& g = it->second;
        if (std::abs(g.x - cx(c)) <= 0.4 * g.size && std::abs(g.y - cy(c)) <= 0.5 * g.size &&
            seen.insert(&g).second)
          break;
      }
    }
    found += seen.size();
  }
  return total ? static_cast<double>(found) / static_cast<double>(total) : 0;
}

FlatFields read_flat_fields(const layout::LaidOutDocument& laid,
                            const std::vector<pdf::PageText>& pages, const std::string& data_root,
                            const std::string& source) {
  FlatFields out;
  std::set<std::string> choices, twice;
  std::vector<std::string> month_days, full_dates;
  std::set<std::pair<std::string, std::string>> across;  // fields a word runs across
  for (std::size_t p = 0; p < laid.pages.size(); ++p) {
    const layout::Page& page = laid.pages[p];
    std::vector<const FieldSpec*> fields;
    for (const auto& f : page.fields) {
      if (f.kind != FieldSpec::Kind::Choice) {
        fields.push_back(&f);
      } else if (p >= pages.size() || pages[p].mask.empty()) {
        choices.insert(f.name.substr(0, f.name.find('#')));
      } else {
        const std::string state = f.state.empty() ? f.on : f.state;
        const bool on = marked(f, pages[p]);
        std::string& value = out.buttons[f.name];
        if (on && f.radio && !value.empty()) twice.insert(f.name);
        if (on) value = state;
      }
    }
    std::map<const FieldSpec*, std::vector<const pdf::PageChar*>> in_field;
    if (p < pages.size()) {
      const StaticText st = static_text(page);
      std::map<int, const FieldSpec*> word_field;  // the field each word began in
      for (const auto& c : pages[p].chars) {
        if (blank(c.text) || is_static(st, c)) continue;
        const FieldSpec* best = nullptr;
        double best_d = kFieldTolerance, best_area = 0;
        for (const FieldSpec* f : fields) {
          const double d = distance(*f, cx(c), cy(c)), area = f->w * f->h;
          if (d < best_d || (best && d == best_d && area < best_area))
            best = f, best_d = d, best_area = area;
        }
        if (!best) continue;
        in_field[best].push_back(&c);
        auto [w, first] = word_field.emplace(c.word, best);
        if (!first && w->second != best) across.insert({w->second->name, best->name});
      }
    }
    for (const FieldSpec* f : fields) {
      std::string v = join(in_field[f], packed(*f));
      if (is_date(*f) && !has_digit(v)) v.clear();  // a blank date prints its era and units only
      if (is_type(*f, "month-day")) month_days.push_back(f->name);
      if (is_type(*f, "date")) full_dates.push_back(f->name);
      out.text[f->name] = std::move(v);
    }
  }
  if (!month_days.empty()) {
    const auto unknown = complete_years(month_days, full_dates, out.text);
    for (const auto& name : unknown) {
      out.notes.push_back(
          note(Severity::Warning, "pdf.read-from-text-year",
               "the date is printed as month/day and the form shows no full date to take the year "
               "from; it was read as printed",
               "日付が月/日だけで印字され、年を補える日付が様式にありません。印字のまま読み取りまし"
               "た。",
               source, "/" + data_root + "/" + name));
    }
    if (unknown.size() < month_days.size()) {
      out.notes.push_back(note(Severity::Info, "pdf.read-from-text-year",
                               "dates printed as month/day took their year from the form's "
                               "other dates (rows in date order)",
                               "月/日だけで印字された日付の年は、様式の他の日付から補いました"
                               "（行は日付順）。",
                               source, "/" + data_root + "/" + month_days.front()));
    }
  }
  for (const auto& [a, b] : across) {
    out.notes.push_back(note(
        Severity::Warning, "pdf.read-from-text-overflow",
        "text printed across the boxes of two fields ('" + a + "' and '" + b +
            "'): it was split at the box edge; check both values against the page",
        "2つの欄（「" + a + "」と「" + b +
            "」）にまたがって印字された文字があります。枠の境で分けて読み取りました。ページと照合"
            "してください。",
        source, "/" + data_root + "/" + a));
  }
  for (const auto& name : twice) {
    out.notes.push_back(
        note(Severity::Warning, "pdf.read-from-text-choice",
             "more than one option of this choice is marked on the page; the last one was read",
             "この選択肢は複数の選択肢に丸が付いています。最後のものを読み取りました。", source,
             "/" + data_root + "/" + name));
  }
  for (const auto& name : choices) {
    out.notes.push_back(note(
        Severity::Warning, "pdf.read-from-text-choice",
        "a choice (circled option or check box) cannot be read from the page text of a "
        "flattened PDF; this field was not read",
        "平面化されたPDFのページの文字からは選択肢（丸囲み・チェック）を読み取れません。この欄は"
        "読み取っていません。",
        source, "/" + data_root + "/" + name));
  }
  return out;
}

}  // namespace yoshiki::model
