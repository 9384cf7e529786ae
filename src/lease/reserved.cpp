// The `reserved` contract: committed GPU-hours per month at a rate (owed used or not, prorated for a
// partial month), and every used GPU-hour beyond the commitment at the overage rate.
#include <algorithm>
#include <cmath>

#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/lease/reserved.hpp"

namespace leasesim::lease {

namespace {

class ReservedContract final : public ContractType {
 public:
  std::string_view name() const override { return "reserved"; }
  std::string_view summary() const override {
    return "committed GPU-hours per month at a rate, overage at another rate";
  }
  bool committed() const override { return true; }
  std::int64_t committed_gpu_ms(const Lease& l, const BillingMonth& m) const override {
    const auto full = static_cast<std::int64_t>(std::llround(terms(l).committed_gpu_hours * ms_per_hour));
    return std::min(mul_div(full, m.active_ms, m.month_ms), m.capacity_gpu_ms);
  }
  units::Money marginal_price_per_gpu_hour(const Lease& l) const override { return terms(l).overage_per_gpu_hour; }
  Charges bill(const Lease& l, const BillingMonth& m) const override {
    Charges c;
    const auto full = static_cast<std::int64_t>(std::llround(terms(l).committed_gpu_hours * ms_per_hour));
    c.fee = prorate(terms(l).rate_per_gpu_hour, mul_div(full, m.active_ms, m.month_ms), ms_per_hour);
    const std::int64_t over = std::max<std::int64_t>(0, m.used_gpu_ms - committed_gpu_ms(l, m));
    c.usage = price_of(terms(l).overage_per_gpu_hour, over);
    return c;
  }
  std::string_view usage_line() const override { return "overage"; }
  double quoted_price_per_gpu_hour(const Lease& l, std::int64_t) const override {
    return terms(l).rate_per_gpu_hour.dollars();
  }

  bool scale_prices(Lease& l, double factor) const override {
    auto& t = l.terms.edit<ReservedTerms>();
    t.rate_per_gpu_hour = share_of(t.rate_per_gpu_hour, factor);
    t.overage_per_gpu_hour = share_of(t.overage_per_gpu_hour, factor);
    return true;
  }

 private:
  static const ReservedTerms& terms(const Lease& l) { return l.terms.get<ReservedTerms>(); }
};

}  // namespace

const ContractType& reserved_contract() {
  static const ReservedContract type;
  return type;
}

}  // namespace leasesim::lease
