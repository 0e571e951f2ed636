// PoDoFo 0.9.8's headers use std::iterator, deprecated in C++17: silence that
// warning for this include only.
#pragma once
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <podofo.h>
#pragma GCC diagnostic pop

#include <memory>
#include <mutex>

namespace yoshiki::pdf {

// A new, empty document. PoDoFo 0.9.8 stamps each with the time through
// localtime(), whose answer lives in one static buffer that threads making
// documents at once overwrite under each other: documents are made in turn.
inline std::unique_ptr<PoDoFo::PdfMemDocument> new_document() {
  static std::mutex making;
  std::lock_guard<std::mutex> lock(making);
  return std::make_unique<PoDoFo::PdfMemDocument>();
}

}  // namespace yoshiki::pdf
