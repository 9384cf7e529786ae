// Quantities with units: the unit table, parsing "800 Gb/s"-style strings into SI doubles with a
// dimension check, guessing a stray value's dimension for error messages, and readable formatting.
// Numbers are read with std::from_chars and written with std::to_chars (locale-independent); nothing
// here throws.
#include "leasesim/units/quantity.hpp"
#include "text_scan.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <system_error>
#include <vector>

#include "leasesim/units/date.hpp"
#include "leasesim/units/money.hpp"

namespace leasesim::units {
namespace {

// One spelling of a unit: SI value = number * num / den (a ratio keeps "5 ns" and "95%" exact).
struct Unit {
  std::string name;
  Dimension dim;
  double num;
  double den = 1.0;
  bool fold_case = false;  // whole words ("Hours", "DAYS") may be written in any case
};

std::vector<Unit> build_units() {
  std::vector<Unit> u;
  const auto add = [&u](std::string name, Dimension dim, double num, double den = 1.0, bool fold = false) {
    u.push_back(Unit{std::move(name), dim, num, den, fold});
  };
  using D = Dimension;

  // Bytes and bits, decimal (kB = 1000 B) and binary (KiB = 1024 B) prefixes. Case matters: B is a
  // byte, b is a bit.
  struct Prefix {
    const char* name;
    double factor;
  };
  const Prefix decimal_bytes[] = {{"", 1},    {"k", 1e3},  {"K", 1e3},  {"M", 1e6},
                                  {"G", 1e9}, {"T", 1e12}, {"P", 1e15}, {"E", 1e18}};
  const Prefix binary_bytes[] = {{"Ki", 0x1p10}, {"Mi", 0x1p20}, {"Gi", 0x1p30},
                                 {"Ti", 0x1p40}, {"Pi", 0x1p50}, {"Ei", 0x1p60}};
  const Prefix bit_prefixes[] = {{"", 1}, {"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}};
  for (const Prefix& p : decimal_bytes) {
    add(std::string(p.name) + "B", D::data_size, p.factor);
    add(std::string(p.name) + "B/s", D::data_rate, p.factor);
    add(std::string(p.name) + "Bps", D::data_rate, p.factor);
  }
  for (const Prefix& p : binary_bytes) {
    add(std::string(p.name) + "B", D::data_size, p.factor);
    add(std::string(p.name) + "B/s", D::data_rate, p.factor);
  }
  for (const Prefix& p : bit_prefixes) {
    add(std::string(p.name) + "b", D::data_size, p.factor, 8);
    add(std::string(p.name) + "bit", D::data_size, p.factor, 8);
    add(std::string(p.name) + "bits", D::data_size, p.factor, 8);
    add(std::string(p.name) + "b/s", D::data_rate, p.factor, 8);
    add(std::string(p.name) + "bit/s", D::data_rate, p.factor, 8);
    add(std::string(p.name) + "bps", D::data_rate, p.factor, 8);
  }
  add("byte", D::data_size, 1, 1, true);
  add("bytes", D::data_size, 1, 1, true);

  // FLOP/s: "5 PFLOP/s", "989 TFLOPS", "1.2 Eflop/s".
  const Prefix flop_prefixes[] = {{"", 1}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}, {"E", 1e18}};
  for (const Prefix& p : flop_prefixes) {
    for (const char* suffix : {"FLOP/s", "FLOPS", "flop/s", "flops"}) {
      add(std::string(p.name) + suffix, D::flop_rate, p.factor);
    }
  }

  // Durations. Months and years are the Gregorian averages from quantity.hpp.
  add("ns", D::duration, 1, 1e9);
  add("us", D::duration, 1, 1e6);
  add("\xC2\xB5s", D::duration, 1, 1e6);  // µs
  add("ms", D::duration, 1, 1e3);
  add("s", D::duration, 1);
  for (const char* w : {"sec", "secs", "second", "seconds"}) add(w, D::duration, 1, 1, true);
  for (const char* w : {"min", "mins", "minute", "minutes"}) add(w, D::duration, 60, 1, true);
  add("h", D::duration, 3600);
  for (const char* w : {"hr", "hrs", "hour", "hours"}) add(w, D::duration, 3600, 1, true);
  add("d", D::duration, seconds_per_day);
  for (const char* w : {"day", "days"}) add(w, D::duration, seconds_per_day, 1, true);
  add("w", D::duration, 7 * seconds_per_day);
  for (const char* w : {"wk", "wks", "week", "weeks"}) add(w, D::duration, 7 * seconds_per_day, 1, true);
  add("mo", D::duration, seconds_per_month);
  for (const char* w : {"month", "months"}) add(w, D::duration, seconds_per_month, 1, true);
  add("y", D::duration, seconds_per_year);
  for (const char* w : {"yr", "yrs", "year", "years"}) add(w, D::duration, seconds_per_year, 1, true);

  // Power and energy. No "mW": a milliwatt is never meant here, and it is one typo from "MW".
  add("W", D::power, 1);
  add("kW", D::power, 1e3);
  add("MW", D::power, 1e6);
  add("GW", D::power, 1e9);
  for (const char* w : {"watt", "watts"}) add(w, D::power, 1, 1, true);
  add("J", D::energy, 1);
  add("kJ", D::energy, 1e3);
  add("MJ", D::energy, 1e6);
  add("GJ", D::energy, 1e9);
  add("TJ", D::energy, 1e12);
  add("Wh", D::energy, 3600);
  add("kWh", D::energy, 3600e3);
  add("MWh", D::energy, 3600e6);
  add("GWh", D::energy, 3600e9);
  add("TWh", D::energy, 3600e12);

  add("%", D::fraction, 1, 100);
  return u;
}

const std::vector<Unit>& units_table() {
  static const std::vector<Unit> table = build_units();
  return table;
}

constexpr char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_fold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

const Unit* find_unit(std::string_view name) {
  for (const Unit& u : units_table()) {
    if (u.name == name) return &u;
  }
  for (const Unit& u : units_table()) {
    if (u.fold_case && equal_fold(u.name, name)) return &u;
  }
  return nullptr;
}

using detail::is_digit;
using detail::is_space;
using detail::trim;

// The leading number of a quantity and what follows it.
struct Number {
  enum class Status { ok, missing, not_finite, out_of_range } status = Status::missing;
  double value = 0;
  std::string_view rest;  // the text after the number, trimmed
};

Number read_number(std::string_view s) {
  Number n;
  std::size_t start = 0;
  // from_chars takes no '+'; allow one in front of a digit or a point ("+5", "+.5").
  if (s.size() >= 2 && s[0] == '+' && (is_digit(s[1]) || s[1] == '.')) start = 1;
  const char* first = s.data() + start;
  const char* last = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(first, last, n.value);
  if (ec == std::errc::invalid_argument || ptr == first) return n;
  n.rest = trim(std::string_view(ptr, static_cast<std::size_t>(last - ptr)));
  if (ec == std::errc::result_out_of_range) {
    n.status = Number::Status::out_of_range;
  } else if (!std::isfinite(n.value)) {
    n.status = Number::Status::not_finite;
  } else {
    n.status = Number::Status::ok;
  }
  return n;
}

// A finite number and nothing else.
std::optional<double> bare_number(std::string_view s) {
  const Number n = read_number(s);
  if (n.status != Number::Status::ok || !n.rest.empty()) return std::nullopt;
  return n.value;
}

// "2026-..." : four digits, a dash, a digit.
bool date_shaped(std::string_view s) {
  return s.size() >= 6 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) && s[4] == '-' &&
         is_digit(s[5]);
}

bool money_shaped(std::string_view s) {
  return s.find('$') != std::string_view::npos || (s.size() > 3 && s.substr(s.size() - 3) == "USD");
}

// Length of the well-formed UTF-8 sequence at s[i] (2..4 bytes), or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  const std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  }
  // No overlong three/four-byte forms, no surrogates, nothing beyond U+10FFFF.
  if ((c == 0xE0 && b(i + 1) < 0xA0) || (c == 0xED && b(i + 1) > 0x9F) || (c == 0xF0 && b(i + 1) < 0x90) ||
      (c == 0xF4 && b(i + 1) > 0x8F)) {
    return 0;
  }
  return n;
}

// The text quoted for an error message: control bytes, quotes and malformed UTF-8 escaped, and cut
// short (at a character boundary) if it is long.
std::string quote(std::string_view s) {
  constexpr std::size_t max_shown = 57;
  std::string out = "\"";
  std::size_t i = 0;
  const bool cut = s.size() > max_shown + 3;
  while (i < s.size() && (!cut || i < max_shown)) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else if (const std::size_t n = utf8_length(s, i); n != 0) {
      out += s.substr(i, n);
      i += n;
      continue;
    } else {
      constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
    ++i;
  }
  if (i < s.size()) out += "...";
  out += '"';
  return out;
}

std::string found(std::string_view text, std::string_view what) { return quote(text) + " (" + std::string(what) + ")"; }

// Why `text` is not a `dim`: another dimension's unit if it has one, else the first thing wrong.
std::string explain(std::string_view text, Dimension dim) {
  if (text.empty()) return "\"\" (empty)";
  if (const auto other = guess_dimension(text); other && *other != dim) return found(text, describe(*other));
  if (dim == Dimension::money) return found(text, "not a well-formed amount of money");
  if (dim == Dimension::date) return found(text, "not a valid date");
  const Number n = read_number(text);
  switch (n.status) {
    case Number::Status::missing:
      return found(text, "not a number with a unit");
    case Number::Status::not_finite:
      return found(text, "not a finite number");
    case Number::Status::out_of_range:
      return found(text, "a number out of range");
    case Number::Status::ok:
      break;
  }
  if (!find_unit(n.rest)) return found(text, "unknown unit " + quote(n.rest));
  return found(text, "a number out of range");  // the unit is right, the product overflowed
}

// --- formatting ------------------------------------------------------------------------------------

// Decimal exponent of |v| after rounding to three significant digits (9.996 -> 1, as it reads 10.0).
int rounded_exponent(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific, 2);
  const std::string_view s(buf, static_cast<std::size_t>(res.ptr - buf));
  const std::size_t e = s.find('e');
  int exp = 0;
  if (e != std::string_view::npos) {
    std::size_t i = e + 1;
    if (i < s.size() && s[i] == '+') ++i;
    std::from_chars(s.data() + i, s.data() + s.size(), exp);
  }
  return exp;
}

