// Collectives as SimGrid flows on the aggregated fabric (see flow_step_model.hpp for the method).
#include "leasesim/perf/flow_step_model.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace leasesim::perf {

namespace {

// Latency steps of a collective over n ranks: the analytical model's (collective_cost.cpp).
double steps(int n) {
  if (n <= 1) return 0;
  return std::min(n - 1.0, 2.0 * std::ceil(std::log2(static_cast<double>(n))));
}

// Ops whose flows are identical share one simulation within an evaluation (an all-gather and a
// reduce-scatter of the same group and size move the same bytes the same way).
struct PricedShape {
  int family;  // 0 scatter-like, 1 all-to-all, 2 send/recv
  int size, stride, per_domain;
  double bytes;
  double seconds;
};

int family(CollectiveKind k) {
  switch (k) {
    case CollectiveKind::all_to_all:
      return 1;
    case CollectiveKind::send_recv:
      return 2;
    default:
      return 0;
  }
}

}  // namespace

long long FlowCollectivePricer::domain_of(long long rank) const {
  const long long j = rank / ranks_per_domain_;
  return domains.empty() ? j : domains[static_cast<std::size_t>(j)];
}

double FlowCollectivePricer::simulate_phase(const CollectiveOp& op, Phase phase, std::string& error) {
  const GroupPlacement& g = op.group;
  const long long n = g.size, s = g.stride;
  // Members per domain as packed here (place() may count one more when ranks_per_domain < domain).
  const long long k = s < ranks_per_domain_ && ranks_per_domain_ % s == 0 ? std::min(n, ranks_per_domain_ / s)
                      : s >= ranks_per_domain_                            ? 1
                                                                          : std::max(1, g.per_domain);
  const double S = op.bytes, nic = tree_.gpu_nic_bw, nvl = tree_.gpu_nvlink_bw;

  // Merge GPU flows by (source domain, destination domain); consecutive ranks mostly repeat a pair.
  std::unordered_map<std::uint64_t, std::size_t> index;
  pair_keys_.clear();
  pair_bytes_.clear();
  pair_cap_.clear();
  std::uint64_t last_key = ~0ULL;
  std::size_t last = 0;
  auto add = [&](long long src_rank, long long dst_rank, double bytes, double nic_share) {
    if (bytes <= 0) return;
    const long long a = domain_of(src_rank), b = domain_of(dst_rank);
    const double cap = a == b ? nvl : nic * nic_share;
    const std::uint64_t key = static_cast<std::uint64_t>(a) << 32 | static_cast<std::uint64_t>(b);
    if (key != last_key) {
      auto [it, inserted] = index.try_emplace(key, pair_keys_.size());
      if (inserted) {
        pair_keys_.push_back(key);
        pair_bytes_.push_back(0);
        pair_cap_.push_back(0);
      }
      last_key = key;
      last = it->second;
    }
    pair_bytes_[last] += bytes;
    pair_cap_[last] += cap;
  };

  for (long long r = 0; r < gpus_; ++r) {
    const long long i = (r / s) % n, base = r - i * s;
    auto rank = [&](long long member) { return base + member * s; };
    switch (phase) {
      case Phase::nvlink_ring: {
        const long long j = i / k, l = i % k, kj = std::min(k, n - j * k);
        if (kj > 1) add(r, rank(j * k + (l + 1) % kj), (kj - 1.0) / kj * S, 1.0);
        break;
      }
      case Phase::scale_out_ring: {
        const long long l = i % k, d = (n - l + k - 1) / k;  // ring length of local rank l
        if (d > 1) add(r, rank(i + k < n ? i + k : l), (d - 1.0) / d * S / k, 1.0);
        break;
      }
      case Phase::all_to_all: {
        // S/n to every other member; the GPU's NIC is shared by its cross-domain destinations in
        // proportion to their bytes.
        const long long own = domain_of(r);
        long long across = 0;
        for (long long m = 0; m < n; ++m) across += domain_of(rank(m)) != own ? 1 : 0;
        for (long long m = 0; m < n;) {
          const long long dom = domain_of(rank(m));
          long long count = 0, first = m;
          for (; m < n && domain_of(rank(m)) == dom; ++m) count += m != i ? 1 : 0;
          if (count == 0) continue;
          const double share = dom == own || across == 0 ? 1.0 : static_cast<double>(count) / across;
          add(r, rank(first), count * S / n, share);
        }
        break;
      }
      case Phase::send_recv:
        if (i + 1 < n) add(r, rank(i + 1), S, 1.0);
        break;
    }
  }

  builder_.reset(tree_, problem_);
  for (std::size_t p = 0; p < pair_keys_.size(); ++p) {
    const auto a = static_cast<long long>(pair_keys_[p] >> 32),
               b = static_cast<long long>(pair_keys_[p] & 0xffffffffULL);
    builder_.add_flow(a, b, pair_bytes_[p], pair_cap_[p]);
  }
  const double t = FlowNetwork::instance().simulate(problem_, error);
  ++problems;
  flows += problem_.flows.size();
  return t;
}

