// job/files — the files a Job reads and writes: command-line paths expanded
// (folders, "-" for paths on a stream) and outputs written atomically.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <random>

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

namespace {

// The error says why ("cannot write file: Permission denied").
[[noreturn]] void write_failed(const std::string& path, const std::string& why) {
  Diagnostic d(Severity::Error, "io.write", "cannot write file: " + why, path);
  d.message_ja = "ファイルを書き出せません: " + why;
  throw Error(ErrorKind::Io, {d});
}

// A new file under a random name in `folder`, created exclusively and never
// through a symlink someone planted (O_EXCL | O_NOFOLLOW); `mode` less the
// umask, as any open() would make it — no umask() juggling, which would race
// with other threads creating files.
int open_temporary(const std::string& folder, const std::string& base, mode_t mode,
                   std::string& tmp) {
  std::random_device random;
  for (int attempt = 0; attempt < 64; ++attempt) {
    char suffix[20];
    std::snprintf(suffix, sizeof suffix, "%08x%08x", random(), random());
    tmp = folder + "/." + base + "." + suffix;
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

// Every byte written, or the reason (a full disk, a closed pipe, EIO).
void write_all(int fd, std::string_view s, const std::string& path) {
  while (!s.empty()) {
    ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) write_failed(path, std::strerror(n < 0 ? errno : EIO));
    s.remove_prefix(static_cast<std::size_t>(n));
  }
}

void close_checked(int fd, const std::string& path) {
  if (::close(fd) != 0 && errno != EINTR) write_failed(path, std::strerror(errno));
}

}  // namespace

void write_file(const std::string& path, const std::string& bytes) {
  // "-", a FIFO, a device or a socket (also through a symlink: -o /dev/stdout)
  // is written as it is: renaming over it would replace the node itself.
  if (path == "-") {
    write_all(STDOUT_FILENO, bytes, path);
    return;
  }
  struct stat target {};
  const bool exists = ::stat(path.c_str(), &target) == 0;
  if (exists && !S_ISREG(target.st_mode)) {
    if (S_ISDIR(target.st_mode)) write_failed(path, "it is a folder");
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) write_failed(path, std::strerror(errno));
    try {
      write_all(fd, bytes, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    close_checked(fd, path);
    return;
  }
  // A file: written under a random, exclusively created name in its folder,
  // flushed to disk so that a full disk fails here and not after the rename,
  // then renamed over the target. The rename replaces a symlink at the
  // target, never follows it. An existing file keeps its mode.
  const std::filesystem::path target_path(path);
  const std::string folder =
      target_path.has_parent_path() ? target_path.parent_path().string() : std::string(".");
  std::string tmp;
  int fd = open_temporary(folder, target_path.filename().string(), exists ? 0600 : 0666, tmp);
  if (fd < 0) write_failed(path, std::strerror(errno));
  try {
    if (exists && ::fchmod(fd, target.st_mode & 07777) != 0)
      write_failed(path, std::strerror(errno));
    write_all(fd, bytes, path);
    if (::fsync(fd) != 0) write_failed(path, std::strerror(errno));
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0) write_failed(path, std::strerror(errno));
    if (std::rename(tmp.c_str(), path.c_str()) != 0) write_failed(path, std::strerror(errno));
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
}

void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  write_file(path, std::string(bytes.begin(), bytes.end()));
}

}  // namespace yoshiki
