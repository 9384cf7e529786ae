// Telling the tool's input files apart by their distinguishing keys (see file_kind.hpp).
#include "leasesim/scenario/file_kind.hpp"

#include <fmt/format.h>

#include <initializer_list>

namespace leasesim::scenario {

namespace {

// The first of `keys` that `doc` holds, as "has "KEY"".
std::string has_any(const Json& doc, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (doc.contains(k)) return fmt::format("has \"{}\"", k);
  }
  return {};
}

}  // namespace

KindGuess file_kind(const Json& doc) {
  if (!doc.is_object()) return {};
  if (auto e = has_any(doc, {"axes", "metrics", "seeds"}); !e.empty()) return {FileKind::sweep, e};
  if (auto e = has_any(doc, {"alternatives", "base"}); !e.empty()) return {FileKind::compare, e};
  if (auto e = has_any(doc, {"capacity", "levers", "confidence", "dual", "price_per_gpu_hour"}); !e.empty())
    return {FileKind::plan, e};
  if (doc.contains("scenario")) return {FileKind::plan, "has \"scenario\""};
  if (doc.contains("job") && !doc.contains("horizon")) return {FileKind::step, "has \"job\", no \"horizon\""};
  return {FileKind::scenario, has_any(doc, {"horizon", "leases", "jobs", "generators"})};
}

const char* kind_noun(FileKind k) {
  switch (k) {
    case FileKind::scenario:
      return "a scenario";
    case FileKind::step:
      return "a step file";
    case FileKind::sweep:
      return "a sweep file";
    case FileKind::compare:
      return "a compare file";
    case FileKind::plan:
      return "a plan file";
  }
  return "a file";
}

const char* kind_command(FileKind k) {
  switch (k) {
    case FileKind::scenario:
      return "run";
    case FileKind::step:
      return "step";
    case FileKind::sweep:
      return "sweep";
    case FileKind::compare:
      return "compare";
    case FileKind::plan:
      return "plan";
  }
  return "validate";
}

std::optional<std::string> wrong_kind(const Json& doc, FileKind expected) {
  const KindGuess g = file_kind(doc);
  if (g.kind == expected || g.evidence.empty()) return std::nullopt;
  // A sweep or plan file missing its own keys still names its scenario: "scenario" alone says plan
  // or sweep, so the sweep command does not refuse it as a plan file.
  if (expected == FileKind::sweep && g.kind == FileKind::plan && g.evidence == "has \"scenario\"") return std::nullopt;
  return fmt::format("this is {} ({}); leasesim {} expects {} — use leasesim {}", kind_noun(g.kind), g.evidence,
                     kind_command(expected), kind_noun(expected), kind_command(g.kind));
}

}  // namespace leasesim::scenario
