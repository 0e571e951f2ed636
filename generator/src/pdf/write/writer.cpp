#include "pdf/write/writer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>

#include "fields/field_type.h"
#include "fields/naming.h"
#include "pdf/write/font_embed.h"
#include "yoshiki/version.h"

using namespace PoDoFo;

namespace yoshiki::pdf {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Numbers in content streams: at most 3 decimals, no trailing zeros, so the
// output is compact and stable.
void num(std::string& out, double v) {
  // Integer arithmetic, not snprintf: content streams are mostly numbers.
  long long m = std::llround(v * 1000);
  if (m == 0) {
    out += "0 ";
    return;
  }
  if (m < 0) {
    out += '-';
    m = -m;
  }
  out += std::to_string(m / 1000);
  if (int frac = static_cast<int>(m % 1000)) {
    char digits[4] = {static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                      static_cast<char>('0' + frac % 10), 0};
    int n = 3;
    while (digits[n - 1] == '0') --n;
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
  }
  out += ' ';
}

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

void init_podofo() {
  static std::once_flag flag;
  std::call_once(flag, [] {
    PdfError::EnableDebug(false);
    PdfError::EnableLogging(false);
  });
}

// zlib level for what is deflated per document (values' subset, content
// streams): measured on the samples, 6 costs ~2x the time of 1 for <3 % in size.
constexpr int kFlateLevel = 1;

// zlib level for the font program of a document's own subset (its values'
// glyphs): TrueType outlines shrink by ~1/4 only and deflating them was the
// largest single cost of a filled form.
constexpr int kValueProgramLevel = 0;

// Room for a PDF's bytes from the start (a filled form is ~70-170 KB).
constexpr pdf_long kOutputReserve = 256 * 1024;

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
        const auto& known = it->second->new_gid;
        bool all = true;
        for (const auto& g : run.glyphs)
          if (!known.count(g.gid)) {
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
      usage_.push_back(FontUsage{run.font, {}});
    }
    if (!s.second) usage_[it->second].add(run);
  }

  // Subsets what is left and writes every font into `doc`.
  void embed(PdfMemDocument& doc) {
    for (size_t i = 0; i < order_.size(); ++i) {
      const Slot& s = order_[i];
      auto prepared =
          s.second ? statics_->fonts.at(s.first) : prepare_subset(usage_[i], kValueProgramLevel);
      fonts_[s] = embed_prepared(doc, std::move(prepared));
      std::string name("F");  // (not "F" + …: GCC 12 warns falsely, -Wrestrict)
      name += std::to_string(i + 1);
      names_[s] = name;
      resources_.emplace_back(names_[s], fonts_[s].type0->Reference());
    }
  }

  const EmbeddedFont& font(const Slot& s) const { return fonts_.at(s); }
  const std::string& name(const Slot& s) const { return names_.at(s); }
  const std::vector<std::pair<std::string, PdfReference>>& resources() const { return resources_; }

  // The subset a field's /DA names when there is no typing font: the
  // font's per-document subset (the values), else its static one, else the
  // first font.
  Slot field_slot(const text::Font* f) const {
    if (f && fonts_.count({f, false})) return {f, false};
    if (f && fonts_.count({f, true})) return {f, true};
    return order_.front();
  }

 private:
  const StaticFonts* statics_;
  std::map<Slot, std::size_t> index_;
  std::vector<Slot> order_;
  std::vector<FontUsage> usage_;  // per slot (empty for static ones)
  std::map<Slot, EmbeddedFont> fonts_;
  std::map<Slot, std::string> names_;
  std::vector<std::pair<std::string, PdfReference>> resources_;  // in first-use order
};

class ContentBuilder {
 public:
  ContentBuilder(double page_height, const FontTable& fonts) : h_(page_height), fonts_(fonts) {}

  std::string build(const std::vector<layout::DrawOp>& ops) {
    out_.clear();
    line_width_ = -1;
    out_ += "0 G 0 g 0 J 0 j\n";
    for (const auto& op : ops) std::visit([this](const auto& o) { emit(o); }, op);
    return out_;
  }

 private:
  double h_;
  const FontTable& fonts_;
  std::string out_;
  double line_width_ = -1;

  void width(double w) {
    if (w == line_width_) return;
    num(out_, w);
    out_ += "w\n";
    line_width_ = w;
  }

  void emit(const layout::LineOp& l) {
    width(l.width);
    num(out_, l.x1), num(out_, h_ - l.y1), out_ += "m ";
    num(out_, l.x2), num(out_, h_ - l.y2), out_ += "l S\n";
  }

