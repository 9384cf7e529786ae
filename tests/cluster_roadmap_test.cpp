// Roadmaps (docs/cluster-model.md, "Roadmaps"): chained jobs, elastic jobs, growing demand, and
// quantities sampled per replication on common random numbers — on clusters of a rack or two, each
// case small enough to reason about by hand.
#include <cmath>
#include <numeric>

#include "cli_support.hpp"
#include "cluster_test_fixtures.hpp"
#include "leasesim/cluster/job_arrivals.hpp"
#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/units/quantity.hpp"
#include "leasesim/units/stats.hpp"

using namespace leasesim;

namespace {

constexpr double hour = 3600, day = 86400;

// The tokens `job` trains in `seconds` at its own step rate on an empty cluster.
double tokens_for(const cluster::SimulationInput& base, const cluster::JobSpec& job, double seconds) {
  auto probe = base;
  probe.jobs = {job};
  probe.jobs[0].training.tokens = 1e9;
  probe.jobs[0].after.clear();
  probe.jobs[0].submit_s = 0;
  return cluster::simulate(probe).jobs[0].tokens_per_s * seconds;
}

const cluster::JobResult& job_named(const cluster::SimulationResult& r, const std::string& name) {
  for (const auto& j : r.jobs)
    if (j.name == name) return j;
  FAIL("no job " << name);
  return r.jobs.front();
}

cluster::CheckpointPolicy fixed_checkpoints(double interval_s, double write_s) {
  cluster::CheckpointPolicy c;
  c.interval_s = interval_s;
  c.write_time_s = write_s;
  return c;
}

}  // namespace

TEST_CASE("a chained job is submitted exactly at its predecessor's end plus its lag", "[cluster][roadmap]") {
  auto in = test::small_cluster(2, 20 * day);
  auto a = test::fixed_job("pretrain", 64, 0);
  a.training.tokens = tokens_for(in, a, 10 * hour);
  auto b = test::fixed_job("sft", 64, 0);
  b.training.tokens = tokens_for(in, b, 2 * hour);
  b.after = {"pretrain"};
  b.lag_s = 14 * hour;
  auto c = test::fixed_job("rl", 32, 1e9);
  c.after = {"sft"};    // no lag: at the very instant sft ends
  in.jobs = {c, b, a};  // listed out of order on purpose
  const auto r = cluster::simulate(in);
  test::require_conservation(in, r);
  const auto& pa = job_named(r, "pretrain");
  const auto& pb = job_named(r, "sft");
  const auto& pc = job_named(r, "rl");
  REQUIRE(pa.end_s);
  REQUIRE(pb.end_s);
  CHECK(pb.submit_s == *pa.end_s + 14 * hour);
  CHECK(*pb.start_s == pb.submit_s);  // the cluster is free
  CHECK(pc.submit_s == *pb.end_s);
  CHECK(*pc.start_s == *pb.end_s);
  CHECK(pc.status == "completed");

  SECTION("a later submit of its own wins over the predecessor's end plus lag") {
    in.jobs[1].submit_s = *pa.end_s + 20 * hour;
    const auto later = cluster::simulate(in);
    CHECK(job_named(later, "sft").submit_s == *pa.end_s + 20 * hour);
  }
  SECTION("a drawn slip delays a chained job's submission after its predecessor's end and lag") {
    in.jobs[1].slip = cluster::DurationDistribution{cluster::Distribution::exponential, day, 1};
    const auto slipped = cluster::simulate(in);
    const auto& s = job_named(slipped, "sft");
    REQUIRE(s.slip_s);
    CHECK(*s.slip_s > 0);
    CHECK(s.submit_s == Approx(*job_named(slipped, "pretrain").end_s + 14 * hour + *s.slip_s).margin(0.001));
  }
  SECTION("with two predecessors it waits for the later of them") {
    auto d = test::fixed_job("eval", 8, 1e8);
    d.after = {"pretrain", "sft"};
    d.lag_s = 60;
    in.jobs.push_back(d);
    const auto both = cluster::simulate(in);
    CHECK(job_named(both, "eval").submit_s == *job_named(both, "sft").end_s + 60);
  }
}

