// `leasesim report`: each kind of result (run, compare, sweep, plan) becomes a page with its charts
// (stable ids) and tables carrying the input's numbers; the page is deterministic, self-contained
// (no external <script src>/<link href>) and escapes the input's text; bad input is exit code 2 with
// one line. That the charts really draw is checked in Chromium by tests/browser/check_report.mjs.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "leasesim/report/html_report.hpp"

using namespace leasesim::test;
using leasesim::report::html_report_checked;
using leasesim::report::parse_report_input;
using leasesim::report::ResultKind;

namespace {

const std::string small_cluster = source_dir + "/scenarios/sweeps/small-cluster.json";

// 1742154.95 → "1,742,155": how the page's tables show GPU-hours.
std::string grouped(double v) {
  const std::string digits = std::to_string(std::llround(std::fabs(v)));
  std::string out = v < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string page_of(const std::string& text, const std::string& source = "result.json") {
  const auto load = leasesim::report::parse_report_input(text, source);
  INFO(load.error);
  REQUIRE(load.input);
  return leasesim::report::html_report(*load.input);
}

std::vector<std::string> chart_ids(const std::string& html) {
  std::vector<std::string> ids;
  const std::regex div(R"re(<div class="chart" id="([^"]+)">)re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), div); it != std::sregex_iterator(); ++it)
    ids.push_back((*it)[1]);
  return ids;
}

bool has(const std::string& html, const std::string& text) { return html.find(text) != std::string::npos; }

// No element that loads anything from outside the page.
void check_self_contained(const std::string& html) {
  CHECK_FALSE(std::regex_search(html, std::regex(R"re(<script[^>]*\ssrc\s*=)re", std::regex::icase)));
  CHECK_FALSE(std::regex_search(html, std::regex(R"re(<link[^>]*\shref\s*=)re", std::regex::icase)));
  CHECK_FALSE(
      std::regex_search(html, std::regex(R"re(<(img|iframe)[^>]*\ssrc\s*=\s*["']?https?:)re", std::regex::icase)));
  CHECK(has(html, "vega 6."));
  CHECK(has(html, "vega-lite 6."));
  CHECK(has(html, "vega-embed 7."));
  CHECK(has(html, "body.dataset.chartsRendered = String(charts.length)"));
}

const char* compare_doc = R"json({
  "compare": "two <b>leases</b>",
  "ranked_by": "lowest total cost",
  "replications": 3,
  "alternatives": [
    {"alternative": "fixed & \"firm\"", "description": "<script>alert(1)</script>",
     "total_cost_usd": {"mean": 5400000000.0, "p10": 5300000000.0, "p90": 5500000000.0},
     "usd_per_productive_gpu_hour": {"mean": 12.5, "p10": 12.0, "p90": 13.0},
     "usd_per_million_tokens": {"mean": 55.5, "p10": 50.0, "p90": 60.0},
     "deadline_misses": {"mean": 0.0, "p10": 0.0, "p90": 0.0},
     "idle_fraction": {"mean": 0.25, "p10": 0.2, "p90": 0.3},
     "sla_credits_usd": {"mean": 0.0, "p10": 0.0, "p90": 0.0},
     "allocated_gpu_hours_per_month": {"mean": 1000000.0, "p10": 1000000.0, "p90": 1000000.0},
     "capacity_gpu_hours_per_month": 15000000.0, "replications": []},
    {"alternative": "on-demand", "description": "list price",
     "total_cost_usd": {"mean": 797451708.55, "p10": 790000000.0, "p90": 800000000.0},
     "usd_per_productive_gpu_hour": {"mean": 21.69, "p10": 21.0, "p90": 22.0},
     "usd_per_million_tokens": {"mean": 13.99, "p10": 13.0, "p90": 15.0},
     "deadline_misses": {"mean": 0.5, "p10": 0.0, "p90": 1.0},
     "idle_fraction": {"mean": 0.0, "p10": 0.0, "p90": 0.0},
     "sla_credits_usd": {"mean": 0.0, "p10": 0.0, "p90": 0.0},
     "allocated_gpu_hours_per_month": {"mean": 2109660.6, "p10": 2100000.0, "p90": 2120000.0},
     "capacity_gpu_hours_per_month": 2109660.6, "replications": []}
  ],
  "break_evens": [
    {"winner": "fixed & \"firm\"", "versus": "on-demand", "crosses": true, "break_even_gpu_hours_per_month": 14285714.29,
     "break_even_utilization": 0.943, "observed_gpu_hours_per_month": 2109660.6, "cheaper_below": "on-demand",
     "cheaper_above": "fixed & \"firm\""}
  ]
})json";

const char* plan_doc = R"json({
  "answer": {"gpus": 576, "jobs": {"pretrain-70b": 1.0}, "monthly_cost_usd": 4114285.714285714, "p_deadlines_met": 1.0, "racks": 8},
  "binding_job": {"deadline": "2026-09-20", "name": "pretrain-70b", "p_deadline_met": 0.0, "racks_probed": 7, "slack_days_at_answer": 26.97},
  "capacity_unit": "racks",
  "confidence": 0.8,
  "curve": [
    {"gpus": 288, "jobs": {"pretrain-70b": 0.0}, "monthly_cost_usd": 2057142.857142857, "p_deadlines_met": 0.0, "racks": 4,
     "note": "expected at most the cluster's 256 schedulable GPUs, found 512"},
    {"gpus": 576, "jobs": {"pretrain-70b": 1.0}, "monthly_cost_usd": 4114285.714285714, "p_deadlines_met": 1.0, "racks": 8},
    {"gpus": 1440, "jobs": {"pretrain-70b": 1.0}, "monthly_cost_usd": 10285714.285714285, "p_deadlines_met": 1.0, "racks": 20}
  ],
  "dual": {"gpus": 1008, "racks": 14, "jobs": [{"deadline": "2026-09-20", "name": "pretrain-70b", "p_deadline_met": 1.0,
                                                "promise": "2026-08-24T00:05:57Z", "promise_days": 54.004}]},
  "jobs": ["pretrain-70b"],
  "plan": "scenarios/sweeps/plan-small.json",
  "rack": "gb300-nvl72",
  "replications": 5,
  "scenario": "small-cluster",
  "seed": 7
})json";

