// Fuzz target: rule files (rules.xsd, XPath compilation, code tables,
// parameters); a rule set that loads normalises and checks the complete
// sample. The scratch folder links codes/ to the real code tables.
#include <filesystem>

#include "rules/rules.h"
#include "support.h"
#include "xml/xml.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace yoshiki;
  static const xml::Schema schema(fuzz::kRoot + "/schemas/rules.xsd");
  static const std::string sample =
      xml::read_file(fuzz::kRoot + "/samples/jukou-moushikomi/complete.xml");
  static const bool linked = [] {
    std::error_code ec;
    std::filesystem::create_directory_symlink(fuzz::kRoot + "/schemas/codes",
                                              fuzz::scratch_dir() / "codes", ec);
    return true;
  }();
  (void)linked;
  auto path = fuzz::write_scratch("fuzz.rules.xml", fuzz::bytes(data, size));
  try {
    rules::RuleSet rules(path, schema);
    auto doc = xml::parse(sample, "complete.xml");
    rules.normalize(doc.get(), "complete.xml");
    rules.evaluate(doc.get(), "complete.xml", text::CivilDate{2024, 4, 1});
  } catch (const Error&) {
  }
  return 0;
}
