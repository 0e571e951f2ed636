#include "pdf/read/isolated.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
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
  for (const auto& f : c.skipped_attachments) {
    out.push_back('S');
    put_string(out, f);
  }
  put_map(out, 'T', c.text);
  put_map(out, 'B', c.buttons);
  // Only what the parent reads: up to 16 MB of other attachments would
  // cross the pipe and sit in the calling process for nothing.
  std::map<std::string, std::string> read_back;
  for (const auto& [file, bytes] : c.attachments)
    if (attachment_is_read_back(file)) read_back.emplace(file, bytes);
  put_map(out, 'A', read_back);
  for (const FieldProblem& p : c.field_problems) {
    out.push_back('P');
    put_string(out, std::to_string(static_cast<int>(p.kind)) + " " + std::to_string(p.count));
    put_string(out, p.field);
  }
  for (const PageText& page : c.pages) {
    out.push_back('Q');  // a page of a flattened copy, then its characters
    char size[64];
    std::snprintf(size, sizeof size, "%.3f %.3f", page.width, page.height);
    put_string(out, size);
    if (!page.mask.empty()) {
      out.push_back('M');  // its rendering, one bit per pixel
      put_string(out, std::to_string(page.mask_w) + " " + std::to_string(page.mask_h));
      put_string(out, page.mask);
    }
    for (const PageChar& ch : page.chars) {
      out.push_back('C');
      char box[128];
      std::snprintf(box, sizeof box, "%.3f %.3f %.3f %.3f %d", ch.x0, ch.y0, ch.x1, ch.y1, ch.word);
      put_string(out, box);
      put_string(out, ch.text);
    }
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
        c.skipped_attachments.push_back(r.string());
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
      case 'Q': {
        if (c.pages.size() >= kMaxTextPages) throw std::length_error("pages");
        PageText& page = c.pages.emplace_back();
        if (std::sscanf(r.string().c_str(), "%lf %lf", &page.width, &page.height) != 2)
          throw std::length_error("page size");
        break;
      }
      case 'M': {
        if (c.pages.empty()) throw std::length_error("mask");
        PageText& page = c.pages.back();
        if (std::sscanf(r.string().c_str(), "%d %d", &page.mask_w, &page.mask_h) != 2 ||
            page.mask_w <= 0 || page.mask_h <= 0 || page.mask_w > kMaxMaskSide ||
            page.mask_h > kMaxMaskSide)
          throw std::length_error("mask size");
        page.mask = r.string();
        if (page.mask.size() != (static_cast<std::size_t>(page.mask_w) * page.mask_h + 7) / 8)
          throw std::length_error("mask bytes");
        break;
      }
      case 'C': {
        if (c.pages.empty() || c.pages.back().chars.size() >= kMaxPageChars)
          throw std::length_error("character");
        PageChar& ch = c.pages.back().chars.emplace_back();
        if (std::sscanf(r.string().c_str(), "%lf %lf %lf %lf %d", &ch.x0, &ch.y0, &ch.x1, &ch.y1,
                        &ch.word) != 5)
          throw std::length_error("character box");
        ch.text = r.string();
        if (ch.text.size() > 4) throw std::length_error("character text");
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

namespace {

// A started worker: its process (group) and the two ends the parent keeps.
struct Spawned {
  pid_t pid = -1;
  int to_child = -1;    // a socket: send(MSG_NOSIGNAL) to a dead worker is an error, not SIGPIPE
  int from_child = -1;  // a pipe
};

// Starts `args` with standard input and output connected to the parent.
// `cpu` seconds of CPU time (0: no limit, the served child sets its own).
// Everything the child needs is prepared before fork: after fork only
// async-signal-safe calls are made (other threads may hold locks).
Spawned spawn(std::vector<std::string> args, const PdfIsolation& isolation, rlim_t cpu,
              const std::string& path) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = child_environment(isolation);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  const rlim_t memory = static_cast<rlim_t>(isolation.memory_mb) << 20;

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw Error(ErrorKind::Io, {{Severity::Error, "pdf.worker-start",
                                 "cannot create a pipe for the PDF worker", path}});
  Fd read_end{fds[0]}, write_end{fds[1]};
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
    if (cpu) ::setrlimit(RLIMIT_CPU, &cpu_limit);
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
  Spawned w{pid, to_child.fd, read_end.fd};
  to_child.fd = read_end.fd = -1;
  return w;
}

void kill_and_reap(pid_t pid, int* status) {
  if (::kill(-pid, SIGKILL) != 0) ::kill(pid, SIGKILL);
  while (::waitpid(pid, status, 0) < 0 && errno == EINTR) {
  }
}

// Sends `out` while reading into `in` until `complete(in)` says the answer
// is whole, the worker closes its end, the deadline passes or the answer
// outgrows every bound. Closes the sending end once all is sent only when
// `close_when_sent` (the one-file protocol: end of input is end of PDF).
struct Exchange {
  bool timed_out = false, too_long = false, eof = false;
};
template <class Complete>
Exchange exchange(Spawned& w, std::string_view head, std::string_view out, std::string& in,
                  std::chrono::steady_clock::time_point deadline, bool close_when_sent,
                  Complete complete) {
  using Clock = std::chrono::steady_clock;
  Exchange r;
  char buf[65536];
  bool sending = !head.empty() || !out.empty() || close_when_sent;
  // A fresh request goes out before any poll: the socket of an idle worker
  // has room (one poll less per file).
  bool try_first = sending && !close_when_sent;
  for (;;) {
    if (complete(in)) return r;
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      r.timed_out = true;
      return r;
    }
    pollfd p[2] = {{w.from_child, POLLIN, 0}, {w.to_child, POLLOUT, 0}};
    if (try_first) {
      p[1].revents = POLLOUT;
      try_first = false;
    } else {
      int rc = ::poll(p, sending ? 2 : 1, static_cast<int>(std::min<long long>(left, 1000)));
      if (rc < 0 && errno == EINTR) continue;
      if (rc == 0) continue;
    }
    if (sending && p[1].revents) {
      // The header and the PDF in one call, from where they are: no copy
      // into a request buffer.
      iovec iov[2] = {{const_cast<char*>(head.data()), head.size()},
                      {const_cast<char*>(out.data()), out.size()}};
      msghdr m{};
      m.msg_iov = head.empty() ? iov + 1 : iov;
      m.msg_iovlen = head.empty() ? 1 : 2;
      ssize_t n =
          head.empty() && out.empty() ? 0 : ::sendmsg(w.to_child, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        std::size_t sent = static_cast<std::size_t>(n), from_head = std::min(sent, head.size());
        head.remove_prefix(from_head);
        out.remove_prefix(sent - from_head);
      }
      // All sent, or the worker stopped reading (its exit status tells why).
      if ((head.empty() && out.empty()) || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        sending = false;
        if (close_when_sent || !head.empty() || !out.empty()) {
          ::close(w.to_child);
          w.to_child = -1;
        }
      }
    }
    if (!p[0].revents) continue;
    ssize_t n = ::read(w.from_child, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      r.eof = true;
      return r;
    }
    in.append(buf, static_cast<std::size_t>(n));
    if (in.size() > kMaxAnswerBytes + 16) {
      r.too_long = true;
      return r;
    }
  }
}

// What a worker's end says: its wait status and its answer, or a timeout.
PdfFormContent outcome(int status, bool timed_out, bool too_long, const std::string& answer,
                       const std::string& path, const PdfIsolation& isolation) {
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
                                 "cannot run the PDF worker " + isolation.worker[0], path}});
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

