// `leasesim plan` over lease terms (sweep/plan.hpp: run_lever_plan) and the exit option, on the
// two-rack pod of scenarios/sweeps/exit-small.json: $1M a month for 12 months from 2026-07-01, 90
// days' notice after month 3, one 70B run and nothing after it, no failures. By hand: the best
// notice date is the first one (of the lever's weekly dates) whose lease end, notice + 90 days,
// comes after the run ends; the option is worth the fee from that end to the end of the term.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/units/money.hpp"

using namespace leasesim::test;
using nlohmann::json;
namespace units = leasesim::units;

namespace {

const std::string exit_scenario = source_dir + "/scenarios/sweeps/exit-small.json";
const std::string exit_plan = source_dir + "/scenarios/sweeps/plan-exit.json";

json read_json(const std::string& path) { return json::parse(read_text(path)); }

// A plan file in `dir` from `plan` (its scenario an absolute path or inline).
std::string write_plan(const ScratchDir& dir, const std::string& name, const json& plan) {
  const auto path = (dir.path() / name).string();
  std::ofstream(path) << plan.dump(2);
  return path;
}

json exit_plan_json() {
  json plan = read_json(exit_plan);
  plan["scenario"] = exit_scenario;
  return plan;
}

// The fee of one month of the pod, µ$.
constexpr std::int64_t fee_micros = 1'000'000'000'000;

// "$4428571.428571": the exact micro-dollars, as the plan writes its `_exact` figures.
std::string exact(std::int64_t micros) { return fmt::format("${}.{:06d}", micros / 1'000'000, micros % 1'000'000); }

// Rounded to the nearest, halves away from zero, as the ledger prorates (lease/billing_math.cpp).
std::int64_t div_round(std::int64_t num, std::int64_t den) { return (num + den / 2) / den; }

// Terminal columns of a UTF-8 line (one per code point).
std::size_t columns(const std::string& line) {
  std::size_t n = 0;
  for (const unsigned char c : line) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("plan over the notice date finds the best exit and the option's value, by hand", "[plan-levers]") {
  // When the run ends with the lease held to its term: the base scenario as `run` sees it.
  const auto run = run_cli({"run", exit_scenario, "--format", "json"});
  REQUIRE(run.code == 0);
  const auto run_doc = json::parse(run.out);
  const auto& job = run_doc["jobs"][0];
  REQUIRE(job["name"] == "pretrain-70b");
  const auto end_offset = job["end_s"].get<double>();
  const std::int64_t start = *units::parse_date("2026-07-01");
  const auto job_end = start + static_cast<std::int64_t>(end_offset);
  REQUIRE(job_end > *units::parse_date("2026-12-30"));  // the search has to move past the first date

  const auto r = run_cli({"plan", exit_plan, "-j", "2", "--format", "json"});
  REQUIRE(r.code == 0);
  const auto doc = json::parse(r.out);
  CHECK(doc["kind"] == "levers");
  CHECK(doc["search"]["method"] == "exhaustive");
  // By hand: the weekly dates from 2026-10-01; the first whose end (+90 days) is at or after the run's end.
  std::int64_t best = *units::parse_date("2026-10-01");
  while (best + 90 * 86400 < job_end) best += 7 * 86400;
  CHECK(doc["answer"]["notice_given"] == units::format_date(best));
  const std::int64_t lease_end = best + 90 * 86400;
  CHECK(doc["exit_option"]["lease_end"] == units::format_date(lease_end));
  CHECK(doc["exit_option"]["term_end"] == "2027-07-01");
  // One week earlier the lease ends before the run: its deadline is missed.
  bool earlier_seen = false;
  for (const auto& c : doc["candidates"]) {
    if (c["notice_given"] == units::format_date(best - 7 * 86400)) {
      earlier_seen = true;
      CHECK(c["feasible"] == false);
      CHECK(c["p_deadlines_met"] == 0.0);
    }
    if (c["notice_given"] == "never") CHECK(c["expected_cost_usd"] == 12e6);
  }
  CHECK(earlier_seen);

  // The value by hand: the rest of the month the lease ends in (prorated by time, rounded once) and
  // every later month of the term.
  const std::int64_t month = units::add_months(start, 0);
  std::int64_t m0 = month;
  while (units::add_months(m0, 1) <= lease_end) m0 = units::add_months(m0, 1);
  const std::int64_t m1 = units::add_months(m0, 1);
  const std::int64_t billed = div_round(fee_micros * (lease_end - m0), m1 - m0);
  int later = 0;
  for (std::int64_t m = m1; m < *units::parse_date("2027-07-01"); m = units::add_months(m, 1)) ++later;
  const std::int64_t value = fee_micros - billed + later * fee_micros;
  const double value_usd = units::Money::from_micros(value).dollars();
  CHECK(doc["exit_option"]["value_exact"] == exact(value));
  for (const char* k : {"mean", "p10", "p50", "p90"}) CHECK(doc["exit_option"]["value_usd"][k] == value_usd);
  CHECK(doc["answer"]["expected_cost_usd"].get<double>() == Approx(12e6 - value_usd).epsilon(1e-12));
  // The provider: the same fee is the revenue at risk; re-leasing 144 GPUs at $6.50 from 60 days after
  // the end to the term's end recovers price × GPU-hours.
  const auto& provider = doc["exit_option"]["provider"];
  CHECK(provider["revenue_at_risk_exact"] == exact(value));
  const std::int64_t from = lease_end + 60 * 86400;
  const std::int64_t to = *units::parse_date("2027-07-01");
  const std::int64_t recovered =
      div_round(std::int64_t{6'500'000} * (to - from) * 144, 3600);  // µ$/GPU-h × GPU-s / (s/h)
  CHECK(provider["releasing"]["from"] == units::format_date(from));
  CHECK(provider["releasing"]["recovered_exact"] == exact(recovered));
  CHECK(provider["releasing"]["net_at_risk_usd"].get<double>() ==
        Approx(units::Money::from_micros(value - recovered).dollars()));

  // The terminal text names the answer and the option.
  const auto text = run_cli({"plan", exit_plan, "-j", "2"});
  REQUIRE(text.code == 0);
  CHECK(text.out.find("answer: notice_given " + units::format_date(best)) != std::string::npos);
  CHECK(text.out.find("Exit option on pod") != std::string::npos);
  for (const auto& line : split_lines(text.out)) CHECK(columns(line) <= 120);
}

TEST_CASE("a lever grid beyond the simulation bound is refused before simulating", "[plan-levers]") {
  ScratchDir dir;
  auto plan = exit_plan_json();
  plan["levers"]["notice_given"]["step"] = "1 d";
  plan["replications"] = 1000;
  const auto r = run_cli({"plan", write_plan(dir, "big.json", plan)});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("big.json: /levers: expected a plan of at most 100000 simulations, found 268 candidates "
                   "(notice_given 268) × 1000 replications = 268000") != std::string::npos);
  // validate says the same without running it.
  const auto v = run_cli({"validate", write_plan(dir, "big.json", plan)});
  CHECK(v.code == 2);
  CHECK(v.err.find("/levers: expected a plan of at most 100000 simulations") != std::string::npos);
}

TEST_CASE("a deadline no terms meet gives a clear no-terms answer", "[plan-levers]") {
  ScratchDir dir;
  json scenario = read_json(exit_scenario);
  scenario["jobs"][0]["deadline"] = "2026-09-01";  // months before the run can end
  auto plan = exit_plan_json();
  plan["scenario"] = scenario;
  plan["levers"]["notice_given"]["to"] = "2026-11-01";
  plan.erase("expect");
  const auto r = run_cli({"plan", write_plan(dir, "tight.json", plan), "-j", "2", "--format", "json"});
  CHECK(r.code == 1);
  const auto doc = json::parse(r.out);
  CHECK(doc["answer"].is_null());
  CHECK(doc["runners_up"].empty());
  CHECK_FALSE(doc.contains("exit_option"));
  REQUIRE(doc["no_terms_meet"].is_string());
  CHECK(doc["no_terms_meet"].get<std::string>().rfind("no terms meet every deadline with P ≥ 0.9", 0) == 0);
  CHECK(r.err.rfind("leasesim: plan: no terms meet every deadline with P ≥ 0.9: the best, ", 0) == 0);
  const auto text = run_cli({"plan", write_plan(dir, "tight.json", plan), "-j", "2"});
  CHECK(text.code == 1);
  CHECK(text.out.find("answer: none — no terms meet every deadline") != std::string::npos);
}

TEST_CASE("an interrupted lever plan resumes from its results file without re-running what finished", "[plan-levers]") {
  ScratchDir dir;
  const auto results = (dir.path() / "results.jsonl").string();
  const auto first = run_cli({"plan", exit_plan, "-j", "2", "--format", "json", "--results", results});
  REQUIRE(first.code == 0);
  const auto a = json::parse(first.out);
  const auto total = a["search"]["simulations"].get<std::size_t>();
  CHECK(a["search"]["resumed_runs"] == 0);
  CHECK(a["search"]["simulated_runs"] == total);
  auto lines = split_lines(read_text(results));
  REQUIRE(lines.size() == total);
  // Interrupted after 20 runs, the 21st cut mid-line.
  {
    std::ofstream out(results, std::ios::trunc);
    for (std::size_t i = 0; i < 20; ++i) out << lines[i] << '\n';
    out << lines[20].substr(0, lines[20].size() / 2);
  }
  const auto second = run_cli({"plan", exit_plan, "-j", "2", "--format", "json", "--results", results});
  REQUIRE(second.code == 0);
  const auto b = json::parse(second.out);
  CHECK(b["search"]["resumed_runs"] == 20);
  CHECK(b["search"]["simulated_runs"] == total - 20);
  CHECK(b["answer"] == a["answer"]);
  CHECK(b["exit_option"] == a["exit_option"]);
  CHECK(b["candidates"] == a["candidates"]);
  // Everything is in now: nothing runs again.
  const auto third = run_cli({"plan", exit_plan, "-j", "2", "--format", "json", "--results", results});
  REQUIRE(third.code == 0);
  const auto c = json::parse(third.out);
  CHECK(c["search"]["resumed_runs"] == total);
  CHECK(c["search"]["simulated_runs"] == 0);
  CHECK(c["answer"] == a["answer"]);
  // A different plan (another seed) refuses the file rather than mixing results.
  auto other = exit_plan_json();
  other["seed"] = 99;
  const auto refused = run_cli({"plan", write_plan(dir, "other.json", other), "--results", results});
  CHECK(refused.code == 2);
  CHECK(refused.err.find("holds the results of a different plan") != std::string::npos);
}

TEST_CASE("lever plan files are read strictly", "[plan-levers]") {
  ScratchDir dir;
  const auto problems = [&](const json& plan) {
    const auto r = run_cli({"plan", write_plan(dir, "p.json", plan)});
    CHECK(r.code == 2);
    return r.err;
  };
  auto plan = exit_plan_json();
  plan["capacity"] = {{"min_racks", 1}};
  CHECK(problems(plan).find("/capacity: expected no capacity block with levers") != std::string::npos);
  plan = exit_plan_json();
  plan["levers"]["notice_givn"] = plan["levers"]["notice_given"];
  plan["levers"].erase("notice_given");
  CHECK(problems(plan).find("notice_given") != std::string::npos);
  plan = exit_plan_json();
  plan["levers"]["notice_given"]["from"] = "2026-09-01";
  CHECK(problems(plan).find("/levers/notice_given/from: expected a date from 2026-10-01 (start + earliest), found "
                            "2026-09-01") != std::string::npos);
  plan = exit_plan_json();
  plan["levers"]["notice_given"]["lease"] = "pods";
  CHECK(problems(plan).find("/levers/notice_given/lease: expected a lease of the scenario (pod), found \"pods\"") !=
        std::string::npos);
  plan = exit_plan_json();
  plan["objective"] = "cvar95";
  CHECK(problems(plan).find("/objective") != std::string::npos);
  plan = exit_plan_json();
  plan["levers"] = json::object();
  CHECK(problems(plan).find("/levers: expected at least one lever") != std::string::npos);
  plan = exit_plan_json();
  json scenario = read_json(exit_scenario);
  scenario["leases"][0].erase("termination");
  plan["scenario"] = scenario;
  CHECK(problems(plan).find("expected a lease with a termination clause, found \"pod\" without one") !=
        std::string::npos);
  plan = exit_plan_json();
  const auto dual = run_cli({"plan", write_plan(dir, "p.json", plan), "--dual"});
  CHECK(dual.code == 2);
  CHECK(dual.err.find("--dual applies to a capacity plan") != std::string::npos);
}

TEST_CASE("the objective decides between a cheaper-on-average and a safer mix of fixed and on-demand capacity",
          "[plan-levers]") {
  // Two racks for three months at $1M a month, or one of them on demand at $30/GPU-hour: bursty demand
  // (0.3 jobs a day of 72 or 144 GPUs, lognormal runtimes) makes the on-demand half cheaper on average
  // but dearer in the worst replications.
  ScratchDir dir;
  json scenario = read_json(exit_scenario);
  scenario["name"] = "mix-small";
  scenario["seed"] = 5;
  scenario["horizon"]["length"] = "3 months";
  scenario["leases"][0]["term"] = "3 months";
  scenario["leases"][0].erase("termination");
  scenario.erase("jobs");
  scenario["generators"] = json::parse(R"([{"name": "bursts", "tenant": "lab", "arrivals_per_day": 0.3,
    "gpus": [72, 144], "runtime": {"distribution": "lognormal", "mean": "3 d", "shape": 1.2},
    "job": {"model": "llama3-8b", "global_batch": 256, "precision": "fp8"}, "from": "2026-07-01"}])");
  json plan = {{"scenario", scenario},
               {"replications", 10},
               {"levers", {{"fixed_share", {{"values", {0.5, 1}}, {"on_demand_price_per_gpu_hour", "$30"}}}}}};
  const auto answer_for = [&](const std::string& objective, const std::string& key) {
    plan["objective"] = objective;
    const auto r = run_cli({"plan", write_plan(dir, objective + ".json", plan), "-j", "2", "--format", "json"});
    REQUIRE(r.code == 0);
    const auto doc = json::parse(r.out);
    REQUIRE(doc["candidates"].size() == 2);
    // The answer is the least of the objective over the candidates, and runner-up is the other.
    double least = 1e300;
    for (const auto& c : doc["candidates"]) least = std::min(least, c[key].get<double>());
    CHECK(doc["answer"][key].get<double>() == least);
    CHECK(doc["answer"]["objective_usd"] == doc["answer"][key]);
    REQUIRE(doc["runners_up"].size() == 1);
    CHECK(doc["runners_up"][0][key].get<double>() >= least);
    return doc;
  };
  const auto expected = answer_for("expected_cost", "expected_cost_usd");
  const auto cvar = answer_for("cvar90", "cvar90_cost_usd");
  const auto p90 = answer_for("p90_cost", "p90_cost_usd");
  CHECK(expected["answer"]["fixed_share"] == 0.5);
  CHECK(cvar["answer"]["fixed_share"] == 1.0);
  CHECK(p90["answer"]["fixed_share"] == 1.0);
  // All fixed: the same $3M in every replication; the mix spreads, its CVaR90 at least its P90.
  CHECK(cvar["answer"]["expected_cost_usd"] == 3e6);
  CHECK(cvar["answer"]["cvar90_cost_usd"] == 3e6);
  const auto& mix = expected["answer"];
  CHECK(mix["expected_cost_usd"].get<double>() < 3e6);
  CHECK(mix["cvar90_cost_usd"].get<double>() > 3e6);
  CHECK(mix["cvar90_cost_usd"].get<double>() >= mix["p90_cost_usd"].get<double>());
  // CSV: one row per candidate.
  plan["objective"] = "expected_cost";
  const auto csv = run_cli({"plan", write_plan(dir, "csv.json", plan), "-j", "2", "--format", "csv"});
  REQUIRE(csv.code == 0);
  const auto rows = split_lines(csv.out);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == "fixed_share,expected_cost_usd,p90_cost_usd,cvar90_cost_usd,p_deadlines_met,feasible");
}

