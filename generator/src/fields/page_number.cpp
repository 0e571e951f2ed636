// page_number — <page-number/>: printed text 「n / m」, this sheet's number
// among all the sheets of the document (the first page and its 続き pages),
// so that a loose continuation sheet can be put back in place.
#include "fields/common.h"

namespace yoshiki::fields {
namespace {

class PageNumber final : public PrintedText {
 public:
  const char* type() const override { return "page-number"; }
  std::string resolve(const Canvas& c) const override {
    if (c.page_count() == 0) return "";  // not laid out as a document (bindings only)
    return std::to_string(c.page_number()) + " / " + std::to_string(c.page_count());
  }
};

}  // namespace

FieldType page_number_type() {
  return {"page-number",
          "",
          "",
          Placement::Inline,
          "fields/page-number.xsd",
          [](const xmlNode* n, const TemplateReader&, const Style&) {
            auto p = std::make_shared<PageNumber>();
            p->line = xml::line(n);
            return std::shared_ptr<const Item>(std::move(p));
          }};
}

}  // namespace yoshiki::fields
