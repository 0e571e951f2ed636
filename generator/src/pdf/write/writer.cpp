#include "pdf/write/writer.h"

#include <chrono>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>

#include "pdf/write/font_embed.h"

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
  char buf[32];
  if (std::fabs(v) < 0.0005) v = 0;
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  out += s;
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

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void init_podofo() {
  static std::once_flag flag;
  std::call_once(flag, [] {
    PdfError::EnableDebug(false);
    PdfError::EnableLogging(false);
  });
}

class ContentBuilder {
 public:
  ContentBuilder(double page_height, const std::map<const text::Font*, EmbeddedFont>& fonts,
                 const std::map<const text::Font*, std::string>& names)
      : h_(page_height), fonts_(fonts), names_(names) {}

  std::string build(const layout::Page& page) {
    out_.clear();
    out_ += "0 G 0 g 0 J 0 j\n";
    for (const auto& op : page.ops) std::visit([this](const auto& o) { emit(o); }, op);
    return out_;
  }

 private:
  double h_;
  const std::map<const text::Font*, EmbeddedFont>& fonts_;
  const std::map<const text::Font*, std::string>& names_;
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
    const EmbeddedFont& ef = fonts_.at(t.run.font);
    const double upem = t.run.font->metrics().units_per_em;
    out_ += "BT /" + names_.at(t.run.font) + " ";
    num(out_, t.size);
    out_ += "Tf ";
    num(out_, t.x), num(out_, h_ - t.baseline);
    out_ += "Td [<";
    char buf[8];
    for (const auto& g : t.run.glyphs) {
      std::uint32_t cid = ef.new_gid.at(g.gid);
      std::snprintf(buf, sizeof buf, "%04X", cid);
      out_ += buf;
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

}  // namespace

std::vector<std::uint8_t> write_pdf(const layout::LaidOutDocument& laid, const WriteOptions& options,
                                    RenderStats* stats) {
  init_podofo();
  try {
    auto t0 = Clock::now();
    PdfMemDocument doc;
    doc.SetPdfVersion(ePdfVersion_1_7);

    // Fonts: every glyph used anywhere, then one subset per font, numbered
    // in order of first use (never by address: output must not depend on
    // where a Font happens to live in memory).
    std::vector<FontUsage> usage;
    std::map<const text::Font*, std::size_t> index;
    for (const auto& page : laid.pages) {
      for (const auto& op : page.ops) {
        if (auto* t = std::get_if<layout::TextOp>(&op)) {
          auto [it, fresh] = index.emplace(t->run.font, usage.size());
          if (fresh) usage.push_back(FontUsage{t->run.font, {}});
          usage[it->second].add(t->run);
        }
      }
    }
    auto t1 = Clock::now();
    std::map<const text::Font*, EmbeddedFont> fonts;
    std::map<const text::Font*, std::string> names;
    std::vector<std::pair<std::string, PdfReference>> resources;  // in first-use order
    for (const auto& u : usage) {
      fonts[u.font] = embed_subset(doc, u);
      names[u.font] = "F" + std::to_string(resources.size() + 1);
      resources.emplace_back(names[u.font], fonts[u.font].type0->Reference());
    }
    if (stats) stats->subsetting += seconds_since(t1);

    auto t2 = Clock::now();
    for (const auto& page : laid.pages) {
      PdfPage* p = doc.CreatePage(PdfRect(0, 0, page.width, page.height));
      ContentBuilder cb(page.height, fonts, names);
      std::string content = cb.build(page);
      p->GetContentsForAppending()->GetStream()->Set(content.data(),
                                                      static_cast<pdf_long>(content.size()));
      PdfDictionary font_dict;
      for (auto& [name, ref] : resources) font_dict.AddKey(PdfName(name), ref);
      p->GetResources()->GetDictionary().AddKey("Font", font_dict);
    }

    PdfInfo* info = doc.GetInfo();
    info->SetTitle(PdfString(reinterpret_cast<const pdf_utf8*>(laid.title.c_str())));
    info->SetProducer(PdfString("yoshiki"));
    info->SetCreator(PdfString("yoshiki"));
    std::string date = pdf_date(options.creation_date.empty() ? now_iso() : options.creation_date);
    if (date.empty()) {
      throw Error(ErrorKind::Usage, {{Severity::Error, "option.creation-date",
                                      "creation date '" + options.creation_date +
                                          "' is not of the form YYYY-MM-DDThh:mm:ssZ"}});
    }
    auto& id = info->GetObject()->GetDictionary();
    id.AddKey("CreationDate", PdfString(date));
    id.AddKey("ModDate", PdfString(date));
    if (stats) stats->objects += seconds_since(t2);

    auto t3 = Clock::now();
    PdfRefCountedBuffer buffer;
    PdfOutputDevice device(&buffer);
    doc.Write(&device);
    std::vector<std::uint8_t> bytes(buffer.GetBuffer(), buffer.GetBuffer() + device.GetLength());
    if (stats) stats->writing += seconds_since(t3);
    (void)t0;
    return bytes;
  } catch (const PdfError& e) {
    throw Error(ErrorKind::Io,
                {{Severity::Error, "pdf.write", std::string("PoDoFo: ") + PdfError::ErrorName(e.GetError())}});
  }
}

}  // namespace yoshiki::pdf
