// The `spot` contract: every used GPU-hour at the spot price; preemptions cost rework, which the
// ledger moves from productive to lost time (SpotTerms::lost_fraction).
#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/contract_type.hpp"

namespace leasesim::lease {

namespace {

class SpotContract final : public ContractType {
 public:
  std::string_view name() const override { return "spot"; }
  std::string_view summary() const override { return "pay per GPU-hour used at a discount, preemptible"; }
  bool committed() const override { return false; }
  std::int64_t committed_gpu_ms(const Lease&, const BillingMonth&) const override { return 0; }
  units::Money marginal_price_per_gpu_hour(const Lease& l) const override { return l.spot.price_per_gpu_hour; }
  Charges bill(const Lease& l, const BillingMonth& m) const override {
    Charges c;
    c.spot = price_of(l.spot.price_per_gpu_hour, m.used_gpu_ms);
    return c;
  }
  double quoted_price_per_gpu_hour(const Lease& l, std::int64_t) const override { return l.spot.price_per_gpu_hour.dollars(); }
};

}  // namespace

const ContractType& spot_contract() {
  static const SpotContract type;
  return type;
}

}  // namespace leasesim::lease
