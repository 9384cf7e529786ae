// Step rates per (job source, GPU count) from the perf layer (see step_rate_cache.hpp).
#include "leasesim/cluster/step_rate_cache.hpp"

#include <algorithm>
#include <vector>

#include "leasesim/perf/flow_step_model.hpp"
#include "leasesim/perf/price_job.hpp"
#include "leasesim/perf/uncertainty.hpp"

namespace leasesim::cluster {

int nvlink_group_gpus(const workload::ParallelConfig& c, int domain_gpus) {
  const int domain = std::max(1, domain_gpus);
  int group = std::min(std::max(1, c.tp), domain);
  const long long wide = static_cast<long long>(c.tp) * c.cp * c.ep;
  if (c.ep > 1 && wide <= domain) group = static_cast<int>(wide);
  return group;
}

namespace {

// Replays a job's own flow prices with the scale-out collectives stretched.
class StretchedPricer final : public perf::CollectivePricer {
 public:
  StretchedPricer(const JobProfile::FlowPrices& prices, double stretch) : prices_(prices), stretch_(stretch) {}
  perf::Fidelity fidelity() const override { return perf::Fidelity::flow; }
  std::string price(const hw::ClusterSpec&, const workload::ParallelConfig&, const perf::Placement&,
                    const std::vector<perf::CollectiveOp>& ops, const perf::LinkRates&,
                    std::vector<double>& seconds) override {
    if (ops.size() != prices_.seconds.size()) return "the job's collectives changed since they were priced";
    seconds.resize(ops.size());
    for (std::size_t o = 0; o < ops.size(); ++o)
      seconds[o] = prices_.seconds[o] * (prices_.scale_out[o] ? stretch_ : 1.0);
    return {};
  }

 private:
  const JobProfile::FlowPrices& prices_;
  double stretch_;
};

// Step rates already priced in this process, for every StepRateCache to share. A sweep worker runs
// hundreds of points whose jobs and cluster rarely differ in anything the step model reads, and the
// auto-parallelism search behind a job class costs ~0.1 s, two thirds of a small point's time
// (docs/performance.md). The key is the whole cluster description and the whole job with the two
// fields that never change a step rate blanked (its name and its token count), compared with the
// structs' defaulted ==, so any other difference — a rack count, an oversubscription, a batch —
// prices afresh. Bounded: the oldest half goes when it is full.
struct PricedJob {
  hw::ClusterSpec cluster;
  Fidelity fidelity;
  workload::TrainingJob job;
  JobProfile profile;
};
constexpr std::size_t kMemoCapacity = 256;
std::vector<PricedJob>& process_memo() {
  static std::vector<PricedJob> memo;
  return memo;
}

// The analytical step model of a job with a GPU count never reads the cluster's size, spares,
// storage or power (perf/ reads the rack, the GPU and the fabric), so a plan's capacities share one
// entry; the flow model builds the whole fat tree, so there the whole cluster is the key.
hw::ClusterSpec rate_key(const hw::ClusterSpec& cluster, Fidelity fidelity, const workload::TrainingJob& job) {
  hw::ClusterSpec key = cluster;
  if (fidelity == Fidelity::analytical && job.gpus > 0) {
    key.racks = 0;
    key.spare_trays_per_rack = 0;
    key.storage = {};
    key.power = {};
  }
  return key;
}

workload::TrainingJob rate_key(const workload::TrainingJob& job) {
  workload::TrainingJob key = job;
  key.name.clear();
  key.tokens = 0;
  return key;
}

}  // namespace

std::size_t StepRateCache::process_memo_size() { return process_memo().size(); }
void StepRateCache::clear_process_memo() { process_memo().clear(); }

StepRateCache::StepRateCache(const hw::ClusterSpec& cluster, Fidelity fidelity)
    : cluster_(cluster), fidelity_(fidelity) {}

StepRateCache::~StepRateCache() = default;

const JobProfile& StepRateCache::profile(int source, const workload::TrainingJob& job) {
  const auto key = std::make_pair(source, job.gpus);
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    JobProfile p = memoized(job);
    if (p.error.empty() && (scale_ != 1.0 || z_)) {
      perf::ThroughputBand band;
      band.p10 = p.band_p10;
      band.p90 = p.band_p90;
      p.rate_factor = scale_ * (z_ ? band.at(*z_) : 1.0);
      p.tokens_per_s *= p.rate_factor;
      p.step_time_s /= p.rate_factor;
      p.mfu *= p.rate_factor;  // the same model FLOPs in a step that takes 1/factor as long
    }
    it = cache_.emplace(key, std::move(p)).first;
  }
  return it->second;
}

