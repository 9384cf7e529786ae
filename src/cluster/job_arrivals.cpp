// Drawing the job arrival stream (see job_arrivals.hpp).
#include "leasesim/cluster/job_arrivals.hpp"

#include <algorithm>
#include <cmath>

#include "leasesim/cluster/random_stream.hpp"

namespace leasesim::cluster {

namespace {
constexpr std::uint64_t arrival_stream = 1'000'000;
std::int64_t to_ms(double s) { return static_cast<std::int64_t>(std::llround(s * 1000.0)); }
}  // namespace

std::vector<JobTicket> draw_arrivals(const SimulationInput& input, std::int64_t horizon_ms) {
  std::vector<JobTicket> out;
  for (std::size_t i = 0; i < input.jobs.size(); ++i) {
    const JobSpec& j = input.jobs[i];
    JobTicket t;
    t.name = j.training.name;
    t.tenant = j.tenant;
    t.source = static_cast<int>(i);
    t.training = &j.training;
    t.gpus = j.training.gpus > 0 ? j.training.gpus : input.cluster.schedulable_gpus();
    t.tokens = j.training.tokens;
    t.submit_ms = std::max<std::int64_t>(0, to_ms(j.submit_s));
    t.priority = j.priority;
    t.deadline_s = j.deadline_s;
    t.checkpoint = j.checkpoint;
    t.restart_overhead_s = j.restart_overhead_s;
    if (t.submit_ms < horizon_ms) out.push_back(std::move(t));
  }
  for (std::size_t c = 0; c < input.generators.size(); ++c) {
    const JobClass& k = input.generators[c];
    if (k.arrivals_per_s <= 0 || k.gpus.empty()) continue;
    double weight_sum = 0;
    for (const auto& [size, w] : k.gpus) weight_sum += std::max(0.0, w);
    if (weight_sum <= 0) continue;
    RandomStream rng(input.seed, arrival_stream + c);
    const double until = std::min(k.until_s.value_or(input.horizon_s), input.horizon_s);
    double t = k.from_s;
    for (int n = 1;; ++n) {
      t += rng.exponential(1.0 / k.arrivals_per_s);
      if (t >= until) break;
      double pick = rng.uniform() * weight_sum;
      long long size = k.gpus.back().first;
      for (const auto& [s, w] : k.gpus) {
        if (pick < std::max(0.0, w)) {
          size = s;
          break;
        }
        pick -= std::max(0.0, w);
      }
      JobTicket j;
      j.name = k.name + "-" + std::to_string(n);
      j.tenant = k.tenant;
      j.generated = true;
      j.source = -1 - static_cast<int>(c);
      j.training = &k.training;
      j.gpus = size;
      j.tokens = k.training.tokens;
      j.submit_ms = to_ms(t);
      j.priority = k.priority;
      j.checkpoint = k.checkpoint;
      j.restart_overhead_s = k.restart_overhead_s;
      j.runtime_s = rng.draw(k.runtime);
      if (j.submit_ms < horizon_ms) out.push_back(std::move(j));
    }
  }
  // Sorted by (submission, listed before generated, input order) — a stable sort — through an
  // index so each ticket moves once, not once per merge level.
  struct Key {
    std::int64_t submit_ms;
    bool generated;
    std::size_t index;
    bool operator<(const Key& o) const {
      if (submit_ms != o.submit_ms) return submit_ms < o.submit_ms;
      if (generated != o.generated) return generated < o.generated;
      return index < o.index;
    }
  };
  std::vector<Key> keys;
  keys.reserve(out.size());
  bool sorted = true;
  for (std::size_t i = 0; i < out.size(); ++i) {
    keys.push_back({out[i].submit_ms, out[i].generated, i});
    sorted = sorted && (i == 0 || !(keys[i] < keys[i - 1]));
  }
  if (sorted) return out;
  std::sort(keys.begin(), keys.end());
  std::vector<JobTicket> in_order;
  in_order.reserve(out.size());
  for (const Key& k : keys) in_order.push_back(std::move(out[k.index]));
  return in_order;
}

}  // namespace leasesim::cluster
