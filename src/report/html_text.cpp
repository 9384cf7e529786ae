// The report page's number formats (html_text.hpp).
#include "leasesim/report/html_text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace leasesim::report::html {

std::string grouped(std::optional<double> v, int decimals) {
  if (!v || !std::isfinite(*v)) return "–";
  const std::string digits = fmt::format("{:.{}f}", std::fabs(*v), decimals);
  const auto dot = digits.find('.');
  const std::string whole = digits.substr(0, dot);
  std::string out = (*v < 0 && digits.find_first_not_of("0.") != std::string::npos) ? "-" : "";
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  return dot == std::string::npos ? out : out + digits.substr(dot);
}

std::string adaptive(std::optional<double> v) {
  if (!v) return "–";
  const double a = std::fabs(*v);
  return grouped(v, a >= 1000 || a == 0 ? 0 : a >= 1 ? 2 : 4);
}

std::string percent(std::optional<double> fraction, int decimals) { return grouped(scaled(fraction, 100), decimals); }

std::string range_text(const Json& v, int decimals, double scale) {
  const auto lo = stat_of(v, "p10"), hi = stat_of(v, "p90");
  if (!v.is_object() || !lo || !hi) return "–";
  return grouped(*lo * scale, decimals) + "–" + grouped(*hi * scale, decimals);
}

std::string slug(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c >= 'A' && c <= 'Z')
      out += static_cast<char>(c - 'A' + 'a');
    else if (keep)
      out += c;
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "metric" : out;
}

}  // namespace leasesim::report::html
