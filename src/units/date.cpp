// UTC calendar arithmetic: civil dates <-> days since 1970-01-01, strict ISO-8601 parsing and
// formatting, and calendar-month addition for lease terms. Never throws; saturates on absurd input.
#include "leasesim/units/date.hpp"

#include <cmath>

#include "leasesim/units/quantity.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

namespace leasesim::units {
namespace {

using i64 = std::int64_t;

constexpr i64 seconds_per_day_i = 86'400;
// Days are clamped to about ±2.7 billion years before any calendar arithmetic, so nothing overflows.
constexpr i64 max_abs_days = 1'000'000'000'000;
constexpr int first_year = 1970;
constexpr int last_year = 2200;

constexpr i64 floor_div(i64 a, i64 b) {
  const i64 q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
constexpr i64 floor_mod(i64 a, i64 b) {
  const i64 r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

struct Civil64 {
  i64 year;
  int month;
  int day;
};

constexpr bool is_leap(i64 y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

constexpr int month_length(i64 y, int m) {
  constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return (m == 2 && is_leap(y)) ? 29 : lengths[m - 1];
}

// H. Hinnant's days_from_civil, for a month already in 1..12 and a year within ±1e12.
constexpr i64 days_from_civil64(i64 y, i64 m, i64 d) {
  y -= m <= 2 ? 1 : 0;
  const i64 era = floor_div(y, 400);
  const i64 yoe = y - era * 400;                                    // [0, 399]
  const i64 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365] for a valid day
  const i64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146'097 + doe - 719'468;
}

// H. Hinnant's civil_from_days; `z` must be within ±max_abs_days.
constexpr Civil64 civil_from_days64(i64 z) {
  z += 719'468;
  const i64 era = floor_div(z, 146'097);
  const i64 doe = z - era * 146'097;                                        // [0, 146096]
  const i64 yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;  // [0, 399]
  const i64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                  // [0, 365]
  const i64 mp = (5 * doy + 2) / 153;                                       // [0, 11]
  const i64 d = doy - (153 * mp + 2) / 5 + 1;                               // [1, 31]
  const i64 m = mp < 10 ? mp + 3 : mp - 9;                                  // [1, 12]
  return Civil64{yoe + era * 400 + (m <= 2 ? 1 : 0), static_cast<int>(m), static_cast<int>(d)};
}

constexpr i64 clamp_days(i64 days) { return std::clamp(days, -max_abs_days, max_abs_days); }

i64 saturate(i64 days, i64 second_of_day) {
  i64 out = 0;
  if (__builtin_mul_overflow(days, seconds_per_day_i, &out) || __builtin_add_overflow(out, second_of_day, &out)) {
    return days < 0 ? std::numeric_limits<i64>::min() : std::numeric_limits<i64>::max();
  }
  return out;
}

constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Reads exactly `n` ASCII digits at `pos`; -1 if any is not a digit.
int digits_at(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::int64_t days_from_civil(CivilDate d) {
  // Out-of-range months roll into neighbouring years (month 13 = January of the next year), and
  // out-of-range days count on from the first of the month, so the result is always defined.
  const i64 months = static_cast<i64>(d.month) - 1;
  const i64 y = static_cast<i64>(d.year) + floor_div(months, 12);
  const i64 m = floor_mod(months, 12) + 1;
  return days_from_civil64(y, m, d.day);
}

CivilDate civil_from_days(std::int64_t days) {
  const Civil64 c = civil_from_days64(clamp_days(days));
  const i64 y = std::clamp<i64>(c.year, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
  return CivilDate{static_cast<int>(y), c.month, c.day};
}

int days_in_month(int year, int month) { return month_length(year, month); }

std::optional<std::int64_t> parse_date(std::string_view text) {
  const std::string_view s = trim(text);
  // Accepted shapes (positions are fixed, so every character is checked):
  //   YYYY-MM-DD            (10)
  //   YYYY-MM-DDTHH:MMZ     (17)
  //   YYYY-MM-DDTHH:MM:SS   (19, read as UTC)
  //   YYYY-MM-DDTHH:MM:SSZ  (20)
  const std::size_t n = s.size();
  if (n != 10 && n != 17 && n != 19 && n != 20) return std::nullopt;
  if (s[4] != '-' || s[7] != '-') return std::nullopt;
  const int year = digits_at(s, 0, 4);
  const int month = digits_at(s, 5, 2);
  const int day = digits_at(s, 8, 2);
  if (year < first_year || year > last_year) return std::nullopt;
  if (month < 1 || month > 12) return std::nullopt;
  if (day < 1 || day > month_length(year, month)) return std::nullopt;

  int hour = 0;
  int minute = 0;
  int second = 0;
  if (n > 10) {
    if (s[10] != 'T' || s[13] != ':') return std::nullopt;
    hour = digits_at(s, 11, 2);
    minute = digits_at(s, 14, 2);
    if (n == 17) {
      if (s[16] != 'Z') return std::nullopt;
    } else {
      if (s[16] != ':') return std::nullopt;
      second = digits_at(s, 17, 2);
      if (n == 20 && s[19] != 'Z') return std::nullopt;
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return std::nullopt;
  }
  const i64 days = days_from_civil64(year, month, day);
  return days * seconds_per_day_i + hour * 3600 + minute * 60 + second;
}

std::string format_date(std::int64_t utc_seconds) {
  const i64 days = floor_div(utc_seconds, seconds_per_day_i);
  const i64 sod = floor_mod(utc_seconds, seconds_per_day_i);  // [0, 86399]
  const Civil64 c = civil_from_days64(clamp_days(days));
  if (sod == 0) return fmt::format("{:04d}-{:02d}-{:02d}", c.year, c.month, c.day);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", c.year, c.month, c.day, sod / 3600, (sod / 60) % 60,
                     sod % 60);
}

int month_number(std::int64_t utc_seconds) {
  const CivilDate d = civil_from_days(utc_seconds >= 0 ? utc_seconds / 86400 : (utc_seconds - 86399) / 86400);
  return d.year * 12 + d.month - 1;
}

std::int64_t add_months(std::int64_t utc_seconds, int months) {
  const i64 days = floor_div(utc_seconds, seconds_per_day_i);
  const i64 sod = floor_mod(utc_seconds, seconds_per_day_i);
  const Civil64 c = civil_from_days64(clamp_days(days));
  const i64 total = c.year * 12 + (c.month - 1) + months;  // |year| <= 3e9, so no overflow
  const i64 year = floor_div(total, 12);
  const int month = static_cast<int>(floor_mod(total, 12)) + 1;
  const int day = std::min(c.day, month_length(year, month));
  return saturate(days_from_civil64(year, month, day), sod);
}

std::int64_t calendar_advance(std::int64_t start, double duration_s) {
  const double months = duration_s / seconds_per_month;
  const double whole = std::round(months);
  if (whole >= 1 && whole <= 12 * 1000 && std::abs(duration_s - whole * seconds_per_month) < 1.0) {
    return add_months(start, static_cast<int>(whole));
  }
  return start + static_cast<std::int64_t>(std::llround(duration_s));
}

}  // namespace leasesim::units
