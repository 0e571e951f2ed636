#include "pdf/write/writer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>

#include "fields/field_type.h"
#include "fields/naming.h"
#include "pdf/write/font_embed.h"
#include "pdf/write/serial.h"
#include "yoshiki/version.h"

namespace yoshiki::pdf {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Numbers in content streams: at most 3 decimals, no trailing zeros, so the
// output is compact and stable.
void num(std::string& out, double v) { put_real_as<3>(out, v, ' '); }
void num(ContentBytes& out, double v) { out.used(write_real<3>(out.room(kRealRoom), v, ' ')); }

std::string pdf_date(const std::string& iso) {
  // "2024-04-01T09:30:00Z" → "D:20240401093000Z"; anything else → "".
  static const char kShape[] = "0000-00-00T00:00:00Z";
  if (iso.size() != sizeof kShape - 1) return "";
  std::string digits;
  for (size_t i = 0; i < iso.size(); ++i) {
    bool digit = iso[i] >= '0' && iso[i] <= '9';
    if (kShape[i] == '0' ? !digit : iso[i] != kShape[i]) return "";
    if (digit) digits += iso[i];
  }
  return "D:" + digits + "Z";
}

// Deflate level (libdeflate) for what is deflated per document (the
// values' content streams, data.xml): 6 costs ~3x the time of 1 for ~12 %
// in size.
constexpr int kFlateLevel = 1;

// Deflate level for the font program and ToUnicode of a document's own
// subset (its values' glyphs): TrueType outlines shrink by ~1/4 only and
// deflating them was the largest single cost of a filled form.
constexpr int kValueProgramLevel = 0;

// Room for a PDF's bytes from the start (a filled form is ~70-170 KB).
constexpr std::size_t kOutputReserve = 256 * 1024;

// A font as one document has it: its Type0 object and its subset.
struct DocFont {
  int type0 = 0;
  std::shared_ptr<const PreparedFont> prepared;
};

// Deflated stream contents the same in many documents (settings.xml, the
// empty "Off" appearance): the last one made, per thread.
const std::string& deflated_cached(const std::string& content, int level) {
  thread_local std::string last_in, last_out;
  thread_local int last_level = -1;
  if (level != last_level || content != last_in) {
    last_out = deflate_bytes(content, level);
    last_in = content;
    last_level = level;
  }
  return last_out;
}

// A document's fonts: per font, the static subset (shared, prepared once)
// and/or this document's subset of the rest.
class FontTable {
 public:
  using Slot = std::pair<const text::Font*, bool>;  // font, static

  explicit FontTable(const StaticFonts* statics) : statics_(statics) {}

  // A run goes to the static subset when that holds every glyph of it.
  Slot slot_of(const text::ShapedRun& run) const {
    if (statics_) {
      auto it = statics_->fonts.find(run.font);
      if (it != statics_->fonts.end()) {
        const PreparedFont& known = *it->second;
        bool all = true;
        for (const auto& g : run.glyphs)
          if (known.cid(g.gid) == PreparedFont::kNoGlyph) {
            all = false;
            break;
          }
        if (all) return {run.font, true};
      }
    }
    return {run.font, false};
  }

  // Records a run's use (first use fixes the order of the resource names).
  void use(const text::ShapedRun& run) {
    Slot s = slot_of(run);
    auto [it, fresh] = index_.emplace(s, order_.size());
    if (fresh) {
      order_.push_back(s);
      usage_.emplace_back().font = run.font;
    }
    if (!s.second) usage_[it->second].add(run);
  }

  // Subsets what is left and serialises the fonts not among the statics.
  // The static subsets are named first, all of them, in their objects'
  // order: the same names in every document, so that a page's static stream
  // (made once, see ContentBuilder::build_static) names them right.
  void embed(ObjectWriter& w) {
    resources_ = "<<";
    if (statics_) {
      std::vector<std::pair<int, const text::Font*>> statics;
      for (const auto& [font, type0] : statics_->type0) statics.emplace_back(type0, font);
      std::sort(statics.begin(), statics.end());
      for (const auto& [type0, font] : statics) {
        DocFont& f = fonts_[{font, true}];
        f.prepared = statics_->fonts.at(font);
        f.type0 = type0;
        add_name({font, true}, type0);
      }
    }
    for (size_t i = 0; i < order_.size(); ++i) {
      const Slot& s = order_[i];
      if (s.second) continue;
      DocFont& f = fonts_[s];
      f.prepared = prepare_subset(usage_[i], kValueProgramLevel);
      f.type0 = serialise_font(w, *f.prepared);
      add_name(s, f.type0);
    }
    resources_ += ">>";
    static_names_.clear();
    if (!statics_) return;
    const StaticFonts* statics = statics_;
    static_names_.append(reinterpret_cast<const char*>(&statics), sizeof statics);
    for (const auto& [font, prepared] : statics_->fonts) {
      static_names_ += names_.at({font, true});
      static_names_ += '\0';
    }
  }