// One process for one PDF: "-" appended, the PDF on standard input up to
// its end, the answer on standard output up to its end.
PdfFormContent read_one_shot(std::string_view pdf, const std::string& path,
                             const PdfIsolation& isolation) {
  std::vector<std::string> args = isolation.worker;
  args.push_back(kWorkerStdin);
  Spawned w = spawn(args, isolation, isolation.seconds, path);
  Fd to{w.to_child}, from{w.from_child};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(isolation.seconds);
  std::string answer;
  Exchange x =
      exchange(w, {}, pdf, answer, deadline, true, [](const std::string&) { return false; });
  to.fd = w.to_child;
  int status = 0;
  if (x.timed_out || x.too_long)
    kill_and_reap(w.pid, &status);
  else
    while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
    }
  return outcome(status, x.timed_out, x.too_long, answer, path, isolation);
}

// ---- long-lived workers ------------------------------------------------------
//
// A served worker ({worker..., "--serve"}) reads requests (a 16-byte header:
// the PDF's length and the CPU seconds allowed, then the PDF) and answers
// each with a 24-byte header (the wait status a one-file worker would have
// ended with, the answer's length, flags) and the answer. Program start,
// dynamic linking and PoDoFo's set-up are paid once per worker instead of
// once per file. Per-file limits: CPU time by moving RLIMIT_CPU's soft
// limit before each file, wall clock by the parent (a worker past its
// deadline is killed and replaced), memory by RLIMIT_AS as before — a
// worker whose address space has grown past half the limit retires, so the
// next file gets the room the limit promises. A worker also retires after
// any file the reader refused (nothing a hostile file left in the process
// reaches the next file), after kFilesPerWorker files, and when it crashes
// or runs out of memory (exit status as a one-file worker's). A fresh child
// per file was measured first: its page faults made isolation 3.8× slower
// than in-process on this project's VMs.
constexpr std::size_t kFrameHeader = 16;  // request: the PDF's length, CPU seconds
constexpr std::size_t kReplyHeader = 24;  // reply: wait status, answer length, flags (1: retiring)
constexpr unsigned kFilesPerWorker = 1000;