const char* sweep_rows =
    R"json({"point":0,"seed":11,"horizon":"100 d","racks":12,"lease_racks":12,"policy":"fifo","ettr.mean":0.9947,"ettr.p10":0.9940,"ettr.p50":0.9947,"ettr.p90":0.9953,"met.probability":1.0,"failures.mean":58.5})json"
    "\n"
    R"json({"point":1,"seed":12,"horizon":"100 d","racks":12,"lease_racks":12,"policy":"priority","ettr.mean":0.9957,"ettr.p10":0.9950,"ettr.p50":0.9957,"ettr.p90":0.9964,"met.probability":1.0,"failures.mean":40.5})json"
    "\n"
    R"json({"point":2,"seed":13,"horizon":"100 d","racks":14,"lease_racks":14,"policy":"fifo","ettr.mean":0.9930,"ettr.p10":0.9921,"ettr.p50":0.9930,"ettr.p90":0.9939,"met.probability":0.5,"failures.mean":100})json"
    "\n"
    R"json({"point":3,"seed":14,"horizon":"100 d","racks":14,"lease_racks":14,"policy":"priority","ettr.mean":0.9931,"ettr.p10":0.9920,"ettr.p50":0.9931,"ettr.p90":0.9942,"met.probability":1.0,"failures.mean":86})json"
    "\n";

}  // namespace

