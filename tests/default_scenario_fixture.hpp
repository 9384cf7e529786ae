// The default scenario as the variation tests were written against it: the 2T FP8 pretraining run
// alone (its successors, sampled tokens, sampled throughput and the sensitivity block removed), one
// replication. The shipped file is the roadmap (issue 13 §5); the capacity, cost and fabric tests vary
// this one job, so a roadmap change does not move their hand-checked figures.
#pragma once

#include <nlohmann/json.hpp>

namespace leasesim::test {

inline nlohmann::json single_job_default(nlohmann::json doc) {
  nlohmann::json pretrain = doc["jobs"][0];
  pretrain["tokens"] = "40T";
  doc["jobs"] = nlohmann::json::array({pretrain});
  doc.erase("throughput_uncertainty");
  doc.erase("sensitivity");
  doc["replications"] = 1;
  for (auto& g : doc["generators"])
    if (g["arrivals_per_day"].is_object()) g["arrivals_per_day"] = g["arrivals_per_day"]["initial"];
  return doc;
}

}  // namespace leasesim::test
