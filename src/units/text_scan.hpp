// Character helpers shared by the unit and money parsers (private to src/units): locale-free
// whitespace and digit tests and trimming, so parsing never depends on the C locale.
#pragma once

#include <string_view>

namespace leasesim::units::detail {

constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace leasesim::units::detail
