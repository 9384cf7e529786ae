// Several sites (docs/leases.md, "Several sites"): the inter-site term of the step model against
// its closed form worked out by hand; a job no site holds rejected with the largest site's size,
// and run across sites only with span_sites (slower than in one site by the step model's own
// spanning price); an exact fit accepted; each site's capacity from its own leases (a site without
// a lease has none; a job pinned there cannot use another site's lease); the loader's refusals
// (sites with cluster, duplicate names, a misspelled pin, span_sites without inter_site); the
// contiguity break-even price making both alternatives cost the same per token, to the cent.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "leasesim/lease/comparison.hpp"
#include "leasesim/lease/fixed_monthly.hpp"
#include "leasesim/perf/collective_cost.hpp"
#include "leasesim/perf/price_job.hpp"
#include "leasesim/perf/step_model.hpp"
#include "leasesim/report/compare_report.hpp"
#include "leasesim/scenario/compare_file.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/study/compare.hpp"
#include "leasesim/study/run_scenario.hpp"

using namespace leasesim;
using nlohmann::json;

namespace {

// A GB300 NVL72 rack cluster block with no spares (72 schedulable GPUs a rack).
json cluster_block(int racks) {
  return {{"rack", "gb300-nvl72"},
          {"racks", racks},
          {"spare_trays_per_rack", 0},
          {"fabric", {{"technology", "spectrum-x"}, {"nic_bandwidth", "800 Gb/s"}, {"tiers", 2}}}};
}

json lease_block(const std::string& name, int racks, const std::string& fee = "$1M") {
  return {{"name", name},   {"type", "fixed-monthly"}, {"tenant", "lab"},   {"fee_per_month", fee},
          {"racks", racks}, {"start", "2026-07-01"},   {"term", "6 months"}};
}

json job_block(const std::string& name, long long gpus, const std::string& tokens = "20B") {
  return {{"name", name},          {"tenant", "lab"},     {"model", "llama3-8b"},
          {"tokens", tokens},      {"global_batch", 512}, {"precision", "bf16"},
          {"parallelism", "auto"}, {"gpus", gpus},        {"submit", "2026-07-01"}};
}

// A job on exactly `dp` × 8 GPUs (TP8, no pipeline): 16 sequences per replica.
json fixed_job(const std::string& name, int dp, const std::string& tokens = "20B") {
  json j = job_block(name, 8LL * dp, tokens);
  j["global_batch"] = 16 * dp;
  j["parallelism"] = {{"tp", 8}, {"pp", 1}, {"dp", dp}, {"cp", 1}, {"ep", 1}, {"vpp", 1}};
  return j;
}

// West 2 racks (144 GPUs), east 3 racks (216), each with its own lease; a 2-ms, 10 Gb/s link (slow
// enough that no overlap hides the traffic crossing it).
json two_sites(json jobs) {
  return {{"name", "two-sites"},
          {"seed", 7},
          {"sites",
           {{{"name", "west"}, {"cluster", cluster_block(2)}, {"leases", {lease_block("west-lease", 2)}}},
            {{"name", "east"}, {"cluster", cluster_block(3)}, {"leases", {lease_block("east-lease", 3)}}}}},
          {"inter_site", {{"bandwidth", "10 Gb/s"}, {"latency", "2 ms"}}},
          {"horizon", {{"start", "2026-07-01"}, {"length", "6 months"}}},
          {"jobs", std::move(jobs)}};
}

scenario::Scenario load(const json& doc) {
  auto r = scenario::load_scenario_text(doc.dump(), "sites.json");
  INFO(r.diagnostics.format());
  REQUIRE(r.scenario);
  return *r.scenario;
}

std::string problems(const json& doc) {
  auto r = scenario::load_scenario_text(doc.dump(), "sites.json");
  CHECK_FALSE(r.scenario);
  return r.diagnostics.format();
}

const cluster::JobResult& job(const cluster::SimulationResult& r, const std::string& name) {
  const auto it = std::find_if(r.jobs.begin(), r.jobs.end(), [&](const auto& j) { return j.name == name; });
  REQUIRE(it != r.jobs.end());
  return *it;
}

// NCCL's latency steps over n ranks (collective_cost.cpp): rings n−1, trees 2·⌈log2 n⌉.
double steps(int n) { return std::min(n - 1.0, 2.0 * std::ceil(std::log2(static_cast<double>(n)))); }

}  // namespace