void put_u64(std::string& out, std::uint64_t v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
std::uint64_t get_u64(std::string_view s) {
  std::uint64_t v;
  std::memcpy(&v, s.data(), sizeof v);
  return v;
}

class WorkerPool {
 public:
  ~WorkerPool() {
    for (auto& [key, list] : idle_)
      for (Spawned& w : list) stop(w);
  }

  PdfFormContent read(std::string_view pdf, const std::string& path,
                      const PdfIsolation& isolation) {
    const std::string key = key_of(isolation);
    Spawned w = take(key, isolation, path);
    std::string header;
    put_u64(header, pdf.size());
    put_u64(header, isolation.seconds);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(isolation.seconds);
    std::string in;
    Exchange x = exchange(w, header, pdf, in, deadline, false, [](const std::string& got) {
      return got.size() >= kReplyHeader &&
             (get_u64(std::string_view(got).substr(8)) > kMaxAnswerBytes ||
              got.size() >= kReplyHeader + get_u64(std::string_view(got).substr(8)));
    });
    const bool framed = !x.timed_out && !x.too_long && !x.eof;
    if (framed && get_u64(std::string_view(in).substr(8)) > kMaxAnswerBytes) x.too_long = true;
    if (!framed || x.too_long) {
      // The worker itself failed (or is stuck): its own status tells why.
      int status = 0;
      if (x.timed_out || x.too_long)
        kill_and_reap(w.pid, &status);
      else
        reap(w, &status);
      close_fds(w);
      return outcome(status, x.timed_out, x.too_long, in, path, isolation);
    }
    const int status = static_cast<int>(get_u64(in));
    std::string answer = in.substr(kReplyHeader);
    if (get_u64(std::string_view(in).substr(16)) & 1) {
      int ignored;
      reap(w, &ignored);  // it exits after this answer
    } else {
      give_back(key, w);
    }
    return outcome(status, false, false, answer, path, isolation);
  }

  // Up to `count` idle workers for `isolation`, started now.
  void start(const PdfIsolation& isolation, unsigned count) {
    const std::string key = key_of(isolation);
    for (;;) {
      {
        std::lock_guard lock(mu_);
        if (idle_[key].size() >= count) return;
      }
      give_back(key, start_worker(isolation, "-"));
    }
  }

 private:
  static std::string key_of(const PdfIsolation& isolation) {
    std::string key = std::to_string(isolation.memory_mb);
    for (const auto& a : isolation.worker) key += '\0' + a;
    return key;
  }
  Spawned take(const std::string& key, const PdfIsolation& isolation, const std::string& path) {
    {
      std::lock_guard lock(mu_);
      auto& list = idle_[key];
      if (!list.empty()) {
        Spawned w = list.back();
        list.pop_back();
        return w;
      }
    }
    return start_worker(isolation, path);
  }
  // A long-lived worker: no CPU limit at start, it sets one per request.
  static Spawned start_worker(const PdfIsolation& isolation, const std::string& path) {
    std::vector<std::string> args = isolation.worker;
    args.push_back(kWorkerServe);
    return spawn(args, isolation, 0, path);
  }
  void give_back(const std::string& key, Spawned w) {
    std::lock_guard lock(mu_);
    idle_[key].push_back(w);
  }
  static void close_fds(Spawned& w) {
    if (w.to_child >= 0) ::close(w.to_child);
    if (w.from_child >= 0) ::close(w.from_child);
    w.to_child = w.from_child = -1;
  }
  static void reap(Spawned& w, int* status) {
    close_fds(w);
    while (::waitpid(w.pid, status, 0) < 0 && errno == EINTR) {
    }
  }
  // End of input stops an idle server; a stuck one is killed.
  static void stop(Spawned& w) {
    int status;
    kill_and_reap(w.pid, &status);
    close_fds(w);
  }

  std::mutex mu_;
  std::map<std::string, std::vector<Spawned>> idle_;
};

WorkerPool& pool() {
  static WorkerPool p;
  return p;
}

}  // namespace

