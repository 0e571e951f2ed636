// job/checked_data — data XML loaded for rendering with its business-rule
// findings, as `yoshiki render` and `yoshiki serve`'s POST /v1/render both
// take it: XSD errors stop the load (Error); the rules run as validate runs
// them, with the organisation's settings, and their Info findings are left
// out. The caller decides what an error among them means (--strict, ?strict=1).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "yoshiki/yoshiki.h"

namespace yoshiki::job {

struct CheckedData {
  FormData data;
  std::vector<Diagnostic> findings;  // warnings and errors, in the rules' order
  bool errors = false;               // an error among them
};

CheckedData load_checked(const Engine& engine, std::string_view bytes, const std::string& name,
                         const std::string& today, const Settings& settings);

}  // namespace yoshiki::job
