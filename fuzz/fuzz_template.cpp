// Fuzz target: template loading (XSD, XPath bindings) and, for templates that
// load, a blank flat render (layout, shaping, PDF writing).
#include "support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto path = yoshiki::fuzz::write_scratch("template.xml", yoshiki::fuzz::bytes(data, size));
  yoshiki::RenderOptions options;
  options.creation_date = "2024-04-01T00:00:00Z";
  options.output = yoshiki::RenderOptions::Output::Flat;
  options.typing_font = yoshiki::RenderOptions::TypingFont::None;
  try {
    yoshiki::fuzz::engine().render(path, yoshiki::FormData{}, options);
  } catch (const yoshiki::Error&) {
  }
  return 0;
}