  // The names the static subsets got (after embed), for a ContentBuilder's
  // key of bytes kept across documents: with the statics, all that static
  // operations' bytes depend on besides the builder's own state.
  const std::string& static_names() const { return static_names_; }

  const DocFont& font(const Slot& s) const { return fonts_.at(s); }
  const std::string& name(const Slot& s) const { return names_.at(s); }
  // The font resource dictionary, "<</F1 n 0 R…>>" (first-use order).
  const std::string& resources() const { return resources_; }

  // The subset a field's /DA names when there is no typing font: the
  // font's per-document subset (the values), else its static one, else the
  // first font used.
  Slot field_slot(const text::Font* f) const {
    if (f && index_.count({f, false})) return {f, false};
    if (f && index_.count({f, true})) return {f, true};
    return order_.front();
  }

 private:
  const StaticFonts* statics_;
  std::map<Slot, std::size_t> index_;
  std::vector<Slot> order_;
  std::vector<FontUsage> usage_;  // per slot (empty for static ones)
  std::map<Slot, DocFont> fonts_;
  std::map<Slot, std::string> names_;
  std::string resources_;
  std::string static_names_;

  // "F<n>", the next name, for slot `s` whose Type0 is object `type0`.
  void add_name(const Slot& s, int type0) {
    std::string name("F");  // (not "F" + …: GCC 12 warns falsely, -Wrestrict)
    name += std::to_string(names_.size() + 1);
    put_name(resources_, name);
    resources_ += ' ';
    put_uint(resources_, static_cast<unsigned>(type0));
    resources_ += " 0 R";
    names_[s] = std::move(name);
  }
};

class ContentBuilder {
 public:
  ContentBuilder(double page_height, const FontTable& fonts) : h_(page_height), fonts_(fonts) {}

  // `spans`: the ops replayed unchanged in every document, whose bytes are
  // kept in their SerialCache by the builder's state on reaching them; left
  // out when `spans_elsewhere` (they are in the page's static stream).
  std::string_view build(const std::vector<layout::DrawOp>& ops,
                         const std::vector<layout::StaticSpan>& spans = {},
                         bool spans_elsewhere = false) {
    start("");
    auto span = spans.begin();
    for (std::size_t i = 0; i < ops.size();) {
      if (span != spans.end() && span->first == i) {
        if (!spans_elsewhere) replay(ops, *span);
        i += span->count;
        ++span;
        continue;
      }
      std::visit([this](const auto& o) { emit(o); }, ops[i++]);
    }
    return out_.view();
  }

  // The page's static stream: the spans' ops alone, in q…Q so that the
  // page's other stream, drawn after it, starts from the initial state.
  // Nothing when a text of them is not drawn from a static subset (a glyph
  // the blank does not have: its bytes would depend on the document).
  std::optional<std::string_view> build_static(const std::vector<layout::DrawOp>& ops,
                                               const std::vector<layout::StaticSpan>& spans) {
    start("q\n");
    for (const auto& span : spans)
      for (std::size_t i = span.first; i < span.first + span.count; ++i) {
        const auto* t = std::get_if<layout::TextOp>(&ops[i]);
        if (t && !t->run.glyphs.empty() && !fonts_.slot_of(t->run).second) return std::nullopt;
        std::visit([this](const auto& o) { emit(o); }, ops[i]);
      }
    out_.add("Q\n");
    return out_.view();
  }

 private:
  double h_;
  const FontTable& fonts_;
  ContentBytes out_;
  double line_width_ = -1;
  // The text font's name and size last set: part of the graphics state,
  // kept across BT/ET, so set again only when they change (a form's labels
  // are mostly one font at one size; ~1/6 less to format and deflate).
  std::string font_;  // "" = none yet
  double font_size_ = 0;
  // The slot of the last text drawn, its subset and resource name.
  FontTable::Slot slot_{nullptr, false};
  const PreparedFont* slot_font_ = nullptr;
  const std::string* slot_name_ = nullptr;

  // `prefix` before the initial state.
  void start(std::string_view prefix) {
    out_.clear();
    line_width_ = -1;
    font_.clear();
    out_.add(prefix);
    out_.add("0 G 0 g 0 J 0 j\n");
  }

  // The state the bytes of ops depend on, besides the ops: page height, line
  // width, font and size, the static fonts and their names.
  std::string state() const {
    std::string s;
    for (double v : {h_, line_width_, font_size_})
      s.append(reinterpret_cast<const char*>(&v), sizeof v);
    s += font_;
    s += '\0';
    return s;
  }

