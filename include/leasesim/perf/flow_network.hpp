// The SimGrid side of the flow fidelity: runs a set of concurrent flows over capacity-limited links
// and returns when the last one completes. SimGrid allows one engine per process and forbids adding
// zones, hosts or links once the platform is sealed (i.e. after the first run), so this class owns the
// process's engine and ONE netzone built at first use: a pool of endpoint hosts and a pool of links
// whose bandwidths are re-set for every problem, routed by a small custom zone (`FlowRouteZone` in
// the .cpp) that gives each flow the path of the current problem. Each flow also gets a private link
// of its rate cap, because SimGrid 3.32 ignores Comm::set_rate() on host-to-host communications.
// Callers (flow_step_model.cpp) describe the platform as plain numbers; no SimGrid type leaks out.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace simgrid::s4u {
class Host;
}

namespace leasesim::perf {

struct NetworkFlow {
  double bytes = 0;
  double rate_cap = 0;           // bytes/s this flow can never exceed (its senders' own ports)
  std::uint32_t path_begin = 0;  // [path_begin, path_end) indexes FlowProblem::path
  std::uint32_t path_end = 0;
};

// One set of flows that start together on one platform description.
struct FlowProblem {
  std::vector<double> link_capacity;  // bytes/s of each link of the platform
  std::vector<std::uint32_t> path;    // link indices of every flow's route, concatenated
  std::vector<NetworkFlow> flows;
  void clear() {
    link_capacity.clear();
    path.clear();
    flows.clear();
  }
};

class FlowNetwork {
 public:
  // Pool sizes, fixed when the engine is first created (SimGrid cannot grow a sealed platform).
  static constexpr std::size_t kMaxFlows = 8192;   // concurrent flows per problem
  static constexpr std::size_t kMaxLinks = 40960;  // platform links + one rate-cap link per flow
  // Live flows (the shared fabric's rings, below) at once: a 4:1 fabric of 552,960 GB300 GPUs runs
  // ~10,000 ring hops plus the rings timed alone.
  static constexpr std::size_t kMaxLiveFlows = 32768;

  // The process-wide instance; creates the SimGrid engine and the pools on first use.
  static FlowNetwork& instance();

  // The host the cluster simulation's actors run on, creating the engine on first use but not the
  // pools: an analytical simulation's platform is this one host. The pools can be added until the
  // engine first runs (SimGrid seals the platform then), so a process that needs the flow network
  // after an analytical simulation calls instance() before that simulation (flow fidelity's own
  // simulations do; a sweep whose points mix fidelities does); otherwise instance() throws.
  static simgrid::s4u::Host* actor_host();

  // Simulates `p` and returns the seconds until its last flow completes (0 without flows). Sets
  // `error` (and returns 0) when the problem exceeds the pools.
  double simulate(const FlowProblem& p, std::string& error);

  // --- live flows, from inside a running simulation ------------------------------------------------
  // The cluster simulation's actors cannot re-enter the engine, so the shared fabric runs its flows
  // as real communications of the running engine and keeps them live from one solve to the next:
  // a solve starts and stops only the flows of what changed. (SimGrid 3.32 tears a finished or
  // cancelled communication down in time linear in the live ones — CommImpl::finish() removes it
  // from the maestro's std::list of detached activities — so cancelling every flow after every
  // solve was quadratic in the flow count: docs/performance.md. A stopped flow is therefore
  // suspended and kept for the next flow on its route, and a drained one is refilled in place.)
  // Each live flow is a huge transfer that never completes; what it moves during a window is its
  // max-min rate.
  //
  // A link of the pools, reserved until released, at `capacity` bytes/s; kNoSlot when none is free.
  static constexpr std::uint32_t kNoSlot = ~0U;
  std::uint32_t acquire_link(double capacity);
  void release_link(std::uint32_t link);
  // Starts a live flow along `path` (acquired links) capped at `rate_cap` bytes/s (on a private link
  // of its own); returns its slot, or kNoSlot when every slot is taken.
  // A stopped flow is suspended and kept on its route; a later start_flow on the same links resumes
  // it (its slot may differ from a fresh one's) instead of starting a new communication.
  std::uint32_t start_flow(const std::uint32_t* path, std::size_t links, double rate_cap);
  void stop_flow(std::uint32_t slot);
  // The flow in `slot` restarts with kLiveBytes to move, on the same route and cap.
  void restart_flow(std::uint32_t slot);
  // Ends the stopped flows kept for reuse (their slots become free). simulate() calls it first, so
  // its problems never share the engine with them; a cluster simulation leaves its stopped flows
  // idle for the next one (ending N communications costs N walks of N in SimGrid 3.32).
  void end_idle_flows();
  // Sets an acquired link's capacity (bytes/s).
  void set_link_capacity(std::uint32_t link, double capacity);
  // Bytes the flow still has to move (it starts with kLiveBytes).
  static constexpr double kLiveBytes = 1e18;
  double remaining(std::uint32_t slot) const;
  // The engine's clock (s).
  static double clock();
  // Free links and slots left (a slot kept idle for reuse counts as free).
  std::size_t free_links() const;
  std::size_t free_slots() const;
  // The calling actor sleeps `window_s`; returns each flow's rate over that window (bytes/s): with
  // no other change to the network meanwhile, SimGrid's max-min allocation among all live flows.
  std::vector<double> rates_in_actor(const std::vector<std::uint32_t>& slots, double window_s);

  // Problems simulated and flows run so far in this process (for benchmarks and tests).
  std::uint64_t problems() const { return problems_; }
  std::uint64_t flows() const { return flows_; }
  // Live flows started as new communications, resumed from idle, and restarted in place.
  std::uint64_t flows_started() const { return started_; }
  std::uint64_t flows_resumed() const { return resumed_; }
  std::uint64_t flows_restarted() const { return restarted_; }
  // Idle flows ended (cancelled) to free a slot for a new route, or by end_idle_flows().
  std::uint64_t flows_evicted() const;

 private:
  FlowNetwork();
  std::uint64_t problems_ = 0;
  std::uint64_t flows_ = 0;
  std::uint64_t started_ = 0, resumed_ = 0, restarted_ = 0;

 public:
  // Counted by the callers of the live flows (the shared fabric's solves).
  void count_problem(std::size_t flows) {
    ++problems_;
    flows_ += flows;
  }
};

}  // namespace leasesim::perf