TEST_CASE("A job spanning sites pays the inter-site link on its crossing gradient all-reduce, as worked out by hand",
          "[sites][perf]") {
  const scenario::Scenario s = load(two_sites({job_block("probe", 256)}));
  workload::TrainingJob job = s.jobs.front().spec.training;
  // TP8, DP32, no pipeline: the data-parallel groups cross the site boundary. No sharding: one
  // gradient all-reduce per step, of the GPU's 8B/8 parameters in BF16.
  workload::ParallelConfig c;
  c.tp = 8;
  c.dp = 32;
  c.pp = 1;
  c.cp = 1;
  c.ep = 1;
  c.micro_batch = 1;
  c.sharding = workload::Sharding::none;
  job.gpus = 256;
  perf::ModelConstants k = perf::ModelConstants::fitted();
  k.dp_overlap = 0;  // the all-reduce fully exposed, so the step moves by exactly its change
  perf::AnalyticalStepModel model(k);
  hw::ClusterSpec one = s.cluster;
  const perf::StepResult alone = model.evaluate(one, job, c);
  REQUIRE(alone.ok());
  const auto ops = model.collectives();
  const auto grad = std::find_if(ops.begin(), ops.end(), [](const perf::CollectiveOp& op) {
    return op.dim == perf::ParallelDim::dp && op.kind == perf::CollectiveKind::all_reduce;
  });
  REQUIRE(grad != ops.end());
  // Hand: the group of 32 ranks at stride 8 has 9 members per 72-GPU domain, 4 domains; 8 such
  // groups run at once, so 8 × 9 = 72 rail rings share a site pair's 50 GB/s: 0.694 GB/s each,
  // far below the 100 GB/s × 0.95 × bus efficiency of a rail.
  CHECK(grad->group.size == 32);
  CHECK(grad->group.per_domain == 9);
  CHECK(grad->group.domains() == 4);
  CHECK(grad->concurrent_groups == 8);
  hw::ClusterSpec spanning = one;
  spanning.span = {3, 400e9 / 8, 2e-3};
  const perf::LinkRates r = perf::link_rates(one, k);
  const double B = grad->bytes, kd = 9, d = 4;
  const double shared = 50e9 / 72;
  REQUIRE(shared < r.scale_out_bw);
  // all-reduce = 2 × scatter; only the cross-domain stage changes: (d−1)/d · (B/k) over the slower
  // link, and every one of its steps(4) = 3 latency steps pays 2 ms more.
  const double expected = 2.0 * ((d - 1) / d * (B / kd) * (1 / shared - 1 / r.scale_out_bw) + steps(4) * 2e-3);
  const perf::StepResult across = model.evaluate(spanning, job, c);
  REQUIRE(across.ok());
  CHECK(perf::inter_site_flows(*grad) == 72);
  CHECK(across.step_time_s - alone.step_time_s == Approx(expected).epsilon(1e-9));
  CHECK(across.step_time_s > alone.step_time_s * 1.4);  // 2 GB of gradients, a quarter across at 0.69 GB/s

  SECTION("split at pipeline stages instead, only the send/recv crosses, each of its calls paying the link") {
    workload::ParallelConfig p = c;
    p.dp = 16;
    p.pp = 3;  // a multiple of the 3 sites: they split the pipeline at stage boundaries
    workload::TrainingJob jp = job;
    jp.gpus = p.gpus();  // 384
    const perf::StepResult pa = model.evaluate(one, jp, p);
    const auto pops = model.collectives();
    const perf::StepResult ps = model.evaluate(spanning, jp, p);
    INFO(pa.error << " / " << ps.error);
    REQUIRE((pa.ok() && ps.ok()));
    const auto send = std::find_if(pops.begin(), pops.end(),
                                   [](const perf::CollectiveOp& op) { return op.dim == perf::ParallelDim::pp; });
    REQUIRE(send != pops.end());
    // 128 concurrent pipelines (TP8 × DP16) each send one message across a boundary: 50 GB/s / 128.
    CHECK(perf::inter_site_flows(*send) == 128);
    const double per_call = send->bytes / std::min(r.scale_out_bw, 50e9 / 128) - send->bytes / r.scale_out_bw + 2e-3;
    CHECK(perf::spanning_collective_time(*send, p, perf::link_rates(spanning, k)) - perf::collective_time(*send, r) ==
          Approx(per_call).epsilon(1e-9));
    CHECK(ps.step_time_s > pa.step_time_s);
  }
  SECTION("one site (sites = 1) prices exactly as before") {
    hw::ClusterSpec same = one;
    same.span = {1, 400e9 / 8, 2e-3};
    CHECK(model.evaluate(same, job, c).step_time_s == alone.step_time_s);
  }
}

