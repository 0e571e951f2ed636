#include "pdf/read/isolated.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "xml/xml.h"

extern char** environ;

namespace yoshiki::pdf {
namespace {

// The answer on the pipe: a magic line, then records of a tag byte and
// length-prefixed strings. The parent trusts none of it beyond its length.
constexpr std::string_view kMagic = "yoshiki-pdf-worker 1\n";
constexpr int kExitError = 1, kExitMemory = 3;
// Attachments are at most 8 MB each and 64 of them; anything longer is a lie.
constexpr std::size_t kMaxAnswerBytes = 600u << 20;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

void put_string(std::string& out, std::string_view s) {
  std::uint32_t n = static_cast<std::uint32_t>(s.size());
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out.append(s);
}

void put_map(std::string& out, char tag, const std::map<std::string, std::string>& m) {
  for (const auto& [k, v] : m) {
    out.push_back(tag);
    put_string(out, k);
    put_string(out, v);
  }
}

class AnswerReader {
 public:
  explicit AnswerReader(std::string_view s) : s_(s) {}
  bool done() const { return s_.empty(); }
  char tag() {
    need(1);
    char c = s_[0];
    s_.remove_prefix(1);
    return c;
  }
  std::string string() {
    std::uint32_t n;
    need(sizeof n);
    std::memcpy(&n, s_.data(), sizeof n);
    s_.remove_prefix(sizeof n);
    need(n);
    std::string out(s_.substr(0, n));
    s_.remove_prefix(n);
    return out;
  }

