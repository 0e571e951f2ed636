// computed — <computed select=>: printed text, the string value of an XPath
// over the data, which may call the form's rule functions. A printed value
// of a dated parameter comes from the rule file's table this way (e.g. the
// minimum daily wage base and its effective date), never from fixed text.
#include "fields/common.h"

namespace yoshiki::fields {
namespace {

class Computed final : public PrintedText {
 public:
  std::shared_ptr<xml::XPath> select;
  const xml::XPathEnv* functions = nullptr;
  const char* type() const override { return "computed"; }
  std::string resolve(const Canvas& c) const override {
    if (c.blank()) {
      // A blank form has no data, but a parameter's value still prints: the
      // expression runs on an empty document (data paths select nothing).
      static const xml::Doc empty = xml::parse("<blank/>", "blank form");
      const xml::XPathContext ctx(empty.get(), functions);
      return select->string(ctx);
    }
    return c.value(select.get());
  }
};

}  // namespace

FieldType computed_type() {
  return {"computed",
          "",
          "",
          Placement::Inline,
          "fields/computed.xsd",
          [](const xmlNode* n, const TemplateReader& r, const Style&) {
            auto f = std::make_shared<Computed>();
            f->line = xml::line(n);
            f->select = r.xpath(n, xml::attr(n, "select"));
            f->functions = r.functions_env();
            return std::shared_ptr<const Item>(std::move(f));
          }};
}

}  // namespace yoshiki::fields