TEST_CASE("a successor of a rejected or an unfinished job is blocked, the predecessor named", "[cluster][roadmap]") {
  auto in = test::small_cluster(1, 2 * day);
  auto big = test::fixed_job("pretrain-2t", 256, 1e9);  // 256 GPUs on a 72-GPU cluster: rejected
  auto next = test::fixed_job("long-context", 16, 1e9);
  next.after = {"pretrain-2t"};
  auto last = test::fixed_job("sft", 16, 1e9);
  last.after = {"long-context"};
  in.jobs = {big, next, last};
  const auto rejected = cluster::simulate(in);
  CHECK(job_named(rejected, "pretrain-2t").status == "rejected");
  const auto& n = job_named(rejected, "long-context");
  CHECK(n.status == "blocked");
  CHECK(n.reason.rfind("predecessor pretrain-2t rejected: needs 256 GPUs", 0) == 0);
  CHECK_FALSE(n.start_s);
  const auto& l = job_named(rejected, "sft");
  CHECK(l.status == "blocked");
  CHECK(l.reason.rfind("predecessor long-context blocked: predecessor pretrain-2t rejected", 0) == 0);
  test::require_conservation(in, rejected);

  // A predecessor far too long for the horizon.
  in.jobs[0] = test::fixed_job("pretrain-2t", 64, 1e18);
  const auto unfinished = cluster::simulate(in);
  CHECK(job_named(unfinished, "pretrain-2t").status == "running");
  CHECK(job_named(unfinished, "long-context").status == "blocked");
  CHECK(job_named(unfinished, "long-context").reason == "waiting for pretrain-2t, unfinished at the horizon end");
  CHECK(job_named(unfinished, "sft").reason == "waiting for long-context, not submitted by the horizon end");
  // Nothing of theirs was allocated.
  CHECK(job_named(unfinished, "sft").month_allocated_gpu_ms.empty());

  // Done, but the lag ends past the horizon.
  in.jobs[0] = test::fixed_job("pretrain-2t", 64, tokens_for(in, in.jobs[0], 1 * day));
  in.jobs[1].lag_s = 3 * day;
  const auto late = cluster::simulate(in);
  CHECK(job_named(late, "pretrain-2t").status == "completed");
  CHECK(job_named(late, "long-context").status == "blocked");
  CHECK(job_named(late, "long-context").reason.find("past the horizon end") != std::string::npos);
}

TEST_CASE("an elastic job starts on its minimum, grows when the blocker ends, and its tokens add up",
          "[cluster][roadmap][elastic]") {
  auto in = test::small_cluster(2, 10 * day);  // 144 GPUs
  auto blocker = test::fixed_job("blocker", 80, 0);
  blocker.training.tokens = tokens_for(in, blocker, 6 * hour);
  auto e = test::fixed_job("elastic", 128, 0);  // TP4: a block of 4 GPUs, one tray
  e.min_gpus = 64;
  e.checkpoint = fixed_checkpoints(1800, 30);
  e.submit_s = 60;
  e.training.tokens = tokens_for(in, e, 30 * hour);  // 30 h at 128 GPUs
  in.jobs = {blocker, e};
  const auto r = cluster::simulate(in);
  test::require_conservation(in, r);
  const auto& b = job_named(r, "blocker");
  const auto& x = job_named(r, "elastic");
  REQUIRE(b.end_s);
  REQUIRE(x.end_s);
  REQUIRE(x.elastic);
  REQUIRE(x.sizes.size() == 2);
  CHECK(x.resizes == 1);
  CHECK(x.sizes[0].gpus == 64);  // only 64 of the 144 were free at its submit
  CHECK(x.sizes[0].from_s == 60);
  CHECK(x.sizes[1].gpus == 128);
  // It grows at its first checkpoint after the blocker's end: within one checkpoint period.
  CHECK(x.sizes[1].from_s >= *b.end_s);
  CHECK(x.sizes[1].from_s <= *b.end_s + 1800 + 30 + 1);
  CHECK(x.sizes[0].to_s == x.sizes[1].from_s);
  // Tokens across sizes add up to the job's tokens; GPU-hours are each size × the time held.
  CHECK(x.sizes[0].tokens + x.sizes[1].tokens == Approx(x.tokens).epsilon(1e-9));
  CHECK(x.tokens_trained == x.tokens);
  double allocated = 0;
  for (const auto& [month, ms] : x.month_allocated_gpu_ms) allocated += cluster::gpu_hours(ms);
  CHECK(x.sizes[0].gpu_hours + x.sizes[1].gpu_hours == Approx(allocated).epsilon(1e-12));
  for (const auto& s : x.sizes) CHECK(s.gpu_hours == Approx(s.gpus * (s.to_s - s.from_s) / hour).epsilon(1e-9));
  CHECK(x.sizes[1].to_s == *x.end_s);
  // The rate is repriced at each size: 64 GPUs train more slowly than 128, and the end shows it.
  CHECK(x.tokens_per_s > 0);
  const double at_64_h = x.sizes[0].tokens / (x.sizes[0].to_s - x.sizes[0].from_s);
  const double at_128_h = x.sizes[1].tokens / (x.sizes[1].to_s - x.sizes[1].from_s);
  CHECK(at_128_h > 1.6 * at_64_h);

  SECTION("a rigid job of the same size waits for the blocker instead") {
    in.jobs[1].min_gpus = 0;
    const auto rigid = cluster::simulate(in);
    CHECK(*job_named(rigid, "elastic").start_s == *job_named(rigid, "blocker").end_s);
    CHECK(*job_named(rigid, "elastic").end_s > *x.end_s);  // starting early on 64 paid off
  }
  SECTION("it does not grow while another job waits for the capacity") {
    auto waiting = test::fixed_job("waiter", 144, 1e9);  // the whole cluster: waits for both
    waiting.submit_s = 120;
    in.jobs.push_back(waiting);
    const auto r2 = cluster::simulate(in);
    CHECK(job_named(r2, "elastic").resizes == 0);
    CHECK(job_named(r2, "elastic").sizes.size() == 1);
  }
}

