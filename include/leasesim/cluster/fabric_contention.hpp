// Shared-fabric contention in flow fidelity, in one place: which fabrics can contend at all (the
// non-blocking rule), each running job's scale-out traffic as a ring over its NVLink domains (the
// probe), the joint solve of every ring on the cluster's fat tree by SimGrid's max-min sharing, the
// memo of each ring's time alone on its domains, and the rule that turns joint ÷ alone into a
// job's slowdown. Its constants come from the simulation input (SimulationInput::fabric_contention)
// and the link rates from the same step-rate cache that priced the jobs' own flow steps, so the
// probe and the job prices read one set of rates. ClusterSimulation feeds it the running jobs and
// applies what it returns; the fabric actor of simulate.cpp runs the solve (docs/cluster-model.md,
// "Shared fabric").
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "leasesim/cluster/inputs.hpp"
#include "leasesim/hw/cluster.hpp"
#include "leasesim/perf/collective_cost.hpp"
#include "leasesim/perf/flow_fabric.hpp"
#include "leasesim/perf/flow_network.hpp"

namespace leasesim::cluster {

class StepRateCache;
struct JobProfile;

class FabricContention {
 public:
  FabricContention(const hw::ClusterSpec& cluster, const perf::LinkRates& rates,
                   const FabricContentionSettings& settings);

  const FabricContentionSettings& settings() const { return settings_; }
  const perf::FabricTree& tree() const { return tree_; }

  // The non-blocking rule: when no tier boundary is oversubscribed the rings cannot contend — every
  // hop is capped by its job's GPUs in the sending domain, the jobs of one domain share at most its
  // NIC link, and every group's uplink carries what its domains' NICs can send — so no joint solve
  // is needed and none is run: each job runs at its own flow price.
  bool can_contend() const { return contends_; }

  // --- one probe: the running jobs' rings ----------------------------------------------------------
  void clear();
  // Adds the ring of a job whose per-iteration scale-out collectives take `scale_out_s` on its own at
  // `ranks_per_domain` GPUs per domain. `domains`: (cluster-wide NVLink domain, the job's GPUs in
  // it), any order, repeats allowed (sorted and merged here). A job in fewer than two domains sends
  // nothing over the fabric: false, and no ring.
  bool add_ring(int job, std::uint32_t epoch, std::vector<std::pair<long long, long long>>& domains, double scale_out_s,
                long long ranks_per_domain);
  bool empty() const { return rings_.empty(); }
  std::size_t rings() const { return rings_.size(); }

  // Runs every ring together — and each ring whose time alone on its hops is not memoised yet
  // on a private copy of the tree — as SimGrid communications of the running engine: the calling
  // actor sleeps settings().window_s meanwhile. The rings stay live from one solve to the next
  // (perf::FlowNetwork's live flows), so a solve starts only the hops that are new since the last
  // one (a job started, or moved a tray to another domain) and stops those that went; every other
  // hop keeps its communication. A ring is timed alone again only when its hops changed.
  // Sets `error` (and changes nothing) when the rings would exceed the flow network's pools.
  void solve_in_actor(std::string& error);
  // Stops every live flow and returns the pools' links (the end of a run: the engine outlives it).
  void release_all();
  ~FabricContention();
  FabricContention(const FabricContention&) = delete;
  FabricContention& operator=(const FabricContention&) = delete;

  // After a solve: `epoch_of(job)` is the job's epoch now (other events went on during the window).
  // Memoises the alone times of the rings whose job is unchanged and returns, for each such job with
  // a known time alone, its stretch (joint ÷ alone, quantised, ≥ 1).
  struct Stretch {
    int job;
    double stretch;
  };
  std::vector<Stretch> stretches(const std::function<std::uint32_t(int job)>& epoch_of);

  // The slowdown a stretch means for a job: its step re-assembled with every scale-out collective
  // stretched, over its own step (what overlap hides stays hidden).
  static double slowdown(StepRateCache& steps, const JobProfile& profile, double stretch);
  // Whether a job at `current` moves to `proposed` (a move beyond the tolerance).
  bool moves(double current, double proposed) const;

 private:
  struct Ring {
    int job;
    std::uint32_t epoch;
    std::size_t begin, end;  // [begin, end) of domains_
    double bytes;
  };
  // A ring's time alone, for the ring it was timed on (its bytes and domains).
  struct Alone {
    double bytes = 0;
    std::vector<std::pair<long long, long long>> domains;
    double seconds = 0;
  };
  // One hop of a live ring: from domain src to dst at rate_cap, its flow's slot and route (pool
  // links, kept to restart it when it drains).
  struct Hop {
    long long src = 0, dst = 0;
    double rate_cap = 0, bytes = 0;
    std::uint32_t slot = 0;
    double started_s = 0;  // engine clock when its flow started (a bound on how much it drained)
    std::vector<std::uint32_t> path;
  };
  struct LiveRing {
    std::vector<Hop> hops;
    bool seen = false;  // in the current probe
  };
  // The hops of ring r, in order (without routes).
  void hops_of(const Ring& r, std::vector<Hop>& out) const;
  // Appends the ring's hops to the problem `builder` was reset or attached to.
  void add_hops(perf::FabricProblemBuilder& builder, const Ring& r);
  bool same_ring(const Alone& a, const Ring& r) const;
  bool live_as_ring(const LiveRing& live, const Ring& r) const;
  // Starts a hop's flow on the joint tree.
  void start_joint(Hop& h);

  FabricContentionSettings settings_;
  perf::FabricTree tree_;
  bool contends_ = false;
  std::size_t max_joint_links_ = 0;
  std::vector<Ring> rings_;
  std::vector<std::pair<long long, long long>> domains_;
  // The joint tree: one persistent builder, so each link keeps its problem-local index, and the
  // pool link acquired for it.
  perf::FlowProblem joint_;
  perf::FabricProblemBuilder joint_builder_, solo_builder_;
  std::vector<std::uint32_t> joint_pool_link_;
  std::vector<std::uint32_t> solo_pool_link_;  // pooled link of each link of the rings timed alone
  perf::FlowProblem solo_;
  std::unordered_map<int, LiveRing> live_;  // per job
  std::vector<Hop> want_;                   // scratch
  std::vector<std::size_t> solo_of_;        // solo group → ring index
  std::vector<double> seconds_;             // per ring, then per solo ring, after a solve
  std::unordered_map<int, Alone> alone_;    // per job
};

}  // namespace leasesim::cluster
