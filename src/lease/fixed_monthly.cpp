// The `fixed-monthly` contract (take-or-pay): the fee of every calendar month of the term is owed
// whether the capacity is used or not; a month the lease only partly covers is prorated by time.
#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/lease/fixed_monthly.hpp"
#include "leasesim/units/quantity.hpp"

namespace leasesim::lease {

namespace {

class FixedMonthlyContract final : public ContractType {
 public:
  std::string_view name() const override { return "fixed-monthly"; }
  std::string_view summary() const override { return "take-or-pay capacity at a fixed fee per calendar month"; }
  bool committed() const override { return true; }
  std::int64_t committed_gpu_ms(const Lease&, const BillingMonth& m) const override { return m.capacity_gpu_ms; }
  units::Money marginal_price_per_gpu_hour(const Lease&) const override { return {}; }
  Charges bill(const Lease& l, const BillingMonth& m) const override {
    Charges c;
    c.fee = prorate(fee_per_month(l), m.active_ms, m.month_ms);
    return c;
  }
  double quoted_price_per_gpu_hour(const Lease& l, std::int64_t gpus) const override {
    const double gpu_hours = static_cast<double>(gpus) * units::seconds_per_month / 3600.0;
    return gpu_hours > 0 ? fee_per_month(l).dollars() / gpu_hours : 0.0;
  }
  units::Money fee_per_month(const Lease& l) const override { return l.terms.get<FixedMonthlyTerms>().fee_per_month; }
  bool scale_prices(Lease& l, double factor) const override {
    auto& t = l.terms.edit<FixedMonthlyTerms>();
    t.fee_per_month = share_of(t.fee_per_month, factor);
    return true;
  }
};

}  // namespace

const ContractType& fixed_monthly_contract() {
  static const FixedMonthlyContract type;
  return type;
}

}  // namespace leasesim::lease
