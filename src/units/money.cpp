// Exact money: decimal parsing of "$150M"-style amounts into integer micro-dollars, rounding from
// doubles, and formatting to the cent or compactly ("$150M"). No floating point touches a parsed
// amount, and nothing here throws.
#include "leasesim/units/money.hpp"
#include "text_scan.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace leasesim::units {
namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;

// The largest magnitude parse_money accepts: $9 trillion.
constexpr i64 max_parsed_micros = 9'000'000'000'000'000'000;

constexpr u64 pow10(int n) {
  u64 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

using detail::is_digit;
using detail::is_space;
using detail::trim;

void skip_spaces(std::string_view s, std::size_t& i) {
  while (i < s.size() && is_space(s[i])) ++i;
}

bool starts_with_at(std::string_view s, std::size_t i, std::string_view word) {
  return s.substr(i, word.size()) == word;
}

// Adds one decimal digit to `acc`; false once acc would exceed the parse limit.
bool push_digit(i64& acc, char c) {
  if (__builtin_mul_overflow(acc, i64{10}, &acc) || __builtin_add_overflow(acc, i64{c - '0'}, &acc)) return false;
  return acc <= max_parsed_micros;
}

// "1234567" -> "1,234,567".
std::string group_thousands(u64 v) {
  std::string digits = std::to_string(v);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// `q` as a decimal with `decimals` places, trailing zeros (and a bare point) removed.
std::string trimmed_decimal(u64 q, int decimals) {
  const u64 scale = pow10(decimals);
  std::string out = std::to_string(q / scale);
  if (decimals > 0) {
    std::string frac = std::to_string(q % scale);
    frac.insert(0, static_cast<std::size_t>(decimals) - frac.size(), '0');
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    if (!frac.empty()) out += '.' + frac;
  }
  return out;
}

// `mag` micro-dollars to the cent: "150,000,000.00".
std::string cents_text(u64 cents, bool group) {
  const u64 whole = cents / 100;
  const u64 c = cents % 100;
  std::string out = group ? group_thousands(whole) : std::to_string(whole);
  out += '.';
  out += static_cast<char>('0' + c / 10);
  out += static_cast<char>('0' + c % 10);
  return out;
}

constexpr u64 micros_per_dollar_u = 1'000'000;
constexpr u64 micros_per_cent = 10'000;

// Amounts of $1000 or more: three significant digits with a k/M/B/T suffix ("$1.25k", "$150M").
std::string compact_large(u64 mag) {
  struct Scale {
    u64 micros;
    char suffix;
  };
  constexpr Scale scales[] = {{pow10(18), 'T'}, {pow10(15), 'B'}, {pow10(12), 'M'}, {pow10(9), 'k'}};
  // At most two passes: rounding can carry into the next decade or the next suffix (999.6k -> 1M).
  for (int pass = 0; pass < 3; ++pass) {
    const Scale* s = &scales[3];
    for (const Scale& candidate : scales) {
      if (mag >= candidate.micros) {
        s = &candidate;
        break;
      }
    }
    const u64 whole = mag / s->micros;  // 1..999 (1..9 for T, since an int64 holds < $9.3T)
    const int int_digits = whole >= 100 ? 3 : whole >= 10 ? 2 : 1;
    const int decimals = 3 - int_digits;
    const u64 unit = s->micros / pow10(decimals);
    const u64 q = (mag + unit / 2) / unit;  // round half away from zero (mag is a magnitude)
    if (q >= 1000 && pass < 2) {
      mag = q * unit;  // exact now; the next pass picks the right digits and suffix
      continue;
    }
    return trimmed_decimal(q, decimals) + s->suffix;
  }
  return {};  // unreachable
}

// Below $1 and not a whole number of cents: three significant digits ("$0.000736").
std::string compact_sub_dollar(u64 mag) {
  const int digits = mag >= 100'000 ? 6 : mag >= 10'000 ? 5 : mag >= 1'000 ? 4 : mag >= 100 ? 3 : mag >= 10 ? 2 : 1;
  if (digits > 3) {
    const u64 unit = pow10(digits - 3);
    mag = (mag + unit / 2) / unit * unit;
  }
  if (mag >= micros_per_dollar_u) return "1.00";
  std::string frac = std::to_string(mag);
  frac.insert(0, 6 - frac.size(), '0');
  while (frac.size() > 2 && frac.back() == '0') frac.pop_back();
  return "0." + frac;
}

}  // namespace

Money Money::from_dollars(double dollars) {
  constexpr i64 lo = std::numeric_limits<i64>::min();
  constexpr i64 hi = std::numeric_limits<i64>::max();
  if (std::isnan(dollars)) return Money(0);
  if (std::isinf(dollars)) return Money(dollars < 0 ? lo : hi);
  // Round the shortest decimal that reads back as `dollars` (what a person typed, e.g. 2.675 rather
  // than its binary neighbour 2.67499999...), half away from zero, in exact integer arithmetic.
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, dollars, std::chars_format::scientific);
  const std::string_view text(buf, static_cast<std::size_t>(res.ptr - buf));
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  u64 mantissa = 0;
  int mantissa_digits = 0;
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (!is_digit(text[i])) continue;  // the decimal point
    mantissa = mantissa * 10 + static_cast<u64>(text[i] - '0');
    ++mantissa_digits;
  }
  int exponent = 0;
  if (i < text.size()) {
    std::size_t e = i + 1;
    if (e < text.size() && text[e] == '+') ++e;
    std::from_chars(text.data() + e, text.data() + text.size(), exponent);
  }
  // micros = mantissa * 10^shift
  const int shift = exponent - (mantissa_digits - 1) + 6;
  u64 mag = 0;
  if (shift >= 0) {
    if (mantissa != 0) {
      if (shift > 19 || __builtin_mul_overflow(mantissa, pow10(shift), &mag)) mag = std::numeric_limits<u64>::max();
    }
  } else if (shift > -18) {  // with at most 17 mantissa digits, a divisor of 10^18 rounds to zero
    const u64 div = pow10(-shift);
    mag = mantissa / div + ((mantissa % div) * 2 >= div ? 1 : 0);
  }
  if (negative) return Money(mag >= static_cast<u64>(hi) ? lo : -static_cast<i64>(mag));
  return Money(mag >= static_cast<u64>(hi) ? hi : static_cast<i64>(mag));
}

