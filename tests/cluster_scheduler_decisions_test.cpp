// Locks the batch schedulers' decisions (fifo, easy-backfill, priority with and without preemption)
// on backlogged queues: a hand-computed case for each policy, and long random queues of mixed
// priorities and sizes where the real policy must start exactly the jobs, at exactly the instants,
// that a brute-force reference written here (a full sort of the queue on every pass) starts.
// The policies run against a small tray-counting cluster (FakeCluster) that implements the
// SchedulerView contract the way the cluster simulation does; a last case runs the hand-computed
// priority queue through the real simulation.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <random>
#include <tuple>
#include <vector>

#include "cluster_test_fixtures.hpp"
#include "leasesim/cluster/scheduler.hpp"

using namespace leasesim;

namespace {

struct FakeJob {
  std::int64_t submit_ms;
  long long trays;
  std::int64_t run_ms;
  int priority;
};

struct Decision {
  char what;  // 's' started, 'p' preempted
  int job;
  std::int64_t t;
  bool operator==(const Decision& o) const { return what == o.what && job == o.job && t == o.t; }
};

std::ostream& operator<<(std::ostream& os, const Decision& d) { return os << d.what << d.job << "@" << d.t; }

// A cluster of `trays` interchangeable trays; a job fits when enough are free. Running jobs end at
// their planned end (no failures); a preempted job keeps its progress and goes back to the front.
class FakeCluster final : public cluster::SchedulerView {
 public:
  FakeCluster(long long trays, std::vector<FakeJob> jobs) : free_(trays), jobs_(std::move(jobs)) {
    left_.reserve(jobs_.size());
    for (const FakeJob& j : jobs_) left_.push_back(j.run_ms);
    started_.assign(jobs_.size(), 0);
    planned_end_.assign(jobs_.size(), 0);
    running_flag_.assign(jobs_.size(), 0);
  }

  std::int64_t now() const override { return now_; }
  const cluster::WaitingQueue& waiting() const override { return waiting_; }
  // The same queue as a plain list in queue order, for the references (which sort it themselves).
  const std::vector<int>& queue() const { return queue_; }
  bool fits_now(int job) const override { return trays_needed(job) <= free_; }
  bool start(int job) override {
    const auto j = static_cast<std::size_t>(job);
    if (running_flag_[j] || !fits_now(job)) return false;
    const auto it = std::find(queue_.begin(), queue_.end(), job);
    if (it == queue_.end()) return false;
    queue_.erase(it);
    waiting_.erase(job);
    free_ -= jobs_[j].trays;
    running_flag_[j] = 1;
    started_[j] = now_;
    planned_end_[j] = now_ + left_[j];
    running_ids_.push_back(job);
    log.push_back({'s', job, now_});
    return true;
  }
  long long trays_needed(int job) const override { return jobs_[static_cast<std::size_t>(job)].trays; }
  long long free_trays() const override { return free_; }
  std::int64_t expected_run_ms(int job) const override { return left_[static_cast<std::size_t>(job)]; }
  int priority(int job) const override { return jobs_[static_cast<std::size_t>(job)].priority; }
  std::vector<Running> running() const override {
    std::vector<Running> out;
    for (int id : running_ids_) {
      const auto j = static_cast<std::size_t>(id);
      out.push_back({id, planned_end_[j], jobs_[j].trays, jobs_[j].priority});
    }
    return out;
  }
  std::optional<Reservation> reservation(long long trays) const override {
    long long available = free_;
    if (available >= trays) return Reservation{now_, available - trays};
    std::vector<std::pair<std::int64_t, int>> ends;
    for (int id : running_ids_) ends.emplace_back(planned_end_[static_cast<std::size_t>(id)], id);
    std::sort(ends.begin(), ends.end());
    for (const auto& [t, id] : ends) {
      available += jobs_[static_cast<std::size_t>(id)].trays;
      if (available >= trays) return Reservation{t, available - trays};
    }
    return std::nullopt;
  }
  void preempt(int job) override {
    const auto j = static_cast<std::size_t>(job);
    if (!running_flag_[j]) return;
    left_[j] -= now_ - started_[j];
    stop(job);
    queue_.insert(queue_.begin(), job);
    waiting_.push_front(job, jobs_[j].priority);
    log.push_back({'p', job, now_});
  }