TEST_CASE("an exact-fit elastic job (min = free = max) runs", "[cluster][roadmap][elastic]") {
  auto in = test::small_cluster(1, 5 * day);  // 72 GPUs
  auto e = test::fixed_job("exact", 72, 0);
  e.min_gpus = 72;
  e.training.tokens = tokens_for(in, e, 5 * hour);
  in.jobs = {e};
  const auto r = cluster::simulate(in);
  test::require_conservation(in, r);
  const auto& x = r.jobs[0];
  CHECK(x.status == "completed");
  REQUIRE(x.sizes.size() == 1);
  CHECK(x.sizes[0].gpus == 72);
  CHECK(x.resizes == 0);
  CHECK(*x.start_s == 0);
  CHECK(x.sizes[0].tokens == Approx(x.tokens).epsilon(1e-12));

  SECTION("a minimum above what it can ever use is rejected with the block named") {
    in.jobs[0].min_gpus = 74;  // rounds up to 76 GPUs (a multiple of 4), above its 72
    const auto bad = cluster::simulate(in);
    CHECK(bad.jobs[0].status == "rejected");
    CHECK(bad.jobs[0].reason.find("model-parallel block of 4 GPUs") != std::string::npos);
  }
}

TEST_CASE("an elastic job shrinks to what is left when a failure takes trays and no replacement is free",
          "[cluster][roadmap][elastic]") {
  auto in = test::small_cluster(1, 3 * day);
  auto e = test::fixed_job("e", 72, 0);
  e.min_gpus = 32;
  e.checkpoint = fixed_checkpoints(1800, 30);
  e.training.tokens = tokens_for(in, e, 40 * hour);
  in.jobs = {e};
  cluster::FailureProcess p;
  p.component = cluster::Component::node;
  p.unit = cluster::FailureUnit::host;
  p.per_unit_per_s = 1.0 / (5 * day);  // 18 trays: a failure every ~7 h
  p.repair = {cluster::Distribution::fixed, 4 * hour, 1};
  in.failures.processes = {p};
  const auto r = cluster::simulate(in);
  test::require_conservation(in, r);
  const auto& x = r.jobs[0];
  REQUIRE(r.failures > 0);
  REQUIRE(x.sizes.size() >= 2);
  CHECK(x.sizes[1].gpus < 72);  // restarted on what was left instead of waiting for the repair
  CHECK(x.sizes[1].gpus >= 32);
  double tokens = 0, hours = 0, allocated = 0;
  for (const auto& s : x.sizes) {
    tokens += s.tokens;
    hours += s.gpu_hours;
  }
  for (const auto& [m, ms] : x.month_allocated_gpu_ms) allocated += cluster::gpu_hours(ms);
  CHECK(tokens == Approx(x.tokens_trained).epsilon(1e-9));
  CHECK(hours == Approx(allocated).epsilon(1e-12));
}

