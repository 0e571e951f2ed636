// embed — yoshiki in a program of your own (C++17): render a blank form and
// a filled one, validate a data file, read a filled PDF back.
//
//   embed DATA.xml OUT_DIR
//
// The Engine finds its resources (templates, schemas, fonts) by itself: set
// YOSHIKI_RESOURCES, or EngineOptions::resource_root, when your program is
// linked statically and not installed beside share/yoshiki.
#include <yoshiki/version.h>
#include <yoshiki/yoshiki.h>

#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

void write(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

int errors(const std::vector<yoshiki::Diagnostic>& diagnostics) {
  int n = 0;
  for (const auto& d : diagnostics) n += d.severity == yoshiki::Severity::Error;
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: embed DATA.xml OUT_DIR\n";
    return 2;
  }
  const std::string data_path = argv[1], out = argv[2];
  try {
    // The headers' version and the linked library's.
    std::cout << "yoshiki " << yoshiki::version() << " (headers " << YOSHIKI_VERSION_STRING
              << ")\n";

    const yoshiki::Engine engine;  // or yoshiki::EngineOptions{"/path/to/resources"}
    std::cout << "resources: " << engine.resource_root() << "\n";
    std::cout << "forms:";
    for (const auto& form : engine.forms()) std::cout << " " << form.id;
    std::cout << "\n";

    // Validate: bad data never throws, it is reported in the result.
    yoshiki::ValidateOptions check;
    check.today = "2024-06-09";
    const yoshiki::ValidationResult result = engine.validate(data_path, check);
    std::cout << "validate: " << (result.valid ? "valid" : "invalid") << " " << result.form_id
              << " " << result.form_version << ", " << errors(result.diagnostics) << " errors\n";

    // Render a blank fillable form and a filled one.
    yoshiki::RenderOptions options;
    options.creation_date = "2024-06-09T08:30:00Z";  // byte-identical output
    write(out + "/blank.pdf", engine.render("jukou-moushikomi", yoshiki::FormData{}, options));
    const yoshiki::FormData data = engine.load_data(data_path);
    options.output = yoshiki::RenderOptions::Output::Fillable;
    write(out + "/filled.pdf", engine.render(data.form_id(), data, options));
    std::cout << "rendered: blank.pdf filled.pdf\n";

    // Read the filled PDF back into data XML, and validate that.
    const yoshiki::Engine::Extracted back = engine.extract(out + "/filled.pdf");
    const yoshiki::ValidationResult again = engine.validate(back.xml, "filled.pdf", check);
    std::cout << "extract: " << back.form_id << " " << back.form_version << ", "
              << (again.valid ? "valid" : "invalid") << "\n";
    return 0;
  } catch (const yoshiki::Error& e) {
    for (const auto& d : e.diagnostics()) std::cerr << "embed: " << d.to_string() << "\n";
    return e.kind() == yoshiki::ErrorKind::InvalidInput ? 1 : 2;
  }
}
