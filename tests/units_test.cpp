// Tests for the unit layer: quantity parsing and formatting, exact money, and UTC calendar dates,
// including hostile input that must be refused without throwing or crashing.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "leasesim/units/date.hpp"
#include "leasesim/units/money.hpp"
#include "leasesim/units/quantity.hpp"

using leasesim::units::CivilDate;
using leasesim::units::Dimension;
using leasesim::units::Money;
using leasesim::units::Parsed;

namespace u = leasesim::units;

namespace {

constexpr Dimension all_dimensions[] = {
    Dimension::count,    Dimension::fraction, Dimension::data_size, Dimension::data_rate, Dimension::flop_rate,
    Dimension::duration, Dimension::power,    Dimension::energy,    Dimension::money,     Dimension::date};

double parse_ok(std::string_view text, Dimension dim) {
  const Parsed p = u::parse_quantity(text, dim);
  INFO("text: " << std::string(text) << "  error: " << p.error);
  REQUIRE(p.value.has_value());
  return *p.value;
}

std::string parse_error(std::string_view text, Dimension dim) {
  const Parsed p = u::parse_quantity(text, dim);
  INFO("text: " << std::string(text));
  REQUIRE_FALSE(p.value.has_value());
  CHECK_FALSE(p.error.empty());
  return p.error;
}

Approx exactly(double v) { return Approx(v).epsilon(1e-12).margin(0); }

std::int64_t date(std::string_view text) {
  const auto d = u::parse_date(text);
  INFO("date: " << std::string(text));
  REQUIRE(d.has_value());
  return *d;
}

std::int64_t micros(std::string_view text) {
  const auto m = u::parse_money(text);
  INFO("money: " << std::string(text));
  REQUIRE(m.has_value());
  return m->micros();
}

}  // namespace

// --- quantities: parsing -----------------------------------------------------------------------------

TEST_CASE("a bare number is taken as the SI value of any dimension", "[units]") {
  CHECK(parse_ok("12", Dimension::data_size) == 12.0);
  CHECK(parse_ok("1.5e3", Dimension::duration) == 1500.0);
  CHECK(parse_ok("-3", Dimension::power) == -3.0);
  CHECK(parse_ok("  42\t\n", Dimension::count) == 42.0);
  CHECK(parse_ok("+5", Dimension::count) == 5.0);
  CHECK(parse_ok(".5", Dimension::fraction) == 0.5);
  CHECK(parse_ok("0.95", Dimension::fraction) == 0.95);
}

TEST_CASE("a data rate in bits or bytes per second is bytes per second", "[units]") {
  CHECK(parse_ok("800 Gb/s", Dimension::data_rate) == 1e11);
  CHECK(parse_ok("800Gb/s", Dimension::data_rate) == 1e11);
  CHECK(parse_ok("400 Gbps", Dimension::data_rate) == 5e10);
  CHECK(parse_ok("1.8 TB/s", Dimension::data_rate) == exactly(1.8e12));
  CHECK(parse_ok("900 GBps", Dimension::data_rate) == 9e11);
  CHECK(parse_ok("3.35 TBps", Dimension::data_rate) == exactly(3.35e12));
  CHECK(parse_ok("100 Mbps", Dimension::data_rate) == 1.25e7);
  CHECK(parse_ok("10 kb/s", Dimension::data_rate) == 1250.0);
  CHECK(parse_ok("8 bps", Dimension::data_rate) == 1.0);
  CHECK(parse_ok("1 Tbps", Dimension::data_rate) == 1.25e11);
  CHECK(parse_ok("2 KiB/s", Dimension::data_rate) == 2048.0);
  CHECK(parse_ok("1 GiB/s", Dimension::data_rate) == 1073741824.0);
  CHECK(parse_ok("5 B/s", Dimension::data_rate) == 5.0);
}

TEST_CASE("a data size uses decimal prefixes for kB..PB, binary for KiB..PiB, and b for bits", "[units]") {
  CHECK(parse_ok("279 GB", Dimension::data_size) == 2.79e11);
  CHECK(parse_ok("1.5 TB", Dimension::data_size) == exactly(1.5e12));
  CHECK(parse_ok("288 GiB", Dimension::data_size) == 288.0 * 1073741824.0);
  CHECK(parse_ok("1 kB", Dimension::data_size) == 1000.0);
  CHECK(parse_ok("1 KB", Dimension::data_size) == 1000.0);
  CHECK(parse_ok("1 KiB", Dimension::data_size) == 1024.0);
  CHECK(parse_ok("1 MiB", Dimension::data_size) == 1048576.0);
  CHECK(parse_ok("1 TiB", Dimension::data_size) == 1099511627776.0);
  CHECK(parse_ok("1 PiB", Dimension::data_size) == 1125899906842624.0);
  CHECK(parse_ok("2 PB", Dimension::data_size) == 2e15);
  CHECK(parse_ok("16 b", Dimension::data_size) == 2.0);
  CHECK(parse_ok("8 Gb", Dimension::data_size) == 1e9);
  CHECK(parse_ok("64 bytes", Dimension::data_size) == 64.0);
  CHECK(parse_ok("1 byte", Dimension::data_size) == 1.0);
  CHECK(parse_ok("3 MB", Dimension::data_size) == 3e6);
}

TEST_CASE("bits and bytes are told apart by the case of b", "[units]") {
  CHECK(parse_ok("1 Gb", Dimension::data_size) * 8 == parse_ok("1 GB", Dimension::data_size));
  CHECK(parse_ok("1 Gb/s", Dimension::data_rate) * 8 == parse_ok("1 GB/s", Dimension::data_rate));
}

