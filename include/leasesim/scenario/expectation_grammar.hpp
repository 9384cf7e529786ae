// The grammar of an expectation, "PATH OP VALUE" (e.g. "jobs.pretrain-2t.deadline_met == true"):
// the scenario loader checks a scenario's `expect` list with it, `--expect`, sweep and plan files
// parse theirs with it. Checking one against a result document is sweep/expectation.hpp.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace leasesim::scenario {

enum class CompareOp { eq, ne, lt, le, gt, ge };

struct Expectation {
  std::string path;
  CompareOp op = CompareOp::eq;
  nlohmann::json value;  // a JSON literal, or the text itself when it is not one (dates, names)
  std::string text;      // as written, for messages
};

// Parses "PATH OP VALUE" (spaces around OP optional). On failure returns nothing and sets `error`.
std::optional<Expectation> parse_expectation(const std::string& text, std::string& error);

const char* op_text(CompareOp op);

}  // namespace leasesim::scenario
