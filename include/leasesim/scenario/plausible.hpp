// The sizes values usually have, for the warnings on a valid value that is probably a unit slip
// (Schema::plausible, schema.hpp). Each range is wide — a warning should mean "check this", never
// "unusual but right" — and names the slips worth suggesting. The ranges are leasesim's judgement,
// set around the figures of docs/references.md (GPU-hour prices of $2–$12, an NVL72 rack at
// $2–3.1M, a Colossus-scale storage system at TB/s).
#pragma once

#include "leasesim/scenario/schema.hpp"
#include "leasesim/units/quantity.hpp"

namespace leasesim::scenario::plausible {

inline constexpr double day_s = 86'400.0;
inline constexpr double month_s = 365.2425 / 12 * day_s;

// A price per GPU-hour: $0.10 to $100 ("$9,900" for "$9.90", "$0.0099" for "$9.90").
inline Plausible gpu_hour_price() {
  return {0.10,
          100.0,
          5.0,
          "a price per GPU-hour",
          {{1e-3, "a price per thousand GPU-hours, or a misplaced decimal mark"},
           {1e-2, "cents written as dollars"},
           {1e3, "1000× more"},
           {1e2, "dollars written as cents"}}};
}

// An energy price per MWh: $10 to $1,000 ("$0.08" — a price per kWh — for "$80").
inline Plausible energy_price() {
  return {10.0,
          1000.0,
          80.0,
          "an energy price per MWh",
          {{1e3, "a price per kWh written for a price per MWh"}, {1e-3, "1000× less"}}};
}

// A rack's purchase price: $50k (one 8-GPU node) to $20M ("$3.1k" for "$3.1M", "$900M" for "$900k").
inline Plausible rack_capex() {
  return {50e3, 20e6, 3e6, "a rack's price", {{1e3, "thousands for millions"}, {1e-3, "1000× less"}}};
}

// A rack's running cost per month, power aside: $500 to $1M.
inline Plausible rack_opex_month() {
  return {500.0, 1e6, 20e3, "a rack's cost per month", {{1e3, "1000× more"}, {1e-3, "1000× less"}}};
}

// A storage system's bandwidth: 1 GB/s to 100 TB/s; a bare number is bytes per second.
inline Plausible storage_rate() {
  return {1e9,
          100e12,
          2e12,
          "a storage system's bandwidth",
          {{1e9, "a bare number is B/s, not GB/s", true},
           {1e12, "a bare number is B/s, not TB/s", true},
           {1e3, "a prefix 1000× too small"},
           {1e-3, "a prefix 1000× too large"}}};
}

// A lead time, a notice period: at least `low_s`; a bare number is seconds, most often meant as days.
inline Plausible wait_in_days(double low_s, double high_s, double typical_s, std::string what) {
  return {low_s,
          high_s,
          typical_s,
          std::move(what),
          {{day_s, "a bare number is seconds, not days", true}, {3600.0, "a bare number is seconds, not hours", true}}};
}

// A simulated horizon: a day to 30 years; a bare number is seconds, most often meant as months.
inline Plausible horizon_length() {
  return {
      day_s,
      30 * 12 * month_s,
      36 * month_s,
      "a horizon",
      {{month_s, "a bare number is seconds, not months", true}, {day_s, "a bare number is seconds, not days", true}}};
}

}  // namespace leasesim::scenario::plausible
