// A terminal a person can read (issue 17 §3): every command's table output fits 120 columns,
// --wide still gives every column, the lease ledger shows quarters (their money the exact sum of
// the months') with --monthly for every month, and numbers are written for people (format.hpp).
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "leasesim/cluster/simulate.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/report/format.hpp"
#include "leasesim/report/lease_report.hpp"
#include "leasesim/report/table.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/study/run_scenario.hpp"
#include "leasesim/sweep/point_result.hpp"

namespace report = leasesim::report;
using namespace leasesim::test;

namespace {

const std::string scenarios = source_dir + "/scenarios/";

// Display columns of a line: UTF-8 code points, not bytes ("—", "≥", "–" are one column each).
std::size_t columns_of(const std::string& line) {
  std::size_t n = 0;
  for (unsigned char c : line) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::size_t widest(const std::string& text) {
  std::size_t w = 0;
  for (const auto& line : split_lines(text)) w = std::max(w, columns_of(line));
  return w;
}

void check_fits(const std::string& what, const Run& r) {
  INFO(what << "\nstderr:\n" << r.err);
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());  // no progress line when stderr is not a terminal
  for (const auto& line : split_lines(r.out)) {
    INFO(what << ": a line of " << columns_of(line) << " columns:\n" << line);
    CHECK(columns_of(line) <= 120);
  }
}

// The lines of `text` from the one starting with `title` to the next blank line.
Lines section(const std::string& text, const std::string& title) {
  Lines out;
  bool in = false;
  for (const auto& line : split_lines(text)) {
    if (!in && line.rfind(title, 0) == 0) in = true;
    if (in && line.empty()) break;
    if (in) out.push_back(line);
  }
  return out;
}

std::int64_t micros(double dollars) { return std::llround(dollars * 1e6); }

}  // namespace

TEST_CASE("every table command's default terminal output fits 120 columns", "[cli][terminal]") {
  check_fits("run", run_cli({"run", default_scenario}));
  check_fits("compare", run_cli({"compare", scenarios + "reflection-gpu-range.json"}));
  check_fits("step", run_cli({"step", scenarios + "step-frontier-2t-fp8.json"}));
  check_fits("step --top 3", run_cli({"step", scenarios + "step-frontier-2t-fp8.json", "--top", "3"}));
  check_fits("plan", run_cli({"plan", scenarios + "sweeps/plan-small.json"}));
  check_fits("sweep", run_cli({"sweep", scenarios + "sweeps/ci-regression.json", "-j", "2"}));
}

TEST_CASE("sensitivity and the lease-or-buy compare fit 120 columns too", "[cli][terminal]") {
  // The sensitivity table was 126 columns wide on the 14-rack example (one-line headers), and left
  // out its two deadline columns to get there.
  const Run r = run_cli({"sensitivity", scenarios + "sweeps/small-cluster.json"});
  check_fits("sensitivity", r);
  const Lines table = section(r.out, "sensitivity of small-cluster");
  REQUIRE(table.size() > 4);
  CHECK(table[1] == "  (--wide: 1 more column)");  // only the prose "what it scales" is left for --wide
  CHECK(table[2].find("cost") != std::string::npos);
  CHECK(table[3].find("low ($)  high ($)  swing ($)") != std::string::npos);
  CHECK(table[3].find("met") == std::string::npos);
  CHECK(table[3].rfind("low  high") == table[3].size() - 9);  // met low, met high: in the narrow table now
  check_fits("compare lease-or-buy", run_cli({"compare", scenarios + "compare-lease-or-buy.json"}));
}