TEST_CASE("a run report charts GPU-hours by state, tenants, the ledger and jobs, with the run's numbers in tables",
          "[report]") {
  ScratchDir dir;
  const auto json_file = (dir.path() / "run.json").string();
  REQUIRE(run_cli({"run", small_cluster, "--format", "json", "-o", json_file}).code == 0);
  const std::string text = read_text(json_file);
  const auto doc = nlohmann::json::parse(text);
  const std::string html = page_of(text);

  CHECK(chart_ids(html) == std::vector<std::string>{"chart-gpu-hours-by-state", "chart-tenant-utilization",
                                                    "chart-monthly-ledger", "chart-job-timelines"});
  for (const char* header :
       {"<th>productive (GPU-h)</th>", "<th>idle (GPU-h)</th>", "<th>fee ($M)</th>", "<th>SLA credits ($M)</th>",
        "<th>tenant cost ($M)</th>", "<th>lab (%)</th>", "<th>interruptions</th>", "<th>lost (GPU-h)</th>"}) {
    CHECK(has(html, header));
  }
  // The whole horizon's productive GPU-hours, the first month's, and the job's interruptions.
  const double productive = doc["cluster"]["gpu_hours"]["productive"].get<double>();
  CHECK(has(html, "<td class=\"n\">" + grouped(productive) + "</td>"));
  CHECK(has(html, "<td class=\"n\">" + grouped(doc["cluster"]["months"][0]["gpu_hours"]["productive"].get<double>()) +
                      "</td>"));
  const auto& job = doc["jobs"][0];
  CHECK(has(html, "<td>" + job["name"].get<std::string>() + "</td>"));
  CHECK(has(html, "<td class=\"n\">" + grouped(job["interruptions"].get<double>()) + "</td>"));
  CHECK(has(html, "<td>" + job["deadline"].get<std::string>() + "</td>"));
  // The chart data is the same numbers, inlined.
  CHECK(has(html, "\"gpu_hours\":" + doc["cluster"]["months"][0]["gpu_hours"]["productive"].dump()));
  // Cost per job: the job's own cost, each class's, and the idle line (issue 11 §4).
  CHECK(has(html, "Cost per job"));
  CHECK(has(html, "<td class=\"n\">" + grouped(job["cost_usd"].get<double>()) + "</td>"));
  CHECK(has(html, "<td>eval (class)</td>"));
  CHECK(has(html, "<td>idle capacity of lab</td>"));
  check_self_contained(html);
}

TEST_CASE("a report of replications shows means with their P10-P90", "[report]") {
  ScratchDir dir;
  const auto json_file = (dir.path() / "run.json").string();
  REQUIRE(run_cli({"run", small_cluster, "--replications", "3", "--format", "json", "-o", json_file}).code == 0);
  const std::string text = read_text(json_file);
  const auto doc = nlohmann::json::parse(text);
  const std::string html = page_of(text);
  CHECK(chart_ids(html).size() == 4);
  CHECK(has(html, "3 replications"));
  CHECK(has(html, "<th>P10–P90 (GPU-h)</th>"));
  const auto& productive = doc["cluster"]["gpu_hours"]["productive"];
  CHECK(has(html, "<td class=\"n\">" + grouped(productive["mean"].get<double>()) + "</td>"));
  CHECK(has(html, grouped(productive["p10"].get<double>()) + "–" + grouped(productive["p90"].get<double>())));
  CHECK(has(html, "\"end_p10\":"));  // the end's whisker
}

