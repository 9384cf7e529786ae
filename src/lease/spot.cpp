// The `spot` contract: every used GPU-hour at the spot price; preemptions cost rework, which the
// ledger moves from productive to lost time (lost_productive_fraction).
#include "leasesim/lease/spot.hpp"

#include <algorithm>

#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/units/quantity.hpp"

namespace leasesim::lease {

double SpotTerms::lost_fraction() const {
  return std::clamp(preemptions_per_day / units::seconds_per_day * work_lost_per_preemption_s, 0.0, 1.0);
}

namespace {

class SpotContract final : public ContractType {
 public:
  std::string_view name() const override { return "spot"; }
  std::string_view summary() const override { return "pay per GPU-hour used at a discount, preemptible"; }
  bool committed() const override { return false; }
  std::int64_t committed_gpu_ms(const Lease&, const BillingMonth&) const override { return 0; }
  units::Money marginal_price_per_gpu_hour(const Lease& l) const override { return terms(l).price_per_gpu_hour; }
  Charges bill(const Lease& l, const BillingMonth& m) const override {
    Charges c;
    c.usage = price_of(terms(l).price_per_gpu_hour, m.used_gpu_ms);
    return c;
  }
  std::string_view usage_line() const override { return "spot"; }
  double quoted_price_per_gpu_hour(const Lease& l, std::int64_t) const override {
    return terms(l).price_per_gpu_hour.dollars();
  }
  double lost_productive_fraction(const Lease& l) const override { return terms(l).lost_fraction(); }

  bool scale_prices(Lease& l, double factor) const override {
    auto& t = l.terms.edit<SpotTerms>();
    t.price_per_gpu_hour = share_of(t.price_per_gpu_hour, factor);
    return true;
  }

 private:
  static const SpotTerms& terms(const Lease& l) { return l.terms.get<SpotTerms>(); }
};

}  // namespace

const ContractType& spot_contract() {
  static const SpotContract type;
  return type;
}

}  // namespace leasesim::lease
