// job/render_batch — `yoshiki render FORM DATA... -o DIR`: many data files
// into many PDFs on all cores. Owns the file list (folders → their *.xml),
// the output names, the threads, the progress bar, the per-file messages (in
// input order) and the exit code; rendering one file is the caller's.
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include "yoshiki/job.h"

namespace yoshiki::job {

// Renders one data file to one output path; its messages go to the stream
// given. Returns an exit code or throws yoshiki::Error.
using RenderOne =
    std::function<int(const std::string& data, const std::string& output, std::ostream& messages)>;

// Every input of `r` (r.inputs) into r.output (a folder, made if missing).
int render_batch(const RenderJob& r, const std::string& lang, std::ostream& err,
                 const RenderOne& render_one);

}  // namespace yoshiki::job