TEST_CASE("a FLOP rate accepts FLOP/s and FLOPS with SI prefixes", "[units]") {
  CHECK(parse_ok("5 PFLOP/s", Dimension::flop_rate) == 5e15);
  CHECK(parse_ok("2500 TFLOP/s", Dimension::flop_rate) == 2.5e15);
  CHECK(parse_ok("989 TFLOPS", Dimension::flop_rate) == 9.89e14);
  CHECK(parse_ok("1.2 EFLOP/s", Dimension::flop_rate) == exactly(1.2e18));
  CHECK(parse_ok("1.2EFLOP/s", Dimension::flop_rate) == exactly(1.2e18));
  CHECK(parse_ok("60 GFLOPS", Dimension::flop_rate) == 6e10);
  CHECK(parse_ok("7 FLOP/s", Dimension::flop_rate) == 7.0);
  CHECK(parse_ok("3 PFLOPS", Dimension::flop_rate) == 3e15);
}

TEST_CASE("a duration accepts units from nanoseconds to years", "[units]") {
  CHECK(parse_ok("5 ns", Dimension::duration) == exactly(5e-9));
  CHECK(parse_ok("5 us", Dimension::duration) == exactly(5e-6));
  CHECK(parse_ok("250 ms", Dimension::duration) == exactly(0.25));
  CHECK(parse_ok("30 s", Dimension::duration) == 30.0);
  CHECK(parse_ok("30 sec", Dimension::duration) == 30.0);
  CHECK(parse_ok("1 second", Dimension::duration) == 1.0);
  CHECK(parse_ok("30 seconds", Dimension::duration) == 30.0);
  CHECK(parse_ok("5 min", Dimension::duration) == 300.0);
  CHECK(parse_ok("1 minute", Dimension::duration) == 60.0);
  CHECK(parse_ok("5 minutes", Dimension::duration) == 300.0);
  CHECK(parse_ok("2 h", Dimension::duration) == 7200.0);
  CHECK(parse_ok("2 hr", Dimension::duration) == 7200.0);
  CHECK(parse_ok("1 hour", Dimension::duration) == 3600.0);
  CHECK(parse_ok("2 hours", Dimension::duration) == 7200.0);
  CHECK(parse_ok("90 d", Dimension::duration) == 90 * 86400.0);
  CHECK(parse_ok("1 day", Dimension::duration) == 86400.0);
  CHECK(parse_ok("90 days", Dimension::duration) == 90 * 86400.0);
  CHECK(parse_ok("2 w", Dimension::duration) == 14 * 86400.0);
  CHECK(parse_ok("1 week", Dimension::duration) == 7 * 86400.0);
  CHECK(parse_ok("2 weeks", Dimension::duration) == 14 * 86400.0);
  CHECK(parse_ok("36 months", Dimension::duration) == exactly(36 * u::seconds_per_month));
  CHECK(parse_ok("1 month", Dimension::duration) == exactly(u::seconds_per_month));
  CHECK(parse_ok("3 y", Dimension::duration) == exactly(3 * u::seconds_per_year));
  CHECK(parse_ok("3 yr", Dimension::duration) == exactly(3 * u::seconds_per_year));
  CHECK(parse_ok("1 year", Dimension::duration) == exactly(u::seconds_per_year));
  CHECK(parse_ok("5 years", Dimension::duration) == exactly(5 * u::seconds_per_year));
}

TEST_CASE("the calendar-average month and year are Gregorian means", "[units]") {
  CHECK(u::seconds_per_year == 31556952.0);
  CHECK(u::seconds_per_month == 2629746.0);
  CHECK(12 * u::seconds_per_month == u::seconds_per_year);
}

TEST_CASE("duration words may be capitalised but unit symbols are case-sensitive", "[units]") {
  CHECK(parse_ok("2 Hours", Dimension::duration) == 7200.0);
  CHECK(parse_ok("36 MONTHS", Dimension::duration) == exactly(36 * u::seconds_per_month));
  CHECK(parse_ok("3 Days", Dimension::duration) == 3 * 86400.0);
  CHECK_FALSE(u::parse_quantity("5 MS", Dimension::duration).value);
  CHECK_FALSE(u::parse_quantity("5 H", Dimension::duration).value);
}

TEST_CASE("power is watts and energy is joules, with watt-hours at 3600 J", "[units]") {
  CHECK(parse_ok("1.4 kW", Dimension::power) == exactly(1400.0));
  CHECK(parse_ok("142 kW", Dimension::power) == 142000.0);
  CHECK(parse_ok("1.2 MW", Dimension::power) == exactly(1.2e6));
  CHECK(parse_ok("2 GW", Dimension::power) == 2e9);
  CHECK(parse_ok("700 W", Dimension::power) == 700.0);
  CHECK(parse_ok("5 J", Dimension::energy) == 5.0);
  CHECK(parse_ok("5 kJ", Dimension::energy) == 5000.0);
  CHECK(parse_ok("5 MJ", Dimension::energy) == 5e6);
  CHECK(parse_ok("5 GJ", Dimension::energy) == 5e9);
  CHECK(parse_ok("1 Wh", Dimension::energy) == 3600.0);
  CHECK(parse_ok("12 kWh", Dimension::energy) == 12 * 3.6e6);
  CHECK(parse_ok("3 MWh", Dimension::energy) == 3 * 3.6e9);
  CHECK(parse_ok("1 GWh", Dimension::energy) == 3.6e12);
}

TEST_CASE("a milliwatt is refused rather than mistaken for a megawatt", "[units]") {
  CHECK_FALSE(u::parse_quantity("5 mW", Dimension::power).value);
}

TEST_CASE("a fraction is a bare number or a percentage", "[units]") {
  CHECK(parse_ok("95%", Dimension::fraction) == 0.95);
  CHECK(parse_ok("95 %", Dimension::fraction) == 0.95);
  CHECK(parse_ok("12.5%", Dimension::fraction) == 0.125);
  CHECK(parse_ok("0.95", Dimension::fraction) == 0.95);
}