TEST_CASE("a growing arrival rate draws the expected number of jobs", "[cluster][roadmap][arrivals]") {
  auto in = test::small_cluster(1, 0);
  in.horizon_s = static_cast<double>(units::add_months(in.start_utc, 3) - in.start_utc);  // Jul, Aug, Sep
  cluster::JobClass k;
  k.name = "bg";
  k.gpus = {{4, 1.0}};
  k.training = test::fixed_job("bg", 4, 1e9).training;
  k.runtime = {cluster::Distribution::fixed, hour, 1};
  const double per_day = 1.0 / day;
  auto count_over_seeds = [&](const cluster::JobClass& c, int seeds, std::vector<double>* per_month) {
    auto input = in;
    input.generators = {c};
    double total = 0;
    for (int s = 0; s < seeds; ++s) {
      input.seed = cluster::replication_seed(99, s);
      const auto tickets = cluster::draw_arrivals(input, static_cast<std::int64_t>(input.horizon_s * 1000));
      total += static_cast<double>(tickets.size());
      if (per_month)
        for (const auto& t : tickets) {
          const double at = static_cast<double>(t.submit_ms) / 1000.0;
          const int m = at < 31 * day ? 0 : at < 62 * day ? 1 : 2;
          (*per_month)[static_cast<std::size_t>(m)] += 1.0 / seeds;
        }
    }
    return total / seeds;
  };
  constexpr int seeds = 200;
  SECTION("by month: 2, 4, then 8 a day (July and August 31 days, September 30)") {
    k.arrivals_by_month_per_s = {2 * per_day, 4 * per_day, 8 * per_day};
    k.arrivals_per_s = 2 * per_day;
    const double expected = 2 * 31 + 4 * 31 + 8 * 30;  // 426
    CHECK(cluster::mean_arrivals(k, in.start_utc, 0, in.horizon_s) == Approx(expected).epsilon(1e-12));
    std::vector<double> months(3, 0.0);
    const double mean = count_over_seeds(k, seeds, &months);
    // Poisson: the mean of `seeds` counts has standard deviation sqrt(expected / seeds); 4 of them.
    CHECK(std::abs(mean - expected) < 4 * std::sqrt(expected / seeds));
    CHECK(std::abs(months[0] - 62) < 4 * std::sqrt(62.0 / seeds));
    CHECK(std::abs(months[2] - 240) < 4 * std::sqrt(240.0 / seeds));
  }
  SECTION("growth: 3 a day growing 20% a month, compounded continuously") {
    k.arrivals_per_s = 3 * per_day;
    k.growth_per_month = 0.2;
    // The integral of 3·1.2^(t/M) per day, summed numerically in one-minute steps.
    double expected = 0;
    for (double t = 30; t < in.horizon_s; t += 60)
      expected += 3 * per_day * std::pow(1.2, t / units::seconds_per_month) * 60;
    CHECK(cluster::mean_arrivals(k, in.start_utc, 0, in.horizon_s) == Approx(expected).epsilon(1e-6));
    CHECK(cluster::arrival_rate_at(k, k.arrivals_per_s, in.start_utc, units::seconds_per_month) ==
          Approx(3.6 * per_day).epsilon(1e-12));
    const double mean = count_over_seeds(k, seeds, nullptr);
    CHECK(std::abs(mean - expected) < 4 * std::sqrt(expected / seeds));
  }
  SECTION("a constant rate keeps the arrivals it drew before schedules existed (same stream, same draws)") {
    k.arrivals_per_s = 5 * per_day;
    auto input = in;
    input.generators = {k};
    const auto tickets = cluster::draw_arrivals(input, static_cast<std::int64_t>(input.horizon_s * 1000));
    cluster::RandomStream rng(input.seed, 1'000'000);
    const double first = rng.exponential(1.0 / k.arrivals_per_s);
    REQUIRE_FALSE(tickets.empty());
    CHECK(tickets[0].submit_ms == static_cast<std::int64_t>(std::llround(first * 1000.0)));
  }
}