TEST_CASE("run: the ledger by quarter by default, every month with --monthly, every column with --wide",
          "[cli][terminal]") {
  const auto narrow = run_cli({"run", default_scenario});
  REQUIRE(narrow.code == 0);
  static const std::regex quarter_row(R"(^\d{4}-Q[1-4]  .*)"), month_row(R"(^\d{4}-\d{2}  .*)");
  const auto quarters = section(narrow.out, "Lease ledger by quarter");
  REQUIRE(!quarters.empty());
  CHECK(std::count_if(quarters.begin(), quarters.end(),
                      [](const std::string& l) { return std::regex_match(l, quarter_row); }) == 12);

  const auto monthly = run_cli({"run", default_scenario, "--monthly"});
  REQUIRE(monthly.code == 0);
  CHECK(widest(monthly.out) <= 120);
  const auto months = section(monthly.out, "Lease ledger by month");
  CHECK(std::count_if(months.begin(), months.end(),
                      [](const std::string& l) { return std::regex_match(l, month_row); }) == 36);

  // --wide: every column of the ledger, the totals and the jobs, as before the narrow layout.
  const auto wide = run_cli({"run", default_scenario, "--wide", "--monthly"});
  REQUIRE(wide.code == 0);
  const auto ledger = section(wide.out, "Lease ledger by month");
  REQUIRE(ledger.size() > 2);
  for (const char* header : {"committed GPU-h", "delivered GPU-h", "allocated GPU-h", "productive GPU-h", "idle GPU-h",
                             "avail", "fee", "SLA credit", "usage", "resale", "energy", "cost", "$/productive GPU-h"}) {
    INFO(header << "\n" << ledger[1]);
    CHECK(ledger[1].find(header) != std::string::npos);
  }
  const auto totals = section(wide.out, "Lease totals");
  REQUIRE(totals.size() > 2);
  for (const char* header : {"type", "tenant", "SLA credits", "resale", "$/delivered GPU-h", "$/M tokens", "$/job",
                             "provider margin", "margin/rack-month"}) {
    INFO(header << "\n" << totals[1]);
    CHECK(totals[1].find(header) != std::string::npos);
  }
  const auto jobs = section(wide.out, "Jobs");
  REQUIRE(jobs.size() > 2);
  CHECK(jobs[1].find("start") != std::string::npos);
  // The end to the second (the median replication's).
  CHECK(std::regex_search(jobs[3], std::regex(R"(20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)")));
  // The narrow layout says what --wide adds.
  CHECK(narrow.out.find("(--wide: ") != std::string::npos);
}

TEST_CASE("run: a quarter's money in the terminal ledger is the exact sum of its months'", "[cli][terminal]") {
  // Through the CLI: the months × lease × tenant CSV, summed per quarter in micro-dollars, gives
  // the quarterly table's cost cells.
  const auto csv = run_cli({"run", default_scenario, "--format", "csv", "--csv", "leases"});
  REQUIRE(csv.code == 0);
  const auto rows = split_lines(csv.out);
  REQUIRE(rows.size() > 36);
  const auto header = [&] {
    std::vector<std::string> cols;
    std::string cell;
    for (char c : rows[0] + ",") {
      if (c == ',') {
        cols.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    return cols;
  }();
  const auto col = [&](const std::string& key) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), key) - header.begin());
  };
  const std::size_t cost_col = col("tenant_cost_usd");
  REQUIRE(cost_col < header.size());
  std::map<std::string, std::int64_t> quarter_micros;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    std::vector<std::string> cells;
    std::string cell;
    for (char c : rows[i] + ",") {
      if (c == ',') {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    const int month = std::stoi(cells[0].substr(5, 2));
    quarter_micros[cells[0].substr(0, 4) + "-Q" + std::to_string((month - 1) / 3 + 1)] +=
        micros(std::stod(cells[cost_col]));
  }
  REQUIRE(quarter_micros.size() == 12);
  const auto text = run_cli({"run", default_scenario});
  const auto quarters = section(text.out, "Lease ledger by quarter");
  std::size_t checked = 0;
  for (const auto& [quarter, sum] : quarter_micros) {
    const auto row = std::find_if(quarters.begin(), quarters.end(),
                                  [&](const std::string& l) { return l.rfind(quarter + " ", 0) == 0; });
    REQUIRE(row != quarters.end());
    // The cost column is right-aligned: its cell ends where its header does.
    const std::size_t end = quarters[1].find("  cost  ") + 6;
    REQUIRE(end > 6);
    const std::string cost = report::usd(static_cast<double>(sum) / 1e6);
    INFO(quarter << ": " << cost << "\n" << quarters[1] << "\n" << *row);
    CHECK(row->substr(0, end).size() == end);
    CHECK(row->substr(end - cost.size(), cost.size()) == cost);
    CHECK(row->substr(0, end - cost.size()).back() == ' ');
    ++checked;
  }
  CHECK(checked == 12);

  // Through the library: every money column of every quarter row is its months' sum, to the
  // micro-dollar; GPU-hours agree to rounding.
  const auto loaded = leasesim::scenario::load_scenario_file(default_scenario);
  REQUIRE(loaded.scenario);
  auto one = *loaded.scenario;
  one.replications = 1;
  const auto run = leasesim::study::run_scenario(one);
  REQUIRE(run.ledgers.size() == 1);
  const auto& ledger = run.ledgers.front();
  const auto by_month = report::lease_month_table(ledger, report::Period::month).to_json();
  const auto by_quarter = report::lease_month_table(ledger, report::Period::quarter).to_json();
  REQUIRE(by_month.size() == 36);
  REQUIRE(by_quarter.size() == 12);
  std::size_t months_seen = 0;
  for (const auto& q : by_quarter) {
    const std::string label = q["month"].get<std::string>();
    std::map<std::string, std::int64_t> money;
    std::map<std::string, double> hours;
    for (const auto& m : by_month) {
      const std::string month = m["month"].get<std::string>();
      const int mm = std::stoi(month.substr(5, 2));
      if (month.substr(0, 4) + "-Q" + std::to_string((mm - 1) / 3 + 1) != label || m["lease"] != q["lease"]) continue;
      ++months_seen;
      for (auto it = m.begin(); it != m.end(); ++it) {
        const std::string key = it.key();
        if (key.size() > 4 && key.substr(key.size() - 4) == "_usd") money[key] += micros(it->get<double>());
        if (key.find("gpu_hours") != std::string::npos && key.rfind("usd_per", 0) != 0) hours[key] += it->get<double>();
      }
    }
    REQUIRE(money.size() == 6);  // fee, SLA credit, usage, resale, energy, cost
    for (const auto& [key, sum] : money) {
      INFO(label << " " << key);
      CHECK(micros(q[key].get<double>()) == sum);
    }
    for (const auto& [key, sum] : hours) {
      INFO(label << " " << key);
      CHECK(q[key].get<double>() == Approx(sum).epsilon(1e-12));
    }
  }
  CHECK(months_seen == 36);
}

