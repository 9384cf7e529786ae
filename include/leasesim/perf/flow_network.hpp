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

  // From inside a running simulation (an actor of the cluster simulation, which cannot re-enter the
  // engine): the flows start now as real communications of the running engine and share the links
  // for `window_s` simulated seconds while the calling actor sleeps; each flow's rate is what it moved
  // in the window (SimGrid's max-min allocation among all of them), then all are cancelled. Returns,
  // per group (groups[g] = [first, end) flow indices), the time its slowest flow needs for its bytes
  // at that rate. Sets `error` when the problem exceeds the pools.
  std::vector<double> simulate_in_actor(const FlowProblem& p,
                                        const std::vector<std::pair<std::uint32_t, std::uint32_t>>& groups,
                                        double window_s, std::string& error);

  // Problems simulated and flows run so far in this process (for benchmarks and tests).
  std::uint64_t problems() const { return problems_; }
  std::uint64_t flows() const { return flows_; }

 private:
  FlowNetwork();
  std::uint64_t problems_ = 0;
  std::uint64_t flows_ = 0;
};

}  // namespace leasesim::perf
