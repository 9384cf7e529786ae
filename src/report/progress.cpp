// The progress line on standard error (progress.hpp).
#include "leasesim/report/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace leasesim::report {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

std::string clock_duration(double seconds) {
  const auto t = static_cast<long>(std::llround(std::max(0.0, seconds)));
  return t >= 3600 ? fmt::format("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
                   : fmt::format("{}:{:02}", t / 60, t % 60);
}

Progress::Progress(std::string label, std::size_t total, std::string unit, bool enabled)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      enabled_(enabled),
      started_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { clear(); }

void Progress::update(std::size_t done, const std::string& detail) {
  done_ = done;
  if (!enabled_) return;
  std::string line = fmt::format("{}: {}{} {}", label_, done_, total_ > 0 ? fmt::format("/{}", total_) : "", unit_);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const std::size_t counted = done_ > already_ ? done_ - already_ : 0;
  const double rate = s > 0 ? static_cast<double>(counted) / s : 0;
  if (counted > 0) {
    line += rate >= 1 ? fmt::format(", {:.1f} {}/s", rate, unit_) : fmt::format(", {:.1f} s each", 1 / rate);
    if (total_ > done_) line += ", ETA " + clock_duration(static_cast<double>(total_ - done_) / rate);
  }
  if (!detail.empty()) line += " (" + detail + ")";
  line += "…";
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void Progress::clear() {
  if (!enabled_ || !shown_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace leasesim::report