 private:
  void need(std::size_t n) {
    if (s_.size() < n) throw std::length_error("truncated");
  }
  std::string_view s_;
};

std::string encode(const PdfFormContent& c) {
  std::string out(kMagic);
  out.push_back('F');
  put_string(out, c.form_id);
  put_string(out, c.form_version);
  out.push_back('G');
  put_string(out, std::string{char('0' + c.has_acroform), char('0' + c.has_xfa),
                              char('0' + c.has_typing_font), char('0' + c.has_javascript)});
  out.push_back('U');
  put_string(out, std::to_string(c.updates));
  out.push_back('S');
  put_string(out, std::to_string(c.skipped_attachments));
  put_map(out, 'T', c.text);
  put_map(out, 'B', c.buttons);
  put_map(out, 'A', c.attachments);
  for (const FieldProblem& p : c.field_problems) {
    out.push_back('P');
    put_string(out, std::to_string(static_cast<int>(p.kind)) + " " + std::to_string(p.count));
    put_string(out, p.field);
  }
  for (const PdfSignature& sig : c.signatures) {
    out.push_back('V');
    put_string(out, sig.field);
    put_string(out, std::string{char('0' + sig.byte_range_valid), char('0' + sig.changed_after),
                                char('0' + sig.signed_revision_read)});
    put_string(out, std::to_string(sig.signed_bytes));
    for (const auto& f : sig.changed_fields) {
      out.push_back('W');  // a changed field of the signature before it
      put_string(out, f);
    }
    for (const auto& f : sig.changed_attachments) {
      out.push_back('X');  // an embedded file changed since the signature before it
      put_string(out, f);
    }
  }
  return out;
}

PdfFormContent decode(std::string_view answer) {
  PdfFormContent c;
  AnswerReader r(answer.substr(kMagic.size()));
  while (!r.done()) {
    switch (r.tag()) {
      case 'F':
        c.form_id = r.string();
        c.form_version = r.string();
        break;
      case 'G': {
        std::string f = r.string();
        if (f.size() != 4) throw std::length_error("flags");
        c.has_acroform = f[0] == '1', c.has_xfa = f[1] == '1', c.has_typing_font = f[2] == '1';
        c.has_javascript = f[3] == '1';
        break;
      }
      case 'U':
        c.updates = std::atoi(r.string().c_str());
        break;
      case 'S':
        c.skipped_attachments = std::atoi(r.string().c_str());
        break;
      case 'T': {
        auto k = r.string();
        c.text[k] = r.string();
        break;
      }
      case 'B': {
        auto k = r.string();
        c.buttons[k] = r.string();
        break;
      }
      case 'A': {
        auto k = r.string();
        c.attachments[k] = r.string();
        break;
      }
      case 'V': {
        PdfSignature& sig = c.signatures.emplace_back();
        sig.field = r.string();
        std::string f = r.string();
        if (f.size() != 3) throw std::length_error("signature flags");
        sig.byte_range_valid = f[0] == '1', sig.changed_after = f[1] == '1';
        sig.signed_revision_read = f[2] == '1';
        sig.signed_bytes = std::strtoull(r.string().c_str(), nullptr, 10);
        break;
      }
      case 'P': {
        std::string kind_count = r.string();
        int kind = 0, count = 0;
        if (std::sscanf(kind_count.c_str(), "%d %d", &kind, &count) != 2 || kind < 0 ||
            kind > static_cast<int>(FieldProblem::Kind::HiddenIgnored))
          throw std::length_error("field problem");
        c.field_problems.push_back({static_cast<FieldProblem::Kind>(kind), r.string(), count});
        break;
      }
      case 'W':
        if (c.signatures.empty()) throw std::length_error("changed field without signature");
        c.signatures.back().changed_fields.push_back(r.string());
        break;
      case 'X':
        if (c.signatures.empty()) throw std::length_error("changed attachment without signature");
        c.signatures.back().changed_attachments.push_back(r.string());
        break;
      default:
        throw std::length_error("tag");
    }
  }
  return c;
}

std::string encode(const Error& e) {
  std::string out(kMagic);
  for (const auto& d : e.diagnostics()) {
    out.push_back('E');
    put_string(out, d.code);
    put_string(out, d.message);
  }
  return out;
}

Error decode_error(std::string_view answer, const std::string& path) {
  std::vector<Diagnostic> ds;
  AnswerReader r(answer.substr(kMagic.size()));
  while (!r.done()) {
    if (r.tag() != 'E') throw std::length_error("tag");
    auto code = r.string();
    ds.push_back({Severity::Error, code, r.string(), path});
  }
  if (ds.empty()) throw std::length_error("empty");
  return Error(ErrorKind::InvalidInput, std::move(ds));
}

bool write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

Error failure(const std::string& path, const char* code, const std::string& message) {
  return Error(ErrorKind::InvalidInput, {{Severity::Error, code, message, path}});
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// The child's environment: under AddressSanitizer RLIMIT_AS cannot work (the
// shadow memory alone is terabytes of address space), so the allocator is
// told to fail single allocations past the limit instead (std::bad_alloc):
// a weaker bound, for sanitizer builds only.
std::vector<std::string> child_environment(const PdfIsolation& isolation) {
  std::vector<std::string> env;
  std::string asan = "ASAN_OPTIONS=";
  for (char** e = environ; *e; ++e) {
    std::string_view v(*e);
    if (kAddressSanitizer && v.starts_with("ASAN_OPTIONS="))
      asan = std::string(v) + ":";
    else
      env.emplace_back(v);
  }
  if (kAddressSanitizer) {
    env.push_back(asan + "allocator_may_return_null=1:detect_leaks=0:max_allocation_size_mb=" +
                  std::to_string(isolation.memory_mb));
  }
  return env;
}

}  // namespace

PdfFormContent read_pdf_form_isolated(const std::string& path, const PdfIsolation& isolation) {
  return read_pdf_form_isolated(xml::read_file(path, kMaxPdfBytes), path, isolation);
}

PdfFormContent read_pdf_form_isolated(std::string_view pdf, const std::string& path,
                                      const PdfIsolation& isolation) {
  // Everything the child needs is prepared before fork: after fork only
  // async-signal-safe calls are made (other threads may hold locks).
  std::vector<std::string> args = isolation.worker;
  args.push_back(kWorkerStdin);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = child_environment(isolation);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  const rlim_t memory = static_cast<rlim_t>(isolation.memory_mb) << 20;
  const rlim_t cpu = isolation.seconds;

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw Error(ErrorKind::Io, {{Severity::Error, "pdf.worker-start",
                                 "cannot create a pipe for the PDF worker", path}});
  Fd read_end{fds[0]}, write_end{fds[1]};
  // The PDF goes in over a socket, not a pipe: send(MSG_NOSIGNAL) to a
  // worker that died or stopped reading is an error return, never SIGPIPE.
  int in_fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_fds) != 0)
    throw Error(ErrorKind::Io, {{Severity::Error, "pdf.worker-start",
                                 "cannot create a pipe for the PDF worker", path}});
  Fd to_child{in_fds[0]}, child_in{in_fds[1]};
  pid_t pid = ::fork();
  if (pid < 0)
    throw Error(ErrorKind::Io,
                {{Severity::Error, "pdf.worker-start", "cannot start the PDF worker", path}});
  if (pid == 0) {
    ::setpgid(0, 0);  // its own process group: a timeout kills whatever it started too
    if (::dup2(in_fds[1], 0) < 0 || ::dup2(fds[1], 1) < 0) ::_exit(126);
    struct rlimit core {
      0, 0
    }, cpu_limit{cpu, cpu + 1};
    ::setrlimit(RLIMIT_CORE, &core);  // a core dump would hold the form's personal data
    ::setrlimit(RLIMIT_CPU, &cpu_limit);
    if (!kAddressSanitizer) {
      struct rlimit as {
        memory, memory
      };
      ::setrlimit(RLIMIT_AS, &as);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // as the child does: whichever runs first
  ::close(write_end.fd);
  write_end.fd = -1;
  ::close(child_in.fd);
  child_in.fd = -1;

  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::seconds(isolation.seconds);
  std::string answer;
  bool timed_out = false, too_long = false;
  char buf[65536];
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p[2] = {{read_end.fd, POLLIN, 0}, {to_child.fd, POLLOUT, 0}};
    int rc = ::poll(p, to_child.fd >= 0 ? 2 : 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (rc < 0 && errno == EINTR) continue;
    if (rc == 0) continue;
    if (to_child.fd >= 0 && p[1].revents) {
      ssize_t n = ::send(to_child.fd, pdf.data(), pdf.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) pdf.remove_prefix(static_cast<std::size_t>(n));
      // All sent, or the worker stopped reading (its exit status tells why).
      if (pdf.empty() || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        ::close(to_child.fd);
        to_child.fd = -1;
      }
    }
    if (!p[0].revents) continue;
    ssize_t n = ::read(read_end.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    answer.append(buf, static_cast<std::size_t>(n));
    if (answer.size() > kMaxAnswerBytes) {
      too_long = true;
      break;
    }
  }
  if ((timed_out || too_long) && ::kill(-pid, SIGKILL) != 0) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const std::string limit = " (limits: " + std::to_string(isolation.memory_mb) + " MB, " +
                            std::to_string(isolation.seconds) + " s)";
  if (timed_out || (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU))
    throw failure(path, "pdf.worker-timeout", "the PDF parser timed out on this file" + limit);
  if (too_long)
    throw failure(path, "pdf.worker-crashed", "the PDF worker sent an answer past every bound");
  if (WIFSIGNALED(status)) {
    const char* sig = sigabbrev_np(WTERMSIG(status));
    throw failure(path, "pdf.worker-crashed",
                  std::string("the PDF parser crashed on this file (signal ") +
                      (sig ? "SIG" + std::string(sig) : "?") + ")");
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == kExitMemory)
    throw failure(path, "pdf.worker-memory",
                  "the PDF parser ran out of memory on this file" + limit);
  if (code == 127 || code == 126)
    throw Error(ErrorKind::Io, {{Severity::Error, "pdf.worker-start",
                                 "cannot run the PDF worker " + args[0], path}});
  try {
    if ((code == 0 || code == kExitError) && answer.starts_with(kMagic)) {
      if (code == kExitError) throw decode_error(answer, path);
      return decode(answer);
    }
  } catch (const std::length_error&) {
  }
  if (code == 0 || answer.starts_with(kMagic))
    throw failure(path, "pdf.worker-crashed", "the PDF worker sent an unreadable answer");
  throw failure(path, "pdf.worker-crashed",
                "the PDF parser crashed on this file (exit status " + std::to_string(code) + ")");
}

namespace {

// The PDF the parent sends on standard input, at most kMaxPdfBytes.
std::string read_stdin(const std::string& name) {
  std::string bytes;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw Error(ErrorKind::Io,
                  {{Severity::Error, "io.read",
                    std::string("cannot read the PDF: ") + std::strerror(errno), name}});
    if (n == 0) return bytes;
    if (bytes.size() + static_cast<std::size_t>(n) > kMaxPdfBytes)
      throw Error(ErrorKind::InvalidInput, {{Severity::Error, "io.too-large",
                                             "the PDF is larger than the limit of " +
                                                 std::to_string(kMaxPdfBytes) + " bytes",
                                             name}});
    bytes.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace

int serve_pdf_worker(const std::string& path, int fd) {
  try {
    try {
      auto bytes = path == kWorkerStdin ? read_stdin(path) : xml::read_file(path, kMaxPdfBytes);
      auto content = read_pdf_form(bytes, path);
      return write_all(fd, encode(content)) ? 0 : kExitError;
    } catch (const Error& e) {
      if (!e.diagnostics().empty() && e.diagnostics()[0].code == "pdf.out-of-memory")
        return kExitMemory;
      write_all(fd, encode(e));
      return kExitError;
    }
  } catch (const std::bad_alloc&) {
    return kExitMemory;
  }
}

}  // namespace yoshiki::pdf