  // A static span: its bytes as kept for this state, or emitted and kept
  // when every text in it is drawn from a static subset (so no glyph of it
  // depends on the document).
  void replay(const std::vector<layout::DrawOp>& ops, const layout::StaticSpan& span) {
    std::string key = state();
    key += fonts_.static_names();
    if (auto kept = span.serial->find(key)) {
      out_.add(kept->bytes);
      const std::string& a = kept->after;
      std::memcpy(&line_width_, a.data() + sizeof(double), sizeof(double));
      std::memcpy(&font_size_, a.data() + 2 * sizeof(double), sizeof(double));
      font_.assign(a, 3 * sizeof(double), a.size() - 3 * sizeof(double) - 1);
      return;
    }
    const std::size_t start = out_.size();
    bool fixed = !fonts_.static_names().empty();
    for (std::size_t i = span.first; i < span.first + span.count; ++i) {
      if (const auto* t = std::get_if<layout::TextOp>(&ops[i]))
        fixed = fixed && (t->run.glyphs.empty() || fonts_.slot_of(t->run).second);
      std::visit([this](const auto& o) { emit(o); }, ops[i]);
    }
    if (fixed)
      span.serial->keep(
          std::make_shared<const layout::SerialCache::Bytes>(layout::SerialCache::Bytes{
              std::move(key), std::string(out_.view().substr(start)), state()}));
  }

  void width(double w) {
    if (w == line_width_) return;
    num(out_, w);
    out_.add("w\n");
    line_width_ = w;
  }

  void emit(const layout::LineOp& l) {
    width(l.width);
    num(out_, l.x1), num(out_, h_ - l.y1), out_.add("m ");
    num(out_, l.x2), num(out_, h_ - l.y2), out_.add("l S\n");
  }

  void emit(const layout::RectOp& r) {
    width(r.width);
    num(out_, r.x), num(out_, h_ - r.y - r.h), num(out_, r.w), num(out_, r.h);
    out_.add("re S\n");
  }

  // The mark round a chosen option: a circle for short labels, a capsule
  // (two half circles joined by straight lines) for long ones, so that it
  // never cuts through the label's corners.
  void emit(const layout::EllipseOp& e) {
    width(e.width);
    const double k = 0.5522847498;
    const double cx = e.cx, cy = h_ - e.cy, r = e.ry;
    const double half = std::max(0.0, e.rx - r);  // half length of the straight part
    auto curve = [&](double x1, double y1, double x2, double y2, double x3, double y3) {
      num(out_, x1), num(out_, y1), num(out_, x2), num(out_, y2), num(out_, x3), num(out_, y3);
      out_.add("c\n");
    };
    const double xl = cx - half, xr = cx + half;
    num(out_, xr), num(out_, cy + r), out_.add("m\n");
    // right half circle, top → bottom
    curve(xr + k * r, cy + r, xr + r, cy + k * r, xr + r, cy);
    curve(xr + r, cy - k * r, xr + k * r, cy - r, xr, cy - r);
    num(out_, xl), num(out_, cy - r), out_.add("l\n");
    // left half circle, bottom → top
    curve(xl - k * r, cy - r, xl - r, cy - k * r, xl - r, cy);
    curve(xl - r, cy + k * r, xl - k * r, cy + r, xl, cy + r);
    out_.add("h S\n");
  }

  void emit(const layout::TextOp& t) {
    if (t.run.glyphs.empty()) return;
    const FontTable::Slot slot = fonts_.slot_of(t.run);
    // Consecutive runs are mostly in one slot: its subset and name looked up
    // once for them.
    if (slot != slot_) {
      slot_ = slot;
      slot_font_ = fonts_.font(slot).prepared.get();
      slot_name_ = &fonts_.name(slot);
    }
    const PreparedFont& ef = *slot_font_;
    const double upem = t.run.font->metrics().units_per_em;
    const std::string& name = *slot_name_;
    out_.add("BT ");
    if (name != font_ || t.size != font_size_) {
      out_.add('/');  // (the names are F<n>: nothing to escape)
      out_.add(name);
      out_.add(' ');
      num(out_, t.size);
      out_.add("Tf ");
      font_ = name;
      font_size_ = t.size;
    }
    num(out_, t.x), num(out_, h_ - t.baseline);
    // The glyphs written in place: room for each one's hex and a possible
    // adjustment ("> ", a number, "<"), and for the operators around them.
    constexpr std::size_t kPerGlyph = 4 + 2 + kRealRoom + 1;
    char* p = out_.room(t.run.glyphs.size() * kPerGlyph + 16);
    std::memcpy(p, "Td [<", 5);
    p += 5;
    for (const auto& g : t.run.glyphs) {
      const std::uint32_t cid = ef.cid(g.gid);
      if (cid == PreparedFont::kNoGlyph) throw std::logic_error("glyph missing from its subset");
      hex4(p, cid);
      p += 4;
      // Adjust only where HarfBuzz's advance differs from the /W width.
      double adjust = static_cast<double>(ef.width_of[cid]) / PreparedFont::kWidthScale -
                      g.advance * 1000.0 / upem;
      if (std::fabs(adjust) > 0.05) {
        std::memcpy(p, "> ", 2);
        p = write_real<3>(p + 2, adjust, ' ');
        *p++ = '<';
      }
    }
    std::memcpy(p, ">] TJ ET\n", 9);
    out_.used(p + 9);
  }
};

// A field's rectangle in PDF page space (origin bottom-left), "[x1 y1 x2 y2]".
void put_rect(std::string& out, const layout::FieldSpec& f, double page_h) {
  out += '[';
  put_real(out, f.x, 6);
  out += ' ';
  put_real(out, page_h - f.y - f.h, 6);
  out += ' ';
  put_real(out, f.x + f.w, 6);
  out += ' ';
  put_real(out, page_h - f.y, 6);
  out += ']';
}

void put_refs(ObjectWriter& w, const std::vector<int>& refs) {
  w.buf += '[';
  for (size_t i = 0; i < refs.size(); ++i) {
    if (i) w.buf += ' ';
    w.ref(refs[i]);
  }
  w.buf += ']';
}

// AcroForm fields: one merged field/widget dictionary per text field, a
// parent with kids per radio group, one per check box. Every widget carries
// its own appearance stream (shaped text in the document's subset fonts), so
// no viewer has to build one: NeedAppearances is never set.
class FieldWriter {
 public:
  FieldWriter(ObjectWriter& w, const FontTable& fonts, const WriteOptions& options)
      : w_(w), fonts_(fonts), options_(options) {}

