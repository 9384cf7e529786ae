// The cluster layer's entry points: run one simulation, or N replications over derived seeds.
//
// SimGrid 3.32 allows one engine per process, and its platform cannot grow once sealed; the
// process's engine belongs to perf::FlowNetwork (shared with the flow fidelity). simulate() reuses
// that engine for every run: each call creates fresh actors on one host, runs the engine until they
// finish, and reads times relative to the clock at its start (the engine clock keeps advancing from
// run to run; event times are integer milliseconds from the horizon start, so results do not depend
// on where the clock started). Hence simulate() may be called any number of times per process, but
// not concurrently from several threads (SimGrid is single-threaded): parallel sweeps use processes.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "leasesim/cluster/failure_presets.hpp"
#include "leasesim/cluster/inputs.hpp"
#include "leasesim/cluster/results.hpp"

namespace leasesim::cluster {

// Same input and seed → identical result (except wall_seconds). Throws std::invalid_argument on an
// input it cannot simulate (no racks, no horizon) — the scenario loader reports those first.
SimulationResult simulate(const SimulationInput& input);

// `n` runs: replication 0 uses input.seed, replication i > 0 the seed replication_seed(seed, i)
// (random_stream.hpp). Results in replication order.
// `on_done(k)` is called after the k-th replication (a progress line).
std::vector<SimulationResult> simulate_replications(const SimulationInput& input, int n,
                                                    const std::function<void(int)>& on_done = {});

}  // namespace leasesim::cluster