TEST_CASE("a count takes only a bare number", "[units]") {
  CHECK(parse_ok("72", Dimension::count) == 72.0);
  CHECK(parse_error("72 racks", Dimension::count) == "\"72 racks\" (unknown unit \"racks\")");
  CHECK(parse_error("50%", Dimension::count) == "\"50%\" (a fraction)");
  CHECK(parse_error("5 min", Dimension::count) == "\"5 min\" (a duration)");
}

TEST_CASE("money in a quantity is dollars, parsed exactly by parse_money", "[units]") {
  CHECK(parse_ok("$150M", Dimension::money) == 150e6);
  CHECK(parse_ok("$2.65", Dimension::money) == 2.65);
  CHECK(parse_ok("-$3", Dimension::money) == -3.0);
  CHECK(parse_ok("1.5e6", Dimension::money) == 1.5e6);
  CHECK(parse_error("$1.2.3", Dimension::money) == "\"$1.2.3\" (not a well-formed amount of money)");
  CHECK(parse_error("5 min", Dimension::money) == "\"5 min\" (a duration)");
}

TEST_CASE("a date in a quantity is seconds since the epoch", "[units]") {
  CHECK(parse_ok("2026-07-01", Dimension::date) == 1782864000.0);
  CHECK(parse_ok("2026-07-01T12:00:00Z", Dimension::date) == 1782864000.0 + 43200);
  CHECK(parse_ok("1782864000", Dimension::date) == 1782864000.0);
  CHECK(parse_error("2026-02-30", Dimension::date) == "\"2026-02-30\" (not a valid date)");
  CHECK(parse_error("-5", Dimension::date) == "\"-5\" (not a valid date)");
  CHECK(parse_error("36 months", Dimension::date) == "\"36 months\" (a duration)");
}

TEST_CASE("a unit of another dimension is refused and named", "[units]") {
  CHECK(parse_error("800 Gb/s", Dimension::duration) == "\"800 Gb/s\" (a data rate)");
  CHECK(parse_error("5 min", Dimension::data_rate) == "\"5 min\" (a duration)");
  CHECK(parse_error("279 GB", Dimension::data_rate) == "\"279 GB\" (a data size)");
  CHECK(parse_error("1.4 kW", Dimension::energy) == "\"1.4 kW\" (a power)");
  CHECK(parse_error("3 MWh", Dimension::power) == "\"3 MWh\" (an energy)");
  CHECK(parse_error("5 PFLOP/s", Dimension::data_rate) == "\"5 PFLOP/s\" (a FLOP rate)");
  CHECK(parse_error("$150M", Dimension::data_size) == "\"$150M\" (an amount of money)");
  CHECK(parse_error("2026-07-01", Dimension::duration) == "\"2026-07-01\" (a date)");
  CHECK(parse_error("95%", Dimension::power) == "\"95%\" (a fraction)");
}

TEST_CASE("an unknown unit or a non-number is refused with what was found", "[units]") {
  CHECK(parse_error("12 parsecs", Dimension::duration) == "\"12 parsecs\" (unknown unit \"parsecs\")");
  CHECK(parse_error("abc", Dimension::duration) == "\"abc\" (not a number with a unit)");
  CHECK(parse_error("GB", Dimension::data_size) == "\"GB\" (not a number with a unit)");
  CHECK(parse_error("", Dimension::duration) == "\"\" (empty)");
  CHECK(parse_error("   ", Dimension::duration) == "\"\" (empty)");
  CHECK(parse_error("5 GB extra", Dimension::data_size) == "\"5 GB extra\" (unknown unit \"GB extra\")");
  CHECK(parse_error("1,000 GB", Dimension::data_size) == "\"1,000 GB\" (unknown unit \",000 GB\")");
  CHECK(parse_error("5e", Dimension::count) == "\"5e\" (unknown unit \"e\")");
  CHECK(parse_error("0x10", Dimension::count) == "\"0x10\" (unknown unit \"x10\")");
  CHECK(parse_error("+-3", Dimension::count) == "\"+-3\" (not a number with a unit)");
}

TEST_CASE("NaN, infinities and out-of-range numbers are refused", "[units]") {
  CHECK(parse_error("nan", Dimension::count) == "\"nan\" (not a finite number)");
  CHECK(parse_error("NaN", Dimension::fraction) == "\"NaN\" (not a finite number)");
  CHECK(parse_error("inf", Dimension::count) == "\"inf\" (not a finite number)");
  CHECK(parse_error("-inf", Dimension::duration) == "\"-inf\" (not a finite number)");
  CHECK(parse_error("infinity s", Dimension::duration) == "\"infinity s\" (not a finite number)");
  CHECK(parse_error("1e999", Dimension::count) == "\"1e999\" (a number out of range)");
  CHECK(parse_error("1e-400", Dimension::count) == "\"1e-400\" (a number out of range)");
  CHECK(parse_error("1e308 EB", Dimension::data_size) == "\"1e308 EB\" (a number out of range)");
  CHECK(parse_error("nan", Dimension::money) == "\"nan\" (not a well-formed amount of money)");
  CHECK(parse_error("1e13", Dimension::money) == "\"1e13\" (not a well-formed amount of money)");
}

TEST_CASE("odd input never throws and is never accepted as a quantity", "[units]") {
  const std::string long_digits(100000, '9');
  const std::string long_garbage(5000, 'x');
  const char with_nul[] = {'5', '\0', 'G', 'B'};
  const std::string_view nul_text(with_nul, sizeof with_nul);
  const std::string_view odd[] = {"",     " ",      "$",   "1e999", "nan",   "-inf",    "1e-400",
                                  "-",    "+",      ".",   "e5",    "GB 5",  "5 GB GB", "\x01\x02",
                                  "\xff", "5 \xC2", "--5", "5..5",  "5 G B", nul_text,  long_garbage};
  for (const Dimension dim : all_dimensions) {
    for (const std::string_view text : odd) {
      INFO("dimension: " << std::string(u::describe(dim)) << "  text size " << text.size());
      Parsed p;
      CHECK_NOTHROW(p = u::parse_quantity(text, dim));
      CHECK_FALSE(p.value.has_value());
      CHECK_FALSE(p.error.empty());
      CHECK(p.error.size() < 200);
      CHECK_NOTHROW(u::guess_dimension(text));
    }
    Parsed p;
    CHECK_NOTHROW(p = u::parse_quantity(long_digits, dim));
    CHECK(p.error.size() < 200);
  }
}

