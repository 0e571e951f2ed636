// bulk — many documents, many threads, results in input order with bounded
// memory: threads claim indices from a counter but never run more than a
// window ahead of the result the caller is waiting for. The calling thread
// validates too and hands each result to on_result as soon as it is next in
// order, so `jobs` threads do the work and nobody waits on a hand-off per
// file (a waiting thread is woken only when it can go on).
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "yoshiki/yoshiki.h"

namespace yoshiki {

void validate_bulk(const Engine& engine, const std::vector<std::string>& paths,
                   const BulkOptions& options,
                   const std::function<void(const ValidationResult&)>& on_result) {
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(paths.size(), 1)));
  const std::size_t window = 8 * jobs;
  std::vector<std::optional<ValidationResult>> slots(window);
  std::mutex mu;
  std::condition_variable ready, room;
  bool caller_waiting = false;
  unsigned helpers_waiting = 0;
  std::size_t next_claim = 0, next_emit = 0;
  std::exception_ptr failure;

  // Under the lock: the next index this thread may validate, if any.
  auto claim = [&]() -> std::optional<std::size_t> {
    if (failure || next_claim >= paths.size() || next_claim >= next_emit + window)
      return std::nullopt;
    return next_claim++;
  };
  // Without the lock: validate paths[i] into its slot. False after a failure.
  auto work = [&](std::size_t i) {
    ValidationResult r;
    std::exception_ptr error;
    try {
      r = engine.validate(paths[i], options.validate);
    } catch (...) {  // only usage errors (a bad option) get here: stop everything
      error = std::current_exception();
    }
    std::lock_guard lock(mu);
    if (error && !failure) failure = error;
    if (!error) slots[i % window] = std::move(r);
    if (caller_waiting) ready.notify_one();
    if (error && helpers_waiting) room.notify_all();
  };

  auto helper = [&] {
    for (;;) {
      std::size_t i;
      {
        std::unique_lock lock(mu);
        for (;;) {
          if (failure || next_claim >= paths.size()) return;
          if (auto c = claim()) {
            i = *c;
            break;
          }
          ++helpers_waiting;
          room.wait(lock);
          --helpers_waiting;
        }
      }
      work(i);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(helper);

  try {
    while (next_emit < paths.size()) {
      std::optional<ValidationResult> r;
      std::optional<std::size_t> mine;
      {
        std::unique_lock lock(mu);
        for (;;) {
          if (failure) break;
          if (auto& slot = slots[next_emit % window]) {
            r = std::move(slot);
            slot.reset();
            ++next_emit;
            if (helpers_waiting) room.notify_all();
            break;
          }
          // Nothing to hand over: validate a file, or wait for a helper's.
          if ((mine = claim())) break;
          caller_waiting = true;
          ready.wait(lock);
          caller_waiting = false;
        }
        if (failure) break;
      }
      if (mine) work(*mine);
      if (r) on_result(*r);
    }
  } catch (...) {
    std::lock_guard lock(mu);
    if (!failure) failure = std::current_exception();
    room.notify_all();
  }
  {
    std::lock_guard lock(mu);
    if (failure) room.notify_all();
  }
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace yoshiki