  // Runs the whole queue through `schedule` (one pass per instant, after that instant's
  // completions and arrivals), until every job has ended.
  template <class Schedule>
  void run(Schedule schedule) {
    std::vector<int> order(jobs_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return jobs_[static_cast<std::size_t>(a)].submit_ms < jobs_[static_cast<std::size_t>(b)].submit_ms;
    });
    std::size_t next = 0;
    for (;;) {
      std::int64_t t = INT64_MAX;
      if (next < order.size()) t = jobs_[static_cast<std::size_t>(order[next])].submit_ms;
      for (int id : running_ids_) t = std::min(t, planned_end_[static_cast<std::size_t>(id)]);
      if (t == INT64_MAX) break;
      now_ = t;
      std::vector<std::pair<std::int64_t, int>> due;
      for (int id : running_ids_)
        if (planned_end_[static_cast<std::size_t>(id)] <= t)
          due.emplace_back(planned_end_[static_cast<std::size_t>(id)], id);
      std::sort(due.begin(), due.end());
      for (const auto& d : due) stop(d.second);
      for (; next < order.size() && jobs_[static_cast<std::size_t>(order[next])].submit_ms == t; ++next) {
        queue_.push_back(order[next]);
        waiting_.push_back(order[next], jobs_[static_cast<std::size_t>(order[next])].priority);
      }
      schedule(*this);
    }
  }

  std::vector<Decision> log;

 private:
  void stop(int job) {
    const auto j = static_cast<std::size_t>(job);
    running_flag_[j] = 0;
    free_ += jobs_[j].trays;
    running_ids_.erase(std::find(running_ids_.begin(), running_ids_.end(), job));
  }

  std::int64_t now_ = 0;
  long long free_;
  std::vector<FakeJob> jobs_;
  std::vector<std::int64_t> left_, started_, planned_end_;
  std::vector<std::uint8_t> running_flag_;
  std::vector<int> queue_, running_ids_;
  cluster::WaitingQueue waiting_;
};

// --- brute-force references, restating each policy's rules (scheduler.hpp) ----------------------

constexpr std::size_t kCandidates = cluster::EasyBackfillScheduler::max_backfill_candidates;

// The queue sorted by priority, larger first, ties in queue order: a full sort on every call.
std::vector<int> by_priority(const FakeCluster& v) {
  std::vector<std::tuple<int, std::size_t, int>> keyed;
  for (std::size_t i = 0; i < v.queue().size(); ++i) keyed.emplace_back(-v.priority(v.queue()[i]), i, v.queue()[i]);
  std::sort(keyed.begin(), keyed.end());
  std::vector<int> out;
  for (const auto& k : keyed) out.push_back(std::get<2>(k));
  return out;
}

// EASY backfill behind `head` over `candidates` (already capped), with the reservation taken
// before any candidate starts.
void reference_backfill(FakeCluster& v, int head, const std::vector<int>& candidates) {
  std::int64_t shadow = INT64_MAX;
  long long extra = 0;
  bool any_fits = false;
  for (int job : candidates) any_fits = any_fits || v.fits_now(job);
  if (!any_fits) return;
  if (const auto r = v.reservation(v.trays_needed(head))) {
    shadow = r->t;
    extra = r->extra_trays;
  }
  for (int job : candidates) {
    if (!v.fits_now(job)) continue;
    const bool in_time = shadow != INT64_MAX && v.now() + v.expected_run_ms(job) <= shadow;
    if (!in_time && v.trays_needed(job) > extra) continue;
    if (v.start(job) && !in_time) extra -= v.trays_needed(job);
  }
}

void reference_fifo(FakeCluster& v) {
  while (!v.queue().empty() && v.start(v.queue().front())) {}
}

void reference_easy(FakeCluster& v) {
  reference_fifo(v);
  const std::vector<int> q = v.queue();
  if (q.size() < 2) return;
  const std::size_t last = std::min(q.size(), 1 + kCandidates);
  reference_backfill(v, q.front(), std::vector<int>(q.begin() + 1, q.begin() + static_cast<std::ptrdiff_t>(last)));
}

