// bulk — many documents, many threads, results in input order with bounded
// memory: workers claim indices from a counter but never run more than a
// window ahead of the result the caller is waiting for.
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
  std::size_t next_claim = 0, next_emit = 0;
  std::exception_ptr failure;

  auto worker = [&] {
    for (;;) {
      std::size_t i;
      {
        std::unique_lock lock(mu);
        room.wait(lock, [&] { return next_claim >= paths.size() || next_claim < next_emit + window || failure; });
        if (next_claim >= paths.size() || failure) return;
        i = next_claim++;
      }
      ValidationResult r;
      try {
        r = engine.validate(paths[i], options.validate);
      } catch (...) {  // only usage errors (a bad option) get here: stop everything
        std::lock_guard lock(mu);
        failure = std::current_exception();
        ready.notify_all();
        room.notify_all();
        return;
      }
      std::lock_guard lock(mu);
      slots[i % window] = std::move(r);
      ready.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(worker);
  try {
    while (next_emit < paths.size()) {
      ValidationResult r;
      {
        std::unique_lock lock(mu);
        ready.wait(lock, [&] { return slots[next_emit % window].has_value() || failure; });
        if (failure) break;
        r = std::move(*slots[next_emit % window]);
        slots[next_emit % window].reset();
        ++next_emit;
        room.notify_all();
      }
      on_result(r);
    }
  } catch (...) {
    std::lock_guard lock(mu);
    if (!failure) failure = std::current_exception();
    room.notify_all();
  }
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace yoshiki