// Three significant digits, or the whole number when it has more digits than that ("1234").
// `keep_zeros` keeps trailing zeros ("36.0"), else they are dropped ("1.4").
std::string sig3(double v, bool keep_zeros) {
  if (v == 0) return "0";
  const int exp = rounded_exponent(v);
  const int decimals = exp >= 2 ? 0 : 2 - exp;
  char buf[400];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  std::string out(buf, static_cast<std::size_t>(res.ptr - buf));
  if (!keep_zeros && out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out;
}

struct Scale {
  double factor;
  const char* unit;
};

// The largest scale under which |v| still reads as at least 1 after rounding; the smallest otherwise.
template <std::size_t N>
std::string with_prefix(double v, const Scale (&scales)[N], bool keep_zeros) {
  const Scale* pick = &scales[0];
  for (const Scale& s : scales) {
    if (rounded_exponent(v / s.factor) >= 0) pick = &s;
  }
  if (v == 0) pick = &scales[0];
  return sig3(v / pick->factor, keep_zeros) + " " + pick->unit;
}

std::int64_t saturating_round(double v) {
  if (std::isnan(v)) return 0;
  if (v >= 9.2e18) return std::numeric_limits<std::int64_t>::max();
  if (v <= -9.2e18) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(std::round(v));
}

std::string format_duration(double v) {
  // The largest of s, min, h, d that keeps the number at least 1, and months from 60 days on;
  // below a second, ms/us/ns. Durations keep three significant digits ("36.0 months", "5.00 min").
  const double a = std::fabs(v);
  if (v == 0) return "0 s";
  if (a >= 60 * seconds_per_day) return sig3(v / seconds_per_month, true) + " months";
  if (a >= seconds_per_day) return sig3(v / seconds_per_day, true) + " d";
  if (a >= 3600) return sig3(v / 3600, true) + " h";
  if (a >= 60) return sig3(v / 60, true) + " min";
  if (a >= 1) return sig3(v, true) + " s";
  static constexpr Scale sub_second[] = {{1e-9, "ns"}, {1e-6, "us"}, {1e-3, "ms"}};
  return with_prefix(v, sub_second, true);
}

}  // namespace

