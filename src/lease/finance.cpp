// A ledger's monthly cash flows and their NPV (lease/finance.hpp for the convention).
#include "leasesim/lease/finance.hpp"

#include <algorithm>
#include <cmath>

#include "leasesim/lease/contract_type.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::lease {

units::Money CashFlows::total() const {
  units::Money t;
  for (const units::Money m : at) t += m;
  return t;
}

double discount_factor(double yearly_rate, double t_months) { return std::pow(1.0 + yearly_rate, -t_months / 12.0); }

units::Money round_to_cent(long double micros) {
  return units::Money::from_micros(static_cast<std::int64_t>(std::llround(micros / 10'000.0L)) * 10'000);
}

units::Money npv(const std::vector<units::Money>& flows, double yearly_rate) {
  long double sum = 0;
  for (std::size_t t = 0; t < flows.size(); ++t) {
    sum += static_cast<long double>(flows[t].micros()) *
           std::pow(1.0L + yearly_rate, -static_cast<long double>(t) / 12.0L);
  }
  return round_to_cent(sum);
}

namespace {

using units::month_number;

const Lease* find_lease(const LedgerInput& in, const std::string& name) {
  for (const Lease& l : in.leases)
    if (l.name == name) return &l;
  return nullptr;
}

}  // namespace

LedgerCashFlows cash_flows(const LedgerInput& in, const Ledger& ledger) {
  LedgerCashFlows out;
  const std::size_t n = ledger.months.size();
  out.total.at.assign(n + 1, units::Money{});
  out.fees.assign(n + 1, units::Money{});
  for (const std::string& name : ledger.lease_order) {
    CashFlows cf;
    cf.lease = name;
    cf.at.assign(n + 1, units::Money{});
    const Lease* l = find_lease(in, name);
    const bool priced_by_fee = l && l->type != "purchase";
    for (std::size_t k = 0; k < n; ++k) {
      const LedgerFigures f = ledger.lease_month(name, ledger.months[k]);
      units::Money at_end = f.tenant_cost();
      if (l && l->prepaid_months > 0) {
        const int index = month_number(ledger.months[k]) - month_number(l->start);
        if (index >= 0 && index < l->prepaid_months) {
          const int signing = std::max(0, static_cast<int>(k) - index);
          cf.at[static_cast<std::size_t>(signing)] += f.fee;
          cf.fees_at_signing += f.fee;
          at_end -= f.fee;
        }
      }
      cf.at[k + 1] += at_end;
    }
    for (std::size_t t = 0; t <= n; ++t) out.total.at[t] += cf.at[t];
    if (priced_by_fee) {
      // The fee lines, at the times they are paid (prepaid ones at signing).
      for (std::size_t k = 0; k < n; ++k) {
        const units::Money fee = ledger.lease_month(name, ledger.months[k]).fee;
        const int index = month_number(ledger.months[k]) - month_number(l->start);
        const bool prepaid = index >= 0 && index < l->prepaid_months;
        out.fees[prepaid ? static_cast<std::size_t>(std::max(0, static_cast<int>(k) - index)) : k + 1] += fee;
      }
    }
    out.total.fees_at_signing += cf.fees_at_signing;
    out.leases.push_back(std::move(cf));
  }
  return out;
}

std::vector<units::Money> provider_cash_flows(const LedgerInput& in, const Ledger& ledger) {
  const std::size_t n = ledger.months.size();
  std::vector<units::Money> flows(n + 1, units::Money{});
  if (n == 0) return flows;
  const int first = month_number(ledger.months.front());
  for (const Lease& l : in.leases) {
    if (!l.provider) continue;
    const int racks =
        l.racks > 0 ? l.racks : static_cast<int>(in.rack.gpus > 0 ? (l.gpus + in.rack.gpus - 1) / in.rack.gpus : 0);
    const int signing = std::clamp(month_number(l.start) - first, 0, static_cast<int>(n));
    flows[static_cast<std::size_t>(signing)] -= units::Money::from_micros(l.provider->capex_per_rack.micros() * racks);
    for (std::size_t k = 0; k < n; ++k) {
      const LedgerFigures f = ledger.lease_month(l.name, ledger.months[k]);
      units::Money at_end = f.provider_revenue() - f.energy_cost - f.opex;
      const int index = month_number(ledger.months[k]) - month_number(l.start);
      if (index >= 0 && index < l.prepaid_months) {  // the tenant's prepaid fees arrive at signing
        flows[static_cast<std::size_t>(std::max(0, static_cast<int>(k) - index))] += f.fee;
        at_end -= f.fee;
      }
      flows[k + 1] += at_end;
    }
  }
  return flows;
}

std::optional<int> payback_month(const std::vector<units::Money>& flows, double yearly_rate) {
  long double cumulative = 0;
  int last_negative = -1;
  for (std::size_t t = 0; t < flows.size(); ++t) {
    cumulative += static_cast<long double>(flows[t].micros()) * discount_factor(yearly_rate, static_cast<double>(t));
    if (cumulative < 0) last_negative = static_cast<int>(t);
  }
  if (last_negative + 1 >= static_cast<int>(flows.size())) return std::nullopt;
  return last_negative + 1;
}

}  // namespace leasesim::lease