TEST_CASE("compare, sweep and step: --wide gives every column", "[cli][terminal]") {
  const auto compare = run_cli({"compare", scenarios + "reflection-gpu-range.json", "--wide"});
  REQUIRE(compare.code == 0);
  const auto ranking = section(compare.out, "Lease alternatives");
  REQUIRE(ranking.size() > 2);
  for (const char* header : {"total cost", "$/productive GPU-h", "$/M tokens", "deadline misses", "idle", "SLA credits",
                             "used GPU-h/month", "capacity GPU-h/month", "provider margin"}) {
    INFO(header << "\n" << ranking[1]);
    CHECK(ranking[1].find(header) != std::string::npos);
  }
  const auto breaks = section(compare.out, "Break-even demand");
  REQUIRE(breaks.size() > 2);
  CHECK(breaks[1].find("used GPU-h/month") != std::string::npos);

  // The sweep's wide table has a header for every column of its CSV, in order.
  const std::string sweep_file = scenarios + "sweeps/ci-regression.json";
  const auto csv = run_cli({"sweep", sweep_file, "-j", "2", "--format", "csv"});
  const auto wide = run_cli({"sweep", sweep_file, "-j", "2", "--wide"});
  REQUIRE(csv.code == 0);
  REQUIRE(wide.code == 0);
  const auto columns = split_lines(csv.out).front();
  std::string header;
  std::istringstream words(split_lines(wide.out).front());
  for (std::string w; words >> w;) header += (header.empty() ? "" : ",") + w;
  CHECK(header == columns);
  CHECK(std::count(columns.begin(), columns.end(), ',') >= 30);
  CHECK(widest(wide.out) > 120);  // what the narrow layout leaves out

  const auto step = run_cli({"step", scenarios + "step-frontier-2t-fp8.json", "--top", "3", "--wide"});
  REQUIRE(step.code == 0);
  const auto configs = section(step.out, "Configurations");
  REQUIRE(configs.size() > 2);
  for (const char* name : {"parallelism", "recompute", "sharding", "GPUs", "step s", "tokens/s", "TFLOP/s/GPU", "MFU",
                           "memory/GPU GB", "time to train"}) {
    INFO(name << "\n" << configs[1]);
    CHECK(configs[1].find(name) != std::string::npos);
  }
}

