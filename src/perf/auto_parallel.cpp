// The auto-parallelism search (see auto_parallel.hpp for ordering and pruning rules).
#include "leasesim/perf/auto_parallel.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include "leasesim/perf/compute_cost.hpp"

namespace leasesim::perf {
namespace {

using workload::ParallelConfig;
using workload::Recompute;
using workload::Sharding;

auto key(const StepResult& r) {
  const ParallelConfig& c = r.parallelism;
  return std::make_tuple(r.step_time_s, r.gpus_used, c.tp, c.pp, c.dp, c.cp, c.ep, c.vpp, c.micro_batch,
                         static_cast<int>(c.recompute), static_cast<int>(c.sharding));
}

void keep(std::vector<StepResult>& best, const StepResult& r, int top_n) {
  if (static_cast<int>(best.size()) >= top_n && !(key(r) < key(best.back()))) return;
  auto it = std::upper_bound(best.begin(), best.end(), r,
                             [](const StepResult& a, const StepResult& b) { return key(a) < key(b); });
  best.insert(it, r);
  if (static_cast<int>(best.size()) > top_n) best.pop_back();
}

// Candidate values: the fixed one, or powers of two up to `limit` accepted by `ok`.
template <class Ok>
int candidates(const std::optional<int>& fixed, int limit, Ok ok, std::array<int, 16>& out) {
  if (fixed) {
    out[0] = *fixed;
    return 1;
  }
  int n = 0;
  for (int v = 1; v <= limit && n < 16; v *= 2)
    if (ok(v)) out[n++] = v;
  return n;
}

}  // namespace

SearchResult search_parallelism(const hw::ClusterSpec& cluster, const workload::TrainingJob& job,
                                const SearchOptions& o, const ModelConstants& constants) {
  SearchResult res;
  const workload::TransformerSpec& m = job.model;
  const workload::ParallelismRequest& req = job.parallelism;
  const long long gpus = job.gpus > 0 ? job.gpus : cluster.schedulable_gpus();
  if (gpus <= 0 || job.global_batch <= 0) {
    res.reason = "the job needs gpus > 0 and global_batch > 0";
    return res;
  }
  const double usable = usable_hbm(cluster.rack.gpu);
  AnalyticalStepModel model(constants);
  const workload::MemoryModel memory(job);  // memory_per_gpu(job, ·) with the job's terms computed once
  StepResult r;

  std::array<int, 16> tps{}, cps{}, eps{}, mbs{}, vpps{};
  const int ntp = candidates(
      req.tp, std::min(o.max_tp, m.heads), [&](int v) { return m.heads % v == 0; }, tps);
  const int ncp = candidates(
      req.cp, o.max_cp, [&](int v) { return m.seq_len % v == 0 && (v == 1 || m.seq_len / v >= 1024); }, cps);

  // Pipeline depths: divisors of the layer count and powers of two.
  std::vector<int> pps;
  if (req.pp) {
    pps.push_back(*req.pp);
  } else {
    for (int p = 1; p <= std::min(o.max_pp, m.layers); ++p)
      if (m.layers % p == 0 || (p & (p - 1)) == 0) pps.push_back(p);
  }

  const std::array<Recompute, 3> recomputes{Recompute::none, Recompute::selective, Recompute::full};
  const std::array<Sharding, 4> shardings{Sharding::none, Sharding::zero1, Sharding::zero2, Sharding::fsdp};

  for (int ti = 0; ti < ntp; ++ti) {
    for (int ci = 0; ci < ncp; ++ci) {
      for (const int pp : pps) {
        const long long tcp = static_cast<long long>(tps[ti]) * cps[ci] * pp;
        if (tcp > gpus) continue;
        const long long dp_limit = gpus / tcp;
        // Data-parallel degrees: the fixed one, or the largest divisors of the global batch that fit.
        std::array<int, 8> dps{};
        int ndp = 0;
        if (req.dp) {
          if (*req.dp <= dp_limit) dps[ndp++] = *req.dp;
        } else {
          for (long long d = std::min<long long>(dp_limit, job.global_batch); d >= 1 && ndp < o.dp_candidates; --d)
            if (job.global_batch % d == 0) dps[ndp++] = static_cast<int>(d);
        }
        for (int di = 0; di < ndp; ++di) {
          const int dp = dps[di];
          const int per_dp = job.global_batch / dp;
          const int nep = m.is_moe() ? candidates(
                                           req.ep, std::min(m.experts, dp),
                                           [&](int v) { return m.experts % v == 0 && dp % v == 0; }, eps)
                                     : candidates(
                                           req.ep, 1, [](int) { return true; }, eps);
          const int nmb = candidates(
              req.micro_batch, o.max_micro_batch, [&](int v) { return per_dp % v == 0; }, mbs);
          const int nvpp = candidates(
              req.vpp, pp > 1 ? o.max_vpp : 1, [&](int v) { return workload::virtual_stages_fit(m.layers, pp, v); },
              vpps);
          for (int ei = 0; ei < nep; ++ei) {
            for (int mi = 0; mi < nmb; ++mi) {
              for (int vi = 0; vi < nvpp; ++vi) {
                ParallelConfig c;
                c.tp = tps[ti];
                c.cp = cps[ci];
                c.pp = pp;
                c.dp = dp;
                c.ep = eps[ei];
                c.micro_batch = mbs[mi];
                c.vpp = vpps[vi];
                if (c.vpp > 1 && per_dp / c.micro_batch < pp) continue;
                for (const Sharding s : shardings) {
                  if (req.sharding && s != *req.sharding) continue;
                  // none and zero1 move the same bytes; zero1 is never slower, so none only when
                  // nothing is sharded anyway (dp·cp = 1) or the user asked for it.
                  if (!req.sharding && s == Sharding::none && static_cast<long long>(dp) * c.cp > 1) continue;
                  if (!req.sharding && s == Sharding::zero1 && static_cast<long long>(dp) * c.cp == 1) continue;
                  c.sharding = s;
                  for (const Recompute rc : recomputes) {
                    if (req.recompute && rc != *req.recompute) continue;
                    c.recompute = rc;
                    ++res.memory_checks;
                    const workload::MemoryBreakdown mem = memory.per_gpu(c);
                    if (mem.total() > usable) continue;
                    // Bound: a step is never shorter than its compute (m · (forward + backward);
                    // every other term is ≥ 0 and added after it), so once top_n are kept a
                    // configuration whose compute alone exceeds the slowest kept step cannot
                    // enter the list — skipping it changes nothing (~98% of evaluations for the
                    // default scenario's classes).
                    if (o.bound && static_cast<int>(res.best.size()) >= o.top_n) {
                      const int batches = job.microbatches(c);
                      if (batches > 0) {
                        const MicrobatchCompute mc = microbatch_compute(job, c, cluster.rack.gpu, constants);
                        if (batches * (mc.forward_s + mc.backward_s) > res.best.back().step_time_s) {
                          ++res.bounded;
                          break;
                        }
                      }
                    }
                    model.evaluate(cluster, job, c, r, mem);
                    ++res.evaluated;
                    if (r.ok() && r.fits) keep(res.best, r, o.top_n);
                    break;  // cheaper recompute modes come first: the first that fits wins
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  if (res.best.empty())
    res.reason =
        "no configuration within the search limits fits the GPU memory (try more GPUs, "
        "full recompute, or FSDP)";
  return res;
}

}  // namespace leasesim::perf