TEST_CASE("a compare report shows the alternatives side by side and cost against deadline risk, escaping their text",
          "[report]") {
  const std::string html = page_of(compare_doc);
  CHECK(chart_ids(html) == std::vector<std::string>{"chart-compare-costs", "chart-compare-risk"});
  for (const char* header : {"<th>total cost ($M)</th>", "<th>P10–P90 ($M)</th>", "<th>deadline misses per run</th>",
                             "<th>break-even (GPU-h/month)</th>"}) {
    CHECK(has(html, header));
  }
  CHECK(has(html, "<td class=\"n\">5,400.0</td>"));
  CHECK(has(html, "<td class=\"n\">5,300.0–5,500.0</td>"));
  CHECK(has(html, "<td class=\"n\">14,285,714</td>"));
  // Text from the input is escaped in the page and in the inlined chart data.
  CHECK(has(html, "<title>leasesim compare: two &lt;b&gt;leases&lt;/b&gt;</title>"));
  CHECK(has(html, "<td>fixed &amp; &quot;firm&quot;</td>"));
  CHECK(has(html, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
  CHECK_FALSE(has(html, "<b>"));
  CHECK_FALSE(has(html, "<script>alert"));
  CHECK(has(html, R"("alternative":"fixed & \"firm\"")"));
  check_self_contained(html);
}

TEST_CASE("a compare report lists each deadline job per alternative, says which is cheaper, and the provider margin",
          "[report]") {
  nlohmann::json doc = nlohmann::json::parse(compare_doc);
  doc["alternatives"][0]["jobs"] = nlohmann::json::parse(R"([{"name": "pretrain", "end": "2026-12-18T15:08:52Z",
      "end_p10": "2026-12-17T01:00:00Z", "end_p90": null, "deadline": "2027-01-31", "deadline_met": true,
      "deadline_met_fraction": 0.75, "rejected_reason": null}])");
  doc["alternatives"][1]["jobs"] = nlohmann::json::parse(R"([{"name": "pretrain", "end": null, "end_p10": null,
      "end_p90": null, "deadline": "2027-01-31", "deadline_met": false, "deadline_met_fraction": 0.0,
      "rejected_reason": "needs 16,384 GPUs; 15,936 schedulable"}])");
  doc["alternatives"][0]["provider_margin_usd"] = {{"mean", 4.25e6}, {"p10", 4.25e6}, {"p90", 4.25e6}};
  doc["alternatives"][0]["provider_margin_fraction"] = 0.85;
  doc["alternatives"][1]["provider_margin_usd"] = nullptr;
  doc["break_evens"][0]["verdict"] = "on-demand below, fixed & \"firm\" above";
  doc["break_evens"].push_back({{"winner", "fixed & \"firm\""},
                                {"versus", "twin"},
                                {"crosses", false},
                                {"cost_order", "same"},
                                {"verdict", "same cost at every demand"},
                                {"observed_gpu_hours_per_month", 1.0},
                                {"cheaper_below", nullptr},
                                {"cheaper_above", nullptr}});
  const std::string html = page_of(doc.dump());
  CHECK(has(html, "<h2>Deadlines</h2>"));
  CHECK(has(html, "<td>2026-12-18T15:08:52Z</td><td>2026-12-17T01:00:00Z</td><td>not finished</td>"));
  CHECK(has(html, "<td>needs 16,384 GPUs; 15,936 schedulable</td>"));
  CHECK(has(html, "<td class=\"n\">75</td>"));
  CHECK(has(html, "<td>same cost at every demand</td>"));
  CHECK(has(html, "<th>cheaper</th>"));
  CHECK_FALSE(has(html, "<th>cheaper below</th>"));
  CHECK(has(html, "<td class=\"n\">4.25 (85.0%)</td>"));
  CHECK(has(html, "<td class=\"n\">n/a</td>"));
  check_self_contained(html);
}

TEST_CASE("a sweep report plots each metric against the numeric axis with its P10-P90 band, one line per other axis",
          "[report]") {
  const std::string html = page_of(sweep_rows, "results.jsonl");
  CHECK(chart_ids(html) == std::vector<std::string>{"chart-sweep-ettr", "chart-sweep-met", "chart-sweep-failures"});
  CHECK(has(html, "x: racks · colours: policy"));  // lease_racks moves with racks; horizon is fixed
  CHECK(has(html, "<th>P10</th>"));
  CHECK(has(html, "<th>probability</th>"));
  CHECK(has(html, "<td class=\"n\">0.9947</td>"));
  CHECK(has(html, "<td class=\"n\">58.50</td>"));
  CHECK(has(html, R"("p10":0.994,"p90":0.9953)"));
  CHECK(has(html, R"("type":"area")"));  // the band
  check_self_contained(html);
}

TEST_CASE("a plan report draws the curve with the chosen capacity and the confidence asked", "[report]") {
  const std::string html = page_of(plan_doc);
  CHECK(chart_ids(html) == std::vector<std::string>{"chart-plan-curve", "chart-plan-cost"});
  CHECK(has(html, "<th>P(all deadlines met) (%)</th>"));
  CHECK(has(html, "<th>monthly cost ($M)</th>"));
  CHECK(has(html, "<td>chosen</td>"));
  CHECK(has(html, "<td class=\"n\">4.11</td>"));
  CHECK(has(html, "answer: 8 racks (576 GPUs)"));
  CHECK(has(html, "confidence 80%"));
  CHECK(has(html, "<td>2026-08-24T00:05:57Z</td>"));
  check_self_contained(html);
}