TEST_CASE("terminal numbers are for people: separators, one money style, no scientific notation", "[cli][terminal]") {
  const auto run = run_cli({"run", default_scenario});
  REQUIRE(run.code == 0);
  CHECK(run.out.find("e+") == std::string::npos);
  // Productive GPU-hours with thousands separators (the mean and its P10–P90 over the replications).
  CHECK(std::regex_search(
      run.out,
      std::regex(R"(\nproductive +[0-9]{1,3}(,[0-9]{3})+ \([0-9]{1,3}(,[0-9]{3})+–[0-9]{1,3}(,[0-9]{3})+\))")));
  CHECK(run.out.find("(20,736 GPUs)") != std::string::npos);
  CHECK(run.out.find("  $450M  ") != std::string::npos);  // a quarter's fee
  CHECK(run.out.find("$9.91 per delivered GPU-hour") != std::string::npos);
  const auto step = run_cli({"step", scenarios + "step-frontier-2t-fp8.json"});
  REQUIRE(step.code == 0);
  CHECK(step.out.find("e+") == std::string::npos);
  CHECK(step.out.find("time to train 40T tokens") != std::string::npos);
  const auto compare = run_cli({"compare", scenarios + "reflection-gpu-range.json"});
  REQUIRE(compare.code == 0);
  CHECK(compare.out.find("e+") == std::string::npos);
  CHECK(compare.out.find("$5.4B") != std::string::npos);
}

TEST_CASE("format: thousands separators", "[report][format]") {
  CHECK(report::grouped(62321363LL) == "62,321,363");
  CHECK(report::grouped(0LL) == "0");
  CHECK(report::grouped(999LL) == "999");
  CHECK(report::grouped(1000LL) == "1,000");
  CHECK(report::grouped(-1204LL) == "-1,204");
  CHECK(report::grouped(std::numeric_limits<long long>::min()) == "-9,223,372,036,854,775,808");
  CHECK(report::grouped(62321363.4, 0) == "62,321,363");
  CHECK(report::grouped(2325.54, 1) == "2,325.5");
  CHECK(report::grouped(-0.04, 1) == "0.0");  // no "-0.0"
  CHECK(report::grouped(-1234.5, 2) == "-1,234.50");
  CHECK(report::grouped(1e20, 0) == "100,000,000,000,000,000,000");
  CHECK(report::grouped(std::nan(""), 1) == "-");
}

