// job/checked_data — see checked_data.h.
#include "job/checked_data.h"

namespace yoshiki::job {

CheckedData load_checked(const Engine& engine, std::string_view bytes, const std::string& name,
                         const std::string& today, const Settings& settings) {
  CheckedData out;
  out.data = engine.load_data(bytes, name);  // XSD errors stop here
  ValidateOptions check;
  check.today = today;
  check.settings = settings;
  for (auto& d : engine.validate(out.data, check).diagnostics) {
    if (d.severity == Severity::Info) continue;
    out.errors = out.errors || d.severity == Severity::Error;
    out.findings.push_back(std::move(d));
  }
  return out;
}

}  // namespace yoshiki::job
