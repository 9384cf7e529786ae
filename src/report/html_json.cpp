// Reading figures out of result documents (html_json.hpp).
#include "leasesim/report/html_json.hpp"

namespace leasesim::report::html {

const Json& null_json() {
  static const Json null;
  return null;
}

const Json& get(const Json& v, const std::string& key) {
  if (!v.is_object()) return null_json();
  const auto it = v.find(key);
  return it == v.end() ? null_json() : *it;
}

std::optional<double> value_of(const Json& v) {
  if (v.is_number()) return v.get<double>();
  for (const char* key : {"mean", "probability"}) {
    if (const Json& x = get(v, key); x.is_number()) return x.get<double>();
  }
  return std::nullopt;
}

std::optional<double> stat_of(const Json& v, const char* stat) {
  if (v.is_number()) return v.get<double>();
  if (const Json& x = get(v, stat); x.is_number()) return x.get<double>();
  return std::nullopt;
}

double value_or_zero(const Json& v) { return value_of(v).value_or(0.0); }

std::optional<double> scaled(std::optional<double> v, double scale) {
  return v ? std::optional<double>(*v * scale) : std::nullopt;
}

std::string string_of(const Json& v, const std::string& fallback) {
  return v.is_string() ? v.get<std::string>() : fallback;
}

Json datum(std::optional<double> v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace leasesim::report::html
