// The value readers behind Schema<T>: numbers with units, integers, money, choices; the "found …"
// descriptions and the "did you mean" suggestions every loader error uses.
#include "leasesim/scenario/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace leasesim::scenario {

namespace {

std::string quote_truncated(const std::string& s) {
  constexpr std::size_t max_shown = 60;
  std::string shown = s.size() > max_shown ? s.substr(0, max_shown) + "…" : s;
  return Json(shown).dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps
// ("rakcs" is one swap from "racks"), case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> d((n + 1) * (m + 1));
  const auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * (m + 1) + j]; };
  const auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  };
  for (std::size_t i = 0; i <= n; ++i) at(i, 0) = i;
  for (std::size_t j = 0; j <= m; ++j) at(0, j) = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1])) {
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(n, m);
}

std::string format_bound(units::Dimension dim, double v) {
  if (dim == units::Dimension::count || dim == units::Dimension::fraction) return fmt::format("{:g}", v);
  if (dim == units::Dimension::money) return units::format_money(units::Money::from_dollars(v), true);
  return units::format_quantity(v, dim);
}

// A value written back in the field's units, as a user would type it.
std::string as_written(double v, units::Dimension dim) {
  if (dim == units::Dimension::money) return "\"" + units::format_money(units::Money::from_dollars(v), true) + "\"";
  if (dim == units::Dimension::count) return fmt::format("{:g}", v);
  return "\"" + units::format_quantity(v, dim) + "\"";
}

// The unit a bare number is in when it means SI × factor: 86400 → "d" for durations, 1e9 → "GB/s".
std::string unit_of_factor(units::Dimension dim, double factor) {
  struct Unit {
    units::Dimension dim;
    double factor;
    const char* text;
  };
  static constexpr Unit known[] = {
      {units::Dimension::duration, 60.0, "min"},   {units::Dimension::duration, 3600.0, "h"},
      {units::Dimension::duration, 86'400.0, "d"}, {units::Dimension::duration, 365.2425 / 12 * 86'400.0, "months"},
      {units::Dimension::data_rate, 1e9, "GB/s"},  {units::Dimension::data_rate, 1e12, "TB/s"}};
  for (const auto& u : known)
    if (u.dim == dim && std::abs(u.factor - factor) <= 1e-9 * factor) return u.text;
  return {};
}

}  // namespace

void warn_implausible(const Json& raw, const std::string& path, double value, units::Dimension dim, const Plausible& p,
                      Diagnostics& d) {
  if (value == 0 || (value >= p.low && value <= p.high)) return;
  const bool high = value > p.high;
  std::string msg =
      fmt::format("{} is {} {} usually is ({} to {})", describe_found(raw), high ? "more than" : "less than", p.what,
                  format_bound(dim, p.low), format_bound(dim, p.high));
  const Plausible::Slip* best = nullptr;
  double best_distance = 0;
  for (const auto& slip : p.slips) {
    if (slip.bare && !raw.is_number()) continue;
    const double meant = value * slip.factor;
    if (meant < p.low || meant > p.high) continue;
    const double distance = std::abs(std::log(meant / p.typical));
    if (!best || distance < best_distance) best = &slip, best_distance = distance;
  }
  if (best) {
    // A bare number meant in another unit is shown as written, with that unit ("90 d", not "2.96 months").
    const std::string unit = best->bare ? unit_of_factor(dim, best->factor) : std::string();
    const std::string meant =
        unit.empty() ? as_written(value * best->factor, dim) : fmt::format("\"{:g} {}\"", raw.get<double>(), unit);
    msg += fmt::format("; did you mean {} ({})?", meant, best->why);
  }
  d.warn(path, msg);
}

std::optional<units::Dimension> field_dimension(const FieldDoc& f) {
  if (f.type == "money") return units::Dimension::money;
  for (const auto dim :
       {units::Dimension::count, units::Dimension::fraction, units::Dimension::data_size, units::Dimension::data_rate,
        units::Dimension::flop_rate, units::Dimension::duration, units::Dimension::power, units::Dimension::energy}) {
    if (dimension_name(dim) == f.type) return dim;
  }
  return std::nullopt;
}

std::string describe_found(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    case Json::value_t::string:
      return quote_truncated(v.get_ref<const std::string&>());
    case Json::value_t::number_integer:
      return std::to_string(v.get<std::int64_t>());
    case Json::value_t::number_unsigned:
      return std::to_string(v.get<std::uint64_t>());
    case Json::value_t::number_float:
      return fmt::format("{:g}", v.get<double>());
    case Json::value_t::object:
      return v.empty() ? "an empty object" : "an object";
    case Json::value_t::array:
      return v.empty() ? "an empty list" : fmt::format("a list of {}", v.size());
    default:
      return "an unsupported value";
  }
}

std::vector<std::string> closest_names(std::string_view given, const std::vector<std::string>& candidates) {
  std::vector<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, given.size() / 3) + 1;
  for (const auto& c : candidates) {
    // The distance is at least the length difference: skip the O(n·m) table when it cannot win
    // (a 100,000-character key would otherwise cost a second per candidate).
    const std::size_t diff = given.size() > c.size() ? given.size() - c.size() : c.size() - given.size();
    if (diff > best_distance) continue;
    const std::size_t dist = edit_distance(given, c);
    if (dist < best_distance) {
      best_distance = dist;
      best = {c};
    } else if (dist == best_distance && dist <= std::max<std::size_t>(2, given.size() / 3) &&
               std::find(best.begin(), best.end(), c) == best.end()) {
      best.push_back(c);
    }
  }
  return best;
}

