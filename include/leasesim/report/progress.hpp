// A progress line for long commands: one line on standard error, rewritten in place with "\r"
// ("compare: 3/10 runs, 1.2 runs/s, ETA 0:06"), and cleared when the work ends, so the terminal
// keeps only the results. Silent unless standard error is a terminal: tests, pipes and CI logs see
// nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace leasesim::report {

bool stderr_is_terminal();

// "0:42", "1:02:03".
std::string clock_duration(double seconds);

class Progress {
 public:
  // `label` starts the line ("compare"), `unit` names what is counted ("runs"); `total` 0 when not
  // known in advance. Enabled by default only when standard error is a terminal.
  Progress(std::string label, std::size_t total, std::string unit, bool enabled = stderr_is_terminal());
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `done` units finished of `total` (counting from `already` units done before this process
  // started, which the rate and ETA leave out); `detail` is appended ("12 racks").
  void update(std::size_t done, const std::string& detail = "");
  void advance(const std::string& detail = "") { update(done_ + 1, detail); }
  void set_total(std::size_t total) { total_ = total; }
  void set_already(std::size_t already) { already_ = already; }
  // Erases the line (the destructor does too); later updates draw it again.
  void clear();
  bool enabled() const { return enabled_; }

 private:
  std::string label_, unit_;
  std::size_t total_ = 0, done_ = 0, already_ = 0;
  bool enabled_ = false, shown_ = false;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace leasesim::report