  // Writes the page's widgets and their appearances; returns the widgets.
  std::vector<int> add_page(int page, const layout::Page& laid) {
    std::vector<int> annots;
    if (laid.fields.empty()) return annots;
    ensure_form();
    ContentBuilder cb(laid.height, fonts_);
    std::string& b = w_.buf;
    for (const auto& f : laid.fields) {
      const int on = appearance(f, laid.height, &cb);
      const int widget = w_.reserve();
      if (f.kind == layout::FieldSpec::Kind::Choice) {
        choice(widget, page, f, on, laid.height);
      } else {
        widget_start(widget, page, f, laid.height);
        b += "/F 4/FT/Tx/T";  // F: Print
        put_text(b, f.name);
        b += "/TU";
        put_text(b, f.label);
        if (!f.value.empty()) {
          b += "/V";
          put_text(b, f.value);
        }
        b += "/DA";
        put_bytes(b, da(tight(f) ? 0 : f.size));
        long flags = 0;
        if (f.kind == layout::FieldSpec::Kind::Multiline) flags |= 1 << 12;
        if (f.kind == layout::FieldSpec::Kind::Comb) {
          flags |= 1 << 24;
          b += "/MaxLen ";
          put_int(b, f.max_len);
        }
        if (flags) {
          b += "/Ff ";
          put_int(b, flags);
        }
        if (f.centred) b += "/Q 1";
        b += "/AP<</N ";
        w_.ref(on);
        b += ">>>>";
        w_.end();
        fields_.push_back(widget);
      }
      annots.push_back(widget);
    }
    return annots;
  }

  // The form's identity as a hidden, read-only field on the first page: the
  // one thing every filler keeps (pypdf's append drops Info, XMP and the
  // attached files). Returns its widget, 0 when the document has no form.
  int identity(int page, const std::string& id, const std::string& version) {
    if (!form_) return 0;
    std::string& b = w_.buf;
    const int widget = w_.begin_new();
    b += "<</Type/Annot/Subtype/Widget/Rect[0 0 0 0]/F 2/P ";  // F: Hidden
    w_.ref(page);
    b += "/FT/Tx/T";
    put_text(b, fields::naming::kFormField);
    b += "/TU";
    put_text(b, "様式の種類と版（yoshiki）");
    b += "/V";
    put_text(b, fields::naming::form_field_value(id, version));
    b += "/Ff 1/DA";  // Ff: ReadOnly
    put_bytes(b, da(10));
    b += ">>";
    w_.end();
    fields_.push_back(widget);
    return widget;
  }

  // Writes the radio groups and the AcroForm; returns the AcroForm's number
  // (0: no form).
  int finish() {
    if (!form_) return 0;
    std::string& b = w_.buf;
    for (auto& [name, group] : groups_) {
      w_.begin(group.parent);
      b += "<</FT/Btn/Ff ";
      put_int(b, (1 << 15) | (1 << 14));  // Radio, NoToggleToOff
      b += "/T";
      put_text(b, name);
      b += "/TU";
      put_text(b, group.label);
      b += "/Kids";
      put_refs(w_, group.kids);
      b += "/V";
      put_name(b, group.value.empty() ? "Off" : group.value);
      b += ">>";
      w_.end();
    }
    w_.begin(form_);
    b += "<</Fields";
    put_refs(w_, fields_);
    b += "/DR<</Font<<";
    b += dr_fonts_;
    b += ">>>>/DA";
    put_bytes(b, da(10));
    b += ">>";
    w_.end();
    return form_;
  }