std::optional<std::string> closest_name(std::string_view given, const std::vector<std::string>& candidates) {
  auto names = closest_names(given, candidates);
  if (names.empty()) return std::nullopt;
  return names.front();
}

std::optional<std::string> did_you_mean(std::string_view given, const std::vector<std::string>& candidates) {
  const auto names = closest_names(given, candidates);
  if (names.empty()) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + ("\"" + names[i] + "\"");
  }
  return out;
}

std::string dimension_name(units::Dimension dim) {
  std::string d(units::describe(dim));
  if (d.rfind("an ", 0) == 0) return d.substr(3);
  if (d.rfind("a ", 0) == 0) return d.substr(2);
  return d;
}

std::string describe_range(std::string noun, units::Dimension dim, const Bounds& b) {
  std::string out = std::move(noun);
  const bool has_min = std::isfinite(b.min);
  const bool has_max = std::isfinite(b.max);
  if (has_min) out += fmt::format(" {} {}", b.min_exclusive ? ">" : "≥", format_bound(dim, b.min));
  if (has_min && has_max) out += " and";
  if (has_max) out += fmt::format(" ≤ {}", format_bound(dim, b.max));
  return out;
}

std::string describe_bounds(units::Dimension dim, const Bounds& b) {
  return describe_range(std::string(units::describe(dim)), dim, b);
}

std::optional<double> read_quantity(const Json& v, const std::string& path, units::Dimension dim, const Bounds& b,
                                    Diagnostics& d) {
  const std::string expected = fmt::format("{} (e.g. {})", units::describe(dim), units::example(dim));
  double value = 0;
  if (v.is_number()) {
    if (dim == units::Dimension::date) {
      d.expected(path, fmt::format("a date as a string (e.g. {})", units::example(dim)), describe_found(v));
      return std::nullopt;
    }
    value = v.get<double>();
    if (!std::isfinite(value)) {
      d.expected(path, expected, "a number too large to represent");
      return std::nullopt;
    }
  } else if (v.is_string() && dim != units::Dimension::count) {
    const auto parsed = units::parse_quantity(v.get_ref<const std::string&>(), dim);
    if (!parsed.value) {
      d.expected(path, expected, parsed.error);
      return std::nullopt;
    }
    value = *parsed.value;
  } else {
    d.expected(path, expected, describe_found(v));
    return std::nullopt;
  }
  if (!b.contains(value)) {
    d.expected(path, describe_bounds(dim, b), describe_found(v));
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> read_integer(const Json& v, const std::string& path, const Bounds& b, Diagnostics& d) {
  const auto out_of_range = [&] {
    d.expected(path, describe_range("an integer", units::Dimension::count, b), describe_found(v));
    return std::nullopt;
  };
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return out_of_range();
    if (!b.contains(static_cast<double>(u))) return out_of_range();
    return static_cast<std::int64_t>(u);
  }
  if (v.is_number_integer()) {
    const auto i = v.get<std::int64_t>();
    if (!b.contains(static_cast<double>(i))) return out_of_range();
    return i;
  }
  if (v.is_number_float()) {
    const double x = v.get<double>();
    if (std::isfinite(x) && std::abs(x) < 9e15 && x == std::floor(x)) {
      if (!b.contains(x)) return out_of_range();
      return static_cast<std::int64_t>(x);
    }
  }
  d.expected(path, "an integer", describe_found(v));
  return std::nullopt;
}

std::optional<units::Money> read_money(const Json& v, const std::string& path, const Bounds& b, Diagnostics& d) {
  std::optional<units::Money> m;
  if (v.is_number()) {
    const double x = v.get<double>();
    if (std::isfinite(x) && std::abs(x) < 9e12) m = units::Money::from_dollars(x);
  } else if (v.is_string()) {
    m = units::parse_money(v.get_ref<const std::string&>());
  }
  if (!m) {
    d.expected(path, "an amount of money (e.g. \"$150M\", \"$2.65\" or 150000000)", describe_found(v));
    return std::nullopt;
  }
  if (!b.contains(m->dollars())) {
    d.expected(path, describe_range("an amount of money", units::Dimension::money, b), describe_found(v));
    return std::nullopt;
  }
  return m;
}

std::optional<std::string> read_choice(const Json& v, const std::string& path, const std::vector<std::string>& choices,
                                       Diagnostics& d) {
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "\"" : ", \"") + c + "\"";
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (std::find(choices.begin(), choices.end(), s) != choices.end()) return s;
    std::string found = describe_found(v);
    if (auto near = did_you_mean(s, choices)) found += " — did you mean " + *near + "?";
    d.expected(path, "one of " + list, found);
    return std::nullopt;
  }
  d.expected(path, "one of " + list, describe_found(v));
  return std::nullopt;
}

}  // namespace leasesim::scenario
