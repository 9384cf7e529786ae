// What the cluster simulation reports: per job, and a GPU-hour ledger by state for the whole
// cluster, per calendar month, per rack and per tenant-month (the lease layer bills from it).
//
// Invariant: for every ledger, the states sum exactly to GPUs × time. Ledgers count integer
// GPU-milliseconds so the sum is exact, not approximately equal.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/workload/training_job.hpp"

namespace leasesim::cluster {

// GPU-milliseconds by state. Every GPU is in exactly one state at every instant.
struct GpuTimeLedger {
  std::int64_t productive = 0;     // training whose work is kept
  std::int64_t checkpointing = 0;  // stalled writing a checkpoint
  std::int64_t restarting = 0;     // allocated, reloading after an interruption
  std::int64_t lost = 0;           // training later rolled back by a failure (rework)
  std::int64_t idle = 0;           // healthy, schedulable, allocated to no job
  std::int64_t failed = 0;         // out of service: failed or under repair or maintenance
  std::int64_t spare = 0;          // healthy hot spares held back from scheduling
  std::int64_t unleased = 0;       // out of service: no lease provides it (before a lease starts or
                                   // ramps up, after it ends or is exited); nobody's capacity

  std::int64_t total() const {
    return productive + checkpointing + restarting + lost + idle + failed + spare + unleased;
  }
  std::int64_t in_service() const { return total() - unleased; }
  GpuTimeLedger& operator+=(const GpuTimeLedger& o);
};

inline constexpr double ms_per_hour = 3.6e6;
inline double gpu_hours(std::int64_t gpu_ms) { return static_cast<double>(gpu_ms) / ms_per_hour; }

struct JobResult {
  std::string name;
  std::string tenant;
  bool generated = false;  // from a job class rather than listed
  // "completed", "running" (started, unfinished at the horizon: running, restarting or waiting for
  // replacement capacity), "waiting" (never started), "rejected" (can never run: see `reason`),
  // "blocked" (a chained job never submitted: a predecessor was rejected or blocked, or had not
  // finished by the horizon end; `reason` names it)
  std::string status;
  std::string reason;         // why a job was rejected or blocked, else ""
  std::string step_fidelity;  // how its step rate was priced: "analytical", "flow", or a fallback note
  std::string site;           // several sites: where it ran ("west", "across sites", "west, east"), else ""
  int span_sites = 1;         // the sites its step was priced across (1: inside one site)
  long long gpus = 0;
  workload::ParallelConfig parallelism;
  double submit_s = 0;
  std::optional<double> start_s;  // first start
  std::optional<double> end_s;    // completion; unset when it did not finish within the horizon
  std::optional<double> deadline_s;
  std::optional<bool> deadline_met;  // unset when there is no deadline, or it lies past the horizon
                                     // and the job is still unfinished
  double tokens = 0;                 // to train
  double tokens_trained = 0;         // kept (checkpointed or final) by the end
  int interruptions = 0;
  double ettr = 0;              // productive time / wall time since first start
  double goodput_fraction = 0;  // productive GPU-time / allocated GPU-time
  double mfu = 0;               // of the step model at its placement (BF16-peak convention)
  double step_time_s = 0;
  double tokens_per_s = 0;
  double lost_gpu_hours = 0;  // rolled-back work + restart time
  // GPU-ms allocated to the job (productive, checkpointing, restarting, lost) per calendar month it
  // ran in, as (month_start_utc, GPU-ms): what cost attribution to jobs reads (docs/leases.md).
  std::vector<std::pair<std::int64_t, std::int64_t>> month_allocated_gpu_ms;
  // Flow fidelity: training wall time per unit of work relative to the job's own flow price, averaged
  // over its training time — how much other jobs' traffic on shared fabric links slowed it (1 = not).
  double fabric_slowdown = 1.0;
  // The checkpoint rhythm: means over the job's training time (the storage share of the write
  // bandwidth changes as other jobs start and end: storage_sharing.hpp), and the longest write.
  double checkpoint_interval_s = 0;
  double checkpoint_write_s = 0;      // one checkpoint's write to storage, at the job's share of it
  double checkpoint_write_max_s = 0;  // the longest write it had (its most contended share)
  double checkpoint_stall_s = 0;  // training blocked per checkpoint (the write when blocking, the snapshot when async)
  double restart_read_s = 0;      // reading the checkpoint back at each restart (part of the restart time)
  // Drawn per replication (listed jobs with a distribution): the submit slip; `tokens` is drawn.
  std::optional<double> slip_s;
  bool tokens_drawn = false;
  bool chained = false;  // submitted after predecessors (`after`)
  // Elastic jobs: each size held, in order (a size held again after another is a new entry), with
  // the GPU-hours allocated and the tokens kept at it; they sum to the job's allocation and tokens.
  struct HeldSize {
    long long gpus = 0;
    double from_s = 0, to_s = 0;  // first start at the size, last end of it
    double gpu_hours = 0;
    double tokens = 0;
  };
  bool elastic = false;
  std::vector<HeldSize> sizes;
  int resizes = 0;
};

struct MonthLedger {
  std::int64_t month_start_utc = 0;  // first instant of the calendar month (or the horizon start)
  std::int64_t month_end_utc = 0;
  GpuTimeLedger gpu_ms;
  double energy_mwh = 0;  // facility energy (PUE applied)
};

struct TenantMonth {
  std::string tenant;
  std::int64_t month_start_utc = 0;
  GpuTimeLedger gpu_ms;   // only allocation states: productive, checkpointing, restarting, lost
  double energy_mwh = 0;  // facility energy of the tenant's GPUs (PUE applied)
  double tokens_trained = 0;
  int jobs_completed = 0;
};

// What a market request (inputs.hpp, MarketRequest) was granted in this replication.
struct MarketGrant {
  std::string lease, tenant;
  long long requested_gpus = 0;  // the most the lease asked for at any time
  long long ceiling_gpus = 0;    // the market's ceiling; 0: none
  long long granted_gpus = 0;    // drawn for this replication
  double p_full = 0;             // chance of a grant of the whole request (0 above the ceiling)
};

struct SimulationResult {
  std::vector<JobResult> jobs;
  GpuTimeLedger total;
  std::vector<MonthLedger> months;
  std::vector<GpuTimeLedger> per_rack;
  std::vector<TenantMonth> tenant_months;
  std::vector<MarketGrant> market_grants;  // per market request of the capacity plan, in its order
  std::vector<double> daily_utilization;   // allocated / total GPUs, averaged per day
  std::map<std::string, int> failures_by_category;
  int failures = 0;
  double energy_mwh = 0;
  long long events = 0;           // simulation events processed
  long long fabric_resolves = 0;  // flow fidelity: joint simulations of the running jobs' traffic
  double wall_seconds = 0;        // host time to simulate (not part of byte-identical output)
};

}  // namespace leasesim::cluster
