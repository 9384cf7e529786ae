// The run page's job sections (html_pages.hpp): each named job's timeline against its deadline with
// the jobs' table, the generated job classes, and the cost per job.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "leasesim/report/html_charts.hpp"
#include "leasesim/report/html_pages.hpp"
#include "leasesim/report/html_text.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::report::html {

namespace {

std::optional<std::int64_t> date_of(const Json& v) {
  if (!v.is_string()) return std::nullopt;
  return units::parse_date(v.get<std::string>());
}

std::optional<std::string> date_after(std::optional<std::int64_t> start, std::optional<double> seconds) {
  if (!start || !seconds) return std::nullopt;
  return units::format_date(*start + static_cast<std::int64_t>(std::llround(*seconds)));
}

std::string deadline_verdict(const Json& met) {
  if (met.is_boolean()) return met.get<bool>() ? "yes" : "no";
  if (const auto p = value_of(met)) return fmt::format("P = {:.2f}", *p);
  return "–";
}

// What colours a job's bar: whether it finished and met its deadline.
std::string job_status(const Json& j, bool finished) {
  const Json& met = get(j, "deadline_met");
  const auto p_met = met.is_boolean() ? std::optional<double>(met.get<bool>() ? 1.0 : 0.0) : value_of(met);
  if (get_optional(j, "status") == "blocked") return "blocked";  // a chained job never submitted (its reason in JSON)
  return !finished                         ? "not finished"
         : !get(j, "deadline").is_string() ? "no deadline"
         : !p_met                          ? "deadline not decided"
         : *p_met >= 1                     ? "deadline met"
         : *p_met <= 0                     ? "deadline missed"
                                           : "deadline met in some runs";
}

// The jobs as timeline rows and as the table under the chart.
struct JobRows {
  Json values = Json::array(), order = Json::array();
  HtmlTable table;
};

HtmlTable jobs_table_head(bool replicated) {
  HtmlTable t{"Jobs" + std::string(replicated ? " (means; end P10–P90 over the replications)" : ""),
              {{"job", false}, {"tenant", false}, {"GPUs"}, {"start", false}, {"end", false}},
              {}};
  if (replicated) t.columns.push_back({"end P10–P90", false});
  for (const char* h : {"deadline", "deadline met"}) t.columns.push_back({h, false});
  for (const char* h : {"interruptions", "ETTR (%)", "lost (GPU-h)", "tokens trained (T)"}) t.columns.push_back({h});
  return t;
}

JobRows job_rows(const Json& jobs, std::int64_t horizon_start, std::int64_t horizon_end, bool replicated) {
  JobRows jr;
  jr.table = jobs_table_head(replicated);
  for (const auto& j : jobs) {
    const std::string name = string_of(get(j, "name"));
    jr.order.push_back(name);
    const auto start = date_after(horizon_start, value_of(get(j, "start_s")));
    const auto end = date_after(horizon_start, value_of(get(j, "end_s")));
    const Json& deadline = get(j, "deadline");
    const auto interruptions = value_of(get(j, "interruptions"));
    const auto end_p10 = date_after(horizon_start, stat_of(get(j, "end_s"), "p10"));
    const auto end_p90 = date_after(horizon_start, stat_of(get(j, "end_s"), "p90"));
    Json row = {{"job", name},
                {"status", job_status(j, end.has_value())},
                {"start", start ? Json(*start) : Json(units::format_date(horizon_start))},
                {"end", end ? Json(*end) : Json(units::format_date(horizon_end))},
                {"deadline", deadline.is_string() ? deadline : Json(nullptr)},
                {"label", fmt::format("{} interruptions{}", grouped(interruptions, 0), replicated ? " (mean)" : "")}};
    if (replicated) {
      row["end_p10"] = end_p10 ? Json(*end_p10) : datum(std::nullopt);
      row["end_p90"] = end_p90 ? Json(*end_p90) : datum(std::nullopt);
    }
    jr.values.push_back(std::move(row));
    std::vector<std::string> cells{name, string_of(get(j, "tenant")), grouped(value_of(get(j, "gpus")), 0),
                                   start.value_or("not started"), end.value_or("not finished")};
    if (replicated) cells.push_back(end_p10 && end_p90 ? *end_p10 + " – " + *end_p90 : "–");
    cells.push_back(string_of(deadline));
    cells.push_back(deadline_verdict(get(j, "deadline_met")));
    cells.push_back(grouped(interruptions, 0));
    cells.push_back(percent(value_of(get(j, "ettr"))));
    cells.push_back(grouped(value_of(get(j, "lost_gpu_hours")), 0));
    cells.push_back(grouped(scaled(value_of(get(j, "tokens_trained")), 1e-12), 2));
    jr.table.rows.push_back(std::move(cells));
  }
  return jr;
}

// The colour scale of the bars: the statuses present, each in its fixed colour.
Json status_scale(const Json& values) {
  constexpr std::array<std::array<const char*, 2>, 7> status_styles{{{"deadline met", "#2ca02c"},
                                                                     {"deadline met in some runs", "#bcbd22"},
                                                                     {"deadline missed", "#d62728"},
                                                                     {"no deadline", "#1f77b4"},
                                                                     {"deadline not decided", "#9467bd"},
                                                                     {"not finished", "#c7c7c7"},
                                                                     {"blocked", "#8c564b"}}};
  Json statuses = Json::array(), status_colors = Json::array();
  for (const auto& style : status_styles) {
    const std::string status = style[0];
    const bool present =
        std::any_of(values.begin(), values.end(), [&status](const Json& v) { return get(v, "status") == status; });
    if (!present) continue;
    statuses.push_back(status);
    status_colors.push_back(style[1]);
  }
  return {{"domain", statuses}, {"range", status_colors}};
}

Json timeline_layers(const JobRows& jr, std::int64_t horizon_start, std::int64_t horizon_end, bool replicated) {
  const Json x = {{"field", "start"}, {"type", "temporal"}, {"title", "date (UTC)"}, {"scale", {{"type", "utc"}}}};
  const Json y = {{"field", "job"}, {"type", "nominal"}, {"title", nullptr}, {"sort", jr.order}};
  Json layers = Json::array();
  // The whole horizon on the x axis: two invisible points at its ends (an explicit scale domain
  // makes Vega-Lite warn about layers that disagree on its form).
  layers.push_back({{"data",
                     {{"values", Json::array({{{"start", units::format_date(horizon_start)}},
                                              {{"start", units::format_date(horizon_end)}}})}}},
                    {"mark", {{"type", "point"}, {"opacity", 0}}},
                    {"encoding", {{"x", x}}}});
  layers.push_back(
      {{"mark", {{"type", "bar"}, {"size", 16}, {"cornerRadius", 2}}},
       {"encoding",
        {{"x", x},
         {"x2", {{"field", "end"}}},
         {"y", y},
         {"color", {{"field", "status"}, {"type", "nominal"}, {"title", "job"}, {"scale", status_scale(jr.values)}}},
         {"tooltip", Json::array({tooltip("job", "job"), tooltip("start", "start"), tooltip("end", "end"),
                                  tooltip("deadline", "deadline"), tooltip("status", "status"),
                                  tooltip("label", "interruptions")})}}}});
  if (replicated) {
    layers.push_back(
        {{"transform", Json::array({{{"filter", "isValid(datum.end_p10) && isValid(datum.end_p90)"}}})},
         {"mark", {{"type", "rule"}, {"color", "#222"}, {"strokeWidth", 2}}},
         {"encoding",
          {{"x", {{"field", "end_p10"}, {"type", "temporal"}}}, {"x2", {{"field", "end_p90"}}}, {"y", y}}}});
  }
  layers.push_back({{"transform", Json::array({{{"filter", "isValid(datum.deadline)"}}})},
                    {"mark", {{"type", "tick"}, {"color", "#d62728"}, {"thickness", 3}, {"size", 30}}},
                    {"encoding",
                     {{"x", {{"field", "deadline"}, {"type", "temporal"}}},
                      {"y", y},
                      {"tooltip", Json::array({tooltip("job", "job"), tooltip("deadline", "deadline")})}}}});
  layers.push_back(
      {{"mark",
        {{"type", "text"},
         {"align", "left"},
         {"baseline", "top"},
         {"dy", 10},
         {"dx", 2},
         {"fontSize", 11},
         {"color", "#333"}}},
       {"encoding", {{"x", {{"field", "start"}, {"type", "temporal"}}}, {"y", y}, {"text", {{"field", "label"}}}}}});
  return layers;
}

std::optional<HtmlTable> job_classes_table(const Json& doc) {
  const Json& classes = get(doc, "job_classes");
  if (!classes.is_object() || classes.empty()) return std::nullopt;
  HtmlTable c{"Generated jobs by class",
              {{"class", false}, {"jobs"}, {"completed"}, {"interruptions"}, {"lost (GPU-h)"}, {"tokens trained (T)"}},
              {}};
  for (auto it = classes.begin(); it != classes.end(); ++it) {
    const Json& v = it.value();
    c.rows.push_back({it.key(), grouped(value_of(get(v, "jobs")), 0), grouped(value_of(get(v, "completed")), 0),
                      grouped(value_of(get(v, "interruptions")), 0), grouped(value_of(get(v, "gpu_hours_lost")), 0),
                      grouped(scaled(value_of(get(v, "tokens_trained")), 1e-12), 2)});
  }
  return c;
}

}  // namespace

