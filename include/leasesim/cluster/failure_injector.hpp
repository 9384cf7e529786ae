// Failure injection: when each failure process strikes which server unit, when repairs end, and
// when planned maintenance takes racks out. It only produces timed outages; what an outage does to
// trays and jobs is the simulation's business (cluster_simulation.hpp).
//
// Each process counts its rate per its own unit (GPU, host, NIC, link, switch, rack, NVLink switch
// tray: inputs.hpp FailureUnit) over the cluster's units of that kind.
// Exponential processes are simulated as their superposition: N units failing independently at
// rate r each form one Poisson stream of rate N·r whose every event hits a uniformly drawn unit;
// a hit on a unit that is already out of service is discarded (thinning), so each in-service unit
// fails at exactly rate r. One pending event per process, whatever the cluster size. Weibull
// processes keep a pending failure per unit (a renewal process per unit: the next lifetime starts
// when the unit returns to service).
//
// Maintenance windows rotate over the racks: each occurrence takes the next `racks` racks.
#pragma once

#include <cstdint>
#include <queue>
#include <vector>

#include "leasesim/cluster/inputs.hpp"
#include "leasesim/cluster/random_stream.hpp"

namespace leasesim::cluster {

enum class OutageEvent : std::uint8_t { failure, repair, maintenance_start, maintenance_end };

struct Outage {
  std::int64_t t = 0;     // ms from the horizon start
  std::uint64_t seq = 0;  // tie-break: creation order
  OutageEvent kind = OutageEvent::failure;
  int process = -1;    // index in FailureModel::processes (failures, repairs)
  long long unit = 0;  // the process's unit (failures, repairs: FailureProcess::unit) or rack (maintenance)
  long long tray = 0;  // failures, repairs: the tray the unit takes out (a rack's first tray for
                       // rack-level units; a uniformly drawn tray for fabric switches)
};

class FailureInjector {
 public:
  FailureInjector(const FailureModel& model, const hw::ClusterSpec& cluster, std::int64_t horizon_ms,
                  std::uint64_t seed);

  bool pending() const { return !queue_.empty(); }
  std::int64_t next_time() const { return queue_.top().t; }
  // Removes and returns the earliest outage event; a failure of an exponential process draws the
  // process's next failure.
  Outage pop();

  // The unit that failed at `now` under `process` is repaired after a drawn repair time: schedules
  // its repair event (and, for Weibull, nothing yet: see renew()). Returns the repair time in ms.
  std::int64_t schedule_repair(int process, long long unit, std::int64_t now);
  // A Weibull process's unit is back in service at `now` (or its failure was discarded): draws its
  // next lifetime.
  void renew(int process, long long unit, std::int64_t now);

  const FailureModel& model() const { return model_; }

 private:
  struct Later {
    bool operator()(const Outage& a, const Outage& b) const { return a.t != b.t ? a.t > b.t : a.seq > b.seq; }
  };
  void push(std::int64_t t, OutageEvent kind, int process, long long unit);
  void next_superposed(int process, std::int64_t now);

  long long tray_of(int process, long long unit);

  const FailureModel& model_;
  long long trays_;
  int trays_per_rack_ = 1, gpus_per_tray_ = 1, nvlink_switches_per_rack_ = 1;
  std::vector<long long> units_;  // per process
  std::int64_t horizon_ms_;
  RandomStream switch_rng_;  // which tray's jobs a fabric-switch failure reaches
  std::vector<RandomStream> failure_rng_, repair_rng_;
  std::priority_queue<Outage, std::vector<Outage>, Later> queue_;
  std::uint64_t seq_ = 0;
};

}  // namespace leasesim::cluster
