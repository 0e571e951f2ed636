// serve — `yoshiki serve`: the HTTP service and the clerks' web page (issue
// #19). It owns the listening socket, the admission of work (a bounded
// number of requests run, a bounded number wait, the rest get 503), the
// bearer-token check, the access log (method, path, status, bytes, duration:
// never a file name or a value), the security headers and the shutdown on
// SIGTERM (in-flight requests finish first). The routes themselves (serve/api)
// call the Engine and the Senior Work Program as the CLI's subcommands do.
// Its own library (yoshiki_serve): the core never links the HTTP server.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

#include "yoshiki/yoshiki.h"

namespace yoshiki::serve {

struct Options {
  EngineOptions engine;
  PdfIsolation pdf;  // how uploaded PDFs are parsed: the CLI's own worker processes
  std::string host = "127.0.0.1";
  int port = 8080;                 // 0 = any free port (printed on the output stream)
  std::string token_file;          // bearer token; required unless `host` is loopback
  std::string settings_file;       // organisation settings XML (load_settings); "" = none
  unsigned jobs = 0;               // requests worked on at once; 0 = one per core
  int queue = -1;                  // requests that may wait for a turn; -1 = 4 × jobs
  std::size_t max_upload_mb = 64;  // largest request body
  unsigned request_seconds = 60;   // waiting, reading, a PDF worker: each bounded by this
};

// Serves until SIGTERM or SIGINT, then lets the requests in flight finish.
// Prints "listening on http://HOST:PORT/" to `out` once bound, the access log
// to `log`. Returns an exit code (yoshiki/job.h): 2 for bad options (a
// public address without a token, an unreadable token file) or a port that
// cannot be bound.
int run(const Options& options, std::ostream& out, std::ostream& log);

}  // namespace yoshiki::serve