  void emit(const layout::RectOp& r) {
    width(r.width);
    num(out_, r.x), num(out_, h_ - r.y - r.h), num(out_, r.w), num(out_, r.h);
    out_ += "re S\n";
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
      out_ += "c\n";
    };
    const double xl = cx - half, xr = cx + half;
    num(out_, xr), num(out_, cy + r), out_ += "m\n";
    // right half circle, top → bottom
    curve(xr + k * r, cy + r, xr + r, cy + k * r, xr + r, cy);
    curve(xr + r, cy - k * r, xr + k * r, cy - r, xr, cy - r);
    num(out_, xl), num(out_, cy - r), out_ += "l\n";
    // left half circle, bottom → top
    curve(xl - k * r, cy - r, xl - r, cy - k * r, xl - r, cy);
    curve(xl - r, cy + k * r, xl - k * r, cy + r, xl, cy + r);
    out_ += "h S\n";
  }

  void emit(const layout::TextOp& t) {
    if (t.run.glyphs.empty()) return;
    const FontTable::Slot slot = fonts_.slot_of(t.run);
    const PreparedFont& ef = *fonts_.font(slot).prepared;
    const double upem = t.run.font->metrics().units_per_em;
    out_ += "BT /" + fonts_.name(slot) + " ";
    num(out_, t.size);
    out_ += "Tf ";
    num(out_, t.x), num(out_, h_ - t.baseline);
    out_ += "Td [<";
    for (const auto& g : t.run.glyphs) {
      std::uint32_t cid = ef.new_gid.at(g.gid);
      hex4(out_, cid);
      // Adjust only where HarfBuzz's advance differs from the /W width.
      double adjust = ef.width.at(cid) - g.advance * 1000.0 / upem;
      if (std::fabs(adjust) > 0.05) {
        out_ += "> ";
        num(out_, adjust);
        out_ += "<";
      }
    }
    out_ += ">] TJ ET\n";
  }
};

// A field's rectangle in PDF page space (origin bottom-left).
PdfArray pdf_rect(const layout::FieldSpec& f, double page_h) {
  PdfArray r;
  r.push_back(PdfVariant(f.x));
  r.push_back(PdfVariant(page_h - f.y - f.h));
  r.push_back(PdfVariant(f.x + f.w));
  r.push_back(PdfVariant(page_h - f.y));
  return r;
}

// AcroForm fields: one merged field/widget dictionary per text field, a
// parent with kids per radio group, one per check box. Every widget carries
// its own appearance stream (shaped text in the document's subset fonts), so
// no viewer has to build one: NeedAppearances is never set.
class FieldWriter {
 public:
  FieldWriter(PdfMemDocument& doc, const PdfDictionary& font_resources, const FontTable& fonts,
              const WriteOptions& options)
      : doc_(doc), font_resources_(font_resources), fonts_(fonts), options_(options) {}

  void add_page(PdfPage* page, const layout::Page& laid) {
    if (laid.fields.empty()) return;
    ensure_form();
    ContentBuilder cb(laid.height, fonts_);
    PdfArray annots;
    for (const auto& f : laid.fields) {
      PdfObject* widget = doc_.GetObjects().CreateObject("Annot");
      auto& d = widget->GetDictionary();
      d.AddKey("Subtype", PdfName("Widget"));
      d.AddKey("Rect", pdf_rect(f, laid.height));
      d.AddKey("F", pdf_integer(4));  // Print
      d.AddKey("P", page->GetObject()->Reference());
      PdfObject* on = appearance(f, laid.height, &cb);
      if (f.kind == layout::FieldSpec::Kind::Choice) {
        choice(widget, f, on, laid.height);
      } else {
        d.AddKey("FT", PdfName("Tx"));
        d.AddKey("T", pdf_text(f.name));
        d.AddKey("TU", pdf_text(f.label));
        if (!f.value.empty()) d.AddKey("V", pdf_text(f.value));
        d.AddKey("DA", PdfString(da(tight(f) ? 0 : f.size)));
        long flags = 0;
        if (f.kind == layout::FieldSpec::Kind::Multiline) flags |= 1 << 12;
        if (f.kind == layout::FieldSpec::Kind::Comb) {
          flags |= 1 << 24;
          d.AddKey("MaxLen", pdf_integer(f.max_len));
        }
        if (flags) d.AddKey("Ff", pdf_integer(flags));
        if (f.centred) d.AddKey("Q", pdf_integer(1));
        PdfDictionary ap;
        ap.AddKey("N", on->Reference());
        d.AddKey("AP", ap);
        fields_.push_back(widget->Reference());
      }
      annots.push_back(widget->Reference());
    }
    page->GetObject()->GetDictionary().AddKey("Annots", annots);
  }