TEST_CASE("A job no site holds is rejected with the largest site's size unless it may span sites", "[sites]") {
  SECTION("without span_sites: rejected, the reason naming the largest site") {
    const scenario::Scenario s = load(two_sites({fixed_job("big", 36)}));
    const auto out = study::run_scenario(s);
    const auto& j = job(out.results.front(), "big");
    CHECK(j.status == "rejected");
    CHECK(j.reason ==
          "needs 288 GPUs; the largest site \"east\" holds 216 schedulable GPUs (a job with span_sites may run "
          "across sites)");
  }
  SECTION("an exact fit of the largest site runs there") {
    const scenario::Scenario s = load(two_sites({fixed_job("fits", 27)}));
    const auto out = study::run_scenario(s);
    const auto& j = job(out.results.front(), "fits");
    CHECK(j.status == "completed");
    CHECK(j.site == "east");
    CHECK(j.span_sites == 1);
    CHECK(out.document["jobs"][0]["site"] == "east");
  }
  SECTION("with span_sites: it runs across both sites, slower than the same job in one 5-rack site") {
    json big = fixed_job("big", 36);
    big["span_sites"] = true;
    const scenario::Scenario s = load(two_sites({big}));
    const auto out = study::run_scenario(s);
    const auto& j = job(out.results.front(), "big");
    CHECK(j.status == "completed");
    CHECK(j.site == "across sites");
    CHECK(j.span_sites == 2);
    CHECK(study::run_scenario(s).document["jobs"][0]["span_sites"] == 2);
    // The same job on one 5-rack cluster.
    json single = {{"name", "one-site"},
                   {"seed", 7},
                   {"cluster", cluster_block(5)},
                   {"leases", {lease_block("all", 5)}},
                   {"horizon", {{"start", "2026-07-01"}, {"length", "6 months"}}},
                   {"jobs", {fixed_job("big", 36)}}};
    const scenario::Scenario one = load(single);
    const auto base = study::run_scenario(one);
    const auto& b = job(base.results.front(), "big");
    CHECK(b.status == "completed");
    CHECK(b.site.empty());
    REQUIRE(b.end_s);
    REQUIRE(j.end_s);
    CHECK(j.step_time_s > b.step_time_s);
    CHECK(*j.end_s > *b.end_s);
    // Its step is the step model's price on two sites over the 10 Gb/s, 2 ms link.
    hw::ClusterSpec two = one.cluster;
    two.span = {2, 10e9 / 8, 2e-3};
    workload::TrainingJob t = s.jobs.front().spec.training;
    const perf::PricedJob priced = perf::price_job(two, t);
    REQUIRE(priced.ok());
    CHECK(j.step_time_s == Approx(priced.best.step_time_s).epsilon(1e-12));
    CHECK(priced.best.step_time_s > perf::price_job(one.cluster, t).best.step_time_s);
  }
}

