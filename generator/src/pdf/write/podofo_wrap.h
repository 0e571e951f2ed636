// PoDoFo 0.9.8's headers use std::iterator, deprecated in C++17: silence that
// warning for this include only.
#pragma once
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <podofo.h>
#pragma GCC diagnostic pop

#include <memory>
#include <mutex>
#include <string>

namespace yoshiki::pdf {

// An integer as a PDF object. Never pass a bare integer to AddKey: a
// constant 0 binds to its PdfObject* overload (a null pointer) and crashes.
inline PoDoFo::PdfObject pdf_integer(long v) {
  return PoDoFo::PdfObject(static_cast<PoDoFo::pdf_int64>(v));
}

// A PDF text string from UTF-8 (PoDoFo writes UTF-16BE with BOM when needed).
inline PoDoFo::PdfString pdf_text(const std::string& utf8) {
  return PoDoFo::PdfString(reinterpret_cast<const PoDoFo::pdf_utf8*>(utf8.c_str()));
}

// A new, empty document. PoDoFo 0.9.8 stamps each with the time through
// localtime(), whose answer lives in one static buffer that threads making
// documents at once overwrite under each other: documents are made in turn.
inline std::unique_ptr<PoDoFo::PdfMemDocument> new_document() {
  static std::mutex making;
  std::lock_guard<std::mutex> lock(making);
  return std::make_unique<PoDoFo::PdfMemDocument>();
}

}  // namespace yoshiki::pdf
