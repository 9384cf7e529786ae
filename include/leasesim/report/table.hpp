// A table of results rendered three ways: aligned text for a terminal, CSV and JSON for tools.
// Every column names its unit (in the header and in the JSON/CSV key), so no number is unitless.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace leasesim::report {

enum class Format { table, json, csv };

struct Column {
  std::string key;     // JSON/CSV key with its unit: "bf16_dense_tflops"
  std::string header;  // terminal header with its unit: "BF16 TFLOP/s"
  bool numeric = false;  // right-aligned in the terminal
};

// One cell: the text shown in the terminal and the value written to JSON/CSV.
struct Cell {
  std::string text;
  nlohmann::json value;

  Cell(std::string s) : text(s), value(std::move(s)) {}  // NOLINT: implicit on purpose
  Cell(const char* s) : Cell(std::string(s)) {}           // NOLINT
  Cell(std::string shown, nlohmann::json v) : text(std::move(shown)), value(std::move(v)) {}
};

// A number shown with `decimals` places and written to JSON/CSV at full precision.
Cell number(double v, int decimals);
Cell integer(long long v);

class Table {
 public:
  explicit Table(std::vector<Column> columns, std::string title = {})
      : columns_(std::move(columns)), title_(std::move(title)) {}

  void add_row(std::vector<Cell> row);
  const std::vector<Column>& columns() const { return columns_; }
  std::size_t rows() const { return rows_.size(); }

  std::string to_text() const;  // aligned, with the title above
  std::string to_csv() const;   // RFC 4180 quoting, header row of keys
  nlohmann::json to_json() const;  // array of objects keyed by column key
  std::string render(Format f) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<Cell>> rows_;
  std::string title_;
};

}  // namespace leasesim::report
