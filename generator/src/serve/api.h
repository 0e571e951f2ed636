// serve/api — the routes of `yoshiki serve`: the JSON API under /v1 (its
// OpenAPI document is web/openapi.json, and the table here must name exactly
// its paths: check_routes), /healthz and the web page's static files. Each
// route calls the Engine or the Senior Work Program as the CLI does; errors
// become JSON with their diagnostics (offending values left out) and a status
// that fits the error.
#pragma once

#include <httplib.h>

#include <functional>
#include <string>
#include <vector>

#include "yoshiki/yoshiki.h"

namespace yoshiki::serve {

// What the routes work with; lives as long as the server.
struct Context {
  const Engine& engine;
  PdfIsolation pdf;
  Settings settings;    // the organisation's (--settings): the rules and the forms use them
  std::string web_dir;  // the page's files: <resource root>/web
  // The load the admission reports on /healthz: {running, waiting}.
  std::function<std::pair<unsigned, unsigned>()> load;
};

// A route as the OpenAPI document names it ("GET", "/v1/forms/{form}/blank").
struct Route {
  const char* method;
  const char* path;
};
const std::vector<Route>& routes();

// Throws Error (Io) unless the OpenAPI text names exactly routes().
void check_routes(const std::string& openapi_json);

// Registers every route on `server`.
void add_routes(httplib::Server& server, const Context& context);

// The JSON body of an error response.
std::string error_body(int status, const std::string& code, const std::string& message,
                       const std::vector<Diagnostic>& diagnostics = {});

}  // namespace yoshiki::serve
