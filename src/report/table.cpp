// Renders result tables as aligned terminal text, CSV and JSON.
#include "leasesim/report/table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "leasesim/report/format.hpp"

namespace leasesim::report {

namespace {

std::size_t width(const std::string& s) { return display_width(s); }

// A header's lines (a header may hold "\n"): the width of its widest line.
std::size_t header_width(const std::string& h) {
  std::size_t w = 0;
  for (const auto& line : split_lines(h)) w = std::max(w, width(line));
  return w;
}

std::string pad(const std::string& s, std::size_t w, bool right) {
  const std::size_t n = width(s);
  if (n >= w) return s;
  return right ? std::string(w - n, ' ') + s : s + std::string(w - n, ' ');
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_value(const nlohmann::json& v) {
  if (v.is_string()) return csv_field(v.get<std::string>());
  if (v.is_null()) return "";
  return v.dump();
}

}  // namespace

Cell number(double v, int decimals) { return Cell(grouped(v, decimals), v); }
Cell integer(long long v) { return Cell(grouped(v), v); }
Cell money(double dollars) { return Cell(usd(dollars), dollars); }
Cell percentage(double fraction, int decimals, nlohmann::json value) {
  return Cell(percent(fraction, decimals), std::move(value));
}

void Table::add_row(std::vector<Cell> row) {
  if (row.size() != columns_.size()) throw std::logic_error("Table::add_row: wrong number of cells");
  rows_.push_back(std::move(row));
}

std::vector<std::size_t> Table::shown_columns(Layout layout) const {
  std::vector<std::size_t> shown(columns_.size());
  std::iota(shown.begin(), shown.end(), std::size_t{0});
  if (layout == Layout::wide) return shown;
  shown.erase(
      std::remove_if(shown.begin(), shown.end(), [&](std::size_t c) { return columns_[c].drop >= Column::wide_only; }),
      shown.end());
  const auto column_width = [&](std::size_t c) {
    std::size_t w = header_width(columns_[c].header);
    for (const auto& r : rows_) w = std::max(w, width(r[c].text));
    return w;
  };
  const auto table_width = [&] {
    std::size_t w = 0;
    for (std::size_t i = 0; i < shown.size(); ++i) w += (i ? 2 : 0) + column_width(shown[i]);
    return w;
  };
  while (table_width() > terminal_width) {
    // The highest drop rank goes first; of equal ranks, the rightmost.
    auto victim = shown.end();
    for (auto it = shown.begin(); it != shown.end(); ++it) {
      if (columns_[*it].drop > 0 && (victim == shown.end() || columns_[*it].drop >= columns_[*victim].drop))
        victim = it;
    }
    if (victim == shown.end()) break;
    shown.erase(victim);
  }
  return shown;
}

std::string Table::to_text(Layout layout) const {
  const std::vector<std::size_t> shown = shown_columns(layout);
  std::vector<std::size_t> w(columns_.size());
  std::size_t header_lines = 1;
  for (std::size_t c : shown) {
    w[c] = header_width(columns_[c].header);
    header_lines = std::max(header_lines, split_lines(columns_[c].header).size());
    for (const auto& r : rows_) w[c] = std::max(w[c], width(r[c].text));
  }
  std::string out;
  std::string title = title_;
  if (layout == Layout::narrow && shown.size() < columns_.size()) {
    const std::size_t more = columns_.size() - shown.size();
    const std::string note = fmt::format("--wide: {} more column{}", more, more == 1 ? "" : "s");
    // Inside the title's closing parenthesis when it has one: "Lease totals (…; --wide: 7 more columns)".
    if (!title.empty() && title.back() == ')')
      title.insert(title.size() - 1, "; " + note);
    else
      title += (title.empty() ? "(" : " (") + note + ")";
  }
  if (!title.empty()) out += layout == Layout::narrow ? wrap(title, terminal_width, "  ") : title + "\n";
  std::string line, rule;
  // Headers of several lines stand on the rule: a shorter header fills the lowest lines.
  for (std::size_t k = 0; k < header_lines; ++k) {
    line.clear();
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const std::size_t c = shown[i];
      const auto parts = split_lines(columns_[c].header);
      const std::size_t skip = header_lines - std::max<std::size_t>(parts.size(), 1);
      const std::string part = k >= skip && k - skip < parts.size() ? parts[k - skip] : "";
      line += (i ? "  " : "") + pad(part, w[c], columns_[c].numeric);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  for (std::size_t i = 0; i < shown.size(); ++i) rule += (i ? "  " : "") + std::string(w[shown[i]], '-');
  out += rule + "\n";
  for (const auto& r : rows_) {
    line.clear();
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const std::size_t c = shown[i];
      line += (i ? "  " : "") + pad(r[c].text, w[c], columns_[c].numeric);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string Table::to_csv() const {
  std::string out;
  for (std::size_t c = 0; c < columns_.size(); ++c) out += (c ? "," : "") + csv_field(columns_[c].key);
  out += "\n";
  for (const auto& r : rows_) {
    for (std::size_t c = 0; c < columns_.size(); ++c) out += (c ? "," : "") + csv_value(r[c].value);
    out += "\n";
  }
  return out;
}

nlohmann::json Table::to_json() const {
  auto rows = nlohmann::json::array();
  for (const auto& r : rows_) {
    nlohmann::json o = nlohmann::json::object();
    for (std::size_t c = 0; c < columns_.size(); ++c) o[columns_[c].key] = r[c].value;
    rows.push_back(std::move(o));
  }
  return rows;
}

std::string Table::render(Format f) const {
  switch (f) {
    case Format::table:
      return to_text();
    case Format::csv:
      return to_csv();
    case Format::json:
      return to_json().dump(2) + "\n";
  }
  return {};
}

}  // namespace leasesim::report