std::optional<Section> jobs_section(const Json& doc, bool replicated) {
  const Json& jobs = get(doc, "jobs");
  const Json& resolved = get(get(doc, "resolved"), "cluster");
  const auto horizon_start = date_of(get(resolved, "horizon_start"));
  const auto horizon_end = date_of(get(resolved, "horizon_end"));
  if (!jobs.is_array() || jobs.empty() || !horizon_start || !horizon_end) return std::nullopt;
  JobRows jr = job_rows(jobs, *horizon_start, *horizon_end, replicated);
  Json layers = timeline_layers(jr, *horizon_start, *horizon_end, replicated);
  Section s{"chart-job-timelines",
            "Job timelines",
            "Each named job from its start to its end (or to the end of the horizon if unfinished), coloured by its "
            "deadline; the red tick is the deadline, the label its interruptions (failures that rolled it back to a "
            "checkpoint)." +
                std::string(replicated ? " Bars are means over the replications; the black whisker is "
                                         "the end's P10–P90."
                                       : ""),
            {{"width", 760},
             {"height", {{"step", 46}}},
             {"config", chart_config()},
             {"data", {{"values", std::move(jr.values)}}},
             {"layer", std::move(layers)}},
            {std::move(jr.table)}};
  if (auto c = job_classes_table(doc)) s.tables.push_back(std::move(*c));
  return s;
}

