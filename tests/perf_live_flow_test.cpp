// The flow network's live flows (the shared fabric's rings): SimGrid's max-min shares on a
// hand-computed two-link toy, and that a stopped flow (suspended, kept for reuse), a resumed one
// and one restarted in place give exactly the shares a fresh flow gets.
#include <simgrid/s4u.hpp>

#include <catch2/catch.hpp>
#include <functional>

#include "leasesim/perf/flow_network.hpp"

using leasesim::perf::FlowNetwork;

namespace {

// Runs `body` inside an actor of the process's engine (live flows need a running simulation).
void in_actor(const std::function<void()>& body) {
  FlowNetwork::instance();
  simgrid::s4u::Actor::create("live-flow-test", FlowNetwork::actor_host(), body);
  simgrid::s4u::Engine::get_instance()->run();
}

constexpr double G = 1e9;  // bytes/s

}  // namespace

TEST_CASE("live flows share two links max-min fairly, and a resumed flow shares as a fresh one", "[flow]") {
  in_actor([] {
    FlowNetwork& net = FlowNetwork::instance();
    const std::size_t free_slots = net.free_slots();
    // Link A: 100 GB/s, link B: 60 GB/s. f1 crosses A, f2 crosses A and B, f3 crosses B; the caps
    // (1 TB/s) never bind. Progressive filling: B saturates first at 30 GB/s each for f2 and f3,
    // then f1 takes the rest of A: 70 GB/s.
    const std::uint32_t a = net.acquire_link(100 * G), b = net.acquire_link(60 * G);
    const std::uint32_t pa[] = {a}, pab[] = {a, b}, pb[] = {b};
    const std::uint32_t f1 = net.start_flow(pa, 1, 1000 * G);
    const std::uint32_t f2 = net.start_flow(pab, 2, 1000 * G);
    std::uint32_t f3 = net.start_flow(pb, 1, 1000 * G);
    const std::uint64_t started = net.flows_started();
    auto r = net.rates_in_actor({f1, f2, f3}, 1.0);
    CHECK(r[0] == Approx(70 * G).epsilon(1e-9));
    CHECK(r[1] == Approx(30 * G).epsilon(1e-9));
    CHECK(r[2] == Approx(30 * G).epsilon(1e-9));

    // f3 stops (suspended: no share any more): f1 and f2 split A, 50 GB/s each.
    net.stop_flow(f3);
    CHECK(net.free_slots() == free_slots - 2);
    r = net.rates_in_actor({f1, f2}, 1.0);
    CHECK(r[0] == Approx(50 * G).epsilon(1e-9));
    CHECK(r[1] == Approx(50 * G).epsilon(1e-9));

    // A flow on B again, capped at 10 GB/s: the idle one is resumed (no new communication) with
    // the new cap and a fresh flow's bytes. f3 = 10; f1 and f2 rise to 50 (A full, B full).
    f3 = net.start_flow(pb, 1, 10 * G);
    CHECK(net.flows_started() == started);
    CHECK(net.remaining(f3) == FlowNetwork::kLiveBytes);
    r = net.rates_in_actor({f1, f2, f3}, 1.0);
    CHECK(r[0] == Approx(50 * G).epsilon(1e-9));
    CHECK(r[1] == Approx(50 * G).epsilon(1e-9));
    CHECK(r[2] == Approx(10 * G).epsilon(1e-9));

    // Stopped a second time it leaves the links again (a resumed flow can be suspended again).
    net.stop_flow(f3);
    r = net.rates_in_actor({f1, f2}, 1.0);
    CHECK(r[0] == Approx(50 * G).epsilon(1e-9));
    CHECK(r[1] == Approx(50 * G).epsilon(1e-9));
    // ... and resumed uncapped it is back to the first shares.
    f3 = net.start_flow(pb, 1, 1000 * G);
    r = net.rates_in_actor({f1, f2, f3}, 1.0);
    CHECK(r[0] == Approx(70 * G).epsilon(1e-9));
    CHECK(r[1] == Approx(30 * G).epsilon(1e-9));
    CHECK(r[2] == Approx(30 * G).epsilon(1e-9));

    // Restarted in place: the same slot with a fresh flow's bytes, the same share.
    const double drained = net.remaining(f1);
    CHECK(drained == Approx(FlowNetwork::kLiveBytes - 70 * G - 50 * G - 50 * G - 50 * G - 70 * G).epsilon(1e-12));
    net.restart_flow(f1);
    CHECK(net.remaining(f1) == FlowNetwork::kLiveBytes);
    r = net.rates_in_actor({f1, f2, f3}, 1.0);
    CHECK(r[0] == Approx(70 * G).epsilon(1e-9));
    CHECK(net.remaining(f1) == Approx(FlowNetwork::kLiveBytes - 70 * G).epsilon(1e-15));

    // A resumed flow reads exactly as a fresh flow would: the same bytes moved in the window as
    // f1 (restarted, so also at kLiveBytes) when both get the same share.
    net.stop_flow(f2);
    net.stop_flow(f3);
    const std::uint32_t f4 = net.start_flow(pa, 1, 1000 * G);  // resumes nothing: no idle flow on A alone
    CHECK(net.flows_started() == started + 1);
    net.restart_flow(f1);
    r = net.rates_in_actor({f1, f4}, 1.0);
    CHECK(r[0] == Approx(50 * G).epsilon(1e-9));
    CHECK(r[1] == r[0]);

    // Two flows on B capped at 20 GB/s, one resumed (f3's idle flow) and one fresh: both get
    // their cap, and move exactly the same bytes in the window.
    const std::uint32_t f5 = net.start_flow(pb, 1, 20 * G);
    CHECK(net.flows_started() == started + 1);
    const std::uint32_t f6 = net.start_flow(pb, 1, 20 * G);
    CHECK(net.flows_started() == started + 2);
    r = net.rates_in_actor({f5, f6, f1}, 1.0);
    CHECK(r[0] == Approx(20 * G).epsilon(1e-9));
    CHECK(r[1] == r[0]);
    CHECK(r[2] == Approx(50 * G).epsilon(1e-9));

    // A link's capacity changes while the flows on it are idle: a resumed flow sees the new one
    // (SimGrid bounds a flow by its route's capacities when it starts). B raised to 200 GB/s, one
    // uncapped flow on it alone: 200 GB/s, not the 60 of its first start.
    net.stop_flow(f5);
    net.stop_flow(f6);
    net.set_link_capacity(b, 200 * G);
    const std::uint32_t f7 = net.start_flow(pb, 1, 1000 * G);
    CHECK(net.flows_started() == started + 2);
    r = net.rates_in_actor({f7}, 1.0);
    CHECK(r[0] == Approx(200 * G).epsilon(1e-9));

    for (std::uint32_t f : {f1, f4, f7}) net.stop_flow(f);
    net.end_idle_flows();
    CHECK(net.free_slots() == free_slots);
    net.release_link(a);
    net.release_link(b);
  });
}