void reference_priority(FakeCluster& v, bool preemption) {
  while (!v.queue().empty()) {
    const std::vector<int> order = by_priority(v);
    const int head = order.front();
    const std::vector<int> candidates(
        order.begin() + 1, order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), 1 + kCandidates)));
    if (v.start(head)) continue;
    if (preemption) {
      std::vector<cluster::SchedulerView::Running> victims;
      for (const auto& r : v.running())
        if (r.priority < v.priority(head)) victims.push_back(r);
      // Lowest priority first, then the latest planned end, then the job id.
      std::sort(victims.begin(), victims.end(), [](const auto& a, const auto& b) {
        return std::make_tuple(a.priority, -a.planned_end, a.job) < std::make_tuple(b.priority, -b.planned_end, b.job);
      });
      long long freed = v.free_trays();
      std::size_t n = 0;
      while (n < victims.size() && freed < v.trays_needed(head)) freed += victims[n++].trays;
      if (freed >= v.trays_needed(head)) {
        for (std::size_t i = 0; i < n; ++i) v.preempt(victims[i].job);
        if (v.start(head)) continue;
      }
    }
    if (order.size() >= 2) reference_backfill(v, head, candidates);
    return;
  }
}

enum class Policy { fifo, easy, priority, preemptive };

std::vector<Decision> run_real(Policy p, long long trays, const std::vector<FakeJob>& jobs) {
  FakeCluster c(trays, jobs);
  cluster::SchedulerSpec spec;
  spec.policy = p == Policy::fifo   ? cluster::SchedulerPolicy::fifo
                : p == Policy::easy ? cluster::SchedulerPolicy::easy_backfill
                                    : cluster::SchedulerPolicy::priority;
  spec.preemption = p == Policy::preemptive;
  const auto scheduler = cluster::make_scheduler(spec);
  c.run([&](FakeCluster& v) { scheduler->schedule(v); });
  return c.log;
}

std::vector<Decision> run_reference(Policy p, long long trays, const std::vector<FakeJob>& jobs) {
  FakeCluster c(trays, jobs);
  c.run([&](FakeCluster& v) {
    switch (p) {
      case Policy::fifo:
        reference_fifo(v);
        break;
      case Policy::easy:
        reference_easy(v);
        break;
      case Policy::priority:
        reference_priority(v, false);
        break;
      case Policy::preemptive:
        reference_priority(v, true);
        break;
    }
  });
  return c.log;
}

// Ten trays; submitted at 0–5 ms: (trays, run ms, priority).
std::vector<FakeJob> hand_case() {
  return {{0, 6, 100, 0}, {1, 6, 20, 0}, {2, 8, 10, 5}, {3, 4, 30, 1}, {4, 2, 200, 1}, {5, 4, 50, 0}};
}