TEST_CASE("Each site's capacity is its own leases': none without one, and no job uses another site's lease",
          "[sites][lease]") {
  json doc = two_sites({});
  doc["sites"][1]["leases"] = json::array();  // east holds no lease
  json pinned = fixed_job("in-east", 8);
  pinned["site"] = "east";
  doc["jobs"] = {pinned, fixed_job("too-big-for-west", 27), fixed_job("small", 8)};
  const scenario::Scenario s = load(doc);
  const auto out = study::run_scenario(s);
  const auto& r = out.results.front();
  CHECK(job(r, "in-east").status == "rejected");
  CHECK(job(r, "in-east").reason == "its tenant \"lab\" holds no lease in site \"east\"");
  // East has 216 GPUs of racks but no lease: only west's 144 are ever in service for "lab".
  CHECK(job(r, "too-big-for-west").status == "rejected");
  CHECK(job(r, "too-big-for-west").reason ==
        "needs 216 GPUs; the leases of \"lab\" provide at most 144 schedulable GPUs in any one site at any time");
  CHECK(job(r, "small").status == "completed");
  CHECK(job(r, "small").site == "west");
  // The ledger bills west's lease only, and names its site.
  const auto& leases = out.document["leases"];
  REQUIRE(leases.is_array());
  REQUIRE(leases.size() == 1);
  CHECK(leases[0]["lease"] == "west-lease");
  CHECK(leases[0]["site"] == "west");
  // East's 216 GPUs stay out of service the whole horizon: 3 racks × 72 GPUs × 184 days unleased.
  const double unleased_gpu_h = out.document["cluster"]["gpu_hours"]["unleased"].get<double>();
  CHECK(unleased_gpu_h == Approx(216.0 * 184 * 24));
}

TEST_CASE("The loader refuses sites with cluster, duplicate sites, a misspelled pin and span without a link",
          "[sites][scenario]") {
  SECTION("sites and a top-level cluster") {
    json doc = two_sites({job_block("a", 8)});
    doc["cluster"] = cluster_block(2);
    CHECK(problems(doc) ==
          "sites.json: /cluster: expected either \"cluster\" or \"sites\" (each site holds its own cluster block), "
          "found both\n");
  }
  SECTION("two sites of one name") {
    json doc = two_sites({job_block("a", 8)});
    doc["sites"][1]["name"] = "west";
    CHECK(problems(doc) == "sites.json: /sites/1/name: duplicate site name \"west\"\n");
  }
  SECTION("a job's site misspelled: did you mean") {
    json a = job_block("a", 8);
    a["site"] = "eats";
    CHECK(problems(two_sites({a})) ==
          "sites.json: /jobs/0/site: expected one of the scenario's sites (west, east), found \"eats\" — did you "
          "mean \"east\"?\n");
  }
  SECTION("span_sites without inter_site") {
    json doc = two_sites({job_block("a", 8)});
    doc["jobs"][0]["span_sites"] = true;
    doc.erase("inter_site");
    CHECK(problems(doc) ==
          "sites.json: /inter_site: expected a block {\"bandwidth\", \"latency\"} (jobs/0 may span sites), found "
          "nothing\n");
  }
  SECTION("sites whose cluster blocks differ in more than racks") {
    json doc = two_sites({job_block("a", 8)});
    doc["sites"][1]["cluster"]["spare_trays_per_rack"] = 2;
    CHECK(problems(doc) ==
          "sites.json: /sites/1/cluster: expected the rack, fabric, storage, power and spares of site \"west\" (sites "
          "differ only in racks in this version), found a different cluster block\n");
  }
  SECTION("top-level leases next to sites, and neither cluster nor sites") {
    json doc = two_sites({job_block("a", 8)});
    doc["leases"] = json::array();
    CHECK(problems(doc) ==
          "sites.json: /leases: expected no top-level leases (with \"sites\", each site lists its own), found a "
          "list\n");
    doc.erase("leases");
    doc.erase("sites");
    CHECK(problems(doc) ==
          "sites.json: /cluster: expected key \"cluster\" (block) or \"sites\" (list of block), found nothing\n");
  }
  SECTION("one lease name in two sites") {
    json doc = two_sites({job_block("a", 8)});
    doc["sites"][1]["leases"][0]["name"] = "west-lease";
    CHECK(problems(doc) ==
          "sites.json: /sites/1/leases/0/name: lease name \"west-lease\" is used in site \"west\" too (lease names "
          "are unique across sites)\n");
  }
}