TEST_CASE("racks, term and ramp levers change the lease as written, with fees scaled exactly", "[plan-levers]") {
  ScratchDir dir;
  auto plan = exit_plan_json();
  plan.erase("releasing");
  plan.erase("expect");
  plan["replications"] = 1;
  plan["levers"] = json::parse(R"({"racks": {"min": 2, "max": 4, "step": 2}, "term": [9, "1 year"],
                                   "ramp": [[], [1, 2]]})");
  const auto r = run_cli({"plan", write_plan(dir, "terms.json", plan), "-j", "2", "--format", "json"});
  REQUIRE(r.code == 0);
  const auto doc = json::parse(r.out);
  CHECK(doc["levers"]["racks"] == json::array({2, 4}));
  CHECK(doc["levers"]["term"] == json::array({9, 12}));
  REQUIRE(doc["candidates"].size() == 8);
  const auto find = [&](int racks, int term, const json& ramp) {
    for (const auto& c : doc["candidates"]) {
      if (c["racks"] == racks && c["term"] == term && c["ramp"] == ramp) return c;
    }
    FAIL("no candidate " << racks << " racks, " << term << " months");
    return json();
  };
  // $1M a month for 2 racks: 4 racks cost twice that, and a term of 9 months 9 of them.
  CHECK(find(2, 12, json::array())["expected_cost_usd"] == 12e6);
  CHECK(find(4, 12, json::array())["expected_cost_usd"] == 24e6);
  CHECK(find(2, 9, json::array())["expected_cost_usd"] == 9e6);
  for (const auto& c : doc["candidates"]) CHECK(c["feasible"] == true);  // the run ends in February either way
  // The answer is the least expected cost of all.
  double least = 1e300;
  for (const auto& c : doc["candidates"]) least = std::min(least, c["expected_cost_usd"].get<double>());
  CHECK(doc["answer"]["expected_cost_usd"] == least);
  CHECK(doc["answer"]["racks"] == 2);
  CHECK(doc["answer"]["term"] == 9);
  CHECK_FALSE(doc.contains("exit_option"));
  // A notice date beyond a shorter term is no candidate: the loader's reason is kept.
  plan["levers"] = json::parse(R"({"term": [6, 12],
      "notice_given": {"lease": "pod", "from": "2027-01-07", "to": "2027-01-07"}})");
  const auto n = run_cli({"plan", write_plan(dir, "notice.json", plan), "-j", "2", "--format", "json"});
  REQUIRE(n.code == 0);
  const auto nd = json::parse(n.out);
  REQUIRE(nd["candidates"].size() == 4);
  CHECK(nd["candidates"][0]["notice_given"] == "2027-01-07");
  CHECK(nd["candidates"][0]["term"] == 6);
  CHECK(nd["candidates"][0]["feasible"] == false);
  CHECK(nd["candidates"][0]["note"].get<std::string>().find("notice_given") != std::string::npos);
  CHECK(nd["answer"]["term"] == 12);
  CHECK(nd["answer"]["notice_given"] == "2027-01-07");
}