  // The form's identity as a hidden, read-only field on the first page: the
  // one thing every filler keeps (pypdf's append drops Info, XMP and the
  // attached files).
  void identity(PdfPage* page, const std::string& id, const std::string& version) {
    if (!form_) return;
    PdfObject* widget = doc_.GetObjects().CreateObject("Annot");
    auto& d = widget->GetDictionary();
    d.AddKey("Subtype", PdfName("Widget"));
    PdfArray nowhere;
    for (int i = 0; i < 4; ++i) nowhere.push_back(pdf_integer(0));
    d.AddKey("Rect", nowhere);
    d.AddKey("F", pdf_integer(2));  // Hidden
    d.AddKey("P", page->GetObject()->Reference());
    d.AddKey("FT", PdfName("Tx"));
    d.AddKey("T", pdf_text(fields::naming::kFormField));
    d.AddKey("TU", pdf_text("様式の種類と版（yoshiki）"));
    d.AddKey("V", pdf_text(fields::naming::form_field_value(id, version)));
    d.AddKey("Ff", pdf_integer(1));  // ReadOnly
    d.AddKey("DA", PdfString(da(10)));
    fields_.push_back(widget->Reference());
    auto& page_dict = page->GetObject()->GetDictionary();
    if (!page_dict.HasKey("Annots")) page_dict.AddKey("Annots", PdfArray());
    page_dict.GetKey("Annots")->GetArray().push_back(widget->Reference());
  }

  void finish() {
    if (!form_) return;
    for (auto& [name, group] : groups_) {
      auto& d = group.parent->GetDictionary();
      d.AddKey("Kids", group.kids);
      d.AddKey("V", PdfName(group.value.empty() ? "Off" : group.value));
    }
    form_->GetDictionary().AddKey("Fields", fields_);
  }

 private:
  PdfMemDocument& doc_;
  const PdfDictionary& font_resources_;
  const FontTable& fonts_;
  const WriteOptions& options_;
  PdfObject* form_ = nullptr;
  std::string da_font_;
  PdfArray fields_;
  struct Group {
    PdfObject* parent = nullptr;
    PdfArray kids;
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

  void ensure_form() {
    if (form_) return;
    PdfAcroForm* af = doc_.GetAcroForm(ePdfCreateObject, ePdfAcroFormDefaultAppearance_None);
    form_ = af->GetObject();
    PdfDictionary dr_fonts;
    if (options_.typing_font) {
      da_font_ = "YoshikiTyping";
      dr_fonts.AddKey(PdfName(da_font_), embed_typing(doc_, *options_.typing_font)->Reference());
    } else {
      // No typing font: a subset of the field font (what pre-filled values use).
      const FontTable::Slot slot = fonts_.field_slot(options_.field_font);
      da_font_ = fonts_.name(slot);
      dr_fonts.AddKey(PdfName(da_font_), fonts_.font(slot).type0->Reference());
    }
    // ZapfDingbats for check boxes and radio buttons: a filler that sets
    // NeedAppearances (pdftk need_appearances) makes poppler and Acrobat
    // redraw buttons from /MK /CA in the /DA font; without this resource
    // poppler draws nothing and the chosen circles vanish.
    PdfObject* dingbats = doc_.GetObjects().CreateObject("Font");
    dingbats->GetDictionary().AddKey("Subtype", PdfName("Type1"));
    dingbats->GetDictionary().AddKey("BaseFont", PdfName("ZapfDingbats"));
    dr_fonts.AddKey(PdfName("ZaDb"), dingbats->Reference());
    PdfDictionary dr;
    dr.AddKey("Font", dr_fonts);
    auto& d = form_->GetDictionary();
    d.AddKey("DR", dr);
    d.AddKey("DA", PdfString(da(10)));
    d.RemoveKey("NeedAppearances");
  }

