// Drawing the job arrival stream (see job_arrivals.hpp).
#include "leasesim/cluster/job_arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/units/quantity.hpp"

namespace leasesim::cluster {

namespace {
constexpr std::uint64_t arrival_stream = 1'000'000;
std::int64_t to_ms(double s) { return static_cast<std::int64_t>(std::llround(s * 1000.0)); }
constexpr double never = std::numeric_limits<double>::infinity();

// Where month i of the horizon begins, in seconds from the horizon start (calendar months).
double month_begin_s(std::int64_t start_utc, std::size_t i) {
  return static_cast<double>(units::add_months(start_utc, static_cast<int>(i)) - start_utc);
}

bool scheduled(const JobClass& k) { return !k.arrivals_by_month_per_s.empty() || k.growth_per_month != 0; }

// The growth rate a of r(t) = base·e^{a·t}: (1 + g) per month of 365.2425/12 days.
double growth_exponent(const JobClass& k) { return std::log1p(k.growth_per_month) / units::seconds_per_month; }

// The next arrival after `t` of the class's non-homogeneous Poisson process, by exact inversion of its
// cumulative rate: the arrival is where the rate integrated from t reaches the unit-exponential draw
// `e`; +inf when it never does (a schedule ending at rate 0, or a decline whose total is less).
double next_arrival(const JobClass& k, double base, std::int64_t start_utc, double t, double e) {
  const auto& r = k.arrivals_by_month_per_s;
  if (!r.empty()) {
    std::size_t i = 0;
    while (i + 1 < r.size() && month_begin_s(start_utc, i + 1) <= t) ++i;
    for (;;) {
      const bool last = i + 1 >= r.size();
      const double end = last ? never : month_begin_s(start_utc, i + 1);
      if (r[i] > 0) {
        const double need = e / r[i];
        if (last || t + need < end) return t + need;
        e -= r[i] * (end - t);
      } else if (last) {
        return never;
      }
      t = end;
      ++i;
    }
  }
  const double a = growth_exponent(k);
  if (a == 0) return base > 0 ? t + e / base : never;
  const double x = e * a / (base * std::exp(a * t));
  if (x <= -1) return never;
  return t + std::log1p(x) / a;
}
}  // namespace

double arrival_rate_at(const JobClass& k, double base_per_s, std::int64_t start_utc, double t_s) {
  const auto& r = k.arrivals_by_month_per_s;
  if (!r.empty()) {
    std::size_t i = 0;
    while (i + 1 < r.size() && month_begin_s(start_utc, i + 1) <= t_s) ++i;
    return r[i];
  }
  return base_per_s * std::exp(growth_exponent(k) * t_s);
}

double mean_arrivals(const JobClass& k, std::int64_t start_utc, double from_s, double until_s) {
  if (!(until_s > from_s)) return 0;
  const double base = k.arrivals_drawn_per_s ? k.arrivals_drawn_per_s->mean_s : k.arrivals_per_s;
  const auto& r = k.arrivals_by_month_per_s;
  if (!r.empty()) {
    double total = 0;
    for (std::size_t i = 0; i < r.size(); ++i) {
      const double a = std::max(from_s, month_begin_s(start_utc, i));
      const double b = std::min(until_s, i + 1 < r.size() ? month_begin_s(start_utc, i + 1) : until_s);
      if (b > a) total += r[i] * (b - a);
    }
    return total;
  }
  const double a = growth_exponent(k);
  if (a == 0) return base * (until_s - from_s);
  return base / a * (std::exp(a * until_s) - std::exp(a * from_s));
}

std::vector<JobTicket> draw_arrivals(const SimulationInput& input, std::int64_t horizon_ms) {
  std::vector<JobTicket> out;
  std::set<std::string> predecessors;
  for (const JobSpec& j : input.jobs) predecessors.insert(j.after.begin(), j.after.end());
  for (std::size_t i = 0; i < input.jobs.size(); ++i) {
    const JobSpec& j = input.jobs[i];
    JobTicket t;
    t.name = j.training.name;
    t.tenant = j.tenant;
    t.source = static_cast<int>(i);
    t.training = &j.training;
    t.gpus = j.training.gpus > 0 ? j.training.gpus : input.cluster.schedulable_gpus();
    t.tokens = j.training.tokens;
    double submit_s = j.submit_s;
    if (j.slip) {
      t.slip_s = RandomStream(input.seed, sample_stream("job", j.training.name, "slip")).draw(*j.slip);
      submit_s += *t.slip_s;
    }
    if (j.tokens_drawn) {
      t.tokens = RandomStream(input.seed, sample_stream("job", j.training.name, "tokens")).draw(*j.tokens_drawn);
      t.tokens_drawn = true;
    }
    t.submit_ms = std::max<std::int64_t>(0, to_ms(submit_s));
    t.priority = j.priority;
    t.deadline_s = j.deadline_s;
    t.checkpoint = j.checkpoint;
    t.restart_overhead_s = j.restart_overhead_s;
    t.lag_s = j.lag_s;
    t.min_gpus = j.min_gpus;
    const bool keep = j.slip || !j.after.empty() || predecessors.count(j.training.name) > 0;
    if (t.submit_ms < horizon_ms || keep) out.push_back(std::move(t));
  }
  for (std::size_t c = 0; c < input.generators.size(); ++c) {
    const JobClass& k = input.generators[c];
    double rate = k.arrivals_per_s;
    if (k.arrivals_drawn_per_s)
      rate = RandomStream(input.seed, sample_stream("generator", k.name, "arrivals_per_day"))
                 .draw(*k.arrivals_drawn_per_s);
    const bool varying = scheduled(k);
    if ((!varying && rate <= 0) || k.gpus.empty()) continue;
    double weight_sum = 0;
    for (const auto& [size, w] : k.gpus) weight_sum += std::max(0.0, w);
    if (weight_sum <= 0) continue;
    RandomStream rng(input.seed, arrival_stream + c);
    const double until = std::min(k.until_s.value_or(input.horizon_s), input.horizon_s);
    double t = k.from_s;
    for (int n = 1;; ++n) {
      if (varying)
        t = next_arrival(k, rate, input.start_utc, t, rng.exponential(1.0));
      else
        t += rng.exponential(1.0 / rate);
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
  if (!sorted) {
    std::sort(keys.begin(), keys.end());
    std::vector<JobTicket> in_order;
    in_order.reserve(out.size());
    for (const Key& k : keys) in_order.push_back(std::move(out[k.index]));
    out = std::move(in_order);
  }
  if (predecessors.empty()) return out;
  // Predecessors by name, as ticket indices of the sorted list.
  std::map<std::string, int> listed;
  for (std::size_t i = 0; i < out.size(); ++i)
    if (!out[i].generated) listed.emplace(out[i].name, static_cast<int>(i));
  for (JobTicket& t : out) {
    if (t.generated) continue;
    for (const std::string& name : input.jobs[static_cast<std::size_t>(t.source)].after) {
      const auto it = listed.find(name);
      if (it == listed.end())
        throw std::invalid_argument("cluster simulation: job '" + t.name + "' comes after '" + name +
                                    "', which is no listed job");
      t.after.push_back(it->second);
    }
  }
  return out;
}

}  // namespace leasesim::cluster
