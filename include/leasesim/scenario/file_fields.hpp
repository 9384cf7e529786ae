// Fields more than one input file has, read the same way in each: the base scenario of a sweep or
// plan file (a path relative to the file, or inline), a seed, an `expect` list, and the editors'
// "$schema" key. Each kind's Schema<T> (sweep_file.hpp, plan_file.hpp, compare_file.hpp) binds them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/scenario/expectation_grammar.hpp"
#include "leasesim/scenario/schema.hpp"

namespace leasesim::scenario {

// The base scenario document at `path` of the file `label`: inline (`base_label` "LABEL#PATH"), or a
// scenario file named relative to `base_dir` (`base_label` its path). A problem reading that file
// is reported at `path` of this file, naming the scenario file. The document is not validated here:
// a sweep's axes may complete it.
std::optional<Json> read_base_scenario(const Json& v, const std::string& path, const std::string& label,
                                       const std::string& base_dir, std::string& base_label, Diagnostics& d);
FieldDoc base_scenario_field_doc(std::string key, std::string doc);

// A seed: an integer from 0 to 2^64 − 1.
std::optional<std::uint64_t> read_seed(const Json& v, const std::string& path, Diagnostics& d);
FieldDoc seed_field_doc(std::string doc);

// A list of at most 1000 "PATH OP VALUE" expectations (expectation_grammar.hpp).
void read_expectations(const Json& v, const std::string& path, std::vector<Expectation>& out, Diagnostics& d);
FieldDoc expect_field_doc(std::string doc);

// "$schema": the JSON Schema the file follows, for editors (docs/KIND.schema.json); ignored.
FieldDoc schema_key_field_doc(const std::string& schema_file);
void read_schema_key(const Json& v, const std::string& path, Diagnostics& d);

}  // namespace leasesim::scenario