TEST_CASE("sampled tokens give a P10-P90 band of end dates around the unsampled end", "[cluster][roadmap][sampled]") {
  auto in = test::small_cluster(1, 20 * day);
  auto j = test::fixed_job("pretrain", 64, 0);
  const double mean = tokens_for(in, j, 2 * day);
  j.training.tokens = mean;
  in.jobs = {j};
  const double fixed_end = *cluster::simulate(in).jobs[0].end_s;
  in.jobs[0].tokens_drawn = cluster::ValueDistribution{cluster::Distribution::lognormal, mean, 0.3};
  const auto reps = cluster::simulate_replications(in, 30);
  std::vector<double> ends, tokens;
  for (const auto& r : reps) {
    REQUIRE(r.jobs[0].end_s);
    ends.push_back(*r.jobs[0].end_s);
    tokens.push_back(r.jobs[0].tokens);
  }
  const double p10 = units::quantile(ends, 0.1), p90 = units::quantile(ends, 0.9);
  CHECK(p90 - p10 > 0.2 * day);  // σ = 0.3 on a 2-day job: about a day between P10 and P90
  CHECK(p10 < fixed_end);
  CHECK(fixed_end < p90);
  // The drawn tokens are reported, and they differ by replication.
  CHECK(*std::min_element(tokens.begin(), tokens.end()) < mean);
  CHECK(*std::max_element(tokens.begin(), tokens.end()) > mean);
  CHECK(reps[0].jobs[0].tokens_drawn);
}

TEST_CASE("draws use common random numbers: the same job draws the same in scenarios that differ elsewhere",
          "[cluster][roadmap][sampled]") {
  auto in = test::small_cluster(2, 30 * day);
  auto j = test::fixed_job("pretrain", 64, 1e12);
  j.tokens_drawn = cluster::ValueDistribution{cluster::Distribution::lognormal, 1e12, 0.2};
  j.slip = cluster::DurationDistribution{cluster::Distribution::exponential, 14 * day, 1};
  in.jobs = {j};
  cluster::FailureProcess p;
  p.component = cluster::Component::node;
  p.per_unit_per_s = 1.0 / (30 * day);
  p.repair = {cluster::Distribution::fixed, 4 * hour, 1};
  in.failures.processes = {p};

  auto other = in;  // differs in the scheduler and in a second, sampled job listed first
  other.scheduler.policy = cluster::SchedulerPolicy::fifo;
  auto extra = test::fixed_job("eval", 8, 1e9);
  extra.tokens_drawn = cluster::ValueDistribution{cluster::Distribution::exponential, 1e9, 1};
  extra.slip = cluster::DurationDistribution{cluster::Distribution::exponential, 3 * day, 1};
  other.jobs.insert(other.jobs.begin(), extra);
  for (int rep = 0; rep < 5; ++rep) {
    in.seed = other.seed = cluster::replication_seed(7, rep);
    const auto a = cluster::draw_arrivals(in, static_cast<std::int64_t>(in.horizon_s * 1000));
    const auto b = cluster::draw_arrivals(other, static_cast<std::int64_t>(other.horizon_s * 1000));
    auto pick = [](const std::vector<cluster::JobTicket>& ts) {
      for (const auto& t : ts)
        if (t.name == "pretrain") return t;
      return ts.front();
    };
    const auto ta = pick(a), tb = pick(b);
    CHECK(ta.tokens == tb.tokens);
    REQUIRE(ta.slip_s);
    CHECK(*ta.slip_s == *tb.slip_s);
    CHECK(ta.submit_ms == tb.submit_ms);
    CHECK(*ta.slip_s > 0);
  }
  // The failures (the simulation's own streams) are the same draws too.
  in.seed = other.seed = 7;
  CHECK(cluster::simulate(in).failures == cluster::simulate(other).failures);
  // And a different replication draws differently.
  const auto r0 = cluster::draw_arrivals(in, static_cast<std::int64_t>(in.horizon_s * 1000));
  in.seed = cluster::replication_seed(7, 1);
  const auto r1 = cluster::draw_arrivals(in, static_cast<std::int64_t>(in.horizon_s * 1000));
  CHECK(r0[0].tokens != r1[0].tokens);
}