TEST_CASE("an error quotes control bytes, NULs and malformed UTF-8 escaped, and cuts long text short", "[units]") {
  const char with_nul[] = {'5', '\0', 'G', 'B'};
  CHECK(parse_error(std::string_view(with_nul, sizeof with_nul), Dimension::data_size) ==
        "\"5\\x00GB\" (unknown unit \"\\x00GB\")");
  CHECK(parse_error("5 \"q\"", Dimension::data_size) == "\"5 \\\"q\\\"\" (unknown unit \"\\\"q\\\"\")");
  CHECK(parse_error("5 \xC2\xB5s", Dimension::data_size) == "\"5 \xC2\xB5s\" (a duration)");  // UTF-8 "µ" kept
  CHECK(parse_error("5 \xC2", Dimension::data_size) == "\"5 \\xc2\" (unknown unit \"\\xc2\")");
  CHECK(parse_error("5 \xff\xfe", Dimension::data_size) == "\"5 \\xff\\xfe\" (unknown unit \"\\xff\\xfe\")");
  const std::string err = parse_error(std::string(1000, 'x'), Dimension::duration);
  CHECK(err == "\"" + std::string(57, 'x') + "...\" (not a number with a unit)");
}

TEST_CASE("a very long number is read or refused, never crashes", "[units]") {
  CHECK(parse_ok("1." + std::string(5000, '0') + " GB", Dimension::data_size) == 1e9);
  CHECK(parse_error(std::string(400, '9'), Dimension::count) ==
        "\"" + std::string(57, '9') + "...\" (a number out of range)");
}

// --- quantities: guessing, describing, formatting ----------------------------------------------------

TEST_CASE("guess_dimension names the dimension of a string's unit", "[units]") {
  CHECK(u::guess_dimension("800 Gb/s") == Dimension::data_rate);
  CHECK(u::guess_dimension("279 GB") == Dimension::data_size);
  CHECK(u::guess_dimension("5 PFLOP/s") == Dimension::flop_rate);
  CHECK(u::guess_dimension("36 months") == Dimension::duration);
  CHECK(u::guess_dimension("1.4 kW") == Dimension::power);
  CHECK(u::guess_dimension("3 MWh") == Dimension::energy);
  CHECK(u::guess_dimension("$150M") == Dimension::money);
  CHECK(u::guess_dimension("-$3") == Dimension::money);
  CHECK(u::guess_dimension("150M USD") == Dimension::money);
  CHECK(u::guess_dimension("2026-07-01") == Dimension::date);
  CHECK(u::guess_dimension("2026-13-45") == Dimension::date);  // date-shaped, even if invalid
  CHECK(u::guess_dimension("95%") == Dimension::fraction);
  CHECK(u::guess_dimension("GB") == Dimension::data_size);
}

TEST_CASE("guess_dimension has no answer for bare numbers, unknown units and empty text", "[units]") {
  CHECK_FALSE(u::guess_dimension("12"));
  CHECK_FALSE(u::guess_dimension("-1.5e3"));
  CHECK_FALSE(u::guess_dimension("12 parsecs"));
  CHECK_FALSE(u::guess_dimension("abc"));
  CHECK_FALSE(u::guess_dimension(""));
  CHECK_FALSE(u::guess_dimension("   "));
  CHECK_FALSE(u::guess_dimension("nan"));
}

TEST_CASE("each dimension has a description, an example that parses, and an SI unit", "[units]") {
  CHECK(u::describe(Dimension::count) == "a number");
  CHECK(u::describe(Dimension::fraction) == "a fraction");
  CHECK(u::describe(Dimension::data_size) == "a data size");
  CHECK(u::describe(Dimension::data_rate) == "a data rate");
  CHECK(u::describe(Dimension::flop_rate) == "a FLOP rate");
  CHECK(u::describe(Dimension::duration) == "a duration");
  CHECK(u::describe(Dimension::power) == "a power");
  CHECK(u::describe(Dimension::energy) == "an energy");
  CHECK(u::describe(Dimension::money) == "an amount of money");
  CHECK(u::describe(Dimension::date) == "a date");

  CHECK(u::example(Dimension::data_rate) == "\"800 Gb/s\"");
  CHECK(u::example(Dimension::fraction) == "0.95 or \"95%\"");
  CHECK(u::example(Dimension::count) == "72");

  CHECK(u::si_unit(Dimension::count) == "1");
  CHECK(u::si_unit(Dimension::fraction) == "1");
  CHECK(u::si_unit(Dimension::data_size) == "B");
  CHECK(u::si_unit(Dimension::data_rate) == "B/s");
  CHECK(u::si_unit(Dimension::flop_rate) == "FLOP/s");
  CHECK(u::si_unit(Dimension::duration) == "s");
  CHECK(u::si_unit(Dimension::power) == "W");
  CHECK(u::si_unit(Dimension::energy) == "J");
  CHECK(u::si_unit(Dimension::money) == "$");
  CHECK(u::si_unit(Dimension::date) == "s since 1970-01-01");

  for (const Dimension dim : all_dimensions) {
    std::string ex(u::example(dim));
    if (dim == Dimension::fraction) ex = "\"95%\"";
    if (ex.front() == '"') ex = ex.substr(1, ex.size() - 2);
    INFO("example: " << ex);
    CHECK(u::parse_quantity(ex, dim).value.has_value());
    if (dim != Dimension::count && dim != Dimension::fraction) CHECK(u::guess_dimension(ex) == dim);
  }
}

