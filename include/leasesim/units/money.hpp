// Money as an exact integer: micro-dollars in a signed 64-bit count.
//
// A lease ledger must reconcile to the cent over years of line items; doubles drift. One
// micro-dollar resolves a GPU-second at any realistic price ($2.65/GPU-hour = 736 µ$/GPU-s), and an
// int64 holds ±$9.2 trillion, far beyond any lease. Parsing is decimal and exact: "$2.65" is
// 2,650,000 µ$, never 2,649,999.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leasesim::units {

class Money {
 public:
  static constexpr std::int64_t micros_per_dollar = 1'000'000;

  constexpr Money() = default;
  static constexpr Money from_micros(std::int64_t micros) { return Money(micros); }
  // Rounds to the nearest micro-dollar; the caller guarantees |dollars| < 9e12.
  static Money from_dollars(double dollars);

  constexpr std::int64_t micros() const { return micros_; }
  constexpr double dollars() const { return static_cast<double>(micros_) / micros_per_dollar; }

  constexpr Money operator+(Money o) const { return Money(micros_ + o.micros_); }
  constexpr Money operator-(Money o) const { return Money(micros_ - o.micros_); }
  constexpr Money& operator+=(Money o) {
    micros_ += o.micros_;
    return *this;
  }
  constexpr Money& operator-=(Money o) {
    micros_ -= o.micros_;
    return *this;
  }
  constexpr auto operator<=>(const Money&) const = default;

 private:
  constexpr explicit Money(std::int64_t micros) : micros_(micros) {}
  std::int64_t micros_ = 0;
};

// Parses "$150M", "$2.65", "150000000", "$5.4B", "$1,250,000", "$12k", "-$3". Suffixes k/K (10^3),
// M/MM/m (10^6), B/bn (10^9), T (10^12). Returns nullopt for anything else, including more than six
// decimal places of a dollar or a value beyond ±$9 trillion.
std::optional<Money> parse_money(std::string_view text);

// "$150,000,000.00", or with `compact` "$150M" / "$2.65" for tables.
std::string format_money(Money m, bool compact = false);

}  // namespace leasesim::units
