// Physical quantities with units, as a scenario writes them ("800 Gb/s", "36 months", "$150M").
//
// Everything inside leasesim is SI (seconds, bytes, bytes/s, FLOP/s, watts, joules); money is an
// exact integer count of micro-dollars (see money.hpp) and dates are UTC seconds since the Unix
// epoch. This file turns a string with a unit into that internal value and refuses a unit of the
// wrong dimension, so "5 min" can never land where a bandwidth is due.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leasesim::units {

// The kinds of quantity a scenario field can hold. Each has one SI unit used internally.
enum class Dimension {
  count,      // a plain number, no unit (e.g. a number of racks)
  fraction,   // a ratio: 0.95 or "95%"
  data_size,  // bytes          ("279 GB", "288 GiB", "1.5 TB")
  data_rate,  // bytes/second   ("800 Gb/s", "1.8 TB/s", "400 Gbps")
  flop_rate,  // FLOP/second    ("5 PFLOP/s", "2500 TFLOP/s")
  duration,   // seconds        ("90 d", "36 months", "5 min", "2 h")
  power,      // watts          ("1.4 kW", "142 kW", "1.2 MW")
  energy,     // joules         ("3 MWh", "12 kWh")
  money,      // micro-dollars  ("$150M", "$2.65") — see money.hpp for the exact parser
  date,       // UTC seconds since 1970-01-01 ("2026-07-01", "2026-07-01T12:00:00Z")
};

// A human name for a dimension, used in error messages: "a duration", "a data rate".
std::string_view describe(Dimension dim);

// An example of a well-formed value of the dimension, used in error messages ("\"5 min\"").
std::string_view example(Dimension dim);

// The SI unit of the dimension as written in docs and column names ("s", "B/s", "W").
std::string_view si_unit(Dimension dim);

// Seconds in the calendar-average month and year used for "months"/"years" as a duration
// (Gregorian mean year, 365.2425 days). Calendar arithmetic on dates uses real months instead.
inline constexpr double seconds_per_day = 86400.0;
inline constexpr double seconds_per_year = 365.2425 * seconds_per_day;
inline constexpr double seconds_per_month = seconds_per_year / 12.0;

// The result of parsing: a value in SI, or the reason it could not be read.
struct Parsed {
  std::optional<double> value;  // SI value when the text was understood as `dim`
  std::string error;            // otherwise: what was found, e.g. "\"800 Gb/s\" (a data rate)"
};

// Parses `text` as a quantity of `dim`. A bare number is taken as SI. Money yields dollars as a
// double here (use money.hpp for exact micro-dollars); dates yield seconds since the epoch.
Parsed parse_quantity(std::string_view text, Dimension dim);

// Which dimension a string's unit belongs to, if any: used to say "found a duration" when a
// bandwidth was expected.
std::optional<Dimension> guess_dimension(std::string_view text);

// Formats an SI value with a readable unit ("100 GB/s", "279 GB", "36.0 months"); data rates are
// written in bytes per second.
std::string format_quantity(double value_si, Dimension dim);

}  // namespace leasesim::units
