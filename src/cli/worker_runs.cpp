// Study runs on the sweep's worker processes (worker_runs.hpp).
#include "worker_runs.hpp"

#include <numeric>
#include <stdexcept>
#include <vector>

#include "leasesim/sweep/worker_pool.hpp"

namespace leasesim::cli {

RunMany worker_runs(int workers) {
  const int n = workers > 0 ? workers : sweep::default_workers();
  return [n](std::size_t count, const std::function<std::string(std::size_t)>& run,
             const std::function<void(std::size_t, const std::string&)>& done) {
    std::vector<std::size_t> tasks(count);
    std::iota(tasks.begin(), tasks.end(), std::size_t{0});
    std::string failure;
    sweep::run_tasks(tasks, n, run, [&](const sweep::TaskOutcome& o) {
      if (o.ok)
        done(o.task, o.result);
      else if (failure.empty())
        failure = o.result;
    });
    if (!failure.empty()) throw std::runtime_error(failure);
  };
}

RunMany worker_runs_if_forking(int workers) {
  const int n = workers > 0 ? workers : sweep::default_workers();
  return sweep::forks_workers(n) ? worker_runs(n) : RunMany{};
}

}  // namespace leasesim::cli