PdfFormContent read_pdf_form_isolated(std::string_view pdf, const std::string& path,
                                      const PdfIsolation& isolation) {
  if (isolation.serve) return pool().read(pdf, path, isolation);
  return read_one_shot(pdf, path, isolation);
}

void start_pdf_workers(const PdfIsolation& isolation, unsigned count) {
  if (!isolation.serve || isolation.worker.empty()) return;
  try {
    pool().start(isolation, count);
  } catch (const Error&) {
    // Not now: the first PDF starts its worker and reports what failed.
  }
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

namespace {

// Reads exactly `n` bytes from fd 0; false at end of input or an error.
bool read_exact(char* p, std::size_t n) {
  while (n) {
    ssize_t got = ::read(0, p, n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    p += got;
    n -= static_cast<std::size_t>(got);
  }
  return true;
}

// Reads and drops `n` bytes of a request too large to hold.
bool skip(std::uint64_t n) {
  char buf[65536];
  while (n) {
    std::size_t part = static_cast<std::size_t>(std::min<std::uint64_t>(n, sizeof buf));
    if (!read_exact(buf, part)) return false;
    n -= part;
  }
  return true;
}

}  // namespace

// The address space this process holds now, in bytes (/proc/self/statm).
std::size_t address_space() {
  // Opened once and read from its start each time: no open, stdio buffer
  // and close per file.
  static const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  char buf[128];
  const ssize_t n = fd < 0 ? -1 : ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return 0;
  buf[n] = '\0';
  return std::strtoul(buf, nullptr, 10) * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// CPU seconds this process has used, rounded up.
rlim_t cpu_used() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<rlim_t>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1;
}

int serve_pdf_requests() {
  ::signal(SIGPIPE, SIG_IGN);  // a parent gone away: write errors end the loop
  rlimit as{};
  ::getrlimit(RLIMIT_AS, &as);
  for (unsigned served = 1;; ++served) {
    char header[kFrameHeader];
    if (!read_exact(header, sizeof header)) return 0;  // the parent is done
    const std::uint64_t size = get_u64({header, 8});
    const std::uint64_t seconds = std::min<std::uint64_t>(get_u64({header + 8, 8}), 1u << 30);
    std::string reply(kReplyHeader, '\0');
    int code = 0;
    try {
      try {
        if (size > kMaxPdfBytes) {
          // As the one-file worker answers a PDF past the limit on its input.
          if (!skip(size)) return 0;
          throw Error(ErrorKind::InvalidInput, {{Severity::Error, "io.too-large",
                                                 "the PDF is larger than the limit of " +
                                                     std::to_string(kMaxPdfBytes) + " bytes",
                                                 kWorkerStdin}});
        }
        std::string pdf(static_cast<std::size_t>(size), '\0');
        if (!read_exact(pdf.data(), pdf.size())) return 0;
        // This file's CPU time: what is used so far plus its allowance
        // (SIGXCPU past it; the parent's wall clock bounds the rest).
        rlimit cpu{};
        ::getrlimit(RLIMIT_CPU, &cpu);
        cpu.rlim_cur = std::min<rlim_t>(cpu_used() + static_cast<rlim_t>(seconds), cpu.rlim_max);
        ::setrlimit(RLIMIT_CPU, &cpu);
        reply += encode(read_pdf_form(pdf, kWorkerStdin));
      } catch (const Error& e) {
        if (!e.diagnostics().empty() && e.diagnostics()[0].code == "pdf.out-of-memory")
          return kExitMemory;
        reply += encode(e);
        code = kExitError;
      }
    } catch (const std::bad_alloc&) {
      return kExitMemory;  // the heap may be in any state: no answer, no next file
    }
    // A worker that has seen a PDF the reader refused is not used again
    // (whatever the file did to this process stays with it), nor one whose
    // address space grew past half its limit (the next file would find
    // less room than its own limit promises), nor one that served many.
    const bool retire = code != 0 || served >= kFilesPerWorker ||
                        (as.rlim_cur != RLIM_INFINITY && address_space() > as.rlim_cur / 2);
    const std::uint64_t st =
        static_cast<std::uint32_t>(code << 8);  // as waitpid reports exit(code)
    const std::uint64_t len = reply.size() - kReplyHeader, flags = retire ? 1 : 0;
    std::memcpy(reply.data(), &st, 8);
    std::memcpy(reply.data() + 8, &len, 8);
    std::memcpy(reply.data() + 16, &flags, 8);
    if (!write_all(1, reply) || retire) return 0;
  }
}

}  // namespace yoshiki::pdf
