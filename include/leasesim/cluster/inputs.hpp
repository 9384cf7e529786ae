// What the cluster simulation is asked to run, as values: the jobs (and generators of background
// jobs), the failure model, the scheduler, and run options. The scenario layer fills these from
// JSON; tests build them directly. Every time is in seconds from the horizon start unless named
// otherwise; rates are per second.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/hw/cluster.hpp"
#include "leasesim/perf/fidelity.hpp"
#include "leasesim/workload/training_job.hpp"

namespace leasesim::cluster {

// A random duration or waiting time.
enum class Distribution { fixed, exponential, weibull, lognormal };
const char* to_string(Distribution d);

struct DurationDistribution {
  Distribution kind = Distribution::fixed;
  double mean_s = 0;  // the mean, whatever the kind
  double shape = 1;   // Weibull shape k (k < 1: infant mortality); lognormal sigma of ln(x)
};
// The same block for a quantity that is not a duration (a token count, arrivals per second):
// `mean_s` then holds the mean in that quantity's SI unit.
using ValueDistribution = DurationDistribution;

// When and how a job writes checkpoints.
struct CheckpointPolicy {
  std::optional<double> interval_s;    // unset = "auto": Young/Daly sqrt(2·C / (N·r)) from the stall C
  std::optional<double> write_time_s;  // unset = checkpoint bytes / the job's share of storage write bandwidth
  bool async = false;                  // the write overlaps training; only a snapshot stall is paid
};

struct JobSpec {
  workload::TrainingJob training;  // model, tokens, batch, precision, parallelism ("auto" allowed), gpus
  std::string tenant;
  double submit_s = 0;
  int priority = 0;  // larger runs first under the priority policy
  std::optional<double> deadline_s;
  CheckpointPolicy checkpoint;
  double restart_overhead_s =
      15 * 60;  // detect + reschedule + start; reading the checkpoint back is added (checkpoint_cycle.hpp)
  // Roadmaps (docs/cluster-model.md, "Roadmaps"). `after`: listed jobs (by name) that must complete
  // first; the job is submitted at max(submit_s, the latest predecessor's end + lag_s).
  std::vector<std::string> after;
  double lag_s = 0;
  // Elastic: > 0 makes the job elastic between min_gpus and training.gpus (the most it takes).
  long long min_gpus = 0;
  // Drawn per replication on the job's own streams (common random numbers): the tokens to train
  // (replacing training.tokens) and a delay added to submit_s (≥ 0).
  std::optional<ValueDistribution> tokens_drawn;
  std::optional<DurationDistribution> slip;
  // Several sites (SimulationInput::sites): the site the job must run in ("" = any one site), and
  // whether it may run across sites when no single site holds it (priced over the inter-site link).
  std::string site;
  bool span_sites = false;
  bool elastic() const { return min_gpus > 0; }
};

// Background demand: Poisson arrivals of one job class.
struct JobClass {
  std::string name;  // generated jobs are named NAME-1, NAME-2, …
  std::string tenant;
  double arrivals_per_s = 0;  // the rate (the first month's with a schedule)
  // A schedule of the rate (docs/cluster-model.md, "Roadmaps"): by month of the horizon (month i
  // from start_utc advanced i calendar months; the last holds afterwards), or growing by
  // growth_per_month (compounded continuously over months of 365.2425/12 days). Empty / 0: constant.
  std::vector<double> arrivals_by_month_per_s;
  double growth_per_month = 0;
  // The rate drawn once per replication (replaces arrivals_per_s), on the class's own stream.
  std::optional<ValueDistribution> arrivals_drawn_per_s;
  double from_s = 0;                               // arrivals in [from_s, until_s)
  std::optional<double> until_s;                   // unset = the horizon's end
  std::vector<std::pair<long long, double>> gpus;  // job size → weight (drawn per job)
  DurationDistribution runtime;                    // productive run time of a job at its full step rate
  workload::TrainingJob training;                  // model, precision, batch used to price the step and the checkpoint
  int priority = 0;
  CheckpointPolicy checkpoint;
  double restart_overhead_s = 10 * 60;
};

// The component classes a failure can hit, and what each takes out of service.
enum class Component {
  gpu,            // one GPU: its server unit (tray/node) is drained until repaired
  node,           // a server unit (NVL72 compute tray or DGX/HGX node): host, memory, PSU, SSD…
  nic,            // a NIC: its server unit loses the fabric until repaired
  switch_cable,   // a fabric switch or cable: jobs across it are interrupted; capacity is not lost
  rack_power,     // a rack's power shelf or cooling: the whole rack is out
  nvlink_switch,  // an NVL72 NVLink switch tray: the rack's NVLink domain loses 1/9 of its bandwidth
                  // and its jobs restart (NCCL rebuilds its rings); the rack stays in service
  software,       // software, driver or NCCL fault: the job restarts; no hardware is lost
};
const char* to_string(Component c);

// The unit a failure rate is counted per (the glossary's "failure unit"): published rates are per
// GPU, per host of a given size, per NIC, per switch… never per "node" alone. The simulation draws
// failures over the cluster's units of that kind and maps each to the tray (or rack) it takes out.
enum class FailureUnit {
  gpu,            // every GPU
  host,           // every server unit: an NVL72 compute tray (4 GPUs) or a DGX/HGX node (8)
  nic,            // every scale-out NIC (one per GPU on GB300 trays and HGX nodes)
  link,           // every scale-out link: a NIC's cable and its leaf-switch port (one per GPU)
  fabric_switch,  // every fabric switch (fat-tree count from the fabric's tiers and radix)
  rack,           // every rack
  nvlink_switch,  // every NVLink switch tray (9 per NVL72 rack; none on DGX/HGX nodes)
};
const char* to_string(FailureUnit u);
// The unit a component's rate is counted per unless a process says otherwise.
FailureUnit default_unit(Component c);
// How many units of `u` the cluster has.
long long unit_count(FailureUnit u, const hw::ClusterSpec& cluster);

struct FailureProcess {
  Component component = Component::node;
  FailureUnit unit = FailureUnit::host;
  std::string category;       // label in reports, e.g. "faulty GPU"
  double per_unit_per_s = 0;  // rate per unit (docs/references.md: published per 1000 unit-days)
  Distribution distribution = Distribution::exponential;  // of the time between failures of one unit
  double weibull_shape = 1;
  DurationDistribution repair;  // time until the unit is back in service
};
// Failures per second of one process over the whole cluster.
double cluster_rate_per_s(const FailureProcess& p, const hw::ClusterSpec& cluster);

// Planned maintenance: `racks` racks taken out for `duration_s`, every `every_s` (0 = once).
struct MaintenanceWindow {
  double start_s = 0;
  double duration_s = 0;
  double every_s = 0;
  int racks = 1;
};

struct FailureModel {
  std::string preset;  // name when built from a preset, for reports
  std::vector<FailureProcess> processes;
  std::vector<MaintenanceWindow> maintenance;
};

enum class SchedulerPolicy { fifo, easy_backfill, priority };
enum class PlacementPolicy { pack, spread };
const char* to_string(SchedulerPolicy p);
const char* to_string(PlacementPolicy p);

struct SchedulerSpec {
  SchedulerPolicy policy = SchedulerPolicy::easy_backfill;
  PlacementPolicy placement = PlacementPolicy::pack;  // pack: fewest racks, NVLink groups inside racks
  bool preemption = false;  // a higher-priority job may checkpoint-and-stop lower-priority ones
};

using Fidelity = perf::Fidelity;  // perf/fidelity.hpp: the one representation

// Capacity that follows the leases (docs/leases.md, "Capacity over time"). The cluster block is the
// facility; what is in service, and what each tenant's jobs may hold, at an instant is what the
// tenants' leases provide then. Built by the lease layer from the scenario's leases; unset
// (`enabled == false`) the whole facility is in service for the whole horizon, shared by every
// tenant (an owner's view: a scenario without leases).
enum class OverflowPolicy {
  queue,   // the tenant's jobs wait for its own capacity
  borrow,  // may also hold capacity other tenants' leases provide and they do not use right now
  burst,   // may also hold facility capacity outside every lease (the provider's market), at a price
};
struct TenantCapacity {
  std::string tenant;
  int site = 0;  // the site (SimulationInput::sites index) whose racks these leases provide
  OverflowPolicy overflow = OverflowPolicy::queue;
  // From each time (s from the horizon start, sorted) on, the GPUs the tenant's leases provide;
  // 0 before the first entry.
  std::vector<std::pair<double, long long>> gpus;
};
// A market for capacity asked for on demand (docs/leases.md, "A market that exists"): the chance of
// being granted a contiguous block of at least N GPUs falls with N, and no grant exceeds the
// ceiling. `at` gives P(grant ≥ N) at sizes N (ascending, P non-increasing): every size up to the
// first point has the first point's chance, sizes between two points are interpolated linearly in
// ln N, sizes past the last point up to the ceiling keep the last point's chance; none above it.
struct MarketCurve {
  std::string name;            // a preset's name, or "" for a curve written out
  long long ceiling_gpus = 0;  // the largest grant; 0: none stated
  std::vector<std::pair<long long, double>> at;
  long long block_gpus = 72;  // grants come in whole blocks (the cluster's rack: one NVLink domain)
  double probability_at_least(long long gpus) const;
  // The largest grant of at most `request` GPUs, in whole blocks or the request itself, whose
  // chance exceeds `u` (a uniform draw in [0, 1)): P(grant ≥ N) = probability_at_least(N). 0 when
  // not even one block is granted.
  long long grant(long long request, double u) const;
  // E[grant] for a request of `request` GPUs.
  double expected_grant(long long request) const;
};
// One lease's capacity asked for on a market: per replication the simulation draws one grant G for
// it (its own random stream, keyed by the lease's name: common random numbers across alternatives)
// and the tenant holds min(asked at t, G) of it.
struct MarketRequest {
  std::string lease, tenant;
  int site = 0;
  MarketCurve curve;
  std::vector<std::pair<double, long long>> gpus;  // asked for from each time (s, sorted); 0 before the first
};

struct CapacityPlan {
  bool enabled = false;
  std::vector<TenantCapacity> tenants;
  std::vector<MarketRequest> market;  // drawn per replication and added to the tenants' capacity
};

// Several sites (docs/leases.md, "Several sites"): the facility's racks partitioned into sites, each
// with its own fabric block and its own leases (TenantCapacity::site). A job runs inside one site;
// one that no site holds runs across sites only when it may (JobSpec::span_sites), its step priced
// over `inter_site` (hw::SiteSpan). Empty: the whole cluster is one site.
struct Site {
  std::string name;
  int first_rack = 0, racks = 0;
};

// Flow fidelity: the shared-fabric contention model's own constants (cluster/fabric_contention.hpp;
// modelling choices, not published figures).
struct FabricContentionSettings {
  // Shortest simulated time between two joint solves: changes in between are taken together.
  double resolve_interval_s = 600;
  // How long the rings share the links while the probe measures their rates (simulated seconds):
  // long against the engine clock's resolution (~1e-7 s after years of simulated time), short
  // against the re-solve interval.
  double window_s = 1.0;
  // A ring's stretch (joint ÷ alone) is rounded to a multiple of this: the engine clock's rounding
  // (its absolute value differs between a fresh process and one that already simulated years) must
  // not reach the output.
  double stretch_quantum = 1.0 / 1024.0;
  // A job keeps its rate unless its slowdown moves by more than this fraction.
  double slowdown_tolerance = 0.01;
  bool operator==(const FabricContentionSettings&) const = default;
};

struct SimulationInput {
  hw::ClusterSpec cluster;
  std::vector<Site> sites;
  hw::SiteSpan inter_site;     // bandwidth and latency of the link between two sites (sites = 1)
  std::int64_t start_utc = 0;  // the horizon's first instant, UTC seconds (for calendar months)
  double horizon_s = 0;
  std::vector<JobSpec> jobs;
  std::vector<JobClass> generators;
  FailureModel failures;
  SchedulerSpec scheduler;
  Fidelity fidelity = Fidelity::analytical;
  std::uint64_t seed = 1;
  CapacityPlan capacity;
  // Model uncertainty of the step rates (docs/performance-model.md, "Uncertainty bands"): every job's
  // step rate is multiplied by `throughput_scale` and, when `sample_throughput`, by its own band's
  // factor at one standard-normal draw per replication, shared by all jobs (the model error is
  // systematic) and taken from a stream of (seed, "throughput") independent of the failure streams.
  double throughput_scale = 1.0;
  bool sample_throughput = false;
  // Flow fidelity: the shared-fabric contention model's constants.
  FabricContentionSettings fabric_contention;
};

}  // namespace leasesim::cluster
