// isolated — reading an untrusted PDF in a worker process: the PDF parser
// (PoDoFo) runs in a child with memory, CPU-time and wall-clock limits and
// sends the PdfFormContent back over a pipe. A crash, hang or memory blow-up
// in the parser then costs only that file: it comes back as an Error naming
// the file and saying what happened (crashed, timed out, out of memory).
#pragma once

#include <string>

#include "pdf/read/reader.h"
#include "yoshiki/yoshiki.h"

namespace yoshiki::pdf {

// Runs `isolation.worker` with `path` appended as its last argument and
// reads its answer. Throws Error(InvalidInput) for a PDF the worker reported
// as unreadable, or codes pdf.worker-crashed, pdf.worker-timeout,
// pdf.worker-memory; Error(Io) when the worker cannot be started.
PdfFormContent read_pdf_form_isolated(const std::string& path, const PdfIsolation& isolation);

// The worker's side: reads and parses `path`, writes the answer to `fd`.
// Exit status: 0 answer written, 1 error written, 3 out of memory.
int serve_pdf_worker(const std::string& path, int fd);

}  // namespace yoshiki::pdf
