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

#include "yoshiki/job.h"

namespace yoshiki {

std::vector<std::string> expand_paths(const std::vector<std::string>& args, std::istream& in) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& a : args) {
    if (a == "-") {
      for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    } else if (std::error_code ec; fs::is_directory(a, ec)) {
      // Every *.xml and *.pdf below, in any case (.PDF from a Windows archive).
      // An entry that cannot be resolved (a symlink loop, a broken link) is
      // listed all the same, so that its run reports it as unreadable and
      // goes on; directory symlinks are not followed, so no walk loops.
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(a)) {
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
    } else if (fs::exists(a, ec) || ec) {
      out.push_back(a);  // a symlink loop too: its run says it cannot be read
    } else {
      throw Error(ErrorKind::Io, {{Severity::Error, "io.read", "no such file or directory", a}});
    }
  }
  return out;
}

namespace {

[[noreturn]] void write_failed(const std::string& path, const std::string& why) {
  throw Error(ErrorKind::Io, {{Severity::Error, "io.write", "cannot write file: " + why, path}});
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
  // A file: written under a random, exclusively created name in its folder
  // (mkstemp: O_EXCL, never a symlink someone planted), flushed to disk so
  // that a full disk fails here and not after the rename, then renamed over
  // the target. The rename replaces a symlink at the target, never follows it.
  const std::filesystem::path target_path(path);
  const std::string folder =
      target_path.has_parent_path() ? target_path.parent_path().string() : std::string(".");
  std::string tmp = folder + "/." + target_path.filename().string() + ".XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) write_failed(path, std::strerror(errno));
  try {
    // An existing file keeps its mode; a new one gets 0666 less the umask,
    // as open() would give it (mkstemp makes 0600).
    mode_t mode = target.st_mode & 07777;
    if (!exists) {
      const mode_t mask = ::umask(0);
      ::umask(mask);
      mode = 0666 & ~mask;
    }
    if (::fchmod(fd, mode) != 0) write_failed(path, std::strerror(errno));
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
