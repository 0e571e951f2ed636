// serve/server — the listening side of `yoshiki serve`: see serve.h.
#include <arpa/inet.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "serve.h"
#include "serve/api.h"
#include "yoshiki/job.h"

namespace yoshiki::serve {

namespace {

using Clock = std::chrono::steady_clock;

// At most `jobs` requests worked on at once and `queue` waiting for a turn,
// each for at most `wait`; any more are refused at once (503), before their
// bodies are read: memory stays bounded by (jobs + queue) uploads.
class Admission {
 public:
  Admission(unsigned jobs, unsigned queue, std::chrono::seconds wait)
      : jobs_(jobs), queue_(queue), wait_(wait) {}

  bool enter() {
    std::unique_lock lock(mutex_);
    if (running_ + waiting_ >= jobs_ + queue_) return false;
    ++waiting_;
    const bool turn = turn_.wait_for(lock, wait_, [this] { return running_ < jobs_; });
    --waiting_;
    if (!turn) return false;
    ++running_;
    return true;
  }

  void leave() {
    {
      std::lock_guard lock(mutex_);
      --running_;
    }
    turn_.notify_one();
  }

  std::pair<unsigned, unsigned> load() {
    std::lock_guard lock(mutex_);
    return {running_, waiting_};
  }

 private:
  const unsigned jobs_, queue_;
  const std::chrono::seconds wait_;
  std::mutex mutex_;
  std::condition_variable turn_;
  unsigned running_ = 0, waiting_ = 0;
};

// Per connection thread: the request being answered. httplib answers a
// request on one thread from routing to logging.
thread_local Admission* t_admitted = nullptr;  // holds a turn to give back
thread_local Clock::time_point t_start;
thread_local bool t_started = false;

void give_back_turn() {
  if (t_admitted) t_admitted->leave();
  t_admitted = nullptr;
}

// httplib's pool of connection threads, giving back a turn a request still
// holds when its connection ends (a request dropped before the log).
class Pool : public httplib::TaskQueue {
 public:
  explicit Pool(std::size_t n) : pool_(n) {}
  void enqueue(std::function<void()> fn) override {
    pool_.enqueue([fn = std::move(fn)] {
      fn();
      give_back_turn();
    });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
};

// Set by SIGTERM/SIGINT, read by the watcher thread (lock-free: safe in a handler).
std::atomic<bool> g_stop = false;
static_assert(std::atomic<bool>::is_always_lock_free);
extern "C" void on_stop_signal(int) { g_stop = true; }

// Constant time in the token's bytes: how much of a guess is right does not
// show in the answer's timing.
bool same_token(const std::string& given, const std::string& token) {
  unsigned char diff = given.size() == token.size() ? 0 : 1;
  for (std::size_t i = 0; i < token.size(); ++i)
    diff |= static_cast<unsigned char>(token[i] ^ (i < given.size() ? given[i] : 0));
  return diff == 0;
}

// Requests that do work (parse, render, read PDFs) wait for a turn; the
// health check, the form list, the OpenAPI document and the page do not.
bool is_work(const httplib::Request& req) {
  return req.method == "POST" ||
         (req.path.size() > 6 && req.path.compare(req.path.size() - 6, 6, "/blank") == 0);
}

std::string read_token(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  if (!f)
    throw Error(ErrorKind::Io, {{Severity::Error, "io.read", "cannot read the token file", path}});
  std::string token = s.str();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.size() < 16)
    throw Error(ErrorKind::Usage,
                {{Severity::Error, "serve.token",
                  "the token file must hold a token of 16 characters or more", path}});
  return token;
}

const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

// 127.0.0.0/8, ::1 and localhost.
bool is_loopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr a{};
  return inet_pton(AF_INET, host.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

// Answers `status` at once and closes the connection, the request's body
// unread: a refused upload is neither read nor waited for, and the bytes
// still coming are not taken for the next request. cpp-httplib (0.11) keeps
// a connection open after a pre-routing answer whatever its headers say,
// and closes it only when writing fails: the body goes through a content
// provider that writes it all, then reports failure.
httplib::Server::HandlerResponse refuse_and_close(httplib::Response& res, int status,
                                                  const std::string& code,
                                                  const std::string& message) {
  res.status = status;
  res.set_header("Connection", "close");
  auto body = std::make_shared<std::string>(error_body(status, code, message));
  res.set_content_provider(body->size(), "application/json; charset=utf-8",
                           [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             sink.write(body->data() + offset, length);
                             return false;
                           });
  return httplib::Server::HandlerResponse::Handled;
}

// The length a request declares for its body: nullopt when it declares none
// or one that is not a number. cpp-httplib (0.11) reads a chunked body, or
// one without a length, to its end whatever set_payload_max_length says:
// such requests are refused (411) before a byte is read.
std::optional<std::size_t> declared_length(const httplib::Request& req) {
  if (req.has_header("Transfer-Encoding") || req.get_header_value_count("Content-Length") != 1)
    return std::nullopt;
  const std::string v = req.get_header_value("Content-Length");
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return v.size() > 18 ? SIZE_MAX : std::stoull(v);
}

// The methods httplib reads a body for (detail::expect_content).
bool has_body(const httplib::Request& req) {
  return req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
         req.method == "DELETE" || req.method == "PRI";
}

}  // namespace

int run(const Options& options, std::ostream& out, std::ostream& log) {
  try {
    std::string token;
    if (!options.token_file.empty()) token = read_token(options.token_file);
    if (token.empty() && !is_loopback(options.host))
      throw Error(ErrorKind::Usage,
                  {{Severity::Error, "serve.token",
                    "serving on " + options.host +
                        " needs --token-file: the forms hold personal data (loopback "
                        "addresses only may go without)"}});
    const Engine engine(options.engine);
    const std::string web_dir = engine.resource_root() + "/web";
    check_routes(engine.io().read(web_dir + "/openapi.json", 4u << 20));

    const unsigned jobs =
        options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    const unsigned queue = options.queue >= 0 ? static_cast<unsigned>(options.queue) : 4 * jobs;
    Admission admission(jobs, queue, std::chrono::seconds(options.request_seconds));
    PdfIsolation pdf = options.pdf;
    pdf.seconds = std::min(pdf.seconds, options.request_seconds);
    const Settings settings =
        options.settings_file.empty() ? Settings{} : load_settings(options.settings_file);
    Context context{engine, pdf, settings, web_dir, [&admission] { return admission.load(); }};

    httplib::Server server;
    // Enough connection threads for every admitted and waiting request and
    // a few light ones (health checks, the page) besides.
    const std::size_t threads = jobs + queue + 4;
    server.new_task_queue = [threads] { return new Pool(threads); };
    const std::size_t max_upload = options.max_upload_mb << 20;
    server.set_payload_max_length(max_upload);
    server.set_read_timeout(options.request_seconds);
    server.set_write_timeout(options.request_seconds);
    server.set_keep_alive_timeout(2);
    server.set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                                {"X-Content-Type-Options", "nosniff"},
                                {"X-Frame-Options", "DENY"},
                                {"Referrer-Policy", "no-referrer"},
                                {"Cross-Origin-Resource-Policy", "same-origin"},
                                // Answers carry personal data: never kept by a cache.
                                {"Cache-Control", "no-store"}});
    server.set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
      t_start = Clock::now();
      t_started = true;
      give_back_turn();
      const bool api = req.path.rfind("/v1/", 0) == 0 && req.path != "/v1/openapi.json";
      if (api && !token.empty()) {
        const std::string auth = req.get_header_value("Authorization");
        if (auth.rfind("Bearer ", 0) != 0 || !same_token(auth.substr(7), token)) {
          res.set_header("WWW-Authenticate", "Bearer");
          return refuse_and_close(res, 401, "http.unauthorized",
                                  "a valid bearer token is required");
        }
      }
      // Too large by its own account: 413 before a byte of it is read
      // (httplib's own limit reads and discards it all first).
      if (has_body(req)) {
        const auto length = declared_length(req);
        if (!length)
          return refuse_and_close(res, 411, "http.length-required",
                                  "send the body with one Content-Length (no chunked uploads)");
        if (*length > max_upload)
          return refuse_and_close(res, 413, "http.too-large",
                                  "the request is larger than --max-upload");
      }
      if (is_work(req)) {
        if (!admission.enter()) {
          res.set_header("Retry-After", "5");
          return refuse_and_close(res, 503, "http.busy", "the server is busy; try again shortly");
        }
        t_admitted = &admission;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
          // Answered already (a route's error, refuse_and_close).
          if (!res.body.empty() || res.has_header("Connection"))
            return httplib::Server::HandlerResponse::Unhandled;
          const int s = res.status;
          const auto [code, message] =
              s == 404   ? std::pair{"http.not-found", "no such resource"}
              : s == 413 ? std::pair{"http.too-large", "the request is larger than --max-upload"}
              : s < 500  ? std::pair{"http.bad-request", "the request cannot be read"}
                         : std::pair{"http.internal", "internal error"};
          res.set_content(error_body(s, code, message), "application/json; charset=utf-8");
          return httplib::Server::HandlerResponse::Handled;
        }));
    // The access log: method, path, status, bytes, milliseconds. Never the
    // query (it may carry a name), a file name or a value.
    std::mutex log_mutex;
    server.set_logger([&](const httplib::Request& req, const httplib::Response& res) {
      const auto ms =
          t_started ? std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t_start)
                          .count()
                    : -1;
      t_started = false;
      give_back_turn();
      std::lock_guard lock(log_mutex);
      log << req.method << " " << printable(req.path.substr(0, 200)) << " " << res.status << " "
          << (res.body.empty() ? res.content_length_ : res.body.size()) << " " << ms << "ms\n"
          << std::flush;
    });
    add_routes(server, context);

    const int port = options.port == 0
                         ? server.bind_to_any_port(options.host)
                         : (server.bind_to_port(options.host, options.port) ? options.port : -1);
    if (port < 0)
      throw Error(ErrorKind::Io,
                  {{Severity::Error, "serve.listen",
                    "cannot listen on " + options.host + ":" + std::to_string(options.port)}});
    std::signal(SIGPIPE, SIG_IGN);
    struct sigaction stop {};
    stop.sa_handler = on_stop_signal;
    sigemptyset(&stop.sa_mask);
    sigaction(SIGTERM, &stop, nullptr);
    sigaction(SIGINT, &stop, nullptr);
    const bool v6 = options.host.find(':') != std::string::npos;
    out << "yoshiki serve: listening on http://" << (v6 ? "[" : "") << options.host
        << (v6 ? "]" : "") << ":" << port << "/" << std::endl;
    // SIGTERM: stop accepting; httplib's pool then finishes the requests in
    // flight before listen_after_bind returns.
    std::atomic<bool> done = false;
    std::thread watcher([&] {
      while (!g_stop && !done) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      server.stop();
    });
    server.listen_after_bind();
    done = true;
    watcher.join();
    out << "yoshiki serve: stopped" << std::endl;
    return kExitOk;
  } catch (const Error& e) {
    return report_error(e, log);
  }
}

}  // namespace yoshiki::serve
