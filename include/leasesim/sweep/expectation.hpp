// Expectations for CI: "PATH OP VALUE" checked against a result document (a `run` document, a
// sweep point's result, a plan's answer). A violated expectation is one line saying the path, what
// was expected and what was found; the CLI turns any violation into exit code 1.
//
// PATH is either a JSON pointer ("/jobs/0/deadline_met") or dotted keys ("jobs.pretrain-2t.ettr"):
// at an array, a key selects the element whose "name" (or "tenant", "lease") equals it, or an index.
// On an aggregate of replications the comparison reads {mean,…} as its mean and {probability} as
// the probability, except that "== true" means "in every replication" (probability 1) and
// "== false" "in none" (probability 0). A sub-key ("….p90", "….probability") reads that figure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/scenario/expectation_grammar.hpp"

namespace leasesim::sweep {

// The grammar lives in the scenario layer, whose loader checks a scenario's `expect` list with it.
using scenario::CompareOp;
using scenario::Expectation;
using scenario::op_text;
using scenario::parse_expectation;

// The keys of a path: "a.b.0" or the JSON pointer "/a/b/0"; nothing for a malformed pointer.
std::optional<std::vector<std::string>> path_keys(const std::string& path);

// The value at `path` in `doc`, or nothing; `why` then says which step did not match.
std::optional<nlohmann::json> resolve_path(const nlohmann::json& doc, const std::string& path, std::string& why);

// Checks one expectation: empty when it holds, else "PATH: expected OP VALUE, found X".
std::string check_expectation(const nlohmann::json& doc, const Expectation& e);

// Every violation, one line each, in the order given.
std::vector<std::string> check_expectations(const nlohmann::json& doc, const std::vector<Expectation>& es);

}  // namespace leasesim::sweep
