// UTC calendar dates and times as seconds since 1970-01-01T00:00:00Z.
//
// Leases bill by calendar month ("from 2026-07-01 for 36 months"), so months here are real
// calendar months, not 30-day blocks. No time zones: every date in and out is UTC ISO-8601.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leasesim::units {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil algorithm).
std::int64_t days_from_civil(CivilDate d);
CivilDate civil_from_days(std::int64_t days);
int days_in_month(int year, int month);

// Parses "2026-07-01", "2026-07-01T12:30:00Z", "2026-07-01T12:30Z" (UTC only). Years 1970..2200.
std::optional<std::int64_t> parse_date(std::string_view text);

// "2026-07-01" when at midnight, else "2026-07-01T12:30:00Z".
std::string format_date(std::int64_t utc_seconds);

// The same day-of-month `months` calendar months later (clamped to the month's last day),
// e.g. 2026-01-31 + 1 month = 2026-02-28.
std::int64_t add_months(std::int64_t utc_seconds, int months);

// `start` advanced by a duration read from a scenario. A duration written in months or years
// ("36 months", "3 years": an exact multiple of seconds_per_month) advances by calendar months,
// so a 36-month horizon from 2026-07-01 ends on 2029-07-01; any other duration adds its seconds.
std::int64_t calendar_advance(std::int64_t start, double duration_s);

// The calendar month holding an instant as one number, year × 12 + month − 1: consecutive months
// differ by one (a lease's month index is month_number(t) − month_number(start)).
int month_number(std::int64_t utc_seconds);

}  // namespace leasesim::units
