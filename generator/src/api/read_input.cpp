// api/read_input — one input file as data XML (see yoshiki.h): what a
// program built on the Engine (programs/senior-work) reads before it
// validates and loads the text, so that it never opens files on its own.
#include <algorithm>

#include "pdf/read/reader.h"
#include "xml/xml.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki {

std::string read_input(const Engine& engine, const std::string& path,
                       const PdfIsolation& isolation) {
  std::string bytes = xml::read_file(path, std::max(xml::kMaxDocumentBytes, pdf::kMaxPdfBytes));
  // A filled PDF is read back as `extract` does, in a worker when asked.
  if (bytes.starts_with("%PDF-")) bytes = engine.extract(bytes, path, isolation).xml;
  return bytes;
}

}  // namespace yoshiki
