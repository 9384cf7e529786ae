// The `on-demand` contract: every used GPU-hour at the list price, nothing owed for idle capacity;
// the cap is granted in expectation (`availability`) and only after the lead time.
#include <cmath>

#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/lease/on_demand.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::lease {

namespace {

class OnDemandContract final : public ContractType {
 public:
  std::string_view name() const override { return "on-demand"; }
  std::string_view summary() const override {
    return "pay per GPU-hour used, up to a cap, granted with a probability after a lead time";
  }
  bool committed() const override { return false; }
  std::int64_t supplied_gpus(const Lease& l, std::int64_t gpus) const override {
    return static_cast<std::int64_t>(std::floor(static_cast<double>(gpus) * terms(l).availability + 1e-9));
  }
  std::int64_t available_from(const Lease& l) const override {
    return units::calendar_advance(l.start, terms(l).lead_time_s);
  }
  std::int64_t committed_gpu_ms(const Lease&, const BillingMonth&) const override { return 0; }
  units::Money marginal_price_per_gpu_hour(const Lease& l) const override { return terms(l).price_per_gpu_hour; }
  Charges bill(const Lease& l, const BillingMonth& m) const override {
    Charges c;
    c.usage = price_of(terms(l).price_per_gpu_hour, m.used_gpu_ms);
    return c;
  }
  std::string_view usage_line() const override { return "on_demand"; }
  double quoted_price_per_gpu_hour(const Lease& l, std::int64_t) const override {
    return terms(l).price_per_gpu_hour.dollars();
  }

  bool scale_prices(Lease& l, double factor) const override {
    auto& t = l.terms.edit<OnDemandTerms>();
    t.price_per_gpu_hour = share_of(t.price_per_gpu_hour, factor);
    return true;
  }

 private:
  static const OnDemandTerms& terms(const Lease& l) { return l.terms.get<OnDemandTerms>(); }
};

}  // namespace

const ContractType& on_demand_contract() {
  static const OnDemandContract type;
  return type;
}

}  // namespace leasesim::lease