std::optional<Money> parse_money(std::string_view text) {
  const std::string_view s = trim(text);
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && s[i] == '-') {
    negative = true;
    ++i;
  }
  if (i < s.size() && s[i] == '$') {
    ++i;
    if (!negative && i < s.size() && s[i] == '-') {  // "$-3"
      negative = true;
      ++i;
    }
  }

  // Whole dollars, with commas only as thousands separators: "1,250,000".
  i64 whole = 0;
  std::size_t run = 0;
  while (i < s.size() && is_digit(s[i])) {
    if (!push_digit(whole, s[i])) return std::nullopt;
    ++i;
    ++run;
  }
  if (run == 0) return std::nullopt;
  if (i < s.size() && s[i] == ',') {
    if (run > 3) return std::nullopt;
    while (i < s.size() && s[i] == ',') {
      ++i;
      run = 0;
      while (i < s.size() && is_digit(s[i])) {
        if (!push_digit(whole, s[i])) return std::nullopt;
        ++i;
        ++run;
      }
      if (run != 3) return std::nullopt;
    }
  }

  // Fractional digits, kept as text until the suffix says how far they may reach.
  std::string_view frac;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    frac = s.substr(start, i - start);
    if (frac.empty()) return std::nullopt;
  }

  skip_spaces(s, i);
  int suffix_pow = 0;
  if (starts_with_at(s, i, "MM")) {
    suffix_pow = 6;
    i += 2;
  } else if (starts_with_at(s, i, "bn")) {
    suffix_pow = 9;
    i += 2;
  } else if (i < s.size()) {
    switch (s[i]) {
      case 'k':
      case 'K':
        suffix_pow = 3;
        ++i;
        break;
      case 'M':
      case 'm':
        suffix_pow = 6;
        ++i;
        break;
      case 'B':
        suffix_pow = 9;
        ++i;
        break;
      case 'T':
        suffix_pow = 12;
        ++i;
        break;
      default:
        break;
    }
  }
  skip_spaces(s, i);
  if (starts_with_at(s, i, "USD")) i += 3;
  if (i != s.size()) return std::nullopt;

  const int scale_pow = 6 + suffix_pow;  // micro-dollars per unit written, as a power of ten
  if (frac.size() > static_cast<std::size_t>(scale_pow)) return std::nullopt;
  i64 micros = 0;
  if (__builtin_mul_overflow(whole, static_cast<i64>(pow10(scale_pow)), &micros)) return std::nullopt;
  i64 frac_value = 0;
  for (const char c : frac) frac_value = frac_value * 10 + (c - '0');  // at most 18 digits
  frac_value *= static_cast<i64>(pow10(scale_pow - static_cast<int>(frac.size())));
  if (__builtin_add_overflow(micros, frac_value, &micros) || micros > max_parsed_micros) return std::nullopt;
  return Money::from_micros(negative ? -micros : micros);
}

std::string format_money(Money m, bool compact) {
  const i64 micros = m.micros();
  const bool negative = micros < 0;
  // The magnitude as unsigned, so that INT64_MIN has one too.
  const u64 mag = negative ? u64{0} - static_cast<u64>(micros) : static_cast<u64>(micros);
  const u64 cents = (mag + micros_per_cent / 2) / micros_per_cent;  // half away from zero

  std::string body;
  bool nonzero = true;
  if (!compact) {
    body = cents_text(cents, true);
    nonzero = cents != 0;
  } else if (mag >= 1000 * micros_per_dollar_u || cents >= 100'000) {
    body = compact_large(mag);
  } else if (mag % micros_per_cent == 0 || mag >= micros_per_dollar_u) {
    body = cents_text(cents, false);  // "$2.65", "$999.99": exact, or rounded to the cent
    nonzero = cents != 0;
  } else {
    body = compact_sub_dollar(mag);
  }
  // A negative amount that rounds to zero prints without a sign: "$0.00", never "-$0.00".
  return (negative && nonzero ? "-$" : "$") + body;
}

}  // namespace leasesim::units
