// isolated — reading an untrusted PDF in a worker process: the PDF parser
// (PoDoFo) runs in a child with memory, CPU-time and wall-clock limits and
// sends the PdfFormContent back over a pipe. A crash, hang or memory blow-up
// in the parser then costs only that file: it comes back as an Error naming
// the file and saying what happened (crashed, timed out, out of memory).
#pragma once

#include <string>
#include <string_view>

#include "pdf/read/reader.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::pdf {

// The worker's argument for "the PDF comes on standard input".
inline constexpr const char* kWorkerStdin = "-";
// The worker's argument for "serve many PDFs, one after another"
// (PdfIsolation::serve; the protocol is in isolated.cpp).
inline constexpr const char* kWorkerServe = "--serve";

// With isolation.serve: sends the PDF to one of a pool of long-lived workers
// (isolation.worker with "--serve" appended), started as needed, one per
// concurrent caller. Otherwise runs `isolation.worker` with "-" appended as its last argument,
// sends it the PDF bytes on its standard input and reads its answer; `path` names the PDF in
// messages (the worker never opens a file). Throws Error(InvalidInput) for a PDF the worker
// reported as unreadable, or codes pdf.worker-crashed, pdf.worker-timeout, pdf.worker-memory;
// Error(Io) when the worker cannot be started.
PdfFormContent read_pdf_form_isolated(std::string_view pdf, const std::string& path,
                                      const PdfIsolation& isolation);
// Starts long-lived workers (isolation.serve) until `count` wait idle in
// the pool read_pdf_form_isolated takes from, so that a caller who knows
// PDFs are coming pays their program start while it prepares the rest
// (catalogue, schemas) instead of on the first PDFs. A worker that cannot
// be started is left to the first PDF, which reports why.
void start_pdf_workers(const PdfIsolation& isolation, unsigned count);
// The same for the file at `path`, read here: a file that cannot be read is
// Error(Io), as in-process.
PdfFormContent read_pdf_form_isolated(const std::string& path, const PdfIsolation& isolation);

// The worker's side: reads and parses `path` ("-": standard input), writes
// the answer to `fd`.
// Exit status: 0 answer written, 1 error written, 3 out of memory.
int serve_pdf_worker(const std::string& path, int fd);

// The long-lived worker's side: serves requests on standard input until it
// ends (exit status 0; 3 out of memory; see isolated.cpp for the protocol).
int serve_pdf_requests();

}  // namespace yoshiki::pdf
