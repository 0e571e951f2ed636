#include "model/flat_fields.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "fields/field_type.h"

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
  std::set<std::string> choices;
  std::set<std::pair<std::string, std::string>> across;  // fields a word runs across
  for (std::size_t p = 0; p < laid.pages.size(); ++p) {
    const layout::Page& page = laid.pages[p];
    std::vector<const FieldSpec*> fields;
    for (const auto& f : page.fields) {
      if (f.kind == FieldSpec::Kind::Choice)
        choices.insert(f.name.substr(0, f.name.find('#')));
      else
        fields.push_back(&f);
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
      out.text[f->name] = std::move(v);
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