 private:
  ObjectWriter& w_;
  const FontTable& fonts_;
  const WriteOptions& options_;
  int form_ = 0;
  std::string da_font_;
  std::string dr_fonts_;  // the /DR font entries
  std::vector<int> fields_;
  struct Group {
    int parent = 0;
    std::string label;
    std::vector<int> kids;
    std::string value;
    std::set<std::string> states;  // each names one option
  };
  std::map<std::string, Group> groups_;

  // Fillers and viewers that draw a field's appearance themselves (pdf-lib,
  // MuPDF, Chromium, pdf.js once edited) use /DA's size as it is and cut what
  // does not fit. A single-line field narrower than what people type in it
  // (a 和暦 date is 10–11 full-width characters, a company name more) gets
  // size 0: auto, the size that fits the box. Not for marks and codes (a
  // calendar cell, a ※ box): what fits them is known, and pdf.js and pdftk
  // draw nothing in a cell that small at size 0.
  static bool tight(const layout::FieldSpec& f) {
    constexpr double kTypedEm = 16;  // full-width characters a person may type
    return f.free_text && f.w < kTypedEm * f.size;
  }

  std::string da(double size) const {
    std::string s = "/" + da_font_ + " ";
    num(s, size);
    return s + "Tf 0 g";
  }

  // "<</Type/Annot/Subtype/Widget/Rect[…]/P page" of a widget, opened.
  void widget_start(int widget, int page, const layout::FieldSpec& f, double page_h) {
    w_.begin(widget);
    w_.buf += "<</Type/Annot/Subtype/Widget/Rect";
    put_rect(w_.buf, f, page_h);
    w_.buf += "/P ";
    w_.ref(page);
  }

  void ensure_form() {
    if (form_) return;
    form_ = w_.reserve();
    if (options_.typing_font) {
      da_font_ = "YoshikiTyping";
      const int typing = serialise_font(w_, *prepared_typing(*options_.typing_font));
      put_name(dr_fonts_, da_font_);
      dr_fonts_ += ' ';
      put_uint(dr_fonts_, static_cast<unsigned>(typing));
      dr_fonts_ += " 0 R";
    } else {
      // No typing font: a subset of the field font (what pre-filled values use).
      const FontTable::Slot slot = fonts_.field_slot(options_.field_font);
      da_font_ = fonts_.name(slot);
      put_name(dr_fonts_, da_font_);
      dr_fonts_ += ' ';
      put_uint(dr_fonts_, static_cast<unsigned>(fonts_.font(slot).type0));
      dr_fonts_ += " 0 R";
    }
    // ZapfDingbats for check boxes and radio buttons: a filler that sets
    // NeedAppearances (pdftk need_appearances) makes poppler and Acrobat
    // redraw buttons from /MK /CA in the /DA font; without this resource
    // poppler draws nothing and the chosen circles vanish.
    const int dingbats = w_.begin_new();
    w_.buf += "<</Type/Font/Subtype/Type1/BaseFont/ZapfDingbats>>";
    w_.end();
    dr_fonts_ += "/ZaDb ";
    put_uint(dr_fonts_, static_cast<unsigned>(dingbats));
    dr_fonts_ += " 0 R";
  }

  // `cb` null: the empty "Off" appearance of a check box or radio button.
  int appearance(const layout::FieldSpec& f, double page_h, ContentBuilder* cb) {
    std::string dict = "/Type/XObject/Subtype/Form/BBox";
    // The BBox is the widget rectangle in page space, so the page-space
    // drawing needs no transformation.
    put_rect(dict, f, page_h);
    dict += "/Resources<</Font";
    dict += fonts_.resources();
    dict += ">>/Filter/FlateDecode";
    const int n = w_.begin_new();
    if (cb) {
      const bool text = f.kind != layout::FieldSpec::Kind::Choice;
      std::string content = text ? "/Tx BMC q\n" : "q\n";
      content += cb->build(f.appearance);
      content += text ? "Q EMC\n" : "Q\n";
      w_.stream(dict, deflate_bytes(content, kFlateLevel));
    } else {
      static const std::string empty = deflate_bytes("", kFlateLevel);
      w_.stream(dict, empty);
    }
    w_.end();
    return n;
  }

