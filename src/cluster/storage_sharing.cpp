// The expected share of the storage write bandwidth each running job gets (storage_sharing.hpp).
#include "leasesim/cluster/storage_sharing.hpp"

#include <algorithm>
#include <cmath>

namespace leasesim::cluster {

std::vector<double> expected_share_fractions(const std::vector<double>& duty) {
  const std::size_t n = duty.size();
  std::vector<double> d(n), out(n, 1.0);
  for (std::size_t i = 0; i < n; ++i) d[i] = std::clamp(duty[i], 0.0, 1.0);
  if (n < 2) return out;
  // The distribution of the number of writers among all n jobs, cut where its tail is below 1e-13
  // (with many jobs writing rarely, K stays small: O(n · the cut) rather than O(n²))...
  constexpr double negligible = 1e-13;
  std::vector<double> all(n + 1, 0.0);
  all[0] = 1.0;
  std::size_t top = 0;  // all[k] = 0 beyond top
  for (std::size_t j = 0; j < n; ++j) {
    if (d[j] <= 0) continue;
    ++top;
    for (std::size_t k = top; k > 0; --k) all[k] = all[k] * (1 - d[j]) + all[k - 1] * d[j];
    all[0] *= 1 - d[j];
    while (top > 0 && all[top] < negligible) all[top--] = 0.0;
  }
  // ...and, for each i, the others' without i: all = others ∗ Bernoulli(d_i), deconvolved forward when
  // d_i ≤ 1/2 and backward otherwise (each direction divides by the larger of 1 − d_i and d_i, so the
  // recurrence does not amplify rounding or the cut tail).
  std::vector<double> inv(top + 2);
  for (std::size_t k = 0; k < inv.size(); ++k) inv[k] = 1.0 / static_cast<double>(k + 1);
  // Jobs of one class often share a duty, and the others' distribution depends on i only through
  // d_i: a duty seen among the last few is not deconvolved again (the same arithmetic, the same bits).
  std::vector<std::pair<double, double>> done;  // (duty, E[1/(1+K)])
  for (std::size_t i = 0; i < n; ++i) {
    const double p = d[i];
    const auto seen = std::find_if(done.begin(), done.end(), [p](const auto& x) { return x.first == p; });
    if (seen != done.end()) {
      out[i] = seen->second;
      continue;
    }
    double e = 0;
    if (p <= 0) {
      for (std::size_t k = 0; k <= top; ++k) e += all[k] * inv[k];
    } else if (p <= 0.5) {
      const double r = 1.0 / (1 - p);
      double prev = all[0] * r;
      e = prev;
      for (std::size_t k = 1; k <= top; ++k) {
        prev = (all[k] - p * prev) * r;
        e += std::max(0.0, prev) * inv[k];
      }
    } else {
      // The others' distribution ends one below all's (top ≥ 1: job i itself writes with p > 0).
      const double r = 1.0 / p;
      double next = all[top] * r;  // q[top − 1]
      e = std::max(0.0, next) * inv[top - 1];
      for (std::size_t k = top - 1; k > 0; --k) {
        next = (all[k] - (1 - p) * next) * r;  // q[k − 1]
        e += std::max(0.0, next) * inv[k - 1];
      }
    }
    out[i] = std::clamp(e, 0.0, 1.0);
    if (done.size() >= 16) done.erase(done.begin());
    done.emplace_back(p, out[i]);
  }
  return out;
}

SharedWrites share_storage_writes(const std::vector<CheckpointDemand>& jobs, const hw::ClusterSpec& cluster,
                                  const std::vector<double>* start) {
  const double B = cluster.storage.write_bandwidth;
  const std::size_t n = jobs.size();
  SharedWrites s;
  s.rate.assign(n, std::max(0.0, B));
  if (start && start->size() == n && n >= 2)  // alone, a job writes at B whatever it got before
    for (std::size_t i = 0; i < n; ++i)
      if ((*start)[i] > 0 && (*start)[i] < B) s.rate[i] = (*start)[i];
  s.duty.assign(n, 0.0);
  s.cycles.resize(n);
  constexpr int max_iterations = 200;
  constexpr double tolerance = 1e-6;  // relative to B: a write moves by < 1 ppm (the rhythm is in whole ms)
  for (s.iterations = 1;; ++s.iterations) {
    for (std::size_t i = 0; i < n; ++i) {
      const CheckpointDemand& j = jobs[i];
      s.cycles[i] =
          resolve_checkpoint(*j.policy, j.params, j.gpus, j.nodes, j.failures_per_node_s, cluster, j.work_s, s.rate[i]);
      const double period_s = static_cast<double>(s.cycles[i].period()) / 1000.0;
      s.duty[i] = period_s > 0 ? std::min(1.0, s.cycles[i].write_s / period_s) : 0.0;
    }
    if (n < 2 || !(B > 0)) break;
    const std::vector<double> f = expected_share_fractions(s.duty);
    double moved = 0;
    for (std::size_t i = 0; i < n; ++i) moved = std::max(moved, std::abs(B * f[i] - s.rate[i]));
    if (moved <= tolerance * B || s.iterations >= max_iterations) break;
    for (std::size_t i = 0; i < n; ++i) s.rate[i] = B * f[i];
  }
  s.share = s.rate;
  // A job with a given write time writes at its own rate.
  for (std::size_t i = 0; i < n; ++i)
    if (jobs[i].policy->write_time_s && s.cycles[i].write_s > 0)
      s.rate[i] = checkpoint_bytes_per_param * jobs[i].params / s.cycles[i].write_s;
  return s;
}

}  // namespace leasesim::cluster
