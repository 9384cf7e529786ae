// Independent runs of a study spread over worker processes (sweep::run_tasks), in the shape the
// study layer takes (study::SensitivityOptions::run_many): the study sits below sweep, so the cli
// hands the pool down.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace leasesim::cli {

using RunMany = std::function<void(std::size_t count, const std::function<std::string(std::size_t)>& run,
                                   const std::function<void(std::size_t, const std::string&)>& done)>;

// Up to `workers` processes (0: every core); throws std::runtime_error with the first failed run's
// reason once every run has ended.
RunMany worker_runs(int workers);

// worker_runs(workers) when it would fork worker processes now, else empty (the caller's own loop
// then runs everything here, in its usual order).
RunMany worker_runs_if_forking(int workers);

}  // namespace leasesim::cli