TEST_CASE("The contiguity break-even price makes both alternatives cost the same per token, to the cent",
          "[sites][compare]") {
  // One 5-rack site at $1M a month against west (2) + east (3) at $0.8M together, on a demand that
  // keeps both busy to the horizon's end: the spanning job trains fewer tokens on two sites.
  json big = fixed_job("big", 36, "300T");
  big["span_sites"] = true;
  json base = two_sites({big});
  json one = {{"name", "one-site"},
              {"sites", {{{"name", "campus"}, {"cluster", cluster_block(5)}, {"leases", {lease_block("campus", 5)}}}}}};
  json two = {{"name", "two-sites"}, {"sites", base["sites"]}};
  two["sites"][0]["leases"][0]["fee_per_month"] = "$320k";
  two["sites"][1]["leases"][0]["fee_per_month"] = "$480k";
  const json file = {{"name", "contiguity"}, {"base", base}, {"replications", 1}, {"alternatives", {one, two}}};
  const auto loaded = scenario::load_compare_text(file.dump(), "c.json", ".");
  INFO(loaded.format());
  REQUIRE(loaded.ok());
  const lease::Comparison c = study::compare(*loaded.file);
  REQUIRE(c.contiguity.size() == 1);
  const lease::Contiguity& k = c.contiguity.front();
  CHECK(k.one_site == "one-site");
  CHECK(k.sites == "two-sites");
  CHECK(k.site_count == 2);
  // Fees only: NPV = 6 × fee; the quoted prices are the fee over the committed GPU-hours.
  CHECK(k.one_site_npv_usd == Approx(6e6));
  CHECK(k.sites_npv_usd == Approx(4.8e6));
  CHECK(k.price_per_gpu_hour == Approx(800'000 / (360 * 730.485)));
  REQUIRE(k.one_site_tokens > 0);
  CHECK(k.sites_tokens < k.one_site_tokens);  // slower across sites: fewer tokens by the horizon
  REQUIRE(k.break_even_price_per_gpu_hour);
  // Hand: fees are the whole cost, so the break-even is the one-site price × the tokens ratio.
  CHECK(*k.break_even_price_per_gpu_hour ==
        Approx(1e6 / (360 * 730.485) * k.sites_tokens / k.one_site_tokens).epsilon(1e-12));
  SECTION("re-run at that price: both cost the same per token, to the cent") {
    const double scale = *k.break_even_price_per_gpu_hour / k.price_per_gpu_hour;
    json again = file;
    for (auto& site : again["alternatives"][1]["sites"]) {
      const double fee = site["cluster"]["racks"].get<int>() == 2 ? 320'000 : 480'000;
      site["leases"][0]["fee_per_month"] = fmt::format("${:.6f}", fee * scale);
    }
    const auto reloaded = scenario::load_compare_text(again.dump(), "c.json", ".");
    REQUIRE(reloaded.ok());
    const lease::Comparison c2 = study::compare(*reloaded.file);
    REQUIRE(c2.contiguity.size() == 1);
    const lease::Contiguity& k2 = c2.contiguity.front();
    CHECK(k2.sites_tokens == k.sites_tokens);  // the price changes no simulated figure
    CHECK(std::abs(k2.sites_npv_usd - k.one_site_npv_usd * k.sites_tokens / k.one_site_tokens) <= 0.01);
    CHECK(*k2.break_even_price_per_gpu_hour == Approx(k2.price_per_gpu_hour).epsilon(1e-8));
  }
  SECTION("the compare JSON carries it; a compare without sites has no contiguity key") {
    const json j = report::compare_json("contiguity", c);
    CHECK(j["contiguity"][0]["break_even_price_per_gpu_hour_usd"].get<double>() ==
          Approx(*k.break_even_price_per_gpu_hour));
    CHECK(j["contiguity"][0]["site_count"] == 2);
  }
}
