// Numbers for people, the one style every terminal table uses (CSV and JSON keep plain machine
// numbers): thousands separators ("62,321,363"), money compact to three significant figures
// ("$150M", "$1.35B", "$9.90", "$912k"), percentages with "%", durations in days or hours, counts
// with a suffix ("40T" tokens) — never scientific notation. Also the display width of UTF-8 text
// and word wrapping to the terminal width.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace leasesim::report {

// The width terminal text is laid out for unless --wide asks for every column.
inline constexpr std::size_t terminal_width = 120;

// Display width of UTF-8 text: one column per code point (no wide glyphs in our output).
std::size_t display_width(const std::string& s);

// "62,321,363"; "-1,204".
std::string grouped(long long v);
// `v` with `decimals` places and thousands separators: grouped(2325.54, 1) == "2,325.5". Never
// scientific notation; a negative value that rounds to zero has no sign. Not finite: "-".
std::string grouped(double v, int decimals);

// Dollars, compact (units::format_money's compact form): "$150M", "$1.35B", "$5.4B", "$912k",
// "$9.90", "$0.617", "-$4.2M". Not finite: "-".
std::string usd(double dollars);

// A fraction as a percentage: percent(0.758) == "75.8%".
std::string percent(double fraction, int decimals = 1);

// A duration in seconds as days ("56.8 d") from one day up, else hours ("5.2 h").
std::string duration(double seconds);

// A count compact to three significant figures: 4e13 -> "40T", 1.5e9 -> "1.5B", 912 -> "912".
std::string compact_count(double v);

// `text` broken at spaces into lines of at most `width` display columns (a longer word stands
// alone); every line but the first starts with `indent`, each line ends in a newline.
std::string wrap(const std::string& text, std::size_t width = terminal_width, const std::string& indent = "");

// The lines of `text`, without their newlines.
std::vector<std::string> split_lines(const std::string& text);

}  // namespace leasesim::report
