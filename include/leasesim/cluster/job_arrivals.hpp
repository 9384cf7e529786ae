// Every job the simulation will see, in submission order: the listed jobs and the background jobs
// drawn from the job classes (Poisson arrivals in [from, until), a size drawn by weight, a productive
// run time drawn from the class's distribution). Drawn up front from the seed so the arrival stream
// does not depend on anything the simulation does (and so the flow fidelity can price every job
// before the engine runs, step_rate_cache.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/cluster/inputs.hpp"

namespace leasesim::cluster {

struct JobTicket {
  std::string name;
  std::string tenant;
  bool generated = false;
  int source = 0;  // listed job index, or −1 − job class index
  // The listed job's or the job class's training job, in the input (not copied per job: a class's
  // tickets share it); the job's own name and size are `name` and `gpus`. training_job() builds
  // the job's own copy (what the step model prices).
  const workload::TrainingJob* training = nullptr;
  long long gpus = 0;  // the job's size
  double tokens = 0;   // tokens to train (the listed job's or the class's)
  std::int64_t submit_ms = 0;
  int priority = 0;
  std::optional<double> deadline_s;
  CheckpointPolicy checkpoint;
  double restart_overhead_s = 0;
  std::optional<double> runtime_s;  // generated jobs: productive time at full rate
  // Roadmaps: the tickets (indices into the returned list) that must complete first, and the lag
  // after the latest of them; submit_ms is then only the earliest submission.
  std::vector<int> after;
  double lag_s = 0;
  long long min_gpus = 0;        // elastic: the fewest GPUs it starts on (0: not elastic)
  std::optional<double> slip_s;  // the submit slip drawn for this replication
  bool tokens_drawn = false;     // `tokens` was drawn for this replication

  workload::TrainingJob training_job() const {
    workload::TrainingJob j = *training;
    j.name = name;
    j.gpus = gpus;
    return j;
  }
};

// Listed jobs and generated ones, sorted by submission time (ties: listed before generated, then
// input order). Jobs submitted at or after the horizon are dropped — except listed jobs that slip
// or chain, or that another job waits for: they stay (and are reported as never submitted) so that
// every replication reports the same listed jobs. A job's `tokens` and `slip`, and a class's drawn
// rate, come from their own streams (random_stream.hpp, sample_stream), not the arrival stream.
std::vector<JobTicket> draw_arrivals(const SimulationInput& input, std::int64_t horizon_ms);

// The arrival rate (per second) of a job class at `t_s` from the horizon start, for a given base
// rate (the class's own, or the one drawn for a replication).
double arrival_rate_at(const JobClass& k, double base_per_s, std::int64_t start_utc, double t_s);
// Expected arrivals of a job class in [from_s, until_s) (the mean of a drawn rate for the base).
double mean_arrivals(const JobClass& k, std::int64_t start_utc, double from_s, double until_s);

}  // namespace leasesim::cluster
