// job/files — the files a Job reads and writes: command-line paths expanded
// (folders, "-" for paths on a stream) and outputs written atomically.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>

#include "job/reporters.h"
#include "yoshiki/job.h"

namespace yoshiki {

namespace job {

void add_paths(const std::string& arg, std::vector<std::string>& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(arg, ec)) {
    out.push_back(arg);  // a file, or what its run reports as unreadable
    return;
  }
  // Every *.xml and *.pdf below, in any case (.PDF from a Windows archive).
  // An entry that cannot be resolved (a symlink loop, a broken link) is
  // listed all the same, so that its run reports it as unreadable and goes
  // on; directory symlinks are not followed, so no walk loops.
  std::vector<std::string> found;
  for (const auto& e : fs::recursive_directory_iterator(arg)) {
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext != ".xml" && ext != ".pdf") continue;
    std::error_code ec;
    const bool regular = e.is_regular_file(ec);
    if (regular || ec) found.push_back(e.path().string());
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

}  // namespace job

std::vector<std::string> expand_paths(const std::vector<std::string>& args, std::istream& in) {
  std::vector<std::string> out;
  for (const auto& a : args) {
    std::error_code ec;
    if (a == "-") {
      for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    } else if (std::filesystem::exists(a, ec) || ec) {
      job::add_paths(a, out);  // a symlink loop too: its run says it cannot be read
    } else {
      throw Error(ErrorKind::Io, {{Severity::Error, "io.read", "no such file or directory", a}});
    }
  }
  return out;
}

void write_file(const std::string& path, const std::string& bytes) {
  // Write to a temporary name first so a failure never leaves half a file;
  // the error says why ("cannot write file: Permission denied").
  const std::string tmp = path + ".part";
  auto write_error = [&](int err) {
    Diagnostic d(Severity::Error, "io.write",
                 std::string("cannot write file: ") + std::strerror(err), path);
    d.message_ja = std::string("ファイルを書き出せません: ") + std::strerror(err);
    return Error(ErrorKind::Io, {d});
  };
  auto fail = [&](int err) {
    std::remove(tmp.c_str());
    return write_error(err);
  };
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw write_error(errno);
  std::string_view left = bytes;
  while (!left.empty()) {
    const ssize_t n = ::write(fd, left.data(), left.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw fail(err);
    }
    left.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::close(fd) != 0) throw fail(errno);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw fail(errno);
}

void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  write_file(path, std::string(bytes.begin(), bytes.end()));
}

}  // namespace yoshiki
