// Problems found in an input file, collected in one pass and printed one line each:
//   FILE: /json/pointer/path: expected …, found …
// The loader never stops at the first mistake: a user fixing a scenario sees every problem at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leasesim::scenario {

struct Problem {
  std::string path;     // JSON pointer ("/cluster/fabric/nic_bandwidth"), or "line:col" for syntax
  std::string message;  // "expected a data rate (e.g. \"800 Gb/s\"), found \"5 min\" (a duration)"
};

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  // Records "expected <expected>, found <found>" at `path`.
  void expected(std::string path, std::string_view expected, std::string_view found);
  // Records a free-form message at `path` (for problems that are not a type mismatch).
  void error(std::string path, std::string message);

  // Records a warning at `path`: a valid value that is probably a mistake ("800 GB/s" where the
  // catalog's fastest NIC is 800 Gb/s). Warnings do not make the input invalid; `--strict` does.
  void warn(std::string path, std::string message);

  bool ok() const { return problems_.empty(); }
  const std::vector<Problem>& problems() const { return problems_; }
  const std::vector<Problem>& warnings() const { return warnings_; }
  const std::string& file() const { return file_; }

  // Every problem as "FILE: PATH: MESSAGE", one per line, in the order found.
  std::string format() const;
  // Every warning as "FILE: PATH: warning: MESSAGE", one per line.
  std::string format_warnings() const;
  // --strict: every warning becomes a problem (the input is then refused).
  void warnings_as_problems();

 private:
  std::string file_;
  std::vector<Problem> problems_;
  std::vector<Problem> warnings_;
};

// Appends a key to a JSON pointer, escaping '~' and '/' per RFC 6901.
std::string pointer_join(const std::string& base, std::string_view key);
std::string pointer_join(const std::string& base, std::size_t index);

}  // namespace leasesim::scenario