TEST_CASE("leasesim report draws a plan over lease terms: the answer, the exit option, every candidate",
          "[plan-levers][report]") {
  ScratchDir dir;
  const auto json_path = (dir.path() / "plan.json").string(), html = (dir.path() / "plan.html").string();
  REQUIRE(run_cli({"plan", exit_plan, "-j", "2", "--format", "json", "-o", json_path}).code == 0);
  const auto r = run_cli({"report", json_path, "-o", html});
  REQUIRE(r.code == 0);
  const auto page = read_text(html);
  CHECK(page.find("answer: notice_given") != std::string::npos);
  CHECK(page.find("exit option value, mean ($M)") != std::string::npos);
  CHECK(page.find("Candidates (40 rows)") != std::string::npos);
}

TEST_CASE("the exit option's output in docs/sweeps.md and docs/decisions.md is the plan's real output",
          "[plan-levers][docs]") {
  const auto r = run_cli({"plan", exit_plan, "-j", "2"});
  REQUIRE(r.code == 0);
  const std::string block = "$ leasesim plan scenarios/sweeps/plan-exit.json\n" + r.out + "```";
  for (const char* doc : {"/docs/sweeps.md", "/docs/decisions.md"}) {
    INFO(doc);
    CHECK(read_text(source_dir + doc).find(block) != std::string::npos);
  }
  // The hand-checked value quoted in decisions.md is the plan's.
  const auto j = json::parse(run_cli({"plan", exit_plan, "-j", "2", "--format", "json"}).out);
  CHECK(j["exit_option"]["value_exact"] == "$4428571.428571");
  CHECK(read_text(source_dir + "/docs/decisions.md").find("**$4,428,571.428571**") != std::string::npos);
}

