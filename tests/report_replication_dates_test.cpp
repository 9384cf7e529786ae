// A date over replications (a job's end) is summarised by the same interpolated quantiles as every
// number beside it: "end"/"end_p10"/"end_p90" are the P50/P10/P90 of "end_s" written as dates, a
// replication that did not finish counts as later than any, and the compare layer reads it alike.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "leasesim/report/run_report.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/units/stats.hpp"

using namespace leasesim;
using nlohmann::json;

namespace {
// One replication's job entry, ending `end_s` seconds after 2026-07-01 (or not at all).
json job_doc(std::optional<double> end_s) {
  const std::int64_t start = *units::parse_date("2026-07-01");
  json j = {{"name", "pretrain"}, {"end", nullptr}, {"end_s", nullptr}};
  if (end_s) {
    j["end"] = units::format_date(start + static_cast<std::int64_t>(std::llround(*end_s)));
    j["end_s"] = *end_s;
  }
  return j;
}
}  // namespace

TEST_CASE("two replications: the P90 end is the later one's side, not the earlier's", "[report][replications]") {
  // Ends at day 220 and day 230 (00:00): R-7 quantiles at 10%, 50% and 90% of the way from one to the other.
  const double a = 220 * 86400.0, b = 230 * 86400.0;
  const json agg = report::aggregate_replications({job_doc(a), job_doc(b)});
  CHECK(agg["end_s"]["p90"].get<double>() == Approx(a + 0.9 * (b - a)));
  // 2026-07-01 + 220 days = 2027-02-06; the P90 is day 229 (2027-02-15), the P50 day 225, the P10 day 221.
  CHECK(agg["end_p90"] == "2027-02-15");
  CHECK(agg["end"] == "2027-02-11");
  CHECK(agg["end_p10"] == "2027-02-07");
}

TEST_CASE("the P50 and P90 end dates agree with end_s's quantiles to the second", "[report][replications]") {
  std::vector<json> docs;
  std::vector<double> ends;
  for (int k = 0; k < 8; ++k) {
    const double e = 200 * 86400.0 + 37'777.25 * k * k;  // uneven spacing, sub-second parts
    ends.push_back(e);
    docs.push_back(job_doc(e));
  }
  const json agg = report::aggregate_replications(docs);
  const std::int64_t start = *units::parse_date("2026-07-01");
  for (const auto& [key, q] : {std::pair<const char*, double>{"end", 0.5}, {"end_p10", 0.1}, {"end_p90", 0.9}}) {
    INFO(key);
    const double t = units::quantile(ends, q);
    CHECK(agg[key] == units::format_date(start + static_cast<std::int64_t>(std::llround(t))));
  }
}

TEST_CASE("replications that did not finish count as later than any", "[report][replications]") {
  const double d = 86400.0;
  // 5 replications, 1 unfinished: P50 (position 2) finite; P90 (position 3.6) reaches the unfinished one.
  const json agg = report::aggregate_replications(
      {job_doc(210 * d), job_doc(std::nullopt), job_doc(200 * d), job_doc(205 * d), job_doc(215 * d)});
  CHECK(agg["end"] == "2027-01-27");      // 2026-07-01 + 210 days
  CHECK(agg["end_p10"] == "2027-01-19");  // position 0.4: 200 + 0.4 × 5 = 202 days
  CHECK(agg["end_p90"].is_null());
  // 3 of 5 unfinished: not even the median finished.
  const json most = report::aggregate_replications(
      {job_doc(std::nullopt), job_doc(200 * d), job_doc(std::nullopt), job_doc(std::nullopt), job_doc(201 * d)});
  CHECK(most["end"].is_null());
  CHECK(most["end_p10"] == "2027-01-17T09:36:00Z");  // position 0.4 between 200 and 201 days: 200.4 days
  CHECK(most["end_p90"].is_null());
}

TEST_CASE("a finite quantile is refused only when it gives weight to never", "[units][replications]") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(units::quantile_sorted_finite({1, 2, 3, inf}, 0.5) == Approx(2.5));
  CHECK(units::quantile_sorted_finite({1, 2, 3, inf}, 2.0 / 3.0) == Approx(3.0));  // position exactly 2
  CHECK_FALSE(units::quantile_sorted_finite({1, 2, 3, inf}, 0.7).has_value());
  CHECK_FALSE(units::quantile_sorted_finite({}, 0.5).has_value());
  CHECK(units::quantile_sorted_finite({4}, 0.9) == Approx(4.0));
}