// Cost per job (lease/cost_attribution.hpp): each listed job, each generated class, and the idle
// capacity's own line; means over replications where replicated.
std::optional<Section> job_cost_section(const Json& doc, bool replicated) {
  const Json& attribution = get(get_optional(doc, "lease_totals"), "attribution");
  if (!attribution.is_object()) return std::nullopt;
  HtmlTable t{"Cost per job" + std::string(replicated ? " (means over the replications)" : ""),
              {{"job or class", false},
               {"allocated (GPU-h)"},
               {"cost ($)"},
               {"$ per million tokens"},
               {"days before deadline"},
               {"GPU-h freed"},
               {"worth ($)"}},
              {}};
  for (const auto& j : get(doc, "jobs")) {
    if (!get(j, "cost_usd").is_number() && !get(j, "cost_usd").is_object()) continue;
    t.rows.push_back({string_of(get(j, "name")), grouped(value_of(get(j, "allocated_gpu_hours")), 0),
                      grouped(value_of(get(j, "cost_usd")), 0), grouped(value_of(get(j, "usd_per_million_tokens")), 2),
                      grouped(value_of(get(j, "days_before_deadline")), 1),
                      grouped(value_of(get(j, "gpu_hours_freed_before_deadline")), 0),
                      grouped(value_of(get(j, "freed_worth_usd")), 0)});
  }
  const Json& classes = get(doc, "job_classes");
  if (classes.is_object())
    for (auto it = classes.begin(); it != classes.end(); ++it)
      if (it->contains("cost_usd"))
        t.rows.push_back({it.key() + " (class)", "–", grouped(value_of(get(*it, "cost_usd")), 0),
                          grouped(value_of(get(*it, "usd_per_million_tokens")), 2), "–", "–", "–"});
  const Json& idle = get(attribution, "idle_by_tenant_usd");
  if (idle.is_object())
    for (auto it = idle.begin(); it != idle.end(); ++it)
      t.rows.push_back({"idle capacity of " + it.key(), "–", grouped(value_of(*it), 0), "–", "–", "–", "–"});
  return Section{"",
                 "Cost per job",
                 "Each lease-month's cost split between the jobs that used it (by the GPU-hours each was allocated, "
                 "restarts and rework included) and the idle committed capacity, which is its own line; job costs "
                 "and idle add up to the lease's total. " +
                     string_of(get(attribution, "rule"), ""),
                 Json(nullptr),
                 {std::move(t)}};
}

}  // namespace leasesim::report::html
