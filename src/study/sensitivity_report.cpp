// Tables and JSON of a sensitivity result (sensitivity_report.hpp).
#include "leasesim/study/sensitivity_report.hpp"

#include <fmt/format.h>

#include <cmath>

#include "leasesim/report/format.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::study {

using nlohmann::json;

namespace {

constexpr double seconds_per_day = 86400;

std::string end_date(const SensitivityResult& r, double s) {
  return units::format_date(r.start_utc + static_cast<std::int64_t>(std::llround(s)));
}

// "2026-12-05" (the day) for a terminal; "≥ 2027-06-30" when a replication did not finish.
std::string end_day(const SensitivityResult& r, const SensitivityPoint& p) {
  const std::string day = end_date(r, p.end_p90_s).substr(0, 10);
  return p.unfinished > 0 && p.end_p90_s >= r.horizon_s ? "after " + day : day;
}

json point_json(const SensitivityResult& r, const SensitivityPoint& p) {
  json j = {{"factor", p.factor}, {"mean_cost_usd", p.mean_cost.dollars()}};
  if (!r.job.empty()) {
    j["end_p50"] = end_date(r, p.end_p50_s);
    j["end_p90"] = end_date(r, p.end_p90_s);
    j["end_p50_s"] = p.end_p50_s;
    j["end_p90_s"] = p.end_p90_s;
    j["unfinished_replications"] = p.unfinished;
    if (r.has_deadline) j["deadline_met_fraction"] = p.deadline_met;
  }
  return j;
}

std::string factor_range(const SensitivityRow& row) {
  return fmt::format("x{:g} .. x{:g}", row.low.factor, row.high.factor);
}

}  // namespace

report::Table sensitivity_table(const SensitivityResult& r) {
  using report::Column;
  std::vector<Column> cols = {
      {"rank", "#", true},
      {"input", "input"},
      {"factors", "low .. high"},
      // Headers on two lines: on one, the table was 126 columns wide (issue 17 §3: 120).
      {"cost_low_usd", "cost\nlow ($)", true},
      {"cost_high_usd", "cost\nhigh ($)", true},
      {"cost_swing_usd", "cost\nswing ($)", true},
  };
  if (!r.job.empty()) {
    cols.push_back({"end_p90_low", "P90 end\nlow", false});
    cols.push_back({"end_p90_high", "P90 end\nhigh", false});
    cols.push_back({"end_swing_days", "end\nswing (d)", true});
    if (r.has_deadline) {
      cols.push_back({"deadline_met_low_pct", "met\nlow", true, 1});
      cols.push_back({"deadline_met_high_pct", "met\nhigh", true, 1});
    }
  }
  cols.push_back({"what", "what it scales", false, Column::wide_only});
  const std::string title =
      fmt::format("sensitivity of {}: {} replication{} per run on common random numbers, ranked by {}", r.scenario,
                  r.replications, r.replications == 1 ? "" : "s",
                  r.rank_by == SensitivityRank::cost ? "the swing of the mean cost" : "the swing of the P90 end");
  report::Table t(cols, title);
  int rank = 0;
  for (const auto& row : r.rows) {
    std::vector<report::Cell> cells = {report::integer(++rank),
                                       row.input,
                                       factor_range(row),
                                       report::money(row.low.mean_cost.dollars()),
                                       report::money(row.high.mean_cost.dollars()),
                                       report::money(row.cost_swing.dollars())};
    if (!r.job.empty()) {
      cells.push_back({end_day(r, row.low), end_date(r, row.low.end_p90_s)});
      cells.push_back({end_day(r, row.high), end_date(r, row.high.end_p90_s)});
      cells.push_back(report::number(row.end_swing_s / seconds_per_day, 1));
      if (r.has_deadline) {
        cells.push_back(report::percentage(row.low.deadline_met, 0, row.low.deadline_met * 100));
        cells.push_back(report::percentage(row.high.deadline_met, 0, row.high.deadline_met * 100));
      }
    }
    cells.push_back(row.what);
    t.add_row(std::move(cells));
  }
  return t;
}

std::string sensitivity_text(const SensitivityResult& r, report::Layout layout) {
  std::string out;
  out += fmt::format("base: mean cost {}", report::usd(r.base.mean_cost.dollars()));
  if (!r.job.empty()) {
    out += fmt::format("; {} ends P50 {}, P90 {}", r.job, end_date(r, r.base.end_p50_s), end_date(r, r.base.end_p90_s));
    if (r.base.unfinished > 0) out += fmt::format(" (unfinished in {} of {})", r.base.unfinished, r.replications);
    if (r.has_deadline) out += fmt::format(", deadline met in {}", report::percent(r.base.deadline_met, 0));
  }
  out += "\n\n";
  if (r.rows.empty()) {
    out += "no input applies to this scenario\n";
  } else {
    out += sensitivity_table(r).to_text(layout);
  }
  if (!r.rows.empty()) {
    const auto& top = r.rows.front();
    out += fmt::format("\nMost sensitive: {} (x{:g} .. x{:g}) moves the mean cost by {}", top.input, top.low.factor,
                       top.high.factor, report::usd(top.cost_swing.dollars()));
    if (!r.job.empty())
      out += fmt::format(" and {}'s P90 end by {:.1f} days", r.job, top.end_swing_s / seconds_per_day);
    out += ".\n";
    // The input that moves the date most, when the ranking is by cost and another input leads.
    const SensitivityRow* by_end = &top;
    for (const auto& row : r.rows)
      if (row.end_swing_s > by_end->end_swing_s) by_end = &row;
    if (!r.job.empty() && by_end != &top)
      out += fmt::format("Most sensitive for the date: {} (x{:g} .. x{:g}) moves {}'s P90 end by {:.1f} days.\n",
                         by_end->input, by_end->low.factor, by_end->high.factor, r.job,
                         by_end->end_swing_s / seconds_per_day);
  }
  for (const auto& [input, why] : r.skipped) out += fmt::format("skipped {}: {}\n", input, why);
  if (!r.rows.empty()) {
    out += "\nRanges:\n";
    for (const auto& row : r.rows)
      out += report::wrap(fmt::format("- {}: {}; {}.", row.input, row.what, row.why), report::terminal_width, "  ");
  }
  return out;
}

json sensitivity_json(const SensitivityResult& r) {
  json j = {{"kind", "sensitivity"},
            {"scenario", r.scenario},
            {"replications", r.replications},
            {"rank_by", r.rank_by == SensitivityRank::cost ? "cost" : "end"},
            {"base", point_json(r, r.base)}};
  if (!r.job.empty()) j["job"] = r.job;
  json inputs = json::array();
  int rank = 0;
  for (const auto& row : r.rows) {
    json in = {{"rank", ++rank},
               {"input", row.input},
               {"what", row.what},
               {"why", row.why},
               {"low_factor", row.low.factor},
               {"high_factor", row.high.factor},
               {"low", point_json(r, row.low)},
               {"high", point_json(r, row.high)},
               {"cost_swing_usd", row.cost_swing.dollars()}};
    if (!r.job.empty()) in["end_swing_days"] = row.end_swing_s / seconds_per_day;
    inputs.push_back(std::move(in));
  }
  j["inputs"] = std::move(inputs);
  json skipped = json::array();
  for (const auto& [input, why] : r.skipped) skipped.push_back({{"input", input}, {"why", why}});
  j["skipped"] = std::move(skipped);
  return j;
}

}  // namespace leasesim::study