  void choice(int widget, int page, const layout::FieldSpec& f, int on, double page_h) {
    const int off = appearance(f, page_h, nullptr);
    const std::string state = f.state.empty() ? f.on : f.state;
    Group* group = nullptr;
    if (f.radio) {
      Group& g = groups_[f.name];
      if (!g.parent) {
        g.parent = w_.reserve();
        g.label = f.label;
        fields_.push_back(g.parent);
      }
      // A template given by path reaches here unchecked (the catalogue's
      // are checked when the Engine loads them, layout::field_bindings).
      if (!g.states.insert(state).second)
        throw Error(ErrorKind::InvalidInput,
                    {{Severity::Error,
                      "template.radio-state",
                      "radio field " + f.name + ": two options have the state '" + state +
                          "'; give each its own state=",
                      {},
                      f.binding.item ? f.binding.item->line : 0}});
      if (f.selected && g.value.empty()) g.value = state;
      g.kids.push_back(widget);
      group = &g;
    }
    std::string& b = w_.buf;
    widget_start(widget, page, f, page_h);
    b += "/F 4";  // Print
    if (group) {
      b += "/Parent ";
      w_.ref(group->parent);
      // Some viewers and fillers read a kid's /TU (PyMuPDF): what this option is.
      if (!f.on_label.empty()) {
        b += "/TU";
        put_text(b, f.label + " / " + f.on_label);
      }
    } else {
      b += "/FT/Btn/T";
      put_text(b, f.name);
      b += "/TU";
      put_text(b, f.on_label.empty() ? f.label : f.label + " / " + f.on_label);
      b += "/V";
      put_name(b, f.selected ? state : "Off");
      fields_.push_back(widget);
    }
    b += "/AS";
    put_name(b, f.selected && (!group || group->value == state) ? state : "Off");
    // What a viewer draws when it rebuilds the appearance itself (poppler
    // and Acrobat after NeedAppearances): ❍ (a72, "m" in ZapfDingbats),
    // centred in the box. At size 0 (fit the box) its ring and shadow sit
    // on the label's first character; at twice the label's size the ring
    // goes round a one-character label (男・女, 有・無) or the marker of a
    // longer one (「ア」, 「1.」: the widget holds only the marker, see
    // fields/choice), clipped top and bottom by the box, and the label
    // stays legible.
    std::string da = "/ZaDb ";
    num(da, 2 * f.size);
    b += "/DA";
    put_bytes(b, da + "Tf 0 g");
    b += "/MK<</CA(m)>>/AP<</N<<";
    put_name(b, state);
    b += ' ';
    w_.ref(on);
    b += "/Off ";
    w_.ref(off);
    b += ">>>>>>";
    w_.end();
  }
};

struct AttachmentRefs {
  std::vector<std::pair<std::string, int>> names;  // file name → file specification
  std::vector<int> specs;
};

// Associated files (PDF/A-3 style): the file objects and their
// specifications (/AFRelationship); the catalog names them.
AttachmentRefs write_attachments(ObjectWriter& w, const std::vector<Attachment>& files) {
  AttachmentRefs out;
  std::string& b = w.buf;
  for (const auto& a : files) {
    std::string dict = "/Type/EmbeddedFile/Subtype";
    put_name(dict, "text/xml");
    dict += "/Params<</Size ";
    put_uint(dict, a.bytes.size());
    dict += ">>/Filter/FlateDecode";
    const int ef = w.begin_new();
    // settings.xml is the same in most documents: deflated once.
    w.stream(dict, a.relationship == "Supplement" ? deflated_cached(a.bytes, kFlateLevel)
                                                  : deflate_bytes(a.bytes, kFlateLevel));
    w.end();
    const int spec = w.begin_new();
    b += "<</Type/Filespec/F";
    put_bytes(b, a.name);
    b += "/UF";
    put_text(b, a.name);
    b += "/Desc";
    put_text(b, a.description);
    b += "/AFRelationship";
    put_name(b, a.relationship);
    b += "/EF<</F ";
    w.ref(ef);
    b += "/UF ";
    w.ref(ef);
    b += ">>>>";
    w.end();
    out.names.emplace_back(a.name, spec);
    out.specs.push_back(spec);
  }
  return out;
}

std::string xml_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<')
      o += "&lt;";
    else if (c == '>')
      o += "&gt;";
    else if (c == '&')
      o += "&amp;";
    else
      o += c;
  }
  return o;
}

// "yoshiki VERSION": the PDF's Producer, in the Info dictionary and the XMP.
std::string producer() { return std::string("yoshiki ") + yoshiki::version(); }

// XMP metadata naming the form (written by hand, uncompressed as the spec
// asks). Returns its object number.
int write_xmp(ObjectWriter& w, const layout::LaidOutDocument& laid) {
  std::string xmp =
      "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
      " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
      "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:yoshiki=\"urn:yoshiki:form:1\">\n"
      "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" +
      xml_escape(laid.title) +
      "</rdf:li></rdf:Alt></dc:title>\n"
      "   <pdf:Producer>" +
      producer() +
      "</pdf:Producer>\n"
      "   <yoshiki:formId>" +
      xml_escape(laid.form_id) +
      "</yoshiki:formId>\n"
      "   <yoshiki:formVersion>" +
      xml_escape(laid.form_version) +
      "</yoshiki:formVersion>\n"
      "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
  const int n = w.begin_new();
  w.stream("/Type/Metadata/Subtype/XML", xmp);
  w.end();
  return n;
}