// A queue that keeps growing (about three times what 64 trays can run is offered): sizes 1–64
// trays, five priorities, run times 1–400 s, a quarter of the jobs submitted with the previous one. Integers only, from
// a fixed-seed engine (no library distribution).
std::vector<FakeJob> backlog(std::uint64_t seed, int n, long long trays) {
  std::mt19937_64 rng(seed);
  const long long sizes[] = {1, 1, 2, 2, 4, 4, 8, 8, 16, 24, 32, 48, 64};
  std::vector<FakeJob> jobs;
  std::int64_t t = 0;
  for (int i = 0; i < n; ++i) {
    const long long size = std::min(trays, sizes[rng() % std::size(sizes)]);
    const std::int64_t run = 1000 + static_cast<std::int64_t>(rng() % 400'000);
    if (rng() % 4 != 0) t += static_cast<std::int64_t>(rng() % 47'000);  // else: with the previous job
    jobs.push_back({t, size, run, static_cast<int>(rng() % 5)});
  }
  return jobs;
}

}  // namespace

TEST_CASE("each policy starts the hand-computed queue exactly as worked out by hand", "[cluster][scheduler]") {
  using D = std::vector<Decision>;
  const auto jobs = hand_case();
  const D fifo{{'s', 0, 0}, {'s', 1, 100}, {'s', 2, 120}, {'s', 3, 130}, {'s', 4, 130}, {'s', 5, 130}};
  const D easy{{'s', 0, 0}, {'s', 3, 3}, {'s', 4, 33}, {'s', 1, 100}, {'s', 2, 120}, {'s', 5, 130}};
  const D priority{{'s', 0, 0}, {'s', 3, 3}, {'s', 4, 33}, {'s', 2, 100}, {'s', 1, 110}, {'s', 5, 130}};
  const D preemptive{{'s', 0, 0},  {'p', 0, 2},  {'s', 2, 2},   {'s', 4, 4},
                     {'s', 3, 12}, {'s', 0, 42}, {'s', 1, 140}, {'s', 5, 160}};
  CHECK(run_real(Policy::fifo, 10, jobs) == fifo);
  CHECK(run_real(Policy::easy, 10, jobs) == easy);
  CHECK(run_real(Policy::priority, 10, jobs) == priority);
  CHECK(run_real(Policy::preemptive, 10, jobs) == preemptive);
  // The references agree with the hand computation too.
  CHECK(run_reference(Policy::fifo, 10, jobs) == fifo);
  CHECK(run_reference(Policy::easy, 10, jobs) == easy);
  CHECK(run_reference(Policy::priority, 10, jobs) == priority);
  CHECK(run_reference(Policy::preemptive, 10, jobs) == preemptive);
}

TEST_CASE("on long backlogged queues of mixed priorities and sizes each policy decides as the brute-force reference",
          "[cluster][scheduler]") {
  const long long trays = 64;
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    const auto jobs = backlog(seed, 900, trays);
    for (const Policy p : {Policy::fifo, Policy::easy, Policy::priority, Policy::preemptive}) {
      INFO("seed " << seed << ", policy " << static_cast<int>(p));
      const auto real = run_real(p, trays, jobs);
      const auto reference = run_reference(p, trays, jobs);
      REQUIRE(real.size() >= jobs.size());
      CHECK(real == reference);
      if (p == Policy::preemptive)  // the case is not vacuous: preemption happens
        CHECK(std::count_if(real.begin(), real.end(), [](const Decision& d) { return d.what == 'p'; }) > 10);
    }
    // Nor is backfill: easy-backfill starts jobs out of submission order, which fifo never does.
    CHECK(run_real(Policy::easy, trays, jobs) != run_real(Policy::fifo, trays, jobs));
  }
}

TEST_CASE("the backlogged queues are deep enough to cap backfill at its candidate limit", "[cluster][scheduler]") {
  // The random queues above must exercise the cap (more than 1 + 256 waiting at some pass).
  const long long trays = 64;
  FakeCluster c(trays, backlog(1, 900, trays));
  std::size_t deepest = 0;
  const auto scheduler =
      cluster::make_scheduler({cluster::SchedulerPolicy::priority, cluster::PlacementPolicy::pack, false});
  c.run([&](FakeCluster& v) {
    deepest = std::max(deepest, v.queue().size());
    REQUIRE(v.waiting().size() == v.queue().size());
    scheduler->schedule(v);
  });
  CHECK(deepest > 1 + kCandidates);
}