TEST_CASE("bisecting the notice dates finds the exhaustive answer with fewer simulations, to the day",
          "[plan-levers]") {
  ScratchDir dir;
  const auto exhaustive = json::parse(run_cli({"plan", exit_plan, "-j", "2", "--format", "json"}).out);
  auto plan = exit_plan_json();
  plan["search"] = "bisect";
  const auto r = run_cli({"plan", write_plan(dir, "bisect.json", plan), "-j", "2", "--format", "json"});
  REQUIRE(r.code == 0);
  const auto doc = json::parse(r.out);
  CHECK(doc["search"]["method"] == "bisect");
  CHECK(doc["search"]["candidates"] == 40);
  CHECK(doc["search"]["evaluated"].get<int>() <= 2 + 6);  // never, the last date, ⌈log2 39⌉ = 6
  CHECK(doc["answer"] == exhaustive["answer"]);
  CHECK(doc["exit_option"] == exhaustive["exit_option"]);
  // Daily dates: 268 candidates × 1000 replications are refused exhaustively, and bisected they are 11 ×
  // 1 replication. The answer is the first day whose lease end (+90 days) is after the run's end.
  plan["levers"]["notice_given"]["step"] = "1 d";
  plan["replications"] = 1;
  const auto daily =
      json::parse(run_cli({"plan", write_plan(dir, "daily.json", plan), "-j", "2", "--format", "json"}).out);
  const auto run_doc = json::parse(run_cli({"run", exit_scenario, "--format", "json"}).out);
  const std::int64_t job_end =
      *units::parse_date("2026-07-01") + static_cast<std::int64_t>(run_doc["jobs"][0]["end_s"].get<double>());
  std::int64_t best = *units::parse_date("2026-10-01");
  while (best + 90 * 86400 < job_end) best += 86400;
  CHECK(daily["answer"]["notice_given"] == units::format_date(best));
  CHECK(daily["search"]["evaluated"].get<int>() <= 11);
  // Bisect needs a notice date lever.
  plan["levers"] = json::parse(R"({"term": [9, 12]})");
  plan.erase("releasing");
  const auto refused = run_cli({"plan", write_plan(dir, "no-notice.json", plan)});
  CHECK(refused.code == 2);
  CHECK(refused.err.find("/search: expected \"exhaustive\" without a notice_given lever") != std::string::npos);
}

