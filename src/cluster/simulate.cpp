// The cluster simulation on SimGrid's engine. Four to six actors share one ClusterSimulation (state owned in
// one place; SimGrid actors are cooperative, so there are no data races):
//   arrivals          sleeps until each job's submission
//   failure-injector  sleeps until each failure, repair and maintenance boundary
//   job-lifecycle     waits (on a condition variable, with the next planned completion as timeout)
//                     and completes jobs; re-armed when a job's planned end moves earlier
//   capacity          sleeps until each instant the leases change what is in service, then applies it
//   billing-clock     sleeps through the calendar-month boundaries to the horizon, then closes the
//                     books; it is the only non-daemon actor, so the run ends with it
//   fabric            (flow fidelity) waits for a change in the running multi-domain jobs, then runs
//                     their scale-out traffic together as SimGrid communications on the fabric's
//                     links, inside this same engine run, and stretches each job's step by its share
//                     of the contention (cluster/fabric_contention.hpp); only where the fabric can
//                     contend at all
// After each batch of events at one instant the acting actor runs the scheduling pass. Checkpoints
// cost no events (checkpoint_cycle.hpp); training steps never do.
#include "leasesim/cluster/simulate.hpp"

#include <simgrid/s4u.hpp>

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "leasesim/cluster/cluster_simulation.hpp"
#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/perf/flow_network.hpp"

namespace sg4 = simgrid::s4u;

