// label — printed text without a widget: literal template text, <setting
// key= default=> (an organisation setting, 〇〇〇 when unset) and <gap w=>.
#include "fields/common.h"

namespace yoshiki::fields {
namespace {

class Literal final : public PrintedText {
 public:
  std::string text;
  const char* type() const override { return "text"; }
  std::string resolve(const Canvas&) const override { return text; }
};

class Setting final : public PrintedText {
 public:
  std::string key, fallback = "〇〇〇";
  const char* type() const override { return "setting"; }
  std::string resolve(const Canvas& c) const override { return c.setting(key, fallback); }
};

class Gap final : public Item {
 public:
  double width_mm = 2;
  const char* type() const override { return "gap"; }
  Measured measure(Canvas&, const Style&) const override {
    return {layout::mm(width_mm), false, {}};
  }
};

}  // namespace

// Shared with fiscal_year.cpp: printed text resolved from the data.
std::shared_ptr<const Item> make_label(std::string text, int line) {
  auto l = std::make_shared<Literal>();
  l->text = std::move(text);
  l->line = line;
  return l;
}

FieldType setting_type() {
  return {"setting",
          "",
          "",
          Placement::Inline,
          "fields/setting.xsd",
          [](const xmlNode* n, const TemplateReader&, const Style&) {
            auto s = std::make_shared<Setting>();
            s->line = xml::line(n);
            s->key = xml::attr(n, "key");
            s->fallback = xml::attr(n, "default", s->fallback);
            return std::shared_ptr<const Item>(std::move(s));
          }};
}

FieldType gap_type() {
  return {"gap",
          "",
          "",
          Placement::Inline,
          "fields/gap.xsd",
          [](const xmlNode* n, const TemplateReader& r, const Style&) {
            auto g = std::make_shared<Gap>();
            g->line = xml::line(n);
            g->width_mm = r.number(n, "w", 2);
            return std::shared_ptr<const Item>(std::move(g));
          }};
}

}  // namespace yoshiki::fields
