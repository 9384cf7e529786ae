// The `flow` fidelity of the step model: the same collectives as the analytical model
// (build_collectives), but each one runs as SimGrid flows on an aggregated fat tree built from the
// cluster's fabric (flow_fabric.hpp), so oversubscription, the job's placement on racks and the
// links its concurrent groups share all change the price. Only the pricing of collectives differs:
// compute, overlap budgets, pipeline bubble and optimizer come from AnalyticalStepModel's assembly.
//
// How one call of a collective becomes flows (every GPU of the job takes part, so all concurrent
// groups share the fabric; GPU flows between the same two NVLink domains are merged into one flow
// whose rate cap is the sum of its GPUs' own port rates):
//   reduce-scatter / all-gather  NVLink phase: ring inside each domain's k members, (k−1)/k·S each;
//                                then scale-out phase: ring over the d domains per local rank (rail),
//                                (d−1)/d·S/k each; all-reduce = twice that (RS then AG)
//   all-to-all                   S/n to every other member, all at once (NVLink and fabric together)
//   send/recv                    every stage sends S to the next one, all at once
// Simulated time of each phase = completion of its last flow; the latency terms (steps × latency)
// are the analytical model's, added on top. On an idle, non-blocking fabric this reproduces the
// alpha-beta prices; oversubscribed tiers, scattered placements and shared trunks make it slower.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "leasesim/perf/flow_fabric.hpp"
#include "leasesim/perf/step_model.hpp"

namespace leasesim::perf {

// Prices collectives with flows; usable with AnalyticalStepModel::evaluate(..., pricer).
class FlowCollectivePricer final : public CollectivePricer {
 public:
  Fidelity fidelity() const override { return Fidelity::flow; }
  std::string price(const hw::ClusterSpec& cluster, const ParallelConfig& c, const Placement& placement,
                    const std::vector<CollectiveOp>& ops, const LinkRates& rates,
                    std::vector<double>& seconds) override;

  // Where the job's NVLink domains are: domains[j] is the cluster-wide index of the domain holding the
  // job's ranks [j·R, (j+1)·R), R = ranks_per_domain(). Empty: domains 0, 1, 2, … (contiguous).
  std::vector<long long> domains;
  // Job ranks per NVLink domain in the last price() call: the domain's GPUs, or fewer when the groups
  // that place() keeps inside a domain do not tile it (see the .cpp).
  long long ranks_per_domain() const { return ranks_per_domain_; }
  // Simulations run, flows simulated and the per-call seconds of the last price() call.
  std::uint64_t problems = 0, flows = 0;
  std::vector<double> last_seconds;

 private:
  enum class Phase { nvlink_ring, scale_out_ring, all_to_all, send_recv };
  double simulate_phase(const CollectiveOp& op, Phase phase, std::string& error);
  long long domain_of(long long rank) const;

  FabricTree tree_;
  long long gpus_ = 0;
  long long ranks_per_domain_ = 1;
  FlowProblem problem_;
  FabricProblemBuilder builder_;
  std::vector<std::uint64_t> pair_keys_;  // (src, dst) domain pairs of the phase being built
  std::vector<double> pair_bytes_, pair_cap_;
};

class FlowStepModel {
 public:
  explicit FlowStepModel(const ModelConstants& constants = ModelConstants::fitted());

  // One training iteration in flow fidelity (StepResult::fidelity == "flow"). Never throws; an
  // unusable configuration or placement comes back with `error` set. Callable any number of times
  // in one process (the SimGrid engine is created once, at the first call).
  StepResult evaluate(const hw::ClusterSpec& cluster, const workload::TrainingJob& job, const ParallelConfig& c);
  // The same on an explicit placement: `domains` as in FlowCollectivePricer::domains.
  StepResult evaluate(const hw::ClusterSpec& cluster, const workload::TrainingJob& job, const ParallelConfig& c,
                      const std::vector<long long>& domains);

  // The ops of the last evaluation and the flow price of one call of each (parallel vectors).
  const std::vector<CollectiveOp>& collectives() const { return assembly_.collectives(); }
  const std::vector<double>& seconds_per_call() const { return pricer_.last_seconds; }
  const FlowCollectivePricer& pricer() const { return pricer_; }
  const ModelConstants& constants() const { return assembly_.constants(); }

 private:
  AnalyticalStepModel assembly_;
  FlowCollectivePricer pricer_;
};

}  // namespace leasesim::perf
