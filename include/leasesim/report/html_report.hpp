// `leasesim report`: one self-contained HTML page of charts and tables from the JSON that `run`,
// `compare`, `sweep` (JSONL rows) or `plan` wrote. Charts are Vega-Lite specs with their data inlined,
// drawn in the browser by vega-embed; the three libraries are compiled into the binary
// (cmake/embed_web.cmake) and inlined in the page, so it opens offline. See docs/reports.md.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leasesim::report {

enum class ResultKind { run, compare, sweep, plan, sensitivity };

std::string_view kind_name(ResultKind kind);

// A result document, its kind told from its shape: a run has "jobs" and "cluster", a comparison
// "alternatives", a plan "curve", a sweep is JSONL whose rows have "point" (kept in file order).
struct ReportInput {
  ResultKind kind = ResultKind::run;
  nlohmann::ordered_json doc;      // the document; for a sweep, the array of rows
  std::string source;              // the file name, shown in the page
  std::vector<std::size_t> lines;  // a sweep's: the line of each row in the file
};

struct ReportInputLoad {
  std::optional<ReportInput> input;
  std::string error;  // "FILE: expected …, found …" (one line, no newline) when `input` is empty
};

// Tells the kind of `text` (read from `source`) and checks the fields the charts need.
ReportInputLoad parse_report_input(std::string_view text, const std::string& source);

// Reads FILE ("-": standard input; a `sweep --out` folder: its results.jsonl) and parses it.
ReportInputLoad load_report_input(const std::string& path);

// The page: deterministic (the same input gives the same bytes), no external resources. Each chart
// is a <div class="chart" id="chart-…"> followed by tables of the same numbers; when every chart has
// drawn, the page sets document.body.dataset.chartsRendered to their count (chartErrors on failure).
std::string html_report(const ReportInput& input);

// The page, and every key it reads that the document lacks (at most 20), one line each:
// "result.json: /jobs/0/cost_usd: expected key "cost_usd" (the report reads it), found nothing"
// (a sweep's: "results.jsonl: line 3: /metrics/x: …"). `leasesim report` refuses a result with any.
struct ReportPage {
  std::string html;
  std::vector<std::string> missing;
};
ReportPage html_report_checked(const ReportInput& input);

}  // namespace leasesim::report
