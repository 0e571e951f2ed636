// job/reporters — see reporters.h.
#include "job/reporters.h"

#include <nlohmann/json.hpp>

#include "yoshiki/version.h"

namespace yoshiki {
namespace job {

const char* severity_letter(Severity s) {
  return s == Severity::Error ? "E" : s == Severity::Warning ? "W" : "I";
}

}  // namespace job

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      out += {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      // C1 controls (U+0080…U+009F: CSI, OSC, ST…), which terminals obey too.
      const auto c1 = static_cast<unsigned char>(s[++i]);
      out += {'\\', 'u', '0', '0', kHex[c1 >> 4], kHex[c1 & 15]};
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

namespace job {

std::string json_text(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

void put_file_name(nlohmann::json& j, const std::string& key, const std::string& file) {
  j[key] = file;
  try {
    (void)j[key].dump();  // strict: throws on bytes that are not UTF-8
  } catch (const nlohmann::json::type_error&) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : file) hex += {kHex[c >> 4], kHex[c & 15]};
    j[key + "Hex"] = hex;
  }
}

nlohmann::json issue_json(const Diagnostic& d, bool redact) {
  nlohmann::json j{
      {"rule", d.code},
      {"severity", severity_letter(d.severity)},
      {"field", d.field},
      {"line", d.line},
      {"message", {{"en", d.message}, {"ja", d.message_ja.empty() ? d.message : d.message_ja}}}};
  if (d.column) j["column"] = d.column;
  if (!d.value.empty() && !redact) j["value"] = d.value;
  return j;
}

namespace {

nlohmann::json to_json(const ValidationResult& r, bool redact) {
  nlohmann::json issues = nlohmann::json::array();
  for (const auto& d : r.diagnostics) issues.push_back(issue_json(d, redact));
  nlohmann::json j{{"form", r.form_id},
                   {"version", r.form_version},
                   {"readable", r.readable},
                   {"valid", r.valid},
                   {"issues", std::move(issues)}};
  put_file_name(j, "file", r.source);
  return j;
}

// Which yoshiki wrote a report, and in which report format.
nlohmann::json tool_json() { return {{"version", version()}, {"format", YOSHIKI_REPORT_FORMAT}}; }

nlohmann::json to_json(const Summary& s) {
  return {{"files", s.files},
          {"valid", s.valid},
          {"invalid", s.invalid},
          {"unreadable", s.unreadable},
          {"per_rule", s.per_rule}};
}

}  // namespace

Reporter::Reporter(std::ostream& out, std::ostream& err, ReportFormat format, std::string lang,
                   bool colour, bool progress, std::size_t total, bool redact)
    : out_(out),
      err_(err),
      format_(format),
      lang_(std::move(lang)),
      colour_(colour),
      progress_(progress),
      redact_(redact),
      total_(total) {
  if (format_ == ReportFormat::Json)
    out_ << "{\"yoshiki\":" << json_text(tool_json(), -1) << ",\"files\":[";
}

void Reporter::clear_progress() {
  if (progress_) err_ << "\r\033[K";
}

void progress_bar(std::ostream& err, std::size_t done, std::size_t total, const std::string& what,
                  std::size_t count) {
  if (total == 0) return;
  const int width = 30;
  int filled = static_cast<int>(width * done / total);
  err << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] " << done
      << "/" << total << "  " << what << count << std::flush;
}

void Reporter::draw_progress() {
  if (!progress_) return;
  progress_bar(err_, summary_.files, total_, lang_ == "ja" ? "不備 " : "invalid ",
               summary_.invalid + summary_.unreadable);
}

void Reporter::add(const ValidationResult& r) {
  ++summary_.files;
  if (!r.readable)
    ++summary_.unreadable;
  else if (r.valid)
    ++summary_.valid;
  else
    ++summary_.invalid;
  for (const auto& d : r.diagnostics) ++summary_.per_rule[d.code];

  clear_progress();
  if (format_ == ReportFormat::Json) {
    out_ << (first_json_ ? "\n" : ",\n") << json_text(to_json(r, redact_));
    first_json_ = false;
  } else if (format_ == ReportFormat::JsonLines) {
    out_ << json_text(to_json(r, redact_)) << "\n";
  } else {
    const bool ja = lang_ == "ja";
    const char* red = colour_ ? "\033[31m" : "";
    const char* yellow = colour_ ? "\033[33m" : "";
    const char* green = colour_ ? "\033[32m" : "";
    const char* reset = colour_ ? "\033[0m" : "";
    std::string verdict = !r.readable ? (ja ? "読み取れません" : "unreadable")
                          : r.valid   ? (ja ? "適合" : "valid")
                                      : (ja ? "不備あり" : "invalid");
    out_ << printable(r.source) << ": " << (r.valid ? green : red) << verdict << reset;
    if (r.readable) out_ << " (" << r.form_id << " " << r.form_version << ")";
    out_ << "\n";
    for (const auto& d : r.diagnostics) {
      const char* c = d.severity == Severity::Error     ? red
                      : d.severity == Severity::Warning ? yellow
                                                        : "";
      out_ << "  " << c << severity_letter(d.severity) << " " << d.code << reset;
      if (d.line) out_ << " " << (ja ? "行" : "line ") << d.line;
      if (!d.field.empty()) out_ << " " << printable(d.field);
      out_ << ": " << printable(ja && !d.message_ja.empty() ? d.message_ja : d.message) << "\n";
    }
  }
  out_.flush();
  draw_progress();
}

void Reporter::finish() {
  clear_progress();
  if (format_ == ReportFormat::Json) {
    out_ << "\n],\"summary\":" << json_text(to_json(summary_)) << "}\n";
  } else if (format_ == ReportFormat::JsonLines) {
    out_ << json_text(nlohmann::json{{"summary", to_json(summary_)}, {"yoshiki", tool_json()}})
         << "\n";
  } else {
    const bool ja = lang_ == "ja";
    out_ << "\n"
         << (ja ? "ファイル " : "files ") << summary_.files << ", " << (ja ? "適合 " : "valid ")
         << summary_.valid << ", " << (ja ? "不備あり " : "invalid ") << summary_.invalid << ", "
         << (ja ? "読み取り不可 " : "unreadable ") << summary_.unreadable << "\n";
    for (const auto& [code, n] : summary_.per_rule) out_ << "  " << code << ": " << n << "\n";
  }
  out_.flush();
}

}  // namespace job
}  // namespace yoshiki