std::string_view describe(Dimension dim) {
  switch (dim) {
    case Dimension::count:
      return "a number";
    case Dimension::fraction:
      return "a fraction";
    case Dimension::data_size:
      return "a data size";
    case Dimension::data_rate:
      return "a data rate";
    case Dimension::flop_rate:
      return "a FLOP rate";
    case Dimension::duration:
      return "a duration";
    case Dimension::power:
      return "a power";
    case Dimension::energy:
      return "an energy";
    case Dimension::money:
      return "an amount of money";
    case Dimension::date:
      return "a date";
  }
  return "a quantity";
}

std::string_view example(Dimension dim) {
  switch (dim) {
    case Dimension::count:
      return "72";
    case Dimension::fraction:
      return "0.95 or \"95%\"";
    case Dimension::data_size:
      return "\"279 GB\"";
    case Dimension::data_rate:
      return "\"800 Gb/s\"";
    case Dimension::flop_rate:
      return "\"5 PFLOP/s\"";
    case Dimension::duration:
      return "\"5 min\"";
    case Dimension::power:
      return "\"1.4 kW\"";
    case Dimension::energy:
      return "\"3 MWh\"";
    case Dimension::money:
      return "\"$150M\"";
    case Dimension::date:
      return "\"2026-07-01\"";
  }
  return "";
}

