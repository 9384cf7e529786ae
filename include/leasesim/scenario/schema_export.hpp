// The scenario reference (Markdown) and the JSON Schema of scenario files, generated from the
// loader's own field definitions (`Schema<T>`, see schema.hpp), so the docs cannot drift from what
// the loader accepts. `leasesim schema` prints them; docs/scenario-reference.md and
// docs/scenario.schema.json are their committed output, and a test fails when those differ.
//
// Covered: scenario files (the root) and step files (`$defs/step-file`, the "step file" section).
// Not covered: compare, sweep and plan files, whose top levels are read by hand-written code.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "leasesim/scenario/schema.hpp"

namespace leasesim::scenario {

// Where a block appears: the key `key` of the block `parent_id` ("cluster" of "scenario").
struct BlockUse {
  std::string parent_id;
  std::string key;
};

// One documented block: a section of the reference and a `$defs` entry of the JSON Schema.
struct ExportedBlock {
  std::string id;     // section anchor and `$defs` key: "cluster", "scenario-job", "power-in-leases"
  std::string title;  // the schema's name, qualified when two different blocks share it ("power in leases[]")
  std::string path;   // where it first appears, keys from the top level: "cluster.power", "leases[].power"
  std::shared_ptr<const SchemaInfo> info;
  std::vector<BlockUse> used_in;  // empty for the roots (scenario, step file)
};

// Every block reachable from the scenario and step-file schemas, each once, in reference order:
// depth first in field order, the scenario first, then the step file.
std::vector<ExportedBlock> exported_blocks();

// The scenario reference, Markdown (docs/scenario-reference.md).
std::string scenario_reference_markdown();

// The JSON Schema (draft 2020-12) of a scenario file, two-space indented (docs/scenario.schema.json).
// Every block is a `$defs` entry; a step file's schema is `#/$defs/step-file`.
std::string scenario_json_schema();

}  // namespace leasesim::scenario