double StepRateCache::stretched_step_s(const JobProfile& p, double stretch) {
  if (!p.flow || stretch == 1.0) return p.step_time_s;
  if (!assembly_) assembly_ = std::make_unique<perf::AnalyticalStepModel>();
  StretchedPricer pricer(*p.flow, stretch);
  perf::StepResult r;
  assembly_->evaluate(cluster_, p.flow->job, p.parallelism, r, &pricer);
  return r.ok() && r.step_time_s > 0 ? r.step_time_s / p.rate_factor : p.step_time_s;
}

perf::LinkRates StepRateCache::link_rates() {
  if (!flow_) flow_ = std::make_unique<perf::FlowStepModel>();
  return perf::link_rates(cluster_, flow_->constants());
}

JobProfile StepRateCache::memoized(const workload::TrainingJob& job) {
  const workload::TrainingJob k = rate_key(job);
  const hw::ClusterSpec c = rate_key(cluster_, fidelity_, job);
  auto& memo = process_memo();
  for (const PricedJob& p : memo)
    if (p.fidelity == fidelity_ && p.job == k && p.cluster == c) return p.profile;
  JobProfile fresh = evaluate(job);
  if (memo.size() >= kMemoCapacity) memo.erase(memo.begin(), memo.begin() + kMemoCapacity / 2);
  memo.push_back({c, fidelity_, k, fresh});
  return fresh;
}

std::string JobProfile::fidelity_note() const {
  if (!flow_error.empty()) return "analytical (flow: " + flow_error + ")";
  return std::string(perf::fidelity_name(fidelity));
}

JobProfile StepRateCache::evaluate(const workload::TrainingJob& job) {
  JobProfile p;
  p.params = job.model.params_total();
  if (fidelity_ == Fidelity::flow && !flow_) flow_ = std::make_unique<perf::FlowStepModel>();
  const perf::PricedJob priced = perf::price_job(cluster_, job, {fidelity_, 0, flow_.get()});
  const perf::StepResult& r = priced.best;
  if (!r.ok() || !r.fits || r.step_time_s <= 0) {
    p.error =
        !r.error.empty() ? r.error : "the job does not fit in GPU memory on " + std::to_string(job.gpus) + " GPUs";
    return p;
  }
  p.parallelism = r.parallelism;
  p.gpus = r.gpus_used;
  p.step_time_s = r.step_time_s;
  p.tokens_per_s = r.tokens_per_s;
  p.mfu = r.mfu;
  p.band_p10 = r.band.p10;
  p.band_p90 = r.band.p90;
  p.nvlink_group_gpus = nvlink_group_gpus(r.parallelism, cluster_.rack.nvlink_domain_gpus);
  p.fidelity = r.fidelity;
  p.flow_error = priced.flow_error;
  if (r.fidelity == Fidelity::flow) {
    const auto& ops = flow_->collectives();
    auto prices = std::make_shared<JobProfile::FlowPrices>();
    prices->job = job;
    prices->seconds = flow_->seconds_per_call();
    prices->scale_out.assign(prices->seconds.size(), 0);
    for (std::size_t o = 0; o < ops.size() && o < prices->seconds.size(); ++o) {
      if (ops[o].group.level != perf::LinkLevel::scale_out) continue;
      prices->scale_out[o] = 1;
      p.scale_out_s += ops[o].calls * prices->seconds[o];
    }
    p.ranks_per_domain = flow_->pricer().ranks_per_domain();
    p.flow = std::move(prices);
  }
  return p;
}

}  // namespace leasesim::cluster