// --- the scenario keys -----------------------------------------------------------------------------------

namespace {

std::string scenario_with(const std::string& jobs, const std::string& extra = "") {
  return R"({"name": "t", "seed": 3, "cluster": {"rack": "gb300-nvl72", "racks": 2},
             "horizon": {"start": "2026-07-01", "length": "60 d"}, )" +
         extra + R"("jobs": )" + jobs + "}";
}

const std::string pretrain =
    R"({"name": "pretrain-2t", "model": "llama3-8b", "tokens": "1B", "global_batch": 256, "gpus": 64,
        "parallelism": {"tp": 4, "pp": 1, "dp": 16, "cp": 1, "ep": 1, "vpp": 1}, "micro_batch": 1})";

std::string job(const std::string& name, const std::string& more, const std::string& gpus = "64",
                const std::string& tokens = "\"1B\"") {
  return R"({"name": ")" + name + R"(", "model": "llama3-8b", "tokens": )" + tokens +
         R"(, "global_batch": 256, "gpus": )" + gpus +
         R"(, "parallelism": {"tp": 4, "pp": 1, "cp": 1, "ep": 1, "vpp": 1}, "micro_batch": 1)" + more + "}";
}

}  // namespace

TEST_CASE("after, lag, slip, elastic gpus and drawn tokens are read from a scenario", "[scenario][roadmap]") {
  const auto r = scenario::load_scenario_text(
      scenario_with("[" + pretrain + ", " +
                    job("sft",
                        R"(, "after": ["pretrain-2t"], "lag": "14 d",
                            "slip": {"distribution": "exponential", "mean": "3 d"})",
                        R"({"min": 32, "max": 128})", R"({"distribution": "lognormal", "mean": "2B", "shape": 0.2})") +
                    "]"),
      "t.json");
  INFO(r.diagnostics.format());
  REQUIRE(r.scenario);
  const auto in = scenario::to_simulation_input(*r.scenario);
  const auto& s = in.jobs[1];
  CHECK(s.after == std::vector<std::string>{"pretrain-2t"});
  CHECK(s.lag_s == 14 * day);
  REQUIRE(s.slip);
  CHECK(s.slip->kind == cluster::Distribution::exponential);
  CHECK(s.slip->mean_s == 3 * day);
  REQUIRE(s.tokens_drawn);
  CHECK(s.tokens_drawn->mean_s == 2e9);
  CHECK(s.tokens_drawn->shape == 0.2);
  CHECK(s.training.tokens == 2e9);
  CHECK(s.min_gpus == 32);
  CHECK(s.training.gpus == 128);
  CHECK(in.jobs[0].min_gpus == 0);  // a plain integer stays rigid
  CHECK_FALSE(in.jobs[0].tokens_drawn);
}

TEST_CASE("a misspelled, self-referencing or cyclic after is refused with the names", "[scenario][roadmap]") {
  auto problems = [](const std::string& text) {
    return scenario::load_scenario_text(text, "road.json").diagnostics.format();
  };
  const std::string typo =
      problems(scenario_with("[" + pretrain + ", " + job("sft", R"(, "after": ["pretrian-2t"])") + "]"));
  CHECK(typo.find("road.json: /jobs/1/after/0: expected the name of a job listed in the scenario") !=
        std::string::npos);
  CHECK(typo.find("did you mean \"pretrain-2t\"") != std::string::npos);

  const std::string self = problems(scenario_with("[" + job("sft", R"(, "after": ["sft"])") + "]"));
  CHECK(self.find("/jobs/0/after/0: expected the name of another job") != std::string::npos);

  const std::string cycle =
      problems(scenario_with("[" + job("a", R"(, "after": ["c"])") + ", " + job("b", R"(, "after": ["a"])") + ", " +
                             job("c", R"(, "after": ["b"])") + "]"));
  CHECK(cycle.find("cycle") != std::string::npos);
  CHECK(cycle.find("a → c → b → a") != std::string::npos);

  const std::string sizes = problems(scenario_with("[" + job("e", "", R"({"min": 64, "maks": 128})") + "]"));
  CHECK(sizes.find("/jobs/0/gpus/maks: unknown key \"maks\" in elastic size; did you mean \"max\"?") !=
        std::string::npos);
  const std::string inverted = problems(scenario_with("[" + job("e", "", R"({"min": 64, "max": 32})") + "]"));
  CHECK(inverted.find("/jobs/0/gpus/min: expected at most max (32), found 64") != std::string::npos);
}

