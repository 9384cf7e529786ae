// Renders result tables as aligned terminal text, CSV and JSON.
#include "leasesim/report/table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace leasesim::report {

namespace {

// Display width of UTF-8 text: one column per code point (no wide glyphs in our output).
std::size_t width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
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

Cell number(double v, int decimals) { return Cell(fmt::format("{:.{}f}", v, decimals), v); }
Cell integer(long long v) { return Cell(fmt::format("{}", v), v); }

void Table::add_row(std::vector<Cell> row) {
  if (row.size() != columns_.size()) throw std::logic_error("Table::add_row: wrong number of cells");
  rows_.push_back(std::move(row));
}

std::string Table::to_text() const {
  std::vector<std::size_t> w(columns_.size());
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    w[c] = width(columns_[c].header);
    for (const auto& r : rows_) w[c] = std::max(w[c], width(r[c].text));
  }
  std::string out;
  if (!title_.empty()) out += title_ + "\n";
  std::string line, rule;
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    line += (c ? "  " : "") + pad(columns_[c].header, w[c], columns_[c].numeric);
    rule += (c ? "  " : "") + std::string(w[c], '-');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out += line + "\n" + rule + "\n";
  for (const auto& r : rows_) {
    line.clear();
    for (std::size_t c = 0; c < columns_.size(); ++c) line += (c ? "  " : "") + pad(r[c].text, w[c], columns_[c].numeric);
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
    case Format::table: return to_text();
    case Format::csv: return to_csv();
    case Format::json: return to_json().dump(2) + "\n";
  }
  return {};
}

}  // namespace leasesim::report