TEST_CASE("format_quantity writes sizes, rates, FLOP rates, power and energy with decimal prefixes", "[units]") {
  CHECK(u::format_quantity(2.79e11, Dimension::data_size) == "279 GB");
  CHECK(u::format_quantity(1.5e12, Dimension::data_size) == "1.5 TB");
  CHECK(u::format_quantity(512, Dimension::data_size) == "512 B");
  CHECK(u::format_quantity(0, Dimension::data_size) == "0 B");
  CHECK(u::format_quantity(1e11, Dimension::data_rate) == "100 GB/s");
  CHECK(u::format_quantity(1.8e12, Dimension::data_rate) == "1.8 TB/s");
  CHECK(u::format_quantity(5e15, Dimension::flop_rate) == "5 PFLOP/s");
  CHECK(u::format_quantity(9.89e14, Dimension::flop_rate) == "989 TFLOP/s");
  CHECK(u::format_quantity(1400, Dimension::power) == "1.4 kW");
  CHECK(u::format_quantity(142000, Dimension::power) == "142 kW");
  CHECK(u::format_quantity(-1400, Dimension::power) == "-1.4 kW");
  CHECK(u::format_quantity(3 * 3.6e9, Dimension::energy) == "3 MWh");
  CHECK(u::format_quantity(500, Dimension::energy) == "500 J");
}

TEST_CASE("format_quantity rounds to three significant digits and carries into the next prefix", "[units]") {
  CHECK(u::format_quantity(1.23456e9, Dimension::data_size) == "1.23 GB");
  CHECK(u::format_quantity(9.996e9, Dimension::data_size) == "10 GB");
  CHECK(u::format_quantity(999.6e9, Dimension::data_size) == "1 TB");
  CHECK(u::format_quantity(1234e18, Dimension::data_size) == "1234 EB");
  CHECK(u::format_quantity(0.5, Dimension::data_size) == "0.5 B");
}

TEST_CASE("format_quantity writes a duration in the largest fitting unit, months from 60 days", "[units]") {
  CHECK(u::format_quantity(36 * u::seconds_per_month, Dimension::duration) == "36.0 months");
  CHECK(u::format_quantity(300, Dimension::duration) == "5.00 min");
  CHECK(u::format_quantity(7200, Dimension::duration) == "2.00 h");
  CHECK(u::format_quantity(90 * 86400.0, Dimension::duration) == "2.96 months");
  CHECK(u::format_quantity(59 * 86400.0, Dimension::duration) == "59.0 d");
  CHECK(u::format_quantity(30, Dimension::duration) == "30.0 s");
  CHECK(u::format_quantity(0.25, Dimension::duration) == "250 ms");
  CHECK(u::format_quantity(0, Dimension::duration) == "0 s");
  CHECK(u::format_quantity(1200 * u::seconds_per_month, Dimension::duration) == "1200 months");
}

TEST_CASE("format_quantity writes counts exactly, fractions as percentages, money and dates", "[units]") {
  CHECK(u::format_quantity(72, Dimension::count) == "72");
  CHECK(u::format_quantity(1.5, Dimension::count) == "1.5");
  CHECK(u::format_quantity(0.95, Dimension::fraction) == "95%");
  CHECK(u::format_quantity(0.125, Dimension::fraction) == "12.5%");
  CHECK(u::format_quantity(150e6, Dimension::money) == "$150M");
  CHECK(u::format_quantity(2.65, Dimension::money) == "$2.65");
  CHECK(u::format_quantity(1782864000.0, Dimension::date) == "2026-07-01");
}

TEST_CASE("format_quantity of a non-finite value says so instead of crashing", "[units]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(u::format_quantity(nan, Dimension::duration) == "nan s");
  CHECK(u::format_quantity(inf, Dimension::data_rate) == "inf B/s");
  CHECK(u::format_quantity(-inf, Dimension::count) == "-inf");
  for (const Dimension dim : all_dimensions) {
    for (const double v : {nan, inf, -inf, 1e308, -1e308, 5e-324, std::numeric_limits<double>::max()}) {
      CHECK_NOTHROW(u::format_quantity(v, dim));
    }
  }
}

TEST_CASE("parsing a formatted quantity gives back the value to three significant digits", "[units]") {
  const struct {
    double v;
    Dimension dim;
  } cases[] = {{2.79e11, Dimension::data_size}, {1e11, Dimension::data_rate},   {5e15, Dimension::flop_rate},
               {1400, Dimension::power},        {1.08e10, Dimension::energy},   {300, Dimension::duration},
               {0.95, Dimension::fraction},     {94608000, Dimension::duration}};
  for (const auto& c : cases) {
    const std::string text = u::format_quantity(c.v, c.dim);
    INFO(text);
    CHECK(parse_ok(text, c.dim) == Approx(c.v).epsilon(5e-3));
  }
}

// --- money ------------------------------------------------------------------------------------------

