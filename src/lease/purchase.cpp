// The `purchase` contract (lease/purchase.hpp): capex or loan payments, opex, and the residual value
// as an inflow at the end.
#include "leasesim/lease/purchase.hpp"

#include <algorithm>
#include <cmath>

#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/units/quantity.hpp"

namespace leasesim::lease {

units::Money loan_payment(units::Money principal, double yearly_rate, int months) {
  if (months <= 0) return principal;
  const long double p = principal.micros();
  const long double i = yearly_rate / 12.0L;
  const long double a = i == 0 ? p / months : p * i / (1 - std::pow(1 + i, -static_cast<long double>(months)));
  return units::Money::from_micros(static_cast<std::int64_t>(std::llround(a)));
}

units::Money loan_balance(units::Money principal, double yearly_rate, int months, int paid) {
  if (months <= 0 || paid >= months) return {};
  paid = std::max(0, paid);
  const long double p = principal.micros();
  const long double i = yearly_rate / 12.0L;
  const long double a = loan_payment(principal, yearly_rate, months).micros();
  const long double grown = std::pow(1 + i, static_cast<long double>(paid));
  const long double b = i == 0 ? p - a * paid : p * grown - a * (grown - 1) / i;
  return units::Money::from_micros(std::max<std::int64_t>(0, static_cast<std::int64_t>(std::llround(b))));
}

namespace {

using units::month_number;

// Calendar months from `from` to `to`: the whole months, plus the part of the next one.
double calendar_months_between(std::int64_t from, std::int64_t to) {
  int whole = 0;
  while (units::add_months(from, whole + 1) <= to) ++whole;
  const std::int64_t a = units::add_months(from, whole), b = units::add_months(from, whole + 1);
  return whole + (b > a ? static_cast<double>(to - a) / static_cast<double>(b - a) : 0.0);
}

class PurchaseContract final : public ContractType {
 public:
  std::string_view name() const override { return "purchase"; }
  std::string_view summary() const override {
    return "racks bought: capex (or loan payments) at delivery, opex, the residual value back at the end";
  }
  bool committed() const override { return true; }
  std::int64_t available_from(const Lease& l) const override {
    return units::calendar_advance(l.start, terms(l).lead_time_s);
  }
  std::int64_t committed_gpu_ms(const Lease&, const BillingMonth& m) const override { return m.capacity_gpu_ms; }
  units::Money marginal_price_per_gpu_hour(const Lease&) const override { return {}; }
  Charges bill(const Lease& l, const BillingMonth& m) const override {
    const PurchaseTerms& t = terms(l);
    const units::Money capex = capex_of(l);
    Charges c;
    c.fee = prorate(opex_of(l), m.active_ms, m.month_ms);
    if (!m.dated()) {  // an average month (break-even demand curves): level cost
      c.fee += t.loan_months > 0 ? loan_payment(capex, t.loan_rate, t.loan_months)
                                 : prorate(capex, 1, std::max(1, t.depreciation_months));
      return c;
    }
    const std::int64_t delivery = available_from(l);
    const int since = month_number(m.from_utc) - month_number(delivery);  // 0: the delivery month
    if (t.loan_months > 0) {
      if (since < t.loan_months) c.fee += loan_payment(capex, t.loan_rate, t.loan_months);
    } else if (since == 0 || (m.first && since > 0)) {
      c.fee += capex;  // delivered before the horizon: paid in its first month
    }
    if (m.last) {
      const double held_months = calendar_months_between(delivery, m.to_utc);
      const double share =
          t.residual ? *t.residual : std::max(0.0, 1.0 - held_months / std::max(1, t.depreciation_months));
      c.fee -= share_of(capex, share);
      if (t.loan_months > 0) c.fee += loan_balance(capex, t.loan_rate, t.loan_months, since + 1);
    }
    return c;
  }
  double quoted_price_per_gpu_hour(const Lease& l, std::int64_t gpus) const override {
    const double gpu_hours = static_cast<double>(gpus) * units::seconds_per_month / 3600.0;
    const PurchaseTerms& t = terms(l);
    const double monthly = capex_of(l).dollars() / std::max(1, t.depreciation_months) + opex_of(l).dollars();
    return gpu_hours > 0 ? monthly / gpu_hours : 0.0;
  }

 private:
  static const PurchaseTerms& terms(const Lease& l) { return l.terms.get<PurchaseTerms>(); }
  static units::Money capex_of(const Lease& l) {
    return units::Money::from_micros(terms(l).capex_per_rack.micros() * std::max(0, l.racks));
  }
  static units::Money opex_of(const Lease& l) {
    return units::Money::from_micros(terms(l).opex_per_rack_month.micros() * std::max(0, l.racks));
  }
};

}  // namespace

const ContractType& purchase_contract() {
  static const PurchaseContract type;
  return type;
}

}  // namespace leasesim::lease
