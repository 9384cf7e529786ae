// Which of the tool's input files a JSON document is, told from the keys only one kind has:
//   sweep    "axes" (or "metrics", "seeds")          — sweep_spec.hpp
//   compare  "alternatives" or "base"                — compare_file.hpp
//   plan     "capacity", "confidence", "dual", "price_per_gpu_hour", or "scenario" alone — plan.hpp
//   step     "job" and no "horizon"                  — workload_schema.hpp
//   scenario anything else ("horizon", "cluster")    — scenario.hpp
// `leasesim validate` reads each file with its kind's loader; a command given another kind says so
// in one line instead of one unknown-key line per key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "leasesim/scenario/schema.hpp"

namespace leasesim::scenario {

enum class FileKind { scenario, step, sweep, compare, plan };

struct KindGuess {
  FileKind kind = FileKind::scenario;
  std::string evidence;  // "has \"axes\"", or empty when nothing marks the kind (a malformed file)
};

KindGuess file_kind(const Json& doc);

// "a scenario", "a step file", "a sweep file", "a compare file", "a plan file".
const char* kind_noun(FileKind k);
// The command that reads the kind: "run", "step", "sweep", "compare", "plan".
const char* kind_command(FileKind k);

// When `doc` is clearly another kind than `expected`: "this is a sweep file (has "axes"); leasesim
// run expects a scenario — use leasesim sweep" (no file name). Nothing when it may be `expected`.
std::optional<std::string> wrong_kind(const Json& doc, FileKind expected);

}  // namespace leasesim::scenario