// FNV-1a, 64 bits, from `h`: the file identifier hashes what makes a
// document itself (deterministic: the same input, the same /ID).
std::uint64_t fnv(std::uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Deflate level of a page's static stream: made once, copied into every
// document.
constexpr int kStaticStreamLevel = 9;

// A page's replayed (static) operations as one deflated stream of their own,
// made at the first document with the same spans, page height and static
// fonts and kept beside the StaticDrawing; null when the page has none, or
// they cannot be drawn from the static subsets alone (then the page is one
// stream). The page's other stream, per document, draws the rest: a cell
// that mixes fixed text and a value (令和 年 月 日 around a date) is not
// static, so it stays in one stream and readers still see one word.
std::shared_ptr<const layout::SerialCache::Bytes> static_stream(const layout::Page& page,
                                                                const FontTable& table,
                                                                ContentBuilder& cb) {
  if (!page.static_streams || page.spans.empty() || table.static_names().empty()) return nullptr;
  std::string key = table.static_names();
  key.append(reinterpret_cast<const char*>(&page.height), sizeof page.height);
  for (const auto& span : page.spans) {
    key.append(reinterpret_cast<const char*>(&span.serial), sizeof span.serial);
    key.append(reinterpret_cast<const char*>(&span.count), sizeof span.count);
  }
  auto kept = page.static_streams->find(key);
  if (!kept) {
    const auto content = cb.build_static(page.ops, page.spans);
    // An empty `bytes`: this sequence cannot be split (not looked at again).
    kept = std::make_shared<const layout::SerialCache::Bytes>(layout::SerialCache::Bytes{
        std::move(key), content ? deflate_bytes(*content, kStaticStreamLevel) : "", ""});
    page.static_streams->keep(kept);
  }
  return kept->bytes.empty() ? nullptr : kept;
}

}  // namespace

std::shared_ptr<const StaticFonts> prepare_static(const layout::LaidOutDocument& blank) {
  std::map<const text::Font*, FontUsage> usage;
  std::vector<const text::Font*> order;  // first use: never by address
  auto collect = [&](const std::vector<layout::DrawOp>& ops) {
    for (const auto& op : ops) {
      if (auto* t = std::get_if<layout::TextOp>(&op)) {
        FontUsage& u = usage[t->run.font];
        if (!u.font) order.push_back(t->run.font);
        u.font = t->run.font;
        u.add(t->run);
      }
    }
  };
  for (const auto& page : blank.pages) {
    collect(page.ops);
    for (const auto& f : page.fields) collect(f.appearance);
  }
  auto out = std::make_shared<StaticFonts>();
  ObjectWriter w;
  for (const text::Font* font : order) {
    // Built once, read by every document: worth zlib's best.
    auto prepared = prepare_subset(usage.at(font), 9);
    out->type0[font] = serialise_font(w, *prepared);
    out->fonts[font] = std::move(prepared);
  }
  out->objects = std::move(w.buf);
  out->offsets = std::move(w.offsets);
  return out;
}