TEST_CASE("leasesim run refuses a misspelled after with exit 2 and a did-you-mean", "[cli][roadmap]") {
  test::ScratchDir dir;
  const auto file = dir.path() / "road.json";
  std::ofstream(file) << scenario_with("[" + pretrain + ", " + job("sft", R"(, "after": ["pretrain-2"])") + "]");
  const auto r = test::run_cli({"run", file.string()});
  CHECK(r.code == 2);
  CHECK(r.err.find("/jobs/1/after/0") != std::string::npos);
  CHECK(r.err.find("did you mean \"pretrain-2t\"") != std::string::npos);
}

TEST_CASE("arrivals_per_day reads a number, a schedule, a growth or a distribution", "[scenario][roadmap]") {
  auto with_rate = [](const std::string& rate) {
    return scenario::load_scenario_text(
        scenario_with("[]", R"("generators": [{"name": "bg", "gpus": 8, "runtime": "2 h", "arrivals_per_day": )" +
                                rate + R"(, "job": {"model": "llama3-8b", "global_batch": 64}}], )"),
        "g.json");
  };
  const auto months = with_rate(R"({"by_month": [2, 3, 5]})");
  INFO(months.diagnostics.format());
  REQUIRE(months.scenario);
  CHECK(months.scenario->generators[0].spec.arrivals_by_month_per_s.size() == 3);
  CHECK(months.scenario->generators[0].spec.arrivals_by_month_per_s[2] * day == Approx(5));
  const auto growth = with_rate(R"({"initial": 2, "growth_per_month": "5%"})");
  REQUIRE(growth.scenario);
  CHECK(growth.scenario->generators[0].spec.growth_per_month == Approx(0.05));
  CHECK(growth.scenario->generators[0].spec.arrivals_per_s * day == Approx(2));
  const auto drawn = with_rate(R"({"distribution": "lognormal", "mean": 4, "shape": 0.3})");
  REQUIRE(drawn.scenario);
  REQUIRE(drawn.scenario->generators[0].spec.arrivals_drawn_per_s);
  CHECK(drawn.scenario->generators[0].spec.arrivals_drawn_per_s->mean_s * day == Approx(4));
  const auto both = with_rate(R"({"by_month": [2], "initial": 2, "growth_per_month": 0.1})");
  CHECK(both.diagnostics.format().find("expected either \"by_month\" or \"initial\"") != std::string::npos);
  const auto typo = with_rate(R"({"by_mnth": [2]})");
  CHECK(typo.diagnostics.format().find("did you mean \"by_month\"") != std::string::npos);
}

