// job/files — the files a Job reads and writes: command-line paths expanded
// (folders, "-" for paths on a stream) and outputs written atomically.
#include <algorithm>
#include <cctype>
#include <cstdio>
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

void write_file(const std::string& path, const std::string& bytes) {
  // Write to a temporary name first so a failure never leaves half a file.
  const std::string tmp = path + ".part";
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::remove(tmp.c_str());
      throw Error(ErrorKind::Io, {{Severity::Error, "io.write", "cannot write file", path}});
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(ErrorKind::Io, {{Severity::Error, "io.write", "cannot write file", path}});
  }
}

void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  write_file(path, std::string(bytes.begin(), bytes.end()));
}

}  // namespace yoshiki