TEST_CASE("the report tells the kind of a result from its shape", "[report]") {
  using leasesim::report::parse_report_input;
  CHECK(parse_report_input(compare_doc, "c.json").input->kind == ResultKind::compare);
  CHECK(parse_report_input(plan_doc, "p.json").input->kind == ResultKind::plan);
  CHECK(parse_report_input(sweep_rows, "s.jsonl").input->kind == ResultKind::sweep);
  const auto one_row =
      parse_report_input(std::string(sweep_rows).substr(0, std::string(sweep_rows).find('\n')), "s.jsonl");
  REQUIRE(one_row.input);
  CHECK(one_row.input->kind == ResultKind::sweep);
  CHECK(one_row.input->doc.size() == 1);
}

TEST_CASE("the same result gives the same page byte for byte", "[report]") {
  ScratchDir dir;
  const auto json_file = (dir.path() / "run.json").string();
  REQUIRE(run_cli({"run", small_cluster, "--format", "json", "-o", json_file}).code == 0);
  const auto a = (dir.path() / "a.html").string(), b = (dir.path() / "b.html").string();
  REQUIRE(run_cli({"report", json_file, "-o", a}).code == 0);
  REQUIRE(run_cli({"report", json_file, "-o", b}).code == 0);
  CHECK(read_text(a) == read_text(b));
  CHECK(read_text(a).size() > 500'000);  // the three libraries are inlined
  CHECK(page_of(plan_doc) == page_of(plan_doc));
  CHECK(page_of(sweep_rows) == page_of(sweep_rows));
}

TEST_CASE("without -o the page goes beside the result; - writes it to stdout", "[report]") {
  ScratchDir dir;
  const auto json_file = (dir.path() / "plan.json").string();
  {
    std::ofstream out(json_file);
    out << plan_doc;
  }
  const auto r = run_cli({"report", json_file});
  REQUIRE(r.code == 0);
  CHECK(r.out == (dir.path() / "plan.html").string() + ": plan report\n");
  CHECK(r.err.empty());
  CHECK(dir.entries() == std::vector<std::string>{"plan.html", "plan.json"});
  const auto to_stdout = run_cli({"report", json_file, "-o", "-"});
  CHECK(to_stdout.code == 0);
  CHECK(to_stdout.out == read_text(dir.path() / "plan.html"));
}

TEST_CASE("report does not replace a page beside the result it did not write, unless -o or --force", "[report]") {
  ScratchDir dir;
  const auto json_file = (dir.path() / "plan.json").string();
  const auto page = dir.path() / "plan.html";
  std::ofstream(json_file) << plan_doc;
  const std::string theirs =
      "<!DOCTYPE html>\n<html><head><title>Q3 plan, by hand</title></head><body>mine</body></html>\n";
  std::ofstream(page) << theirs;

  const auto refused = run_cli({"report", json_file});
  CHECK(refused.code == 2);
  CHECK(refused.out.empty());
  CHECK(refused.err == "leasesim: " + page.string() +
                           " exists and leasesim did not write it; pass --force to replace it, or -o FILE\n");
  CHECK(read_text(page) == theirs);
  CHECK(dir.entries() == std::vector<std::string>{"plan.html", "plan.json"});

  const auto forced = run_cli({"report", json_file, "--force"});
  CHECK(forced.code == 0);
  CHECK(forced.out == page.string() + ": plan report\n");
  const auto ours = read_text(page);
  CHECK(has(ours.substr(0, 1024), "<meta name=\"generator\" content=\"leasesim "));

  // A page we wrote is ours to replace; -o names the file explicitly, so it replaces anything.
  CHECK(run_cli({"report", json_file}).code == 0);
  CHECK(read_text(page) == ours);
  std::ofstream(page, std::ios::trunc) << theirs;
  CHECK(run_cli({"report", json_file, "-o", page.string()}).code == 0);
  CHECK(read_text(page) == ours);

  // The default page of a sweep folder that is a folder: refused without an -o it was not given.
  fs::create_directories(dir.path() / "sweep" / "report.html");
  std::ofstream(dir.path() / "sweep" / "results.jsonl") << sweep_rows;
  const auto folder = run_cli({"report", (dir.path() / "sweep").string()});
  CHECK(folder.code == 2);
  CHECK(folder.err == "leasesim: " + (dir.path() / "sweep" / "report.html").string() + ": is a directory\n");
}

TEST_CASE("bad input to report is exit 2 with one line and no page", "[report]") {
  ScratchDir dir;
  auto write = [&dir](const std::string& name, const std::string& text) {
    const auto p = (dir.path() / name).string();
    std::ofstream out(p);
    out << text;
    return p;
  };
  struct Case {
    std::string file, expected_line;
  };
  const std::vector<Case> cases{
      {write("other.json", R"({"name": "x", "value": 2})"),
       "other.json: expected the JSON of leasesim run, compare, plan or sensitivity, or the JSONL rows of leasesim "
       "sweep, found an "
       "object with keys \"name\", \"value\""},
      {small_cluster,
       "small-cluster.json: expected the JSON of leasesim run, compare, plan or sensitivity, or the JSONL rows of "
       "leasesim "
       "sweep, found a scenario (its result: leasesim run FILE --format json)"},
      {write("broken.json", "{\"jobs\": [1, 2,}\n"),
       "broken.json: line 1, column 16: expected valid JSON, found syntax error"},
      {write("no-months.json", R"({"jobs": [], "cluster": {"gpu_hours": {}}, "resolved": {}})"),
       "no-months.json: /cluster/months: expected a list, found nothing"},
      {write("rows.jsonl", std::string(sweep_rows).substr(0, std::string(sweep_rows).find('\n') + 1) + "[1, 2]\n"),
       "rows.jsonl: line 2: expected the JSON of leasesim run, compare, plan or sensitivity, or the JSONL rows of "
       "leasesim sweep (a "
       "sweep "
       "row has \"point\" and \"seed\"), found a list of 2"},
      {write("empty.json", ""), "empty.json: expected a JSON object, found an empty file"},
      {(dir.path() / "missing.json").string(),
       "missing.json: expected a readable file, found no such file or no permission to read it"},
  };
  for (const auto& c : cases) {
    const auto out = (dir.path() / "out.html").string();
    const auto r = run_cli({"report", c.file, "-o", out});
    INFO(c.file << "\n" << r.err);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    const auto lines = split_lines(r.err);
    REQUIRE(lines.size() == 1);
    const std::string prefix = fs::path(c.file).parent_path().string() + "/";
    CHECK(lines[0].rfind(prefix, 0) == 0);
    CHECK(lines[0].substr(prefix.size()).rfind(c.expected_line, 0) == 0);
    CHECK_FALSE(fs::exists(out));
  }
}

TEST_CASE("report: a sensitivity result gives a page with a tornado per measure, largest swing on top",
          "[report][sensitivity]") {
  const auto made = run_cli({"sensitivity", std::string(LEASESIM_SOURCE_DIR) + "/scenarios/sweeps/small-cluster.json",
                             "--input", "tokens", "--input", "lease_price", "--format", "json"});
  REQUIRE(made.code == 0);
  const auto load = parse_report_input(made.out, "s.json");
  REQUIRE(load.input);
  CHECK(load.input->kind == ResultKind::sensitivity);
  const auto page = html_report_checked(*load.input);
  CHECK(page.missing.empty());
  CHECK_THAT(page.html, Catch::Contains("chart-sensitivity-cost") && Catch::Contains("chart-sensitivity-end"));
  // The cost tornado lists lease_price first (it alone moves a fixed fee); the date tornado tokens.
  const std::size_t cost = page.html.find("\"id\":\"chart-sensitivity-cost\"");
  const std::size_t end = page.html.find("\"id\":\"chart-sensitivity-end\"");
  REQUIRE(cost != std::string::npos);
  REQUIRE(end != std::string::npos);
  const auto sort_at = [&](std::size_t from) { return page.html.find("\"sort\":[", from); };
  CHECK(page.html.compare(sort_at(cost) + 8, 13, "\"lease_price\"") == 0);
  CHECK(page.html.compare(sort_at(end) + 8, 8, "\"tokens\"") == 0);
}