std::string FlowCollectivePricer::price(const hw::ClusterSpec& cluster, const ParallelConfig& c,
                                        const Placement& /*placement*/, const std::vector<CollectiveOp>& ops,
                                        const LinkRates& rates, std::vector<double>& seconds) {
  problems = flows = 0;
  tree_ = FabricTree::of(cluster, rates);
  gpus_ = c.gpus();
  // The analytical placement treats a group that fits in a domain as inside one (place()); ranks are
  // packed the same way here: a domain takes the largest multiple of every such group's rank span
  // (TP8 and EP8 over stride 8 → 64 of 72 GPUs), the rest of the domain stays idle. When the spans
  // have no common multiple within a domain, ranks fill domains physically and groups may straddle.
  long long unit = 1;
  for (const CollectiveOp& op : ops) {
    const long long span = static_cast<long long>(op.group.size) * op.group.stride;
    if (op.group.size > 1 && op.group.level == LinkLevel::nvlink && span <= tree_.domain_gpus)
      unit = std::lcm(unit, span);
  }
  ranks_per_domain_ = unit <= tree_.domain_gpus ? tree_.domain_gpus / unit * unit : tree_.domain_gpus;
  const long long job_domains = (gpus_ + ranks_per_domain_ - 1) / ranks_per_domain_;
  if (!domains.empty()) {
    if (static_cast<long long>(domains.size()) < job_domains)
      return "flow placement: the job needs " + std::to_string(job_domains) + " NVLink domains, " +
             std::to_string(domains.size()) + " given";
    std::vector<long long> sorted(domains.begin(), domains.begin() + job_domains);
    std::sort(sorted.begin(), sorted.end());
    const long long cluster_domains =
        static_cast<long long>(cluster.racks) * std::max(1, cluster.rack.nvlink_domains());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      if (sorted[i] < 0 || (cluster_domains > 0 && sorted[i] >= cluster_domains))
        return "flow placement: NVLink domain " + std::to_string(sorted[i]) + " is outside the cluster's 0.." +
               std::to_string(cluster_domains - 1);
      if (i > 0 && sorted[i] == sorted[i - 1])
        return "flow placement: NVLink domain " + std::to_string(sorted[i]) + " is given twice";
    }
  }

  std::vector<PricedShape> done;
  seconds.assign(ops.size(), 0.0);
  std::string error;
  for (std::size_t o = 0; o < ops.size(); ++o) {
    const CollectiveOp& op = ops[o];
    const GroupPlacement& g = op.group;
    if (g.size <= 1 || op.bytes <= 0) continue;
    const int fam = family(op.kind);
    const bool out = g.level == LinkLevel::scale_out;
    auto same = [&](const PricedShape& p) {
      return p.family == fam && p.size == g.size && p.stride == g.stride && p.per_domain == g.per_domain &&
             p.bytes == op.bytes;
    };
    auto hit = std::find_if(done.begin(), done.end(), same);
    double bandwidth_s = 0;
    if (hit != done.end()) {
      bandwidth_s = hit->seconds;
    } else {
      switch (fam) {
        case 0:
          if (g.per_domain > 1) bandwidth_s += simulate_phase(op, Phase::nvlink_ring, error);
          if (out) bandwidth_s += simulate_phase(op, Phase::scale_out_ring, error);
          break;
        case 1:
          bandwidth_s = simulate_phase(op, Phase::all_to_all, error);
          break;
        default:
          bandwidth_s = simulate_phase(op, Phase::send_recv, error);
          break;
      }
      if (!error.empty()) return error;
      done.push_back({fam, g.size, g.stride, g.per_domain, op.bytes, bandwidth_s});
    }
    // Latency terms exactly as the analytical model counts them.
    double latency_s = 0;
    switch (fam) {
      case 0:
        if (g.per_domain > 1) latency_s += steps(g.per_domain) * rates.nvlink_latency_s;
        if (out) latency_s += steps(g.domains()) * rates.scale_out_latency_s;
        break;
      case 1:
        latency_s = (out ? rates.scale_out_latency_s : rates.nvlink_latency_s) * std::log2(g.size);
        break;
      default:
        latency_s = out ? rates.scale_out_latency_s : rates.nvlink_latency_s;
        break;
    }
    const double one_way = bandwidth_s + latency_s;
    seconds[o] = op.kind == CollectiveKind::all_reduce ? 2.0 * one_way : one_way;
  }
  last_seconds = seconds;
  return {};
}

FlowStepModel::FlowStepModel(const ModelConstants& constants) : assembly_(constants) {}

StepResult FlowStepModel::evaluate(const hw::ClusterSpec& cluster, const workload::TrainingJob& job,
                                   const ParallelConfig& c) {
  pricer_.domains.clear();
  StepResult r;
  assembly_.evaluate(cluster, job, c, r, &pricer_);
  return r;
}

StepResult FlowStepModel::evaluate(const hw::ClusterSpec& cluster, const workload::TrainingJob& job,
                                   const ParallelConfig& c, const std::vector<long long>& domains) {
  pricer_.domains = domains;
  StepResult r;
  assembly_.evaluate(cluster, job, c, r, &pricer_);
  return r;
}

}  // namespace leasesim::perf