  // `cb` null: the empty "Off" appearance of a check box or radio button.
  PdfObject* appearance(const layout::FieldSpec& f, double page_h, ContentBuilder* cb) {
    PdfObject* x = doc_.GetObjects().CreateObject("XObject");
    auto& d = x->GetDictionary();
    d.AddKey("Subtype", PdfName("Form"));
    // The BBox is the widget rectangle in page space, so the page-space
    // drawing needs no transformation.
    d.AddKey("BBox", pdf_rect(f, page_h));
    PdfDictionary res;
    res.AddKey("Font", font_resources_);
    d.AddKey("Resources", res);
    std::string content;
    if (cb) {
      const bool text = f.kind != layout::FieldSpec::Kind::Choice;
      content =
          (text ? "/Tx BMC q\n" : "q\n") + cb->build(f.appearance) + (text ? "Q EMC\n" : "Q\n");
    }
    set_deflated(x, content, kFlateLevel);
    return x;
  }

  void choice(PdfObject* widget, const layout::FieldSpec& f, PdfObject* on, double page_h) {
    auto& d = widget->GetDictionary();
    PdfObject* off = appearance(f, page_h, nullptr);
    const std::string state = f.state.empty() ? f.on : f.state;
    if (f.radio) {
      Group& g = groups_[f.name];
      if (!g.parent) {
        g.parent = doc_.GetObjects().CreateObject();
        auto& pd = g.parent->GetDictionary();
        pd.AddKey("FT", PdfName("Btn"));
        pd.AddKey("Ff", pdf_integer((1 << 15) | (1 << 14)));  // Radio, NoToggleToOff
        pd.AddKey("T", pdf_text(f.name));
        pd.AddKey("TU", pdf_text(f.label));
        fields_.push_back(g.parent->Reference());
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
      d.AddKey("Parent", g.parent->Reference());
      // Some viewers and fillers read a kid's /TU (PyMuPDF): what this option is.
      if (!f.on_label.empty()) d.AddKey("TU", pdf_text(f.label + " / " + f.on_label));
      g.kids.push_back(widget->Reference());
    } else {
      d.AddKey("FT", PdfName("Btn"));
      d.AddKey("T", pdf_text(f.name));
      d.AddKey("TU", pdf_text(f.on_label.empty() ? f.label : f.label + " / " + f.on_label));
      d.AddKey("V", PdfName(f.selected ? state : "Off"));
      fields_.push_back(widget->Reference());
    }
    d.AddKey("AS",
             PdfName(f.selected && (!f.radio || groups_[f.name].value == state) ? state : "Off"));
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
    d.AddKey("DA", PdfString(da + "Tf 0 g"));
    PdfDictionary mk;
    mk.AddKey("CA", PdfString("m"));
    d.AddKey("MK", mk);
    PdfDictionary states;
    states.AddKey(PdfName(state), on->Reference());
    states.AddKey(PdfName("Off"), off->Reference());
    PdfDictionary ap;
    ap.AddKey("N", states);
    d.AddKey("AP", ap);
  }
};

// Associated files (PDF/A-3 style): /EmbeddedFiles name tree, catalog /AF,
// /AFRelationship on each file specification.
void write_attachments(PdfMemDocument& doc, const std::vector<Attachment>& files) {
  if (files.empty()) return;
  PdfArray names, af;
  for (const auto& a : files) {
    PdfObject* ef = doc.GetObjects().CreateObject("EmbeddedFile");
    ef->GetDictionary().AddKey("Subtype", PdfName("text/xml"));
    PdfDictionary params;
    params.AddKey("Size", pdf_integer(static_cast<long>(a.bytes.size())));
    ef->GetDictionary().AddKey("Params", params);
    set_deflated(ef, a.bytes, kFlateLevel);
    PdfObject* spec = doc.GetObjects().CreateObject("Filespec");
    auto& sd = spec->GetDictionary();
    sd.AddKey("F", PdfString(a.name));
    sd.AddKey("UF", pdf_text(a.name));
    sd.AddKey("Desc", pdf_text(a.description));
    sd.AddKey("AFRelationship", PdfName(a.relationship));
    PdfDictionary efd;
    efd.AddKey("F", ef->Reference());
    efd.AddKey("UF", ef->Reference());
    sd.AddKey("EF", efd);
    names.push_back(PdfString(a.name));
    names.push_back(spec->Reference());
    af.push_back(spec->Reference());
  }
  PdfDictionary embedded;
  embedded.AddKey("Names", names);
  PdfDictionary tree;
  tree.AddKey("EmbeddedFiles", embedded);
  auto& cat = doc.GetCatalog()->GetDictionary();
  cat.AddKey("Names", tree);
  cat.AddKey("AF", af);
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

// XMP metadata naming the form (no XMP API in PoDoFo 0.9: written by hand,
// uncompressed as the spec asks).
void write_xmp(PdfMemDocument& doc, const layout::LaidOutDocument& laid) {
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
  PdfObject* meta = doc.GetObjects().CreateObject("Metadata");
  meta->GetDictionary().AddKey("Subtype", PdfName("XML"));
  meta->GetStream()->Set(xmp.data(), static_cast<pdf_long>(xmp.size()), TVecFilters());
  doc.GetCatalog()->GetDictionary().AddKey("Metadata", meta->Reference());
}

}  // namespace

std::shared_ptr<const StaticFonts> prepare_static(const layout::LaidOutDocument& blank) {
  std::map<const text::Font*, FontUsage> usage;
  auto collect = [&](const std::vector<layout::DrawOp>& ops) {
    for (const auto& op : ops) {
      if (auto* t = std::get_if<layout::TextOp>(&op)) {
        FontUsage& u = usage[t->run.font];
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
  // Built once, read by every document: worth zlib's best.
  for (auto& [font, u] : usage) out->fonts[font] = prepare_subset(u, 9);
  return out;
}

std::vector<std::uint8_t> write_pdf(const layout::LaidOutDocument& laid,
                                    const WriteOptions& options, RenderStats* stats) {
  init_podofo();
  try {
    auto made = new_document();
    PdfMemDocument& doc = *made;
    doc.SetPdfVersion(ePdfVersion_1_7);

    // Fonts: every glyph used anywhere, then the static subsets and one
    // subset per font of the rest, numbered in order of first use (never by
    // address: output must not depend on where a Font happens to live).
    FontTable table(options.static_fonts.get());
    auto collect = [&](const std::vector<layout::DrawOp>& ops) {
      for (const auto& op : ops)
        if (auto* t = std::get_if<layout::TextOp>(&op)) table.use(t->run);
    };
    for (const auto& page : laid.pages) {
      collect(page.ops);
      for (const auto& f : page.fields) collect(f.appearance);
    }
    auto t1 = Clock::now();
    table.embed(doc);
    if (stats) stats->subsetting += seconds_since(t1);

    auto t2 = Clock::now();
    PdfDictionary font_resources;
    for (auto& [name, ref] : table.resources()) font_resources.AddKey(PdfName(name), ref);
    FieldWriter fields(doc, font_resources, table, options);
    for (const auto& page : laid.pages) {
      PdfPage* p = doc.CreatePage(PdfRect(0, 0, page.width, page.height));
      fields.add_page(p, page);
      if (&page == &laid.pages.front()) fields.identity(p, laid.form_id, laid.form_version);
      ContentBuilder cb(page.height, table);
      std::string content = cb.build(page.ops);
      set_deflated(p->GetContentsForAppending(), content, kFlateLevel);
      p->GetResources()->GetDictionary().AddKey("Font", font_resources);
    }

    fields.finish();
    write_attachments(doc, options.attachments);
    write_xmp(doc, laid);

    PdfInfo* info = doc.GetInfo();
    info->SetTitle(pdf_text(laid.title));
    info->SetProducer(PdfString(producer()));
    info->SetCreator(PdfString("yoshiki"));
    std::string date = pdf_date(options.creation_date);
    if (date.empty()) {
      throw Error(ErrorKind::Usage, {{Severity::Error, "option.creation-date",
                                      "creation date '" + options.creation_date +
                                          "' is not of the form YYYY-MM-DDThh:mm:ssZ"}});
    }
    auto& id = info->GetObject()->GetDictionary();
    id.AddKey("CreationDate", PdfString(date));
    id.AddKey("ModDate", PdfString(date));
    // Which form this is, for extract and fill (also in the XMP metadata).
    id.AddKey("YoshikiFormId", PdfString(laid.form_id));
    id.AddKey("YoshikiFormVersion", PdfString(laid.form_version));
    if (stats) stats->objects += seconds_since(t2);

    auto t3 = Clock::now();
    PdfRefCountedBuffer buffer(kOutputReserve);  // grown by doubling otherwise: copies
    PdfOutputDevice device(&buffer);
    doc.Write(&device);
    std::vector<std::uint8_t> bytes(buffer.GetBuffer(), buffer.GetBuffer() + device.GetLength());
    if (stats) stats->writing += seconds_since(t3);
    return bytes;
  } catch (const PdfError& e) {
    throw Error(ErrorKind::Io, {{Severity::Error, "pdf.write",
                                 std::string("PoDoFo: ") + PdfError::ErrorName(e.GetError())}});
  }
}

}  // namespace yoshiki::pdf
