#include "pdf/read/reader.h"

#include <mutex>
#include <optional>
#include <stdexcept>
#include <set>

#include "pdf/write/podofo_wrap.h"
#include "yoshiki/yoshiki.h"

using namespace PoDoFo;

namespace yoshiki::pdf {
namespace {

constexpr int kMaxDepth = 32;  // field trees deeper than this are hostile
constexpr std::size_t kMaxAttachmentBytes = 32u << 20;

const PdfObject* resolve(const PdfMemDocument& doc, const PdfObject* o) {
  for (int i = 0; o && o->IsReference() && i < 8; ++i)
    o = doc.GetObjects().GetObject(o->GetReference());
  return o && o->IsReference() ? nullptr : o;
}

const PdfObject* key(const PdfMemDocument& doc, const PdfObject* dict, const char* k) {
  if (!dict || !dict->IsDictionary()) return nullptr;
  return resolve(doc, dict->GetDictionary().GetKey(PdfName(k)));
}

std::string as_text(const PdfObject* o) {
  if (!o) return "";
  if (o->IsString() || o->IsHexString()) return o->GetString().GetStringUtf8();
  if (o->IsName()) return o->GetName().GetName();
  return "";
}

struct Walker {
  const PdfMemDocument& doc;
  PdfFormContent& out;
  std::set<const PdfObject*> seen;  // cyclic /Kids are hostile

  void field(const PdfObject* f, const std::string& parent_name, std::string ft, const PdfObject* v,
             long ff, int depth) {
    if (!f || !f->IsDictionary() || depth > kMaxDepth || !seen.insert(f).second) return;
    std::string t = as_text(key(doc, f, "T"));
    std::string name = t.empty() ? parent_name : parent_name.empty() ? t : parent_name + "." + t;
    if (auto* x = key(doc, f, "FT"); x && x->IsName()) ft = x->GetName().GetName();
    if (auto* x = key(doc, f, "V")) v = x;
    if (auto* x = key(doc, f, "Ff"); x && x->IsNumber()) ff = static_cast<long>(x->GetNumber());
    const PdfObject* kids = key(doc, f, "Kids");
    bool has_field_kids = false;
    if (kids && kids->IsArray()) {
      for (const auto& k : kids->GetArray()) {
        const PdfObject* kid = resolve(doc, &k);
        if (key(doc, kid, "T")) {
          has_field_kids = true;
          field(kid, name, ft, v, ff, depth + 1);
        }
      }
    }
    if (has_field_kids || name.empty()) return;
    if (ft == "Tx" || ft == "Ch") {
      out.text[name] = as_text(v);
    } else if (ft == "Btn" && !(ff & (1 << 16))) {  // not a push button
      std::string state = as_text(v);
      if (state.empty()) {  // no /V: the widget whose /AS is on
        auto on_state = [&](const PdfObject* w) {
          std::string as = as_text(key(doc, w, "AS"));
          if (!as.empty() && as != "Off") state = as;
        };
        on_state(f);
        if (kids && kids->IsArray())
          for (const auto& k : kids->GetArray()) on_state(resolve(doc, &k));
      }
      // pypdf writes states as strings, sometimes with the name's slash ("/2").
      if (!state.empty() && state[0] == '/') state.erase(0, 1);
      out.buttons[name] = state == "Off" ? "" : state;
    }
  }
};

// Decodes a stream into a string, stopping (with an error naming `what`)
// once it grows past `limit`: a few KB of Flate can inflate to gigabytes.
class BoundedSink : public PdfOutputStream {
 public:
  explicit BoundedSink(std::size_t limit) : limit_(limit) {}
  pdf_long Write(const char* buf, pdf_long len) override {
    if (len < 0 || data.size() + static_cast<std::size_t>(len) > limit_) throw std::length_error("stream too large");
    data.append(buf, static_cast<std::size_t>(len));
    return len;
  }
  void Close() override {}
  std::string data;

