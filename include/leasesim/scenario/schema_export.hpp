// The scenario reference (Markdown) and the JSON Schema of scenario files, generated from the
// loader's own field definitions (`Schema<T>`, see schema.hpp), so the docs cannot drift from what
// the loader accepts. `leasesim schema` prints them; docs/scenario-reference.md and
// docs/scenario.schema.json are their committed output, and a test fails when those differ.
//
// Every input file kind has its reference and JSON Schema (`leasesim schema --kind KIND`): scenario
// files (with step files: `$defs/step-file`, the "step file" section) in docs/scenario-reference.md
// and docs/scenario.schema.json; step, sweep, plan and compare files in docs/KIND-reference.md and
// docs/KIND.schema.json, whose blocks a scenario has too link to the scenario's.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "leasesim/scenario/file_kind.hpp"
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

// Every block a kind's reference documents, each once, in reference order: depth first in field
// order from the root (for scenarios: the scenario first, then the step file). Other kinds leave out
// the blocks the scenario reference documents.
std::vector<ExportedBlock> exported_blocks(FileKind kind = FileKind::scenario);

// "scenario", "step", "sweep", "plan", "compare": the name `--kind` takes.
const char* kind_name(FileKind kind);
// docs/KIND-reference.md and docs/KIND.schema.json.
std::string reference_file(FileKind kind);
std::string schema_file(FileKind kind);

// A kind's reference, Markdown.
std::string reference_markdown(FileKind kind);
// A kind's JSON Schema (draft 2020-12), two-space indented. Every block is a `$defs` entry; other
// kinds than scenario refer to the scenario schema's blocks as "scenario.schema.json#/$defs/ID".
std::string json_schema(FileKind kind);

// The scenario reference (docs/scenario-reference.md) and JSON Schema (docs/scenario.schema.json).
std::string scenario_reference_markdown();
std::string scenario_json_schema();

}  // namespace leasesim::scenario
