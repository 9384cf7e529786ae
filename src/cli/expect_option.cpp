// --expect parsing and the one-line report of violated expectations.
#include "expect_option.hpp"

#include <fmt/format.h>

#include "leasesim/cli/app.hpp"

namespace leasesim::cli {

void ExpectOption::add_to(CLI::App& cmd) {
  cmd.add_option("--expect", texts,
                 "Check 'PATH OP VALUE' on the result (e.g. 'jobs.pretrain-2t-fp8.deadline_met == true'); exit 1 if it "
                 "fails. Repeatable.");
}

std::optional<std::vector<sweep::Expectation>> ExpectOption::parse() const {
  std::vector<sweep::Expectation> out;
  bool ok = true;
  for (const auto& t : texts) {
    std::string error;
    if (auto e = sweep::parse_expectation(t, error)) {
      out.push_back(std::move(*e));
    } else {
      fmt::print(stderr, "leasesim: --expect: {}\n", error);
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

int report_violations(const std::vector<std::string>& violations) {
  for (const auto& v : violations) fmt::print(stderr, "leasesim: expectation failed: {}\n", v);
  return violations.empty() ? exit_ok : exit_expectation_failed;
}

bool ExpectOption::append_to(std::vector<sweep::Expectation>& list) const {
  const auto extra = parse();
  if (!extra) return false;
  list.insert(list.end(), extra->begin(), extra->end());
  return true;
}

}  // namespace leasesim::cli
