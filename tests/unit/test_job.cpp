// yoshiki::Job (yoshiki/job.h): a CLI run as a library call — reports to the
// streams it is given, exit codes, paths from the input stream, a program's
// job (the Senior Work Program report) dispatched through ProgramJob.
#include <sstream>

#include "support.h"
#include "yoshiki/job.h"
#include "yoshiki/senior_work.h"

using namespace yoshiki;

namespace {

Job job_of(decltype(Job::command) command) {
  Job job;
  job.engine.resource_root = test::kRoot;
  job.command = std::move(command);
  return job;
}

}  // namespace

TEST_CASE("job: forms lists the catalogue on the output stream", "[job]") {
  std::ostringstream out, err;
  CHECK(job_of(FormsJob{}).run(out, err) == kExitOk);
  CHECK(out.str().find("shitsugyo-nintei\t") != std::string::npos);
  CHECK(err.str().empty());
}

TEST_CASE("job: validate reads paths from the input stream, JSON Lines, exit codes", "[job]") {
  ValidateJob v;
  v.inputs = {"-"};
  v.format = ValidateJob::Format::JsonLines;
  v.jobs = 1;
  Job job = job_of(v);
  std::istringstream in(test::kSamples + "/complete.xml\n");
  job.input = &in;
  std::ostringstream out, err;
  CHECK(job.run(out, err) == kExitOk);
  CHECK(out.str().find("\"valid\":true") != std::string::npos);
  CHECK(out.str().find("{\"summary\":") != std::string::npos);

  v.inputs = {test::kRoot + "/no/such/file.xml"};
  std::ostringstream out2, err2;
  CHECK(job_of(v).run(out2, err2) == kExitUsage);
  CHECK(err2.str().find("[io.read]") != std::string::npos);
}

TEST_CASE("job: a program's job runs with the Job's engine and streams", "[job][senior]") {
  SeniorReportJob report;
  report.inputs = {test::kRoot + "/samples/senior-program"};
  report.as_of = "2025-03-31";
  report.json = true;
  Job job = job_of(ProgramJob(report));
  std::ostringstream out, err;
  const int rc = job.run(out, err);
  CHECK((rc == kExitOk || rc == kExitInvalid));
  CHECK(out.str().find("\"asOf\": \"2025-03-31\"") != std::string::npos);
}