TEST_CASE("money parses exactly to micro-dollars", "[units]") {
  CHECK(micros("$150M") == 150'000'000'000'000);
  CHECK(micros("$2.65") == 2'650'000);
  CHECK(micros("$5.4B") == 5'400'000'000'000'000);
  CHECK(micros("$1,250,000") == 1'250'000'000'000);
  CHECK(micros("$12k") == 12'000'000'000);
  CHECK(micros("$12K") == 12'000'000'000);
  CHECK(micros("150000000") == 150'000'000'000'000);
  CHECK(micros("$150 M") == 150'000'000'000'000);
  CHECK(micros("$150MM") == 150'000'000'000'000);
  CHECK(micros("$150m") == 150'000'000'000'000);
  CHECK(micros("$2bn") == 2'000'000'000'000'000);
  CHECK(micros("$1.5T") == 1'500'000'000'000'000'000);
  CHECK(micros("150M USD") == 150'000'000'000'000);
  CHECK(micros("150 USD") == 150'000'000);
  CHECK(micros("  $0.000736  ") == 736);
  CHECK(micros("$1,000.50") == 1'000'500'000);
  CHECK(micros("$0") == 0);
  CHECK(micros("$007") == 7'000'000);
}

TEST_CASE("money decimals are exact where a double would not be", "[units]") {
  CHECK(micros("$0.1") + micros("$0.2") == micros("$0.3"));
  CHECK(micros("$2.675") == 2'675'000);
  CHECK(micros("$1.000001") == 1'000'001);
  CHECK(micros("$1.234567M") == 1'234'567'000'000);
  CHECK(micros("$1.000000000001T") == 1'000'000'000'001'000'000);
}

TEST_CASE("a negative amount takes its sign before or after the dollar sign", "[units]") {
  CHECK(micros("-$3") == -3'000'000);
  CHECK(micros("$-3") == -3'000'000);
  CHECK(micros("-3") == -3'000'000);
  CHECK(micros("-$1.5k") == -1'500'000'000);
  CHECK_FALSE(u::parse_money("-$-3"));
  CHECK_FALSE(u::parse_money("--3"));
}

TEST_CASE("money refuses malformed amounts", "[units]") {
  for (const std::string_view bad :
       {"",          " ",     "$",         "-",         "-$",         "$1.2.3",     "$1.",   "$.5", "$1,25",
        "$1,2345",   "$,100", "$1234,567", "$1,000,00", "$1.0000001", "$1.5 M M",   "$5 GB", "abc", "$ 5",
        "5$",        "$5x",   "1e6",       "nan",       "inf",        "$1,000.5,0", "$12kk", "USD", "$1.0000000001k",
        "$5 USD USD"}) {
    INFO("money: " << std::string(bad));
    CHECK_FALSE(u::parse_money(bad));
  }
  const char with_nul[] = {'$', '5', '\0'};
  CHECK_FALSE(u::parse_money(std::string_view(with_nul, sizeof with_nul)));
}

TEST_CASE("money refuses amounts beyond nine trillion dollars", "[units]") {
  CHECK(micros("$9T") == 9'000'000'000'000'000'000);
  CHECK(micros("-$9T") == -9'000'000'000'000'000'000);
  CHECK(micros("$8,999,999,999,999.999999") == 8'999'999'999'999'999'999);
  CHECK_FALSE(u::parse_money("$9.000001T"));
  CHECK_FALSE(u::parse_money("$9,000,000,000,000.000001"));
  CHECK_FALSE(u::parse_money("$10T"));
  CHECK_FALSE(u::parse_money("$9223372036854775807"));
  CHECK_FALSE(u::parse_money("$" + std::string(10000, '9')));
  CHECK(micros("$" + std::string(10000, '0') + "1") == 1'000'000);
}

TEST_CASE("from_dollars rounds half away from zero to the micro-dollar", "[units]") {
  CHECK(Money::from_dollars(2.65).micros() == 2'650'000);
  CHECK(Money::from_dollars(-2.65).micros() == -2'650'000);
  CHECK(Money::from_dollars(0.0000025).micros() == 3);
  CHECK(Money::from_dollars(-0.0000025).micros() == -3);
  CHECK(Money::from_dollars(0.0000024).micros() == 2);
  CHECK(Money::from_dollars(1.5e-7).micros() == 0);
  CHECK(Money::from_dollars(5e-7).micros() == 1);
  CHECK(Money::from_dollars(150e6).micros() == 150'000'000'000'000);
  CHECK(Money::from_dollars(8.5e12).micros() == 8'500'000'000'000'000'000);
  CHECK(Money::from_dollars(0.0).micros() == 0);
  CHECK(Money::from_dollars(-0.0).micros() == 0);
}

TEST_CASE("from_dollars saturates outside its range instead of overflowing", "[units]") {
  constexpr auto lo = std::numeric_limits<std::int64_t>::min();
  constexpr auto hi = std::numeric_limits<std::int64_t>::max();
  CHECK(Money::from_dollars(std::numeric_limits<double>::quiet_NaN()).micros() == 0);
  CHECK(Money::from_dollars(std::numeric_limits<double>::infinity()).micros() == hi);
  CHECK(Money::from_dollars(-std::numeric_limits<double>::infinity()).micros() == lo);
  CHECK(Money::from_dollars(1e300).micros() == hi);
  CHECK(Money::from_dollars(-1e300).micros() == lo);
  CHECK(Money::from_dollars(1e-300).micros() == 0);
}

TEST_CASE("format_money writes dollars with thousands separators and cents", "[units]") {
  CHECK(u::format_money(Money::from_micros(150'000'000'000'000)) == "$150,000,000.00");
  CHECK(u::format_money(Money::from_micros(2'650'000)) == "$2.65");
  CHECK(u::format_money(Money::from_micros(-3'000'000)) == "-$3.00");
  CHECK(u::format_money(Money::from_micros(0)) == "$0.00");
  CHECK(u::format_money(Money::from_micros(999'999)) == "$1.00");
  CHECK(u::format_money(Money::from_micros(1'234'567'890)) == "$1,234.57");
  CHECK(u::format_money(Money::from_micros(5'000)) == "$0.01");    // half a cent rounds up
  CHECK(u::format_money(Money::from_micros(-5'000)) == "-$0.01");  // and away from zero
  CHECK(u::format_money(Money::from_micros(4'999)) == "$0.00");
  CHECK(u::format_money(Money::from_micros(-4'999)) == "$0.00");
  CHECK(u::format_money(Money::from_micros(100'000'000)) == "$100.00");
  CHECK(u::format_money(Money::from_micros(1'000'000'000)) == "$1,000.00");
  CHECK(u::format_money(Money::from_micros(std::numeric_limits<std::int64_t>::max())) == "$9,223,372,036,854.78");
  CHECK(u::format_money(Money::from_micros(std::numeric_limits<std::int64_t>::min())) == "-$9,223,372,036,854.78");
}

TEST_CASE("compact money uses k, M, B, T with up to three significant digits", "[units]") {
  const auto compact = [](std::string_view text) { return u::format_money(*u::parse_money(text), true); };
  CHECK(compact("$150M") == "$150M");
  CHECK(compact("$5.4B") == "$5.4B");
  CHECK(compact("$12k") == "$12k");
  CHECK(compact("$1,250") == "$1.25k");
  CHECK(compact("$1,255") == "$1.26k");
  CHECK(compact("$1,234,567") == "$1.23M");
  CHECK(compact("$999,999") == "$1M");
  CHECK(compact("$9,995") == "$10k");
  CHECK(compact("$2T") == "$2T");
  CHECK(compact("-$150M") == "-$150M");
  CHECK(u::format_money(Money::from_micros(std::numeric_limits<std::int64_t>::max()), true) == "$9.22T");
  CHECK(u::format_money(Money::from_micros(std::numeric_limits<std::int64_t>::min()), true) == "-$9.22T");
}

TEST_CASE("compact money prints small amounts with two decimals, and sub-cent ones to three digits", "[units]") {
  const auto compact = [](std::int64_t m) { return u::format_money(Money::from_micros(m), true); };
  CHECK(compact(2'650'000) == "$2.65");
  CHECK(compact(500'000) == "$0.50");
  CHECK(compact(999'990'000) == "$999.99");
  CHECK(compact(0) == "$0.00");
  CHECK(compact(-3'000'000) == "-$3.00");
  CHECK(compact(2'655'000) == "$2.66");
  CHECK(compact(999'995'000) == "$1k");
  CHECK(compact(736) == "$0.000736");
  CHECK(compact(12'345) == "$0.0123");
  CHECK(compact(5'000) == "$0.005");
  CHECK(compact(1) == "$0.000001");
  CHECK(compact(-736) == "-$0.000736");
}

TEST_CASE("money round-trips through its full format", "[units]") {
  for (const std::int64_t m : {std::int64_t{0}, std::int64_t{10'000}, std::int64_t{2'650'000}, std::int64_t{-3'000'000},
                               std::int64_t{150'000'000'000'000}, std::int64_t{-8'999'999'999'999'990'000}}) {
    const std::string text = u::format_money(Money::from_micros(m));
    INFO(text);
    CHECK(micros(text) == m);
  }
}

// --- dates ------------------------------------------------------------------------------------------

TEST_CASE("days_from_civil counts days from 1970-01-01 and civil_from_days inverts it", "[units]") {
  CHECK(u::days_from_civil({1970, 1, 1}) == 0);
  CHECK(u::days_from_civil({1970, 1, 2}) == 1);
  CHECK(u::days_from_civil({1969, 12, 31}) == -1);
  CHECK(u::days_from_civil({2000, 3, 1}) == 11017);
  CHECK(u::days_from_civil({2026, 7, 1}) == 20635);
  CHECK(u::days_from_civil({0, 3, 1}) == -719468);
  for (std::int64_t d = -800000; d <= 800000; d += 997) {
    const CivilDate c = u::civil_from_days(d);
    INFO(d);
    REQUIRE(u::days_from_civil(c) == d);
    REQUIRE(c.month >= 1);
    REQUIRE(c.month <= 12);
    REQUIRE(c.day >= 1);
    REQUIRE(c.day <= u::days_in_month(c.year, c.month));
  }
  const CivilDate c = u::civil_from_days(20635);
  CHECK(c.year == 2026);
  CHECK(c.month == 7);
  CHECK(c.day == 1);
}

TEST_CASE("days_from_civil rolls an out-of-range month into the neighbouring year", "[units]") {
  CHECK(u::days_from_civil({2026, 13, 1}) == u::days_from_civil({2027, 1, 1}));
  CHECK(u::days_from_civil({2026, 0, 1}) == u::days_from_civil({2025, 12, 1}));
  CHECK(u::days_from_civil({2026, -11, 1}) == u::days_from_civil({2025, 1, 1}));
  CHECK_NOTHROW(u::days_from_civil(
      {std::numeric_limits<int>::max(), std::numeric_limits<int>::max(), std::numeric_limits<int>::max()}));
  CHECK_NOTHROW(u::days_from_civil(
      {std::numeric_limits<int>::min(), std::numeric_limits<int>::min(), std::numeric_limits<int>::min()}));
  CHECK_NOTHROW(u::civil_from_days(std::numeric_limits<std::int64_t>::max()));
  CHECK_NOTHROW(u::civil_from_days(std::numeric_limits<std::int64_t>::min()));
}

TEST_CASE("days_in_month knows leap years", "[units]") {
  CHECK(u::days_in_month(2026, 1) == 31);
  CHECK(u::days_in_month(2026, 2) == 28);
  CHECK(u::days_in_month(2024, 2) == 29);
  CHECK(u::days_in_month(2000, 2) == 29);
  CHECK(u::days_in_month(2100, 2) == 28);
  CHECK(u::days_in_month(2026, 4) == 30);
  CHECK(u::days_in_month(2026, 12) == 31);
  CHECK(u::days_in_month(2026, 0) == 0);
  CHECK(u::days_in_month(2026, 13) == 0);
}

TEST_CASE("parse_date reads ISO-8601 dates and UTC times", "[units]") {
  CHECK(date("1970-01-01") == 0);
  CHECK(date("2026-07-01") == 1782864000);
  CHECK(date("2026-07-01T12:30:00Z") == 1782864000 + 12 * 3600 + 30 * 60);
  CHECK(date("2026-07-01T12:30Z") == 1782864000 + 12 * 3600 + 30 * 60);
  CHECK(date("2026-07-01T12:30:15") == 1782864000 + 12 * 3600 + 30 * 60 + 15);
  CHECK(date("2024-02-29") == 1709164800);
  CHECK(date(" 2026-07-01\n") == 1782864000);
  CHECK(date("2200-12-31T23:59:59Z") == 7289654399);
}

TEST_CASE("parse_date refuses malformed or impossible dates", "[units]") {
  for (const std::string_view bad : {"",
                                     " ",
                                     "2026",
                                     "2026-7-1",
                                     "2026-07-1",
                                     "2026/07/01",
                                     "2026-13-01",
                                     "2026-00-01",
                                     "2026-02-29",
                                     "2026-04-31",
                                     "2026-07-00",
                                     "1969-12-31",
                                     "2201-01-01",
                                     "2026-07-01T24:00:00Z",
                                     "2026-07-01T12:60:00Z",
                                     "2026-07-01T12:30:60Z",
                                     "2026-07-01T12:30",
                                     "2026-07-01 12:30:00Z",
                                     "2026-07-01T12:30:00+01:00",
                                     "2026-07-01t12:30:00z",
                                     "2026-07-01T1:30:00Z",
                                     "2026-07-01T12:30:00ZZ",
                                     "+026-07-01",
                                     "2026-07-01Z",
                                     "20260701",
                                     "2026-0a-01",
                                     "2026-07-01T-1:30:00Z",
                                     "abcd-ef-gh",
                                     "2026-07-01T12:30:0Z"}) {
    INFO("date: " << std::string(bad));
    CHECK_FALSE(u::parse_date(bad));
  }
  const char with_nul[] = {'2', '0', '2', '6', '-', '0', '7', '-', '0', '\0'};
  CHECK_FALSE(u::parse_date(std::string_view(with_nul, sizeof with_nul)));
}

TEST_CASE("format_date writes midnight as a date and other times with Z", "[units]") {
  CHECK(u::format_date(0) == "1970-01-01");
  CHECK(u::format_date(1782864000) == "2026-07-01");
  CHECK(u::format_date(1782864000 + 45015) == "2026-07-01T12:30:15Z");
  CHECK(u::format_date(-1) == "1969-12-31T23:59:59Z");
  CHECK_NOTHROW(u::format_date(std::numeric_limits<std::int64_t>::max()));
  CHECK_NOTHROW(u::format_date(std::numeric_limits<std::int64_t>::min()));
  for (const std::string_view text : {"2026-07-01", "2024-02-29T23:59:59Z", "2200-12-31T00:00:01Z"}) {
    CHECK(u::format_date(date(text)) == text);
  }
}

TEST_CASE("add_months moves by calendar months and clamps to the month's last day", "[units]") {
  const auto plus = [](std::string_view from, int months) { return u::format_date(u::add_months(date(from), months)); };
  CHECK(plus("2026-07-01", 36) == "2029-07-01");
  CHECK(plus("2026-01-31", 1) == "2026-02-28");
  CHECK(plus("2024-01-31", 1) == "2024-02-29");
  CHECK(plus("2026-03-31", 1) == "2026-04-30");
  CHECK(plus("2026-12-15", 1) == "2027-01-15");
  CHECK(plus("2026-03-31", -1) == "2026-02-28");
  CHECK(plus("2026-01-15", -1) == "2025-12-15");
  CHECK(plus("2026-07-01", -12) == "2025-07-01");
  CHECK(plus("2026-07-01T12:30:00Z", 1) == "2026-08-01T12:30:00Z");
  CHECK(plus("2026-07-01", 0) == "2026-07-01");
  CHECK(plus("1970-01-01", -1) == "1969-12-01");
}

TEST_CASE("add_months never overflows on extreme input", "[units]") {
  CHECK_NOTHROW(u::add_months(std::numeric_limits<std::int64_t>::max(), std::numeric_limits<int>::max()));
  CHECK_NOTHROW(u::add_months(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<int>::min()));
  CHECK_NOTHROW(u::add_months(0, std::numeric_limits<int>::min()));
}

#include "leasesim/units/stats.hpp"

TEST_CASE("the one interpolated quantile: R-7, in any order, 0 for nothing", "[units]") {
  using leasesim::units::quantile;
  CHECK(quantile({}, 0.5) == 0);
  CHECK(quantile({7}, 0.9) == 7);
  CHECK(quantile({4, 1, 3, 2}, 0.5) == Approx(2.5));
  CHECK(quantile({10, 0}, 0.1) == Approx(1.0));
  CHECK(quantile({1, 2, 3, 4, 5}, 0.9) == Approx(4.6));
  CHECK(leasesim::units::quantile_sorted({1, 2, 3, 4, 5}, 0.1) == Approx(1.4));
}

TEST_CASE("CVaR at 90%: the mean of the worst tenth, fractional at the boundary", "[units]") {
  using leasesim::units::cvar;
  CHECK(cvar({}, 0.9) == 0);
  // 20 costs 1..20: the worst 10% are 19 and 20.
  std::vector<double> twenty;
  for (int i = 1; i <= 20; ++i) twenty.push_back(i);
  CHECK(cvar(twenty, 0.9) == Approx(19.5));
  // 15 costs: the tail holds 1.5 values' weight: all of 15 and half of 14 → (15 + 0.5·14) / 1.5.
  std::vector<double> fifteen(twenty.begin(), twenty.begin() + 15);
  CHECK(cvar(fifteen, 0.9) == Approx((15 + 0.5 * 14) / 1.5));
  // Fewer than ten values: the worst one; order does not matter.
  CHECK(cvar({3, 9, 1}, 0.9) == 9);
  // Level 0: the mean.
  CHECK(cvar({1, 2, 3, 6}, 0.0) == Approx(3));
}