std::string_view si_unit(Dimension dim) {
  switch (dim) {
    case Dimension::count:
      return "1";
    case Dimension::fraction:
      return "1";
    case Dimension::data_size:
      return "B";
    case Dimension::data_rate:
      return "B/s";
    case Dimension::flop_rate:
      return "FLOP/s";
    case Dimension::duration:
      return "s";
    case Dimension::power:
      return "W";
    case Dimension::energy:
      return "J";
    case Dimension::money:
      return "$";
    case Dimension::date:
      return "s since 1970-01-01";
  }
  return "";
}

Parsed parse_quantity(std::string_view text, Dimension dim) {
  const std::string_view s = trim(text);
  Parsed out;
  if (dim == Dimension::money) {
    if (const auto m = parse_money(s)) {
      out.value = m->dollars();
    } else if (const auto v = bare_number(s); v && std::fabs(*v) <= 9e12) {
      out.value = *v;  // "1.5e6": a plain number is dollars
    }
  } else if (dim == Dimension::date) {
    if (const auto d = parse_date(s)) {
      out.value = static_cast<double>(*d);
    } else if (const auto v = bare_number(s); v && *v >= 0 && *v <= 7'289'654'400.0) {
      out.value = *v;  // seconds since the epoch, up to 2201-01-01
    }
  } else {
    const Number n = read_number(s);
    if (n.status == Number::Status::ok) {
      if (n.rest.empty()) {
        out.value = n.value;  // a bare number is SI
      } else if (const Unit* u = find_unit(n.rest); u && u->dim == dim && dim != Dimension::count) {
        const double v = n.value * u->num / u->den;
        if (std::isfinite(v)) out.value = v;
      }
    }
  }
  if (!out.value) out.error = explain(s, dim);
  return out;
}

std::optional<Dimension> guess_dimension(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  if (money_shaped(s)) return Dimension::money;
  if (date_shaped(s)) return Dimension::date;
  const Number n = read_number(s);
  const std::string_view unit = n.status == Number::Status::missing ? s : n.rest;
  if (unit.empty()) return std::nullopt;
  if (const Unit* u = find_unit(unit)) return u->dim;
  return std::nullopt;
}

std::string format_quantity(double si_value, Dimension dim) {
  const double v = si_value;
  if (!std::isfinite(v)) {
    const std::string word = std::isnan(v) ? "nan" : v < 0 ? "-inf" : "inf";
    if (dim == Dimension::count || dim == Dimension::fraction) return word;
    return word + " " + std::string(si_unit(dim));
  }
  // Decimal prefixes throughout; data rates in bytes per second ("100 GB/s" for 800 Gb/s), since
  // everything inside leasesim is bytes, and mixing bits into reports invites factor-of-8 mistakes.
  static constexpr Scale sizes[] = {{1, "B"},     {1e3, "kB"},  {1e6, "MB"}, {1e9, "GB"},
                                    {1e12, "TB"}, {1e15, "PB"}, {1e18, "EB"}};
  static constexpr Scale rates[] = {{1, "B/s"},     {1e3, "kB/s"},  {1e6, "MB/s"}, {1e9, "GB/s"},
                                    {1e12, "TB/s"}, {1e15, "PB/s"}, {1e18, "EB/s"}};
  static constexpr Scale flops[] = {{1, "FLOP/s"},     {1e3, "kFLOP/s"},  {1e6, "MFLOP/s"}, {1e9, "GFLOP/s"},
                                    {1e12, "TFLOP/s"}, {1e15, "PFLOP/s"}, {1e18, "EFLOP/s"}};
  static constexpr Scale watts[] = {{1, "W"}, {1e3, "kW"}, {1e6, "MW"}, {1e9, "GW"}};
  static constexpr Scale joules[] = {{1, "J"},        {3600, "Wh"},    {3600e3, "kWh"},
                                     {3600e6, "MWh"}, {3600e9, "GWh"}, {3600e12, "TWh"}};
  switch (dim) {
    case Dimension::count: {
      char buf[64];
      const auto res = std::to_chars(buf, buf + sizeof buf, v);  // shortest exact: "72", "1.5"
      return std::string(buf, static_cast<std::size_t>(res.ptr - buf));
    }
    case Dimension::fraction:
      return sig3(v * 100, false) + "%";
    case Dimension::data_size:
      return with_prefix(v, sizes, false);
    case Dimension::data_rate:
      return with_prefix(v, rates, false);
    case Dimension::flop_rate:
      return with_prefix(v, flops, false);
    case Dimension::duration:
      return format_duration(v);
    case Dimension::power:
      return with_prefix(v, watts, false);
    case Dimension::energy:
      return with_prefix(v, joules, false);
    case Dimension::money:
      return format_money(Money::from_dollars(v), true);
    case Dimension::date:
      return format_date(saturating_round(v));
  }
  return std::to_string(v);
}

}  // namespace leasesim::units
