#include "io/io.h"

#include <ctime>
#include <filesystem>

namespace yoshiki {

namespace {

// The file system and the system clock.
class SystemIo final : public Io {
 public:
  std::string read(const std::string& path, std::size_t max_bytes) const override {
    return xml::read_file(path, max_bytes);
  }
  bool exists(const std::string& path) const override {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
  }
  std::string today() const override { return format("%Y-%m-%d", false); }
  std::string now_utc() const override { return format("%Y-%m-%dT%H:%M:%SZ", true); }

 private:
  static std::string format(const char* pattern, bool utc) {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    if (utc)
      gmtime_r(&t, &tm);
    else
      localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, pattern, &tm);
    return buf;
  }
};

}  // namespace

std::shared_ptr<const Io> system_io() {
  static const auto io = std::make_shared<const SystemIo>();
  return io;
}

namespace io {

xml::Doc parse_file(const Io& io, const std::string& path) {
  return xml::parse(io.read(path, xml::kMaxDocumentBytes), path);
}

std::unique_ptr<xml::Schema> schema(const Io& io, const std::string& path) {
  return std::make_unique<xml::Schema>(io.read(path, xml::kMaxDocumentBytes), path);
}

text::CivilDate today(const Io& io) {
  const std::string iso = io.today();
  auto d = text::parse_iso_date(iso);
  if (!d) {
    throw Error(ErrorKind::Io, {{Severity::Error, "io.clock",
                                 "the clock's date '" + iso + "' is not YYYY-MM-DD"}});
  }
  return *d;
}

text::CivilDate date_option(const Io& io, const std::string& iso, const std::string& option) {
  return iso.empty() ? today(io) : text::date_option(iso, option);
}

}  // namespace io
}  // namespace yoshiki
