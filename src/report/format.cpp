// Numbers for people in terminal tables (format.hpp).
#include "leasesim/report/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "leasesim/units/money.hpp"

namespace leasesim::report {

std::size_t display_width(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

namespace {

// Commas between groups of three digits of a string of digits.
std::string with_commas(const std::string& digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string grouped(long long v) {
  // The magnitude as unsigned, so that LLONG_MIN has one too.
  const unsigned long long mag = v < 0 ? 0ull - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
  return (v < 0 ? "-" : "") + with_commas(std::to_string(mag));
}

std::string grouped(double v, int decimals) {
  if (!std::isfinite(v)) return "-";
  decimals = std::clamp(decimals, 0, 12);
  const std::string text = fmt::format("{:.{}f}", std::abs(v), decimals);  // fixed: never 'e'
  const auto dot = text.find('.');
  const std::string whole = text.substr(0, dot), frac = dot == std::string::npos ? "" : text.substr(dot);
  const bool zero = text.find_first_not_of("0.") == std::string::npos;
  return (v < 0 && !zero ? "-" : "") + with_commas(whole) + frac;
}

std::string usd(double dollars) {
  if (!std::isfinite(dollars)) return "-";
  return units::format_money(units::Money::from_dollars(dollars), true);
}

std::string percent(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return "-";
  return grouped(100 * fraction, decimals) + "%";
}

std::string duration(double seconds) {
  if (!std::isfinite(seconds)) return "-";
  if (std::abs(seconds) >= 86400) return grouped(seconds / 86400, 1) + " d";
  return grouped(seconds / 3600, 1) + " h";
}

std::string compact_count(double v) {
  if (!std::isfinite(v)) return "-";
  const double a = std::abs(v);
  const char* sign = v < 0 ? "-" : "";
  if (a < 999.5) return sign + fmt::format("{:.0f}", a);
  struct Scale {
    double size;
    const char* suffix;
  };
  static constexpr Scale scales[] = {{1e3, "k"}, {1e6, "M"}, {1e9, "B"}, {1e12, "T"}, {1e15, "P"}};
  for (std::size_t i = 0; i < std::size(scales); ++i) {
    const double x = a / scales[i].size;
    const int decimals = x >= 99.95 ? 0 : x >= 9.995 ? 1 : 2;
    std::string digits = fmt::format("{:.{}f}", x, decimals);
    if (std::stod(digits) >= 1000 && i + 1 < std::size(scales)) continue;  // 999.6k -> 1M
    if (digits.find('.') != std::string::npos) {
      while (digits.back() == '0') digits.pop_back();
      if (digits.back() == '.') digits.pop_back();
    }
    return sign + with_commas(digits.substr(0, digits.find('.'))) +
           (digits.find('.') == std::string::npos ? "" : digits.substr(digits.find('.'))) + scales[i].suffix;
  }
  return sign + grouped(a, 0);
}

std::string wrap(const std::string& text, std::size_t width, const std::string& indent) {
  if (display_width(text) <= width) return text + "\n";  // as it is, its spacing kept
  std::string out, line;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t space = text.find(' ', at);
    const std::string word = text.substr(at, space == std::string::npos ? std::string::npos : space - at);
    at = space == std::string::npos ? text.size() : space + 1;
    if (word.empty()) continue;
    if (!line.empty() && display_width(line) + 1 + display_width(word) > width) {
      out += line + "\n";
      line = indent;
    }
    line += (line.empty() || line == indent ? "" : " ") + word;
  }
  return out + line + "\n";
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t nl = text.find('\n', at);
    lines.push_back(text.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
    at = nl == std::string::npos ? text.size() : nl + 1;
  }
  return lines;
}

}  // namespace leasesim::report
