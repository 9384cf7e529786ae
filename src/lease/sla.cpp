// SLA credits: the tier an availability falls in, the credit on a month's charges, and the share
// of outage time a grace period does not excuse (from the failure model's repair times).
#include "leasesim/lease/sla.hpp"

#include <algorithm>
#include <cmath>

#include "leasesim/lease/billing_math.hpp"

namespace leasesim::lease {

double SlaTerms::credit_share(double availability) const {
  double share = 0;
  for (const CreditTier& t : tiers) {
    if (availability < t.below) share = std::max(share, t.credit);
  }
  return std::min(share, cap);
}

units::Money SlaTerms::credit(units::Money charges, double availability) const {
  const double claimed = claim == ClaimRule::on_request ? claim_rate : 1.0;
  return share_of(charges, credit_share(availability) * claimed);
}

namespace {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// E[max(0, D - g)] / E[D] for a repair time D of distribution `d`.
double beyond(const cluster::DurationDistribution& d, double g) {
  const double m = d.mean_s;
  if (!(m > 0)) return 0.0;
  switch (d.kind) {
    case cluster::Distribution::fixed:
      return std::max(0.0, m - g) / m;
    case cluster::Distribution::exponential:
      return std::exp(-g / m);
    case cluster::Distribution::lognormal: {
      const double s = d.shape;
      if (!(s > 0)) return std::max(0.0, m - g) / m;
      const double mu = std::log(m) - s * s / 2;
      const double d1 = (mu + s * s - std::log(g)) / s;
      return (m * normal_cdf(d1) - g * normal_cdf(d1 - s)) / m;
    }
    case cluster::Distribution::weibull: {
      // ∫_g^∞ exp(-(t/λ)^k) dt with u = (t/λ)^k: (λ/k) ∫_{u0}^{50} e^{-u} u^{1/k - 1} du (Simpson).
      const double k = d.shape > 0 ? d.shape : 1.0;
      const double lambda = m / std::tgamma(1 + 1 / k);
      const double u0 = std::pow(g / lambda, k);
      if (u0 >= 50) return 0.0;
      const int n = 4000;
      const double h = (50 - u0) / n;
      auto f = [k](double u) { return std::exp(-u) * std::pow(u, 1 / k - 1); };
      double sum = f(u0) + f(50.0);
      for (int i = 1; i < n; ++i) sum += f(u0 + i * h) * (i % 2 ? 4 : 2);
      return std::clamp(lambda / k * sum * h / 3 / m, 0.0, 1.0);
    }
  }
  return 1.0;
}

}  // namespace

double outage_share_beyond_grace(const cluster::FailureModel& failures, int gpus_per_node, int gpus_per_rack,
                                 double grace_s) {
  if (!(grace_s > 0)) return 1.0;
  double weight = 0, beyond_weight = 0;
  for (const cluster::FailureProcess& p : failures.processes) {
    double gpus_out = 0;
    switch (p.component) {
      case cluster::Component::gpu:
      case cluster::Component::node:
      case cluster::Component::nic:
        gpus_out = gpus_per_node;
        break;
      case cluster::Component::rack_power:
        gpus_out = gpus_per_rack;
        break;
      case cluster::Component::switch_cable:
      case cluster::Component::nvlink_switch:
      case cluster::Component::software:
        gpus_out = 0;
        break;
    }
    // Failures per second per GPU of the cluster (the rate is per the process's unit).
    double units_per_gpu = 1;
    switch (p.unit) {
      case cluster::FailureUnit::gpu:
      case cluster::FailureUnit::nic:
      case cluster::FailureUnit::link:
        units_per_gpu = 1;
        break;
      case cluster::FailureUnit::host:
        units_per_gpu = gpus_per_node > 0 ? 1.0 / gpus_per_node : 0;
        break;
      case cluster::FailureUnit::rack:
        units_per_gpu = gpus_per_rack > 0 ? 1.0 / gpus_per_rack : 0;
        break;
      case cluster::FailureUnit::nvlink_switch:
      case cluster::FailureUnit::fabric_switch:
        units_per_gpu = 0;
        break;  // no capacity out
    }
    const double w = p.per_unit_per_s * units_per_gpu * p.repair.mean_s * gpus_out;
    weight += w;
    beyond_weight += w * beyond(p.repair, grace_s);
  }
  return weight > 0 ? beyond_weight / weight : 1.0;
}

}  // namespace leasesim::lease
