// The `on-demand` contract: every used GPU-hour at the list price, nothing owed for idle capacity;
// the cap is granted in expectation (`availability`) and only after the lead time.
#include <cmath>

#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/lease/on_demand.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::lease {

namespace {

// The market presets. Ceilings: "capacity-blocks" is AWS EC2 Capacity Blocks for ML — up to 64
// instances per block and 256 across blocks, i.e. 2,048 GPUs of 8-GPU instances (docs/references.md).
// Every chance below is leasesim's assumption: no provider publishes the odds of a large grant.
const std::vector<cluster::MarketCurve>& market_presets() {
  static const std::vector<cluster::MarketCurve> presets = {
      {"capacity-blocks", 2048, {{512, 0.9}, {2048, 0.5}}, 72},
      {"neocloud", 16384, {{1024, 0.9}, {4096, 0.6}, {16384, 0.15}}, 72},
  };
  return presets;
}

class OnDemandContract final : public ContractType {
 public:
  std::string_view name() const override { return "on-demand"; }
  std::string_view summary() const override {
    return "pay per GPU-hour used, up to a cap, granted with a probability after a lead time";
  }
  bool committed() const override { return false; }
  std::int64_t supplied_gpus(const Lease& l, std::int64_t gpus) const override {
    if (const auto& m = terms(l).market) return static_cast<std::int64_t>(std::floor(m->expected_grant(gpus) + 1e-9));
    return static_cast<std::int64_t>(std::floor(static_cast<double>(gpus) * terms(l).availability + 1e-9));
  }
  const cluster::MarketCurve* market(const Lease& l) const override {
    return terms(l).market ? &*terms(l).market : nullptr;
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

const cluster::MarketCurve* find_market_preset(const std::string& name) {
  for (const auto& m : market_presets())
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<std::string> market_preset_names() {
  std::vector<std::string> names;
  for (const auto& m : market_presets()) names.push_back(m.name);
  return names;
}

const ContractType& on_demand_contract() {
  static const OnDemandContract type;
  return type;
}

}  // namespace leasesim::lease