TEST_CASE("format: one money style", "[report][format]") {
  CHECK(report::usd(150e6) == "$150M");
  CHECK(report::usd(1.35e9) == "$1.35B");
  CHECK(report::usd(5.4e9) == "$5.4B");
  CHECK(report::usd(9.9) == "$9.90");
  CHECK(report::usd(17.1234) == "$17.12");
  CHECK(report::usd(0) == "$0.00");
  CHECK(report::usd(912'345) == "$912k");
  CHECK(report::usd(-4.2e6) == "-$4.2M");
  CHECK(report::usd(999'999.9) == "$1M");  // rounding carries into the next suffix
  CHECK(report::usd(88'612'345) == "$88.6M");
  CHECK(report::percent(0.758) == "75.8%");
  CHECK(report::percent(0.99864, 2) == "99.86%");
  CHECK(report::percent(1) == "100.0%");
  CHECK(report::duration(56.8 * 86400) == "56.8 d");
  CHECK(report::duration(5.2 * 3600) == "5.2 h");
  CHECK(report::compact_count(4e13) == "40T");
  CHECK(report::compact_count(1.5e9) == "1.5B");
  CHECK(report::compact_count(22.3245e6) == "22.3M");
  CHECK(report::compact_count(999.6e3) == "1M");
  CHECK(report::compact_count(912) == "912");
  // No magnitude gives scientific notation.
  for (double v = 1e-4; v < 1e19; v *= 7.3) {
    for (const std::string& s :
         {report::usd(v), report::grouped(v, 2), report::compact_count(v), report::percent(v), report::duration(v)}) {
      INFO(v << " -> " << s);
      CHECK(s.find('e') == std::string::npos);
    }
  }
}

TEST_CASE("format: wrapping counts code points and indents continuations", "[report][format]") {
  const std::string text =
      "failures: 10,104 (GPU HBM3 memory 1,914, GPU SRAM memory 474, GPU system processor 441, "
      "network switch and cable 300, host maintenance 250, unplanned power — 12, other ≥ 1)";
  const auto wrapped = report::wrap(text, 60, "  ");
  const auto lines = split_lines(wrapped);
  REQUIRE(lines.size() > 1);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO(lines[i]);
    CHECK(report::display_width(lines[i]) <= 60);
    if (i > 0) CHECK(lines[i].rfind("  ", 0) == 0);
  }
  CHECK(report::display_width("—≥–") == 3);
  CHECK(report::wrap("short", 60) == "short\n");
}

TEST_CASE("table: the narrow layout leaves out the highest drop ranks until it fits, wide shows all",
          "[report][format]") {
  const std::string long_text(50, 'x');
  report::Table t({{"a", "a", false},
                   {"b", "b", false, 1},
                   {"c", "c", false, 2},
                   {"d", "d", false, report::Column::wide_only},
                   {"e", "top\nbottom", true}},
                  "Title");
  t.add_row({long_text, long_text, long_text, "d", report::integer(1234567)});
  const auto narrow = t.to_text(report::Layout::narrow);
  const auto wide = t.to_text(report::Layout::wide);
  CHECK(widest(narrow) <= 120);
  CHECK(narrow.find("Title (--wide: 2 more columns)") != std::string::npos);  // c and d left out
  const auto lines = split_lines(narrow);
  REQUIRE(lines.size() == 5);  // title, two header lines, rule, row
  CHECK(lines[1].find("top") != std::string::npos);
  CHECK(lines[2].find("bottom") != std::string::npos);
  CHECK(lines[4].find("1,234,567") != std::string::npos);
  CHECK(split_lines(wide)[4].find(" d ") != std::string::npos);
  CHECK(t.shown_columns(report::Layout::wide).size() == 5);
  CHECK(t.shown_columns(report::Layout::narrow) == std::vector<std::size_t>{0, 1, 4});
  // CSV and JSON carry every column whatever the layout.
  CHECK(split_lines(t.to_csv()).front() == "a,b,c,d,e");
  CHECK(t.to_json()[0]["e"] == 1234567);
}

TEST_CASE("run's answers say what the spare trays cost, apart from idle", "[cli][terminal]") {
  // Spares are delivered capacity, never idle (docs/leases.md): their GPU-hours at the run's price
  // per delivered GPU-hour get their own answer instead of hiding inside the jobs' and idle costs.
  const Run json_run =
      run_cli({"run", default_scenario, "--format", "json", "--replications", "1", "--no-sensitivity"});
  REQUIRE(json_run.code == 0);
  const auto doc = nlohmann::json::parse(json_run.out);
  const double spare = doc.at("cluster").at("gpu_hours").at("spare").get<double>();
  const double total = doc.at("cluster").at("gpu_hours").at("total").get<double>();
  const double per_hour = doc.at("lease_totals").at("derived").at("usd_per_delivered_gpu_hour").get<double>();
  REQUIRE(spare > 0);
  const Run text = run_cli({"run", default_scenario, "--replications", "1", "--no-sensitivity"});
  REQUIRE(text.code == 0);
  const std::string expected = "- spare trays held " + report::compact_count(spare) + " GPU-hours (" +
                               fmt::format("{:.1f}", 100 * spare / total) + "% of the horizon) ≈ " +
                               report::usd(spare * per_hour) + " at " + report::usd(per_hour) + " per GPU-hour";
  INFO(text.out);
  CHECK(text.out.find(expected) != std::string::npos);
  // 288 racks x 2 spare trays of 4 GPUs for 1,096 days: 60.6M GPU-hours less the trays lent to
  // displaced jobs.
  CHECK(spare == Approx(288.0 * 2 * 4 * 1096 * 24).epsilon(0.01));
}
