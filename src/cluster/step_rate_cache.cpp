// Step rates per (job source, GPU count) from the perf layer (see step_rate_cache.hpp).
#include "leasesim/cluster/step_rate_cache.hpp"

#include <algorithm>

#include "leasesim/perf/auto_parallel.hpp"
#include "leasesim/perf/flow_step_model.hpp"

namespace leasesim::cluster {

int nvlink_group_gpus(const workload::ParallelConfig& c, int domain_gpus) {
  const int domain = std::max(1, domain_gpus);
  int group = std::min(std::max(1, c.tp), domain);
  const long long wide = static_cast<long long>(c.tp) * c.cp * c.ep;
  if (c.ep > 1 && wide <= domain) group = static_cast<int>(wide);
  return group;
}

StepRateCache::StepRateCache(const hw::ClusterSpec& cluster, Fidelity fidelity)
    : cluster_(cluster), fidelity_(fidelity) {}

StepRateCache::~StepRateCache() = default;

const JobProfile& StepRateCache::profile(int source, const workload::TrainingJob& job) {
  const auto key = std::make_pair(source, job.gpus);
  auto it = cache_.find(key);
  if (it == cache_.end()) it = cache_.emplace(key, evaluate(job)).first;
  return it->second;
}

JobProfile StepRateCache::evaluate(const workload::TrainingJob& job) {
  JobProfile p;
  p.params = job.model.params_total();
  const perf::StepResult r = perf::evaluate_or_search(cluster_, job);
  if (!r.ok() || !r.fits || r.step_time_s <= 0) {
    p.error = !r.error.empty() ? r.error : "the job does not fit in GPU memory on " + std::to_string(job.gpus) + " GPUs";
    return p;
  }
  p.parallelism = r.parallelism;
  p.gpus = r.gpus_used;
  p.step_time_s = r.step_time_s;
  p.tokens_per_s = r.tokens_per_s;
  p.mfu = r.mfu;
  p.nvlink_group_gpus = nvlink_group_gpus(r.parallelism, cluster_.rack.nvlink_domain_gpus);
  if (fidelity_ == Fidelity::flow) {
    if (!flow_) flow_ = std::make_unique<perf::FlowStepModel>();
    const perf::StepResult f = flow_->evaluate(cluster_, job, r.parallelism);
    if (f.ok() && f.step_time_s > 0) {
      p.step_time_s = f.step_time_s;
      p.tokens_per_s = f.tokens_per_s;
      p.mfu = f.mfu;
      p.fidelity = "flow";
    } else {
      p.fidelity = "analytical (flow: " + f.error + ")";
    }
  }
  return p;
}

}  // namespace leasesim::cluster