TEST_CASE("the roadmap scenario runs in seconds and meets its expectations", "[cli][roadmap][scenarios]") {
  const auto r = test::run_cli({"run", test::source_dir + "/scenarios/roadmap-small.json"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("Jobs") != std::string::npos);
}

TEST_CASE("a fixed tokens distribution trains exactly what the plain count does", "[cluster][roadmap][sampled]") {
  auto in = test::small_cluster(1, 10 * day);
  auto j = test::fixed_job("pretrain", 64, 0);
  j.training.tokens = tokens_for(in, j, 1 * day);
  in.jobs = {j};
  const auto plain = cluster::simulate(in);
  in.jobs[0].tokens_drawn = cluster::ValueDistribution{cluster::Distribution::fixed, j.training.tokens, 1};
  const auto fixed = cluster::simulate(in);
  CHECK(fixed.jobs[0].end_s == plain.jobs[0].end_s);
  CHECK(fixed.jobs[0].tokens == plain.jobs[0].tokens);
  CHECK(fixed.total.productive == plain.total.productive);
}

TEST_CASE("a generator's rate drawn per replication: one rate per replication, the mean over many is the mean",
          "[cluster][roadmap][arrivals][sampled]") {
  auto in = test::small_cluster(1, 30 * day);
  cluster::JobClass k;
  k.name = "bg";
  k.gpus = {{4, 1.0}};
  k.training = test::fixed_job("bg", 4, 1e9).training;
  k.runtime = {cluster::Distribution::fixed, hour, 1};
  k.arrivals_per_s = 10 / day;
  k.arrivals_drawn_per_s = cluster::ValueDistribution{cluster::Distribution::lognormal, 10 / day, 0.5};
  in.generators = {k};
  std::vector<double> counts;
  constexpr int seeds = 200;
  for (int s = 0; s < seeds; ++s) {
    in.seed = cluster::replication_seed(5, s);
    counts.push_back(
        static_cast<double>(cluster::draw_arrivals(in, static_cast<std::int64_t>(in.horizon_s * 1000)).size()));
  }
  const double mean = std::accumulate(counts.begin(), counts.end(), 0.0) / seeds;
  // Var of the count = E[Λ] + Var[Λ], Λ = rate × 30 d lognormal with mean 300 and σ 0.5.
  const double var = 300 + 300.0 * 300.0 * (std::exp(0.25) - 1);
  CHECK(std::abs(mean - 300) < 4 * std::sqrt(var / seeds));
  // Far wider than Poisson alone (sd 17): the rate itself varies by replication.
  CHECK(units::quantile(counts, 0.9) - units::quantile(counts, 0.1) > 150);
}

TEST_CASE("the roadmap scenario's replicated document keeps its shape, with bands on dates and tokens",
          "[cli][roadmap][scenarios]") {
  const auto r = test::run_cli({"run", test::source_dir + "/scenarios/roadmap-small.json", "--format", "json"});
  REQUIRE(r.code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  const auto& jobs = doc.at("jobs");
  REQUIRE(jobs.size() == 4);
  const auto& pretrain = jobs[0];
  CHECK(pretrain.at("name") == "pretrain-70b");
  CHECK(pretrain.at("end_s").at("p10").get<double>() < pretrain.at("end_s").at("p90").get<double>());
  CHECK(pretrain.at("end_p10").is_string());
  CHECK(pretrain.at("end_p90").is_string());
  CHECK(pretrain.at("tokens").at("p10").get<double>() < 6e12);
  CHECK(pretrain.at("tokens").at("p90").get<double>() > 6e12);
  // A chained job's submit moves with its predecessor: a date band of its own.
  const auto& lc = jobs[1];
  CHECK(lc.at("submit_p10").is_string());
  CHECK(lc.at("submit_s").at("p10").get<double>() ==
        Approx(pretrain.at("end_s").at("p10").get<double>() + 3 * day).margin(1e-3));
  CHECK(jobs[3].at("slip_s").at("mean").get<double>() > 0);
}

TEST_CASE("under the flow fidelity an elastic job's sizes are all priced before the engine runs, with flows",
          "[cluster][flow][roadmap-flow]") {
  auto in = test::small_cluster(2, 5 * day);
  in.fidelity = cluster::Fidelity::flow;
  auto blocker = test::fixed_job("blocker", 80, 0);
  auto e = test::fixed_job("elastic", 128, 0);
  e.min_gpus = 64;
  e.checkpoint = fixed_checkpoints(1800, 30);
  e.submit_s = 60;
  in.jobs = {blocker, e};
  in.jobs[0].training.tokens = tokens_for(in, blocker, 6 * hour);
  in.jobs[1].training.tokens = tokens_for(in, e, 20 * hour);
  const auto r = cluster::simulate(in);  // pricing a size from inside the engine would throw
  test::require_conservation(in, r);
  const auto& x = job_named(r, "elastic");
  CHECK(x.step_fidelity == "flow");
  REQUIRE(x.sizes.size() == 2);
  CHECK(x.sizes[0].gpus == 64);
  CHECK(x.sizes[1].gpus == 128);
  CHECK(x.sizes[0].tokens + x.sizes[1].tokens == Approx(x.tokens).epsilon(1e-9));
}
