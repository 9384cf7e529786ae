// The process's SimGrid engine and the pooled platform of the flow fidelity (see flow_network.hpp).
// Network model: CM02 (plain max-min fair sharing, no TCP latency/bandwidth factors) with cross-traffic
// off, so a flow alone on a link gets exactly the link's bandwidth — the alpha-beta model's beta, which
// is what lets the two fidelities agree on an idle fabric. Latencies are zero here: the flow step model
// adds the analytical latency terms, the simulation only decides bandwidth sharing.
#include "leasesim/perf/flow_network.hpp"

#include <simgrid/kernel/resource/Action.hpp>
#include <simgrid/kernel/resource/Model.hpp>
#include <simgrid/kernel/routing/NetPoint.hpp>
#include <simgrid/kernel/routing/NetZoneImpl.hpp>
#include <simgrid/s4u.hpp>
#include <simgrid/simix.hpp>
#include <xbt/log.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <stdexcept>
#include <unordered_map>

namespace sg4 = simgrid::s4u;
namespace sgr = simgrid::kernel::routing;
namespace sgk = simgrid::kernel::resource;

namespace leasesim::perf {

namespace {

// A netzone whose routes are set from outside between simulations: flow f runs from host 2f to host
// 2f+1 along route_of_flow[f]. SimGrid's own zones fix their routes when sealed; this one only holds
// the current problem's paths, which is what lets one sealed platform serve every evaluation.
class FlowRouteZone final : public sgr::NetZoneImpl {
 public:
  explicit FlowRouteZone(const std::string& name) : NetZoneImpl(name) {}

  std::vector<int> flow_of_vertex;  // netpoint id -> flow index (source hosts only; -1 otherwise)
  std::vector<std::vector<simgrid::kernel::resource::StandardLinkImpl*>> route_of_flow;

