// How the `leasesim report` page writes numbers in its tables: thousands separators, fixed decimals,
// "–" for a figure the document does not have (html_report.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "leasesim/report/html_json.hpp"

namespace leasesim::report::html {

// 62321363.4 → "62,321,363" (decimals 0); missing or not finite → "–".
std::string grouped(std::optional<double> v, int decimals);

// A figure with as many decimals as its size needs (sweep metrics have no fixed unit).
std::string adaptive(std::optional<double> v);

// A fraction as a percentage without the sign: 0.758 → "75.8".
std::string percent(std::optional<double> fraction, int decimals = 1);

// "P10–P90" of an aggregate, or "–" for a single replication.
std::string range_text(const Json& v, int decimals, double scale = 1);

// "Pretrain 70B.ettr" → "pretrain-70b-ettr" (for chart ids); empty → "metric".
std::string slug(std::string_view s);

}  // namespace leasesim::report::html