std::vector<std::uint8_t> write_pdf(const layout::LaidOutDocument& laid,
                                    const WriteOptions& options, RenderStats* stats) {
  const std::string date = pdf_date(options.creation_date);
  if (date.empty()) {
    throw Error(ErrorKind::Usage, {{Severity::Error, "option.creation-date",
                                    "creation date '" + options.creation_date +
                                        "' is not of the form YYYY-MM-DDThh:mm:ssZ"}});
  }
  const StaticFonts* statics = options.static_fonts.get();
  ObjectWriter w;
  std::string& b = w.buf;
  b.reserve(kOutputReserve + (statics ? statics->objects.size() : 0));
  // The binary comment marks the file as binary for transfer tools.
  b += "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  // The static fonts first, numbered from 1: their bytes go in as they are.
  if (statics && !statics->objects.empty()) {
    const std::size_t base = b.size();
    b += statics->objects;
    for (std::size_t n = 1; n < statics->offsets.size(); ++n)
      w.offsets.push_back(base + statics->offsets[n]);
  }

  // Fonts: every glyph used anywhere, then the static subsets and one
  // subset per font of the rest, named in order of first use (never by
  // address: output must not depend on where a Font happens to live).
  FontTable table(statics);
  auto collect = [&](const std::vector<layout::DrawOp>& ops) {
    for (const auto& op : ops)
      if (auto* t = std::get_if<layout::TextOp>(&op)) table.use(t->run);
  };
  for (const auto& page : laid.pages) {
    collect(page.ops);
    for (const auto& f : page.fields) collect(f.appearance);
  }
  auto t1 = Clock::now();
  table.embed(w);
  if (stats) stats->subsetting += seconds_since(t1);

  auto t2 = Clock::now();
  const int catalog = w.reserve(), info = w.reserve(), pages = w.reserve();
  FieldWriter fields(w, table, options);
  std::vector<int> kids;
  for (const auto& page : laid.pages) {
    const int p = w.reserve();
    kids.push_back(p);
    std::vector<int> annots = fields.add_page(p, page);
    if (&page == &laid.pages.front()) {
      if (int id = fields.identity(p, laid.form_id, laid.form_version)) annots.push_back(id);
    }
    ContentBuilder cb(page.height, table);
    const auto fixed = static_stream(page, table, cb);
    int fixed_content = 0;
    if (fixed) {
      fixed_content = w.begin_new();
      w.stream("/Filter/FlateDecode", fixed->bytes);
      w.end();
    }
    const int content = w.begin_new();
    w.stream("/Filter/FlateDecode",
             deflate_bytes(cb.build(page.ops, page.spans, fixed != nullptr), kFlateLevel));
    w.end();
    w.begin(p);
    b += "<</Type/Page/Parent ";
    w.ref(pages);
    b += "/MediaBox[0 0 ";
    put_real(b, page.width, 6);
    b += ' ';
    put_real(b, page.height, 6);
    b += "]/Resources<</Font";
    b += table.resources();
    b += ">>/Contents ";
    if (fixed) {
      b += '[';
      w.ref(fixed_content);
      b += ' ';
      w.ref(content);
      b += ']';
    } else {
      w.ref(content);
    }
    if (!annots.empty()) {
      b += "/Annots";
      put_refs(w, annots);
    }
    b += ">>";
    w.end();
  }
  w.begin(pages);
  b += "<</Type/Pages/Kids";
  put_refs(w, kids);
  b += "/Count ";
  put_uint(b, kids.size());
  b += ">>";
  w.end();

  const int form = fields.finish();
  const AttachmentRefs files = write_attachments(w, options.attachments);
  const int xmp = write_xmp(w, laid);

  w.begin(catalog);
  b += "<</Type/Catalog/Pages ";
  w.ref(pages);
  if (form) {
    b += "/AcroForm ";
    w.ref(form);
  }
  if (!files.specs.empty()) {
    b += "/Names<</EmbeddedFiles<</Names[";
    for (const auto& [name, spec] : files.names) {
      put_bytes(b, name);
      w.ref(spec);
    }
    b += "]>>>>/AF";
    put_refs(w, files.specs);
  }
  b += "/Metadata ";
  w.ref(xmp);
  b += ">>";
  w.end();

  w.begin(info);
  const std::size_t info_start = b.size();
  b += "<</Title";
  put_text(b, laid.title);
  b += "/Producer";
  put_bytes(b, producer());
  b += "/Creator(yoshiki)/CreationDate";
  put_bytes(b, date);
  b += "/ModDate";
  put_bytes(b, date);
  // Which form this is, for extract and fill (also in the XMP metadata).
  b += "/YoshikiFormId";
  put_bytes(b, laid.form_id);
  b += "/YoshikiFormVersion";
  put_bytes(b, laid.form_version);
  b += ">>";
  // The identifier: the Info dictionary and the attached data.
  std::uint64_t h1 = fnv(1469598103934665603ull, std::string_view(b).substr(info_start));
  std::uint64_t h2 = fnv(h1 ^ 0x9E3779B97F4A7C15ull, std::string_view(b).substr(info_start));
  for (const auto& a : options.attachments) {
    h1 = fnv(h1, a.bytes);
    h2 = fnv(h2 ^ 0x9E3779B97F4A7C15ull, a.bytes);
  }
  w.end();
  if (stats) stats->objects += seconds_since(t2);

  auto t3 = Clock::now();
  const std::size_t xref = b.size();
  const std::size_t count = w.offsets.size();
  b += "xref\n0 ";
  put_uint(b, count);
  b += "\n0000000000 65535 f \n";
  for (std::size_t n = 1; n < count; ++n) {
    char entry[21] = "0000000000 00000 n \n";
    std::size_t off = w.offsets[n];
    for (int i = 9; i >= 0 && off; --i, off /= 10) entry[i] = static_cast<char>('0' + off % 10);
    b.append(entry, 20);
  }
  b += "trailer\n<</Size ";
  put_uint(b, count);
  b += "/Root ";
  w.ref(catalog);
  b += "/Info ";
  w.ref(info);
  std::string id;
  for (std::uint64_t h : {h1, h2})
    for (int i = 15; i >= 0; --i) id += "0123456789ABCDEF"[(h >> (4 * i)) & 15];
  b += "/ID[<" + id + "><" + id + ">]>>\nstartxref\n";
  put_uint(b, xref);
  b += "\n%%EOF\n";
  std::vector<std::uint8_t> bytes(b.begin(), b.end());
  if (stats) stats->writing += seconds_since(t3);
  return bytes;
}

}  // namespace yoshiki::pdf