TEST_CASE("with a finance block every lever candidate carries its NPV; never giving notice is twelve fees discounted",
          "[plan-levers]") {
  ScratchDir dir;
  auto plan = exit_plan_json();
  json scenario = read_json(exit_scenario);
  scenario["finance"] = {{"discount_rate", "10%"}};
  plan["scenario"] = scenario;
  plan["replications"] = 1;
  plan.erase("releasing");
  plan["levers"]["notice_given"]["to"] = "2026-12-31";
  const auto r = run_cli({"plan", write_plan(dir, "npv.json", plan), "-j", "2", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto doc = json::parse(r.out);
  bool never_seen = false;
  for (const auto& c : doc["candidates"]) {
    REQUIRE(c.contains("npv_usd"));
    CHECK(c["npv_usd"].get<double>() < c["expected_cost_usd"].get<double>());  // paid later is worth less
    if (c["notice_given"] != "never") continue;
    never_seen = true;
    // $1M at the end of each of the 12 months, discounted at 10% a year: Σ 1e6 / 1.1^(t/12), t = 1…12.
    double closed = 0;
    for (int t = 1; t <= 12; ++t) closed += 1e6 / std::pow(1.1, t / 12.0);
    CHECK(c["npv_usd"].get<double>() == Approx(std::round(closed * 100) / 100).margin(0.005));
  }
  CHECK(never_seen);
  CHECK(doc["answer"].contains("npv_usd"));

  // Ranked by NPV: the answer is the candidate of least mean NPV, and its objective is that NPV.
  plan["objective"] = "npv";
  const auto ranked = run_cli({"plan", write_plan(dir, "by-npv.json", plan), "-j", "2", "--format", "json"});
  INFO(ranked.err);
  REQUIRE(ranked.code == 0);
  const auto by_npv = json::parse(ranked.out);
  CHECK(by_npv["objective"] == "npv");
  double least = 1e300;
  for (const auto& c : by_npv["candidates"]) least = std::min(least, c["npv_usd"].get<double>());
  CHECK(by_npv["answer"]["npv_usd"].get<double>() == least);
  CHECK(by_npv["answer"]["objective_usd"] == by_npv["answer"]["npv_usd"]);
  // Without a finance block there is no NPV to rank by: refused, naming the key.
  scenario.erase("finance");
  plan["scenario"] = scenario;
  const auto refused = run_cli({"plan", write_plan(dir, "no-finance.json", plan)});
  CHECK(refused.code == 2);
  CHECK(refused.err.find("/objective: expected a scenario with a finance block (its discount_rate) for \"npv\", "
                         "found none") != std::string::npos);
}