 private:
  std::size_t limit_;
};

// The decoded stream, or nullopt when it would exceed `limit` bytes.
std::optional<std::string> decoded(const PdfObject* o, std::size_t limit) {
  if (!o || !o->HasStream()) return std::nullopt;
  BoundedSink sink(limit);
  try {
    o->GetStream()->GetFilteredCopy(&sink);
  } catch (const std::length_error&) {
    return std::nullopt;
  }
  return std::move(sink.data);
}

// <yoshiki:formId>…</yoshiki:formId> in the XMP packet: survives tools that
// rebuild the Info dictionary but keep the catalog (pypdf).
std::string xmp_value(const PdfMemDocument& doc, const std::string& tag) {
  auto packet = decoded(key(doc, doc.GetCatalog(), "Metadata"), 1 << 20);
  if (!packet) return "";
  const std::string& xmp = *packet;
  const std::string open = "<yoshiki:" + tag + ">", close = "</yoshiki:" + tag + ">";
  size_t a = xmp.find(open);
  if (a == std::string::npos) return "";
  a += open.size();
  size_t b = xmp.find(close, a);
  return b == std::string::npos || b - a > 64 ? "" : xmp.substr(a, b - a);
}

void read_attachments(const PdfMemDocument& doc, PdfFormContent& out) {
  const PdfObject* names = key(doc, doc.GetCatalog(), "Names");
  const PdfObject* ef = key(doc, names, "EmbeddedFiles");
  const PdfObject* arr = key(doc, ef, "Names");  // flat name tree (what yoshiki writes)
  if (!arr || !arr->IsArray()) return;
  const PdfArray& a = arr->GetArray();
  for (size_t i = 0; i + 1 < a.size() && i < 64; i += 2) {
    std::string fname = as_text(resolve(doc, &a[i]));
    const PdfObject* spec = resolve(doc, &a[i + 1]);
    const PdfObject* efd = key(doc, spec, "EF");
    // Data attachments are small XML: anything inflating past the XML size
    // limit is ignored (the fields still count), never decoded in full.
    if (auto bytes = decoded(key(doc, efd, "F"), kMaxAttachmentBytes)) out.attachments[fname] = std::move(*bytes);
  }
}

}  // namespace

PdfFormContent read_pdf_form(std::string_view bytes, const std::string& name) {
  static std::once_flag quiet;
  std::call_once(quiet, [] {
    PdfError::EnableDebug(false);
    PdfError::EnableLogging(false);
  });
  if (bytes.size() > kMaxPdfBytes) {
    throw Error(ErrorKind::InvalidInput, {{Severity::Error, "pdf.too-large", "PDF exceeds the size limit", name}});
  }
  PdfFormContent out;
  try {
    PdfMemDocument doc;
    doc.LoadFromBuffer(bytes.data(), static_cast<long>(bytes.size()));
    if (doc.GetEncrypted()) {
      throw Error(ErrorKind::InvalidInput, {{Severity::Error, "pdf.encrypted", "encrypted PDFs are not supported", name}});
    }
    if (const PdfObject* info = doc.GetInfo() ? doc.GetInfo()->GetObject() : nullptr) {
      out.form_id = as_text(key(doc, info, "YoshikiFormId"));
      out.form_version = as_text(key(doc, info, "YoshikiFormVersion"));
    }
    if (out.form_id.empty()) {
      out.form_id = xmp_value(doc, "formId");
      out.form_version = xmp_value(doc, "formVersion");
    }
    const PdfObject* form = key(doc, doc.GetCatalog(), "AcroForm");
    if (form) {
      out.has_acroform = true;
      out.has_xfa = key(doc, form, "XFA") != nullptr;
      out.has_typing_font = key(doc, key(doc, key(doc, form, "DR"), "Font"), "YoshikiTyping") != nullptr;
      const PdfObject* fields = key(doc, form, "Fields");
      Walker w{doc, out, {}};
      if (fields && fields->IsArray())
        for (const auto& f : fields->GetArray()) w.field(resolve(doc, &f), "", "", nullptr, 0, 0);
    }
    read_attachments(doc, out);
  } catch (const PdfError& e) {
    throw Error(ErrorKind::InvalidInput,
                {{Severity::Error, "pdf.damaged",
                  std::string("cannot read PDF: ") + PdfError::ErrorName(e.GetError()), name}});
  }
  return out;
}

}  // namespace yoshiki::pdf