TEST_CASE("the cluster simulation starts the hand-computed priority queue at the hand-computed instants",
          "[cluster][scheduler]") {
  // One 18-tray rack; a top-priority job holds 8 trays for the whole run, which leaves the ten trays
  // of hand_case(). Submissions at 0–5 s, run times in hours: (trays, hours, priority).
  struct Spec {
    long long trays;
    double hours;
    int priority;
  };
  const Spec specs[] = {{6, 100, 0}, {6, 20, 0}, {8, 10, 5}, {4, 30, 1}, {2, 200, 1}, {4, 50, 0}};
  auto input = [&](cluster::SchedulerPolicy policy, bool preemption, const std::vector<double>& rates) {
    auto in = test::small_cluster(1, 400 * 3600.0);
    in.scheduler.policy = policy;
    in.scheduler.preemption = preemption;
    auto filler = test::fixed_job("filler", 32, 1e18);
    filler.priority = 100;
    in.jobs.push_back(filler);
    for (std::size_t i = 0; i < std::size(specs); ++i) {
      auto j = test::fixed_job("j" + std::to_string(i), specs[i].trays * 4,
                               rates.empty() ? 1e9 : rates[i] * specs[i].hours * 3600);
      j.submit_s = static_cast<double>(i);
      j.priority = specs[i].priority;
      j.restart_overhead_s = 0;
      j.checkpoint.interval_s = 1e9;  // no checkpoint stall within a run: wall time = work
      in.jobs.push_back(j);
    }
    return in;
  };
  const auto probe = cluster::simulate(input(cluster::SchedulerPolicy::fifo, false, {}));
  std::vector<double> rates;
  for (std::size_t i = 0; i < std::size(specs); ++i) rates.push_back(probe.jobs[i + 1].tokens_per_s);
  const double h = 3600;
  auto starts = [&](cluster::SchedulerPolicy policy, bool preemption) {
    const auto r = cluster::simulate(input(policy, preemption, rates));
    std::vector<double> out;
    for (std::size_t i = 1; i < r.jobs.size(); ++i) out.push_back(r.jobs[i].start_s.value_or(-1));
    return std::make_pair(out, r);
  };
  auto check = [](const std::vector<double>& got, const std::vector<double>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      INFO("job " << i);
      CHECK(got[i] == Approx(want[i]).margin(0.01));
    }
  };
  check(starts(cluster::SchedulerPolicy::fifo, false).first, {0, 100 * h, 120 * h, 130 * h, 130 * h, 130 * h});
  check(starts(cluster::SchedulerPolicy::easy_backfill, false).first, {0, 100 * h, 120 * h, 3, 30 * h + 3, 130 * h});
  check(starts(cluster::SchedulerPolicy::priority, false).first, {0, 110 * h, 100 * h, 3, 30 * h + 3, 130 * h});
  const auto [pre, result] = starts(cluster::SchedulerPolicy::priority, true);
  // j0 is stopped at 2 s for j2 and resumes at 40 h + 2 s with its progress kept: it ends at 140 h.
  check(pre, {0, 140 * h, 2, 10 * h + 2, 4, 160 * h});
  REQUIRE(result.jobs[1].end_s.has_value());
  CHECK(*result.jobs[1].end_s == Approx(140 * h).margin(0.01));
}

TEST_CASE("the waiting queue keeps queue order and priority order as a list and its stable sort would",
          "[cluster][scheduler]") {
  const std::size_t window = GENERATE(std::size_t{5}, std::size_t{257});
  INFO("window " << window);
  std::mt19937_64 rng(42);
  cluster::WaitingQueue q(window);
  std::vector<int> list;  // queue order
  std::vector<int> priority(2000);
  for (int& p : priority) p = static_cast<int>(rng() % 4) - 1;  // negative priorities too
  int next = 0;
  std::vector<int> a, b;
  for (int step = 0; step < 6000; ++step) {
    const auto op = rng() % 10;
    if ((op < 5 || list.empty()) && next < 2000) {
      list.push_back(next);
      q.push_back(next, priority[static_cast<std::size_t>(next)]);
      ++next;
    } else if (op < 7 && !list.empty()) {  // a waiting job leaves and comes back to the front
      const int job = list[rng() % list.size()];
      list.erase(std::find(list.begin(), list.end(), job));
      q.erase(job);
      list.insert(list.begin(), job);
      q.push_front(job, priority[static_cast<std::size_t>(job)]);
    } else if (!list.empty()) {
      const int job = list[rng() % list.size()];
      list.erase(std::find(list.begin(), list.end(), job));
      q.erase(job);
      CHECK_FALSE(q.contains(job));
    }
    REQUIRE(q.size() == list.size());
    if (list.empty()) continue;
    std::vector<int> sorted = list;
    std::stable_sort(sorted.begin(), sorted.end(), [&](int x, int y) {
      return priority[static_cast<std::size_t>(x)] > priority[static_cast<std::size_t>(y)];
    });
    REQUIRE(q.front() == list.front());
    REQUIRE(q.top() == sorted.front());
    const std::size_t w = std::min(window, list.size());
    q.first(window, a);
    q.first_by_priority(window, b);
    REQUIRE(a == std::vector<int>(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(w)));
    REQUIRE(b == std::vector<int>(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(w)));
    if (step % 50 == 0) {
      q.first(list.size(), a);
      q.first_by_priority(list.size(), b);
      REQUIRE(a == list);
      REQUIRE(b == sorted);
      q.first_by_priority(3, b);
      REQUIRE(b == std::vector<int>(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(
                                                                         std::min<std::size_t>(3, sorted.size()))));
    }
  }
}
