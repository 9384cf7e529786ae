// A table of results rendered three ways: aligned text for a terminal, CSV and JSON for tools.
// Every column names its unit (in the header and in the JSON/CSV key), so no number is unitless.
// On a terminal a table fits terminal_width (120) columns: columns marked `wide_only` appear only
// in the wide layout (--wide), and columns with a `drop` rank are left out, highest rank first,
// while the table is still too wide; CSV and JSON always carry every column.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace leasesim::report {

enum class Format { table, json, csv };

struct Column {
  std::string key;       // JSON/CSV key with its unit: "bf16_dense_tflops"
  std::string header;    // terminal header with its unit: "BF16 TFLOP/s"
  bool numeric = false;  // right-aligned in the terminal
  // Narrow layout only: 0 always shown; 1, 2, … left out (highest first) while the table is wider
  // than the terminal; Column::wide_only never shown.
  int drop = 0;
  static constexpr int wide_only = 1000;
};

enum class Layout {
  narrow,  // fits terminal_width: the columns that answer the question (the default on a terminal)
  wide,    // every column (--wide)
};

// How a command lays out its terminal text: --wide gives every column, --monthly every month of
// the lease ledger (quarters otherwise).
struct TextOptions {
  Layout layout = Layout::narrow;
  bool monthly = false;
};

// One cell: the text shown in the terminal and the value written to JSON/CSV.
struct Cell {
  std::string text;
  nlohmann::json value;

  Cell(std::string s) : text(s), value(std::move(s)) {}  // NOLINT: implicit on purpose
  Cell(const char* s) : Cell(std::string(s)) {}          // NOLINT
  Cell(std::string shown, nlohmann::json v) : text(std::move(shown)), value(std::move(v)) {}
};

// A number shown with `decimals` places and thousands separators ("62,321,363") and written to
// JSON/CSV at full precision.
Cell number(double v, int decimals);
Cell integer(long long v);
// Dollars shown compact ("$150M", "$9.90"; format.hpp's usd), written as the dollars.
Cell money(double dollars);
// A fraction shown as a percentage ("75.8%"), written as `value` (what the column's key says: the
// fraction, or the percentage for a "_pct" key).
Cell percentage(double fraction, int decimals, nlohmann::json value);

class Table {
 public:
  explicit Table(std::vector<Column> columns, std::string title = {})
      : columns_(std::move(columns)), title_(std::move(title)) {}

  void add_row(std::vector<Cell> row);
  const std::vector<Column>& columns() const { return columns_; }
  std::size_t rows() const { return rows_.size(); }

  std::string to_text() const { return to_text(Layout::wide); }  // every column, aligned, title above
  // Narrow: the title wrapped to the terminal, the columns that fit (and a note of how many --wide
  // adds).
  std::string to_text(Layout layout) const;
  // The columns the layout shows (indices into columns()).
  std::vector<std::size_t> shown_columns(Layout layout) const;
  std::string to_csv() const;      // RFC 4180 quoting, header row of keys
  nlohmann::json to_json() const;  // array of objects keyed by column key
  std::string render(Format f) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<Cell>> rows_;
  std::string title_;
};

}  // namespace leasesim::report