  void get_local_route(const sgr::NetPoint* src, const sgr::NetPoint* /*dst*/, sgr::Route* into,
                       double* /*latency*/) override {
    const int f = flow_of_vertex.at(src->id());
    const auto& links = route_of_flow.at(static_cast<std::size_t>(f));
    into->link_list_.insert(into->link_list_.end(), links.begin(), links.end());
  }
  void get_graph(const s_xbt_graph_t* /*graph*/, std::map<std::string, xbt_node_t, std::less<>>* /*nodes*/,
                 std::map<std::string, xbt_edge_t, std::less<>>* /*edges*/) override {}
};

constexpr std::size_t kNotIdle = ~std::size_t{0};

struct Pools {
  FlowRouteZone* zone = nullptr;
  std::vector<sg4::Host*> hosts;  // 2 per flow
  std::vector<sg4::Link*> links;
  std::vector<double> bandwidth;  // current bandwidth of each pooled link
  std::vector<sg4::CommPtr> comms;
  // Live flows: links [0, kLiveLinks) are handed out by acquire_link; slot f's rate cap is link
  // kLiveLinks + f and its hosts are 2f, 2f+1 (simulate() uses the first kMaxFlows host pairs and
  // the first kMaxLinks links; it never runs while flows are live).
  static constexpr std::size_t kLiveLinks = FlowNetwork::kMaxLinks;
  static constexpr std::size_t kHostPairs = FlowNetwork::kMaxLiveFlows;
  static constexpr std::size_t kLinks = kLiveLinks + FlowNetwork::kMaxLiveFlows;
  std::vector<std::uint32_t> free_links, free_slots;  // popped from the back: lowest first
  std::vector<sg4::CommPtr> live;                     // per slot
  std::vector<sgk::Action*> action;                   // per slot: the comm's network action
  // Idle slots: a stopped live flow is suspended rather than cancelled and waits, on its route,
  // for a flow that wants the same links (SimGrid 3.32 walks every live communication for each
  // one that ends: docs/performance.md). idle_path[slot] is its route's pooled links; by_path
  // lists the idle slots of each route; idle_list all of them (idle_at[slot] is its index there).
  struct PathHash {
    std::size_t operator()(const std::vector<std::uint32_t>& v) const {
      std::uint64_t h = 1469598103934665603ULL;
      for (std::uint32_t x : v) h = (h ^ x) * 1099511628211ULL;
      return static_cast<std::size_t>(h);
    }
  };
  std::vector<std::vector<std::uint32_t>> idle_path;
  std::unordered_map<std::vector<std::uint32_t>, std::vector<std::uint32_t>, PathHash> by_path;
  std::vector<std::uint32_t> idle_list;
  std::vector<std::size_t> idle_at;
  // Least recently stopped first: (slot, stamp) in the order they went idle; an entry whose stamp
  // is not the slot's idle_stamp any more is stale (the slot was resumed since) and skipped.
  std::deque<std::pair<std::uint32_t, std::uint64_t>> idle_order;
  std::vector<std::uint64_t> idle_stamp;
  std::uint64_t stamp = 0;
  std::uint64_t evicted = 0;  // idle flows ended to free a slot or by end_idle_flows()
  // A live flow whose bytes all moved (it was not restarted in time) completes like any other
  // communication and SimGrid deletes its action: slot_of_action notices it (action[slot] becomes
  // null), and the slot then behaves as the old cancelled-and-restarted flows did.
  std::unordered_map<const void*, std::uint32_t> slot_of_action;
  std::uint32_t oldest_idle() {
    while (idle_at[idle_order.front().first] == kNotIdle ||
           idle_stamp[idle_order.front().first] != idle_order.front().second)
      idle_order.pop_front();
    return idle_order.front().first;
  }
  std::vector<std::uint32_t> key;  // scratch
  sgk::Model* network_model = nullptr;
  void set_bandwidth(std::size_t i, double bw) {
    if (bandwidth[i] != bw) {
      links[i]->set_bandwidth(bw);
      bandwidth[i] = bw;
    }
  }
};

// The process's engine and its root zone, created at first use by either the flow network or a
// cluster simulation. The zone holds the pools only once the flow network is first used: an
// analytical cluster simulation needs one host for its actors and nothing else, and building the
// pools (16,384 hosts, 40,960 links) cost ~0.3 G instructions, more than the default scenario's
// whole event loop (callgrind, docs/performance.md).
struct Platform {
  FlowRouteZone* zone = nullptr;
  sg4::Host* actors = nullptr;  // where the cluster simulation's actors run
  bool pooled = false;
};

Platform& platform() {
  static Platform p = [] {
    // Quiet, raw contexts, and a network model without TCP factors.
    xbt_log_control_set("root.thresh:critical");
    static char a0[] = "leasesim";
    // Raw contexts in every build. Under AddressSanitizer they switch stacks without telling ASan
    // (Debian's SimGrid is built without its fiber annotations), so ASan prints one warning per
    // process about __asan_handle_no_return; thread contexts would avoid it but hang at engine
    // teardown in SimGrid 3.32 (measured), and ucontext warns the same. tests/cli_support.hpp
    // drops exactly that warning from a sanitizer build's captured stderr.
    static char a1[] = "--cfg=contexts/factory:raw";
    static char a2[] = "--cfg=network/model:CM02";
    static char a3[] = "--cfg=network/crosstraffic:0";
    static char a4[] = "--log=root.thresh:critical";
    static char* argv[] = {a0, a1, a2, a3, a4, nullptr};
    static int argc = 5;
    if (!sg4::Engine::has_instance()) new sg4::Engine(&argc, argv);  // lives as long as the process
    Platform out;
    out.zone = new FlowRouteZone("leasesim-flow");  // becomes the platform's root zone
    return out;
  }();
  return p;
}

// Never destroyed, like the engine: the live and idle flows' communications are still running at
// exit, and destroying a running s4u::Comm makes SimGrid 3.32 compute a backtrace for a (silenced)
// warning — ~0.4 ms each, seconds for the ~10,000 a full-scale run keeps.
Pools& pools() {
  static Pools& p = *[] {
    Platform& plat = platform();
    auto* made = new Pools;
    Pools& out = *made;
    out.zone = plat.zone;
    sg4::NetZone* z = out.zone->get_iface();
    out.hosts.reserve(2 * Pools::kHostPairs);
    try {
      out.hosts.push_back(z->create_host("ep0", 1.0));
    } catch (const std::exception&) {
      // SimGrid seals the platform at the engine's first run and cannot grow it afterwards.
      throw std::logic_error(
          "flow fidelity: this process already ran an analytical cluster simulation on a platform "
          "without the flow network's pools; call perf::FlowNetwork::instance() before the first "
          "simulation of a process that mixes fidelities");
    }
    for (std::size_t i = 1; i < 2 * Pools::kHostPairs; ++i)
      out.hosts.push_back(z->create_host("ep" + std::to_string(i), 1.0));
    out.links.reserve(Pools::kLinks);
    for (std::size_t i = 0; i < Pools::kLinks; ++i)
      out.links.push_back(z->create_link("l" + std::to_string(i), 1.0)->set_latency(0)->seal());
    out.bandwidth.assign(Pools::kLinks, 1.0);
    z->seal();
    out.zone->flow_of_vertex.assign(2 * Pools::kHostPairs + 1, -1);
    for (std::size_t i = 0; i < out.hosts.size(); i += 2) {
      const auto id = static_cast<std::size_t>(out.hosts[i]->get_netpoint()->id());
      if (id >= out.zone->flow_of_vertex.size()) out.zone->flow_of_vertex.resize(id + 1, -1);
      out.zone->flow_of_vertex[id] = static_cast<int>(i / 2);
    }
    out.zone->route_of_flow.resize(Pools::kHostPairs);
    for (std::size_t i = Pools::kLiveLinks; i-- > 0;) out.free_links.push_back(static_cast<std::uint32_t>(i));
    for (std::size_t i = Pools::kHostPairs; i-- > 0;) out.free_slots.push_back(static_cast<std::uint32_t>(i));
    out.live.resize(Pools::kHostPairs);
    out.action.assign(Pools::kHostPairs, nullptr);
    out.idle_path.resize(Pools::kHostPairs);
    out.idle_at.assign(Pools::kHostPairs, kNotIdle);
    out.idle_stamp.assign(Pools::kHostPairs, 0);
    plat.pooled = true;
    if (plat.actors == nullptr) plat.actors = out.hosts.front();
    sg4::Link::on_communication_state_change_cb([made](sgk::NetworkAction& na, sgk::Action::State) {
      const auto it = made->slot_of_action.find(static_cast<const void*>(&na));
      if (it == made->slot_of_action.end()) return;
      sgk::Action* a = made->action[it->second];
      if (a->get_state() == sgk::Action::State::FINISHED) {
        made->action[it->second] = nullptr;
        made->slot_of_action.erase(it);
      }
    });
    return made;
  }();
  return p;
}

}  // namespace

FlowNetwork::FlowNetwork() { pools(); }

FlowNetwork& FlowNetwork::instance() {
  static FlowNetwork n;
  return n;
}

simgrid::s4u::Host* FlowNetwork::actor_host() {
  Platform& p = platform();
  if (p.actors == nullptr) p.actors = p.zone->get_iface()->create_host("actors", 1.0);
  return p.actors;
}

namespace {

bool exceeds_pools(const FlowProblem& p, std::string& error) {
  const std::size_t links = p.link_capacity.size(), flows = p.flows.size();
  if (flows <= FlowNetwork::kMaxFlows && links + flows <= FlowNetwork::kMaxLinks) return false;
  error = "flow fidelity: " + std::to_string(flows) + " concurrent flows over " + std::to_string(links) +
          " links exceed the pools of this process (" + std::to_string(FlowNetwork::kMaxFlows) + " flows, " +
          std::to_string(FlowNetwork::kMaxLinks) + " links); use the analytical fidelity for a job this large";
  return true;
}

// Sets the pooled links' bandwidths and routes and starts one communication per flow.
void launch(Pools& pool, const FlowProblem& p) {
  const std::size_t links = p.link_capacity.size(), flows = p.flows.size();
  auto set_bandwidth = [&](std::size_t i, double bw) {
    if (pool.bandwidth[i] != bw) {
      pool.links[i]->set_bandwidth(bw);
      pool.bandwidth[i] = bw;
    }
  };
  for (std::size_t i = 0; i < links; ++i) set_bandwidth(i, p.link_capacity[i]);
  pool.comms.clear();
  for (std::size_t f = 0; f < flows; ++f) {
    const NetworkFlow& flow = p.flows[f];
    const std::size_t cap_link = links + f;
    set_bandwidth(cap_link, flow.rate_cap);
    auto& route = pool.zone->route_of_flow[f];
    route.clear();
    route.push_back(pool.links[cap_link]->get_impl());
    for (std::uint32_t k = flow.path_begin; k < flow.path_end; ++k) route.push_back(pool.links[p.path[k]]->get_impl());
    const auto bytes = static_cast<std::uint64_t>(std::max(1.0, std::ceil(flow.bytes)));
    pool.comms.push_back(sg4::Comm::sendto_async(pool.hosts[2 * f], pool.hosts[2 * f + 1], bytes));
  }
}

}  // namespace

std::uint32_t FlowNetwork::acquire_link(double capacity) {
  Pools& pool = pools();
  if (pool.free_links.empty()) return kNoSlot;
  const std::uint32_t link = pool.free_links.back();
  pool.free_links.pop_back();
  pool.set_bandwidth(link, capacity);
  return link;
}

void FlowNetwork::release_link(std::uint32_t link) { pools().free_links.push_back(link); }

namespace {

sgk::Model* network_model() {
  for (sgk::Model* m : sg4::Engine::get_instance()->get_all_models())
    if (m->get_name().rfind("Network", 0) == 0) return m;
  throw std::logic_error("flow fidelity: SimGrid has no network model");
}

void unlist_idle(Pools& pool, std::uint32_t slot) {
  auto& bucket = pool.by_path.at(pool.idle_path[slot]);
  bucket.erase(std::find(bucket.begin(), bucket.end(), slot));
  if (bucket.empty()) pool.by_path.erase(pool.idle_path[slot]);
  const std::size_t at = pool.idle_at[slot];
  pool.idle_list[at] = pool.idle_list.back();
  pool.idle_at[pool.idle_list[at]] = at;
  pool.idle_list.pop_back();
  pool.idle_at[slot] = kNotIdle;
}

// Marks every link of the flow in `slot` as modified for SimGrid's next max-min solve. Needed after
// a suspend or resume: the selective update (lmm::System, 3.32) marks only the first constraint of
// a variable that is enabled or disabled and reaches the others through it, so when that first
// constraint (the flow's cap link) was already marked in the same step, e.g. by a new cap, the
// flow's other links were never re-solved (the test in tests/perf_live_flow_test.cpp catches it).
// A fresh communication marks each link as it is added, which is what this does.
void touch_route(Pools& pool, std::uint32_t slot) {
  const std::size_t cap = Pools::kLiveLinks + slot;
  pool.links[cap]->set_bandwidth(pool.bandwidth[cap]);
  for (std::uint32_t l : pool.idle_path[slot]) pool.links[l]->set_bandwidth(pool.bandwidth[l]);
}

// Ends an idle flow for good (one walk of SimGrid's list of live communications) and frees its slot.
void evict(Pools& pool, std::uint32_t slot) {
  ++pool.evicted;
  unlist_idle(pool, slot);
  pool.slot_of_action.erase(static_cast<const void*>(pool.action[slot]));
  pool.live[slot]->cancel();
  pool.live[slot] = nullptr;
  pool.action[slot] = nullptr;
  pool.free_slots.push_back(slot);
}

}  // namespace

std::uint32_t FlowNetwork::start_flow(const std::uint32_t* path, std::size_t links, double rate_cap) {
  Pools& pool = pools();
  pool.key.assign(path, path + links);
  if (const auto it = pool.by_path.find(pool.key); it != pool.by_path.end()) {
    // An idle flow on this very route: resumed, with a fresh flow's bytes and clock (a suspended
    // action's last rate is 0, so the bytes it is set to are exactly what the next window starts from).
    const std::uint32_t f = it->second.back();
    unlist_idle(pool, f);
    sgk::Action* a = pool.action[f];
    simgrid::kernel::actor::simcall_answered([a] {
      a->resume();
      a->set_remains(kLiveBytes);
    });
    pool.set_bandwidth(Pools::kLiveLinks + f, rate_cap);
    // SimGrid bounds a new communication's variable by the smallest bandwidth on its route when it
    // starts (NetworkCm02Model::comm_action_set_bounds); the links may have other capacities now.
    double bound = pool.bandwidth[Pools::kLiveLinks + f];
    for (std::uint32_t l : pool.idle_path[f]) bound = std::min(bound, pool.bandwidth[l]);
    simgrid::kernel::actor::simcall_answered([a, bound] {
      a->set_user_bound(bound);
      a->set_bound(bound);
    });
    touch_route(pool, f);
    ++resumed_;
    return f;
  }
  if (pool.free_slots.empty()) {
    if (pool.idle_list.empty()) return kNoSlot;
    evict(pool, pool.oldest_idle());
  }
  const std::uint32_t f = pool.free_slots.back();
  pool.free_slots.pop_back();
  const std::size_t cap_link = Pools::kLiveLinks + f;
  pool.set_bandwidth(cap_link, rate_cap);
  auto& route = pool.zone->route_of_flow[f];
  route.clear();
  route.push_back(pool.links[cap_link]->get_impl());
  for (std::size_t k = 0; k < links; ++k) route.push_back(pool.links[path[k]]->get_impl());
  pool.idle_path[f] = pool.key;
  pool.live[f] =
      sg4::Comm::sendto_async(pool.hosts[2 * f], pool.hosts[2 * f + 1], static_cast<std::uint64_t>(kLiveBytes));
  // The comm's network action is the model's newest started one (Action's constructor appends it).
  if (pool.network_model == nullptr) pool.network_model = network_model();
  sgk::Action* a = &pool.network_model->get_started_action_set()->back();
  if (a->get_activity() != pool.live[f]->get_impl())
    throw std::logic_error("flow fidelity: cannot find the network action of a live flow");
  pool.action[f] = a;
  pool.slot_of_action[static_cast<const void*>(a)] = f;
  ++started_;
  return f;
}

void FlowNetwork::stop_flow(std::uint32_t slot) {
  Pools& pool = pools();
  // Suspended, not cancelled: a suspended action has no share in the max-min system (SimGrid sets
  // its variable's penalty to 0, which disables it) and ending a communication costs a walk of all.
  // On the action itself: s4u::Activity::resume() in SimGrid 3.32 leaves the activity marked
  // suspended, so a second s4u suspend() of a resumed comm would do nothing.
  sgk::Action* a = pool.action[slot];
  if (a == nullptr) {  // completed: nothing to keep
    pool.live[slot] = nullptr;
    pool.free_slots.push_back(slot);
    return;
  }
  simgrid::kernel::actor::simcall_answered([a] { a->suspend(); });
  touch_route(pool, slot);
  pool.by_path[pool.idle_path[slot]].push_back(slot);
  pool.idle_at[slot] = pool.idle_list.size();
  pool.idle_list.push_back(slot);
  pool.idle_stamp[slot] = ++pool.stamp;
  pool.idle_order.emplace_back(slot, pool.stamp);
  if (pool.idle_order.size() > 4 * pool.idle_list.size() + 1024) {
    std::deque<std::pair<std::uint32_t, std::uint64_t>> kept;
    for (const auto& [f, st] : pool.idle_order)
      if (pool.idle_at[f] != kNotIdle && pool.idle_stamp[f] == st) kept.emplace_back(f, st);
    pool.idle_order.swap(kept);
  }
}

void FlowNetwork::restart_flow(std::uint32_t slot) {
  // The same action, given a fresh flow's bytes: its remaining bytes are brought up to date, reset,
  // and its completion date re-filed as SimGrid's lazy update would file a new flow's.
  Pools& pool = pools();
  sgk::Action* a = pool.action[slot];
  if (a == nullptr) {  // completed: a new communication on the same route, in the same slot
    const std::size_t cap = Pools::kLiveLinks + slot;
    auto& route = pool.zone->route_of_flow[slot];
    route.clear();
    route.push_back(pool.links[cap]->get_impl());
    for (std::uint32_t l : pool.idle_path[slot]) route.push_back(pool.links[l]->get_impl());
    pool.live[slot] =
        sg4::Comm::sendto_async(pool.hosts[2 * slot], pool.hosts[2 * slot + 1], static_cast<std::uint64_t>(kLiveBytes));
    a = &pool.network_model->get_started_action_set()->back();
    if (a->get_activity() != pool.live[slot]->get_impl())
      throw std::logic_error("flow fidelity: cannot find the network action of a live flow");
    pool.action[slot] = a;
    pool.slot_of_action[static_cast<const void*>(a)] = slot;
    ++started_;
    return;
  }
  simgrid::kernel::actor::simcall_answered([a] {
    a->get_remains();
    a->set_remains(kLiveBytes);
    const double rate = a->get_rate();
    if (rate > 0)
      a->get_model()->get_action_heap().update(a, sg4::Engine::get_clock() + kLiveBytes / rate,
                                               sgk::ActionHeap::Type::normal);
  });
  ++restarted_;
}

std::uint64_t FlowNetwork::flows_evicted() const { return pools().evicted; }
void FlowNetwork::end_idle_flows() {
  Pools& pool = pools();
  while (!pool.idle_list.empty()) evict(pool, pool.idle_list.back());
  pool.idle_order.clear();
}

double FlowNetwork::remaining(std::uint32_t slot) const {
  sgk::Action* a = pools().action[slot];
  if (a == nullptr) return 0.0;
  return simgrid::kernel::actor::simcall_answered([a] { return a->get_remains(); });
}
double FlowNetwork::clock() { return sg4::Engine::get_clock(); }
std::size_t FlowNetwork::free_links() const { return pools().free_links.size(); }
std::size_t FlowNetwork::free_slots() const { return pools().free_slots.size() + pools().idle_list.size(); }
void FlowNetwork::set_link_capacity(std::uint32_t link, double capacity) { pools().set_bandwidth(link, capacity); }

std::vector<double> FlowNetwork::rates_in_actor(const std::vector<std::uint32_t>& slots, double window_s) {
  Pools& pool = pools();
  std::vector<double> before(slots.size()), rates(slots.size());
  // What s4u::Comm::get_remaining() returns (the action's remaining bytes, brought up to date), for
  // all the flows in one call into the kernel.
  auto remaining = [&](std::vector<double>& out) {
    simgrid::kernel::actor::simcall_answered([&] {
      for (std::size_t k = 0; k < slots.size(); ++k) {
        sgk::Action* a = pool.action[slots[k]];
        out[k] = a != nullptr ? a->get_remains() : 0.0;  // a completed flow has nothing left
      }
    });
  };
  remaining(before);
  const double start = sg4::Engine::get_clock();
  sg4::this_actor::sleep_for(window_s);
  const double dt = sg4::Engine::get_clock() - start;
  remaining(rates);
  for (std::size_t k = 0; k < slots.size(); ++k) rates[k] = (before[k] - rates[k]) / dt;
  return rates;
}

double FlowNetwork::simulate(const FlowProblem& p, std::string& error) {
  if (p.flows.empty() || exceeds_pools(p, error)) return 0;
  const std::size_t flows = p.flows.size();
  Pools& pool = pools();
  end_idle_flows();  // each communication that completes below would walk the idle ones (see stop_flow)
  launch(pool, p);
  const double start = sg4::Engine::get_clock();
  sg4::Engine::get_instance()->run();
  const double seconds = sg4::Engine::get_clock() - start;
  pool.comms.clear();
  ++problems_;
  flows_ += flows;
  return seconds;
}

}  // namespace leasesim::perf
