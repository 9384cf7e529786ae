// A compare file for `leasesim compare`: one demand (a base scenario, inline or a path relative to
// the file) and two or more lease alternatives, each a set of leases and optionally tenants and a
// cluster size. Shape:
//   {"name": …, "base": "reflection-colossus2.json" | {scenario}, "replications": 4,
//    "alternatives": [{"name": …, "description": …, "racks": 288, "leases": [...], "tenants": [...]}]}
// An alternative's cluster is the base cluster resized to `racks` (default: its leased capacity,
// rounded up to whole racks), so demand, failures and the scheduler stay those of the base.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/scenario/schema.hpp"

namespace leasesim::scenario {

struct CompareAlternative {
  std::string name;
  std::string description;
  Scenario scenario;  // the base with this alternative's leases, tenants and racks
};

struct CompareFile {
  std::string name;
  std::string description;
  Scenario base;
  int replications = 0;  // 0: the base scenario's
  std::vector<CompareAlternative> alternatives;
};

struct CompareLoad {
  std::optional<CompareFile> file;       // set only when there were no problems
  std::vector<Diagnostics> diagnostics;  // one per file read
  bool ok() const;
  std::string format() const;
};

// Loads FILE and appends the alternatives of every `extra` file (each holds one alternative object
// or {"alternatives": [...]}). Fewer than two alternatives in all is a problem.
CompareLoad load_compare_files(const std::string& file, const std::vector<std::string>& extra);
CompareLoad load_compare_text(std::string_view text, const std::string& label, const std::string& base_dir);

// The field definitions of a compare file, for the generated reference (docs/compare-reference.md).
const SchemaInfo& compare_file_schema_info();

}  // namespace leasesim::scenario