namespace leasesim::cluster {

namespace {

// The process's engine (created, quiet and with raw contexts, by perf/flow_network.cpp) and the host
// every cluster actor runs on (actors compute nothing in SimGrid terms; any host will do). Only the
// flow fidelity builds the flow network's pools; an analytical run's platform is that one host.
sg4::Host* actor_host(const SimulationInput& in) {
  if (in.fidelity == Fidelity::flow) perf::FlowNetwork::instance();
  return perf::FlowNetwork::actor_host();
}

void check(const SimulationInput& in) {
  if (in.cluster.racks <= 0)
    throw std::invalid_argument("cluster simulation: expected racks > 0, found " + std::to_string(in.cluster.racks));
  if (in.cluster.rack.gpus_per_node <= 0 || in.cluster.rack.nodes() <= 0)
    throw std::invalid_argument("cluster simulation: the rack type '" + in.cluster.rack.name +
                                "' has no server units (gpus_per_node)");
  if (!(in.horizon_s > 0)) throw std::invalid_argument("cluster simulation: expected a horizon > 0 s");
  for (const FailureProcess& p : in.failures.processes)
    if (p.per_unit_per_s < 0)
      throw std::invalid_argument("cluster simulation: failure rate of '" + p.category + "' is negative");
}

}  // namespace

SimulationResult simulate(const SimulationInput& input) {
  check(input);
  const auto wall0 = std::chrono::steady_clock::now();
  sg4::Host* host = actor_host(input);
  // Step rates (flow fidelity runs the engine itself) are all resolved here, before any actor exists.
  ClusterSimulation sim(input);
  const std::int64_t horizon = sim.horizon_ms();

  const double t0 = sg4::Engine::get_clock();
  auto at = [t0](std::int64_t ms) { return t0 + static_cast<double>(ms) / 1000.0; };
  auto now_ms = [t0] { return static_cast<std::int64_t>(std::llround((sg4::Engine::get_clock() - t0) * 1000.0)); };

  auto mutex = sg4::Mutex::create();
  auto rearm = sg4::ConditionVariable::create();
  sim.on_earlier_completion = [&rearm] { rearm->notify_all(); };
  SimulationResult result;
  // Flow fidelity: wakes the fabric actor after a batch of events changed the running jobs' fabric.
  auto fabric_changed = sg4::ConditionVariable::create();
  auto settle = [&sim, &fabric_changed] {
    if (sim.fabric_changed()) fabric_changed->notify_all();
  };

  sg4::Actor::create("arrivals", host, [&] {
    const auto& tickets = sim.tickets();
    for (std::size_t i = 0; i < tickets.size();) {
      if (sim.chained(static_cast<int>(i))) {  // submitted by the simulation when its predecessors end
        ++i;
        continue;
      }
      const std::int64_t t = tickets[i].submit_ms;
      if (t >= horizon) break;  // listed jobs that slipped past the horizon are never submitted
      sg4::this_actor::sleep_until(at(t));
      for (; i < tickets.size() && tickets[i].submit_ms == t; ++i)
        if (!sim.chained(static_cast<int>(i))) sim.arrive(static_cast<int>(i), t);
      sim.schedule_pass(t);
      settle();
    }
  })->daemonize();

  sg4::Actor::create("failure-injector", host, [&] {
    FailureInjector& injector = sim.failures();
    while (injector.pending() && injector.next_time() < horizon) {
      const std::int64_t t = injector.next_time();
      sg4::this_actor::sleep_until(at(t));
      while (injector.pending() && injector.next_time() == t) sim.outage(injector.pop());
      sim.schedule_pass(t);
      settle();
    }
  })->daemonize();

  // Capacity over time: trays come into and leave service as the leases change (start, ramp, end, exit).
  if (sim.capacity_times().size() > 1) {
    sg4::Actor::create("capacity", host, [&] {
      const auto& times = sim.capacity_times();
      for (std::size_t k = 1; k < times.size(); ++k) {
        sg4::this_actor::sleep_until(at(times[k]));
        sim.apply_capacity(k);
        sim.schedule_pass(times[k]);
        settle();
      }
    })->daemonize();
  }

  sg4::Actor::create("job-lifecycle", host, [&] {
    std::unique_lock<sg4::Mutex> lock(*mutex);
    for (;;) {
      const auto next = sim.next_completion();
      if (!next) {
        rearm->wait(lock);
        continue;
      }
      if (rearm->wait_until(lock, at(*next)) == std::cv_status::no_timeout) continue;  // re-armed
      const std::int64_t t = std::max(now_ms(), *next);
      if (sim.complete_due(t) > 0) sim.schedule_pass(t);
      settle();
    }
  })->daemonize();

  // Roadmaps: chained submissions after their lag, elastic growth at checkpoint boundaries.
  if (sim.uses_timers()) {
    auto timer_mutex = sg4::Mutex::create();
    auto timer_rearm = sg4::ConditionVariable::create();
    sim.on_earlier_timer = [timer_rearm] { timer_rearm->notify_all(); };
    sg4::Actor::create("roadmap-timers", host, [&sim, &settle, &at, &now_ms, timer_mutex, timer_rearm] {
      std::unique_lock<sg4::Mutex> lock(*timer_mutex);
      for (;;) {
        const auto next = sim.next_timer();
        if (!next) {
          timer_rearm->wait(lock);
          continue;
        }
        if (timer_rearm->wait_until(lock, at(*next)) == std::cv_status::no_timeout) continue;  // re-armed
        const std::int64_t t = std::max(now_ms(), *next);
        sim.fire_timers(t);
        sim.schedule_pass(t);
        settle();
      }
    })->daemonize();
  }

  if (FabricContention* fabric = sim.fabric(); fabric && fabric->can_contend()) {
    auto fabric_mutex = sg4::Mutex::create();
    sg4::Actor::create("fabric", host, [&sim, fabric, fabric_mutex, fabric_changed] {
      std::unique_lock<sg4::Mutex> lock(*fabric_mutex);
      std::string error;
      double next_allowed = 0;
      for (;;) {
        if (!sim.fabric_changed()) {
          fabric_changed->wait(lock);
          continue;
        }
        // At most one joint solve per resolve interval of simulated time: changes in between are
        // picked up together (a 90-day, 552,960-GPU run has ~20,000 running-set changes).
        if (sg4::Engine::get_clock() < next_allowed) sg4::this_actor::sleep_until(next_allowed);
        next_allowed = sg4::Engine::get_clock() + fabric->settings().resolve_interval_s;
        if (!sim.fabric_probe()) continue;
        fabric->solve_in_actor(error);  // other events go on during its window; the answer applies at its end
        if (error.empty()) sim.apply_fabric();
        error.clear();
      }
    })->daemonize();
  }

  sg4::Actor::create("billing-clock", host, [&] {
    const CalendarGrid& grid = sim.grid();
    for (int m = 1; m < grid.months(); ++m) {
      sg4::this_actor::sleep_until(at(grid.month_begin_ms[static_cast<std::size_t>(m)]));
      ++sim.events;  // a billing boundary: the ledgers split months themselves, nothing else to do
    }
    sg4::this_actor::sleep_until(at(horizon));
    // The fabric's live flows end with the run (the engine, and its network, outlive it).
    if (FabricContention* fabric = sim.fabric()) fabric->release_all();
    result = sim.finish();
  });

  sg4::Engine::get_instance()->run();
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return result;
}

std::vector<SimulationResult> simulate_replications(const SimulationInput& input, int n,
                                                    const std::function<void(int)>& on_done) {
  std::vector<SimulationResult> out;
  SimulationInput copy = input;
  for (int i = 0; i < n; ++i) {
    copy.seed = replication_seed(input.seed, i);
    out.push_back(simulate(copy));
    if (on_done) on_done(i + 1);
  }
  return out;
}

}  // namespace leasesim::cluster
