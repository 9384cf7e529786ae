// Builds the lease ledger from a simulation result (see ledger.hpp for the attribution model) and
// sums it. Every split of an integer total uses split_exact, so GPU-time reconciles exactly too.
#include "leasesim/lease/ledger.hpp"

#include <algorithm>
#include <cmath>

#include "leasesim/lease/billing_math.hpp"
#include "leasesim/lease/contract_type.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::lease {

LedgerFigures& LedgerFigures::operator+=(const LedgerFigures& o) {
  capacity += o.capacity;
  committed += o.committed;
  failed += o.failed;
  unavailable += o.unavailable;
  delivered += o.delivered;
  spare += o.spare;
  allocated += o.allocated;
  productive += o.productive;
  lost += o.lost;
  idle += o.idle;
  resold += o.resold;
  energy_mwh += o.energy_mwh;
  tokens_trained += o.tokens_trained;
  jobs_completed += o.jobs_completed;
  fee += o.fee;
  usage += o.usage;
  burst += o.burst;
  borrow += o.borrow;
  energy += o.energy;
  sla_credit += o.sla_credit;
  resale_revenue += o.resale_revenue;
  provider_resale += o.provider_resale;
  energy_cost += o.energy_cost;
  depreciation += o.depreciation;
  opex += o.opex;
  return *this;
}

units::Money LedgerFigures::usage_on(std::string_view line) const { return usage[usage_line_index(line)]; }

double LedgerRow::availability() const {
  return figures.capacity > 0 ? static_cast<double>(figures.delivered) / static_cast<double>(figures.capacity) : 1.0;
}

DerivedCosts derive(const LedgerFigures& f) {
  DerivedCosts d;
  const double cost = f.tenant_cost().dollars();
  auto per = [cost](double x) { return x > 0 ? cost / x : 0.0; };
  d.usd_per_delivered_gpu_hour = per(cluster::gpu_hours(f.delivered));
  d.usd_per_productive_gpu_hour = per(cluster::gpu_hours(f.productive));
  d.usd_per_million_tokens = per(f.tokens_trained / 1e6);
  d.usd_per_completed_job = per(static_cast<double>(f.jobs_completed));
  d.idle_fraction = f.committed > 0 ? static_cast<double>(f.idle) / static_cast<double>(f.committed) : 0.0;
  d.availability = f.capacity > 0 ? static_cast<double>(f.delivered) / static_cast<double>(f.capacity) : 1.0;
  return d;
}

LedgerFigures Ledger::total() const {
  LedgerFigures t;
  for (const auto& r : rows) t += r.figures;
  return t;
}

LedgerFigures Ledger::month_total(std::int64_t month) const {
  LedgerFigures t;
  for (const auto& r : rows)
    if (r.month_start_utc == month) t += r.figures;
  return t;
}

LedgerFigures Ledger::lease_total(const std::string& lease) const {
  LedgerFigures t;
  for (const auto& r : rows)
    if (r.lease == lease) t += r.figures;
  return t;
}

LedgerFigures Ledger::lease_month(const std::string& lease, std::int64_t month) const {
  LedgerFigures t;
  for (const auto& r : rows)
    if (r.lease == lease && r.month_start_utc == month) t += r.figures;
  return t;
}

DeadlineTally Ledger::deadline_total() const {
  DeadlineTally t;
  for (const auto& [tenant, d] : deadlines) {
    t.hits += d.hits;
    t.misses += d.misses;
  }
  return t;
}

std::vector<Tenant> resolve_tenants(const std::vector<Lease>& leases, std::vector<Tenant> tenants) {
  for (const Lease& l : leases) {
    if (l.tenant.empty()) continue;
    auto it = std::find_if(tenants.begin(), tenants.end(), [&](const Tenant& t) { return t.name == l.tenant; });
    if (it == tenants.end()) {
      tenants.push_back(Tenant{l.tenant, {}, {}});
      it = std::prev(tenants.end());
    }
    if (std::find(it->leases.begin(), it->leases.end(), l.name) == it->leases.end()) it->leases.push_back(l.name);
  }
  return tenants;
}

namespace {

using units::Money;

struct MonthWindow {
  std::int64_t start_utc, end_utc;  // as simulated (clipped to the horizon)
  std::int64_t calendar_ms;         // the whole calendar month
  int month_number;                 // year × 12 + month − 1
};

MonthWindow window_of(const cluster::MonthLedger& m) {
  const std::int64_t day = m.month_start_utc >= 0 ? m.month_start_utc / 86400 : (m.month_start_utc - 86399) / 86400;
  units::CivilDate d = units::civil_from_days(day);
  d.day = 1;
  const std::int64_t first = units::days_from_civil(d) * 86400;
  return {m.month_start_utc, m.month_end_utc, (units::add_months(first, 1) - first) * 1000, d.year * 12 + d.month - 1};
}

using units::month_number;

// One lease's state within a month.
struct LeaseMonth {
  const Lease* lease = nullptr;
  const ContractType* type = nullptr;
  std::int64_t active_ms = 0, gpus = 0, capacity = 0, failed = 0, spare = 0, used = 0;
  std::int64_t from_utc = 0, to_utc = 0;  // the active part
  std::int64_t usable() const { return std::max<std::int64_t>(0, capacity - failed - spare); }
};

class MonthBuilder {
 public:
  MonthBuilder(const LedgerInput& in, const cluster::SimulationResult& r, const cluster::MonthLedger& m, Ledger& out,
               bool first, bool last)
      : in_(in), result_(r), m_(m), w_(window_of(m)), out_(out), first_(first), last_(last) {}

  void build() {
    lay_out_leases();
    const std::size_t first = out_.rows.size();
    for (auto& lm : leases_)
      if (lm.active_ms > 0) row(lm.lease->name, lm.lease->tenant, true, lm.type->name());
    std::vector<std::pair<const cluster::TenantMonth*, std::int64_t>> borrowers;
    for (const auto& tm : result_.tenant_months) {
      if (tm.month_start_utc != m_.month_start_utc) continue;
      const std::int64_t left = fill_own_leases(tm);
      if (left > 0) borrowers.push_back({&tm, left});
    }
    for (auto& [tm, left] : borrowers) overflow(*tm, left);
    for (const auto& tm : result_.tenant_months)
      if (tm.month_start_utc == m_.month_start_utc) split_tenant(tm, first);
    spread_idle_energy(first);
    for (std::size_t i = first; i < out_.rows.size(); ++i) bill(out_.rows[i]);
  }

 private:
  void lay_out_leases() {
    // Only capacity in service takes a share of failed and spare time: facility capacity no lease
    // provides is out of service (unleased) in the simulation.
    const std::int64_t cluster_ms = m_.gpu_ms.in_service();
    std::vector<std::int64_t> weights;
    for (const Lease& l : in_.leases) {
      LeaseMonth lm;
      lm.lease = &l;
      lm.type = &contract_type(l);
      const std::int64_t from = std::max(w_.start_utc, lm.type->available_from(l));
      const std::int64_t to = std::min(w_.end_utc, l.end());
      lm.active_ms = to > from ? (to - from) * 1000 : 0;
      lm.from_utc = from;
      lm.to_utc = to;
      if (lm.active_ms > 0) {
        const std::int64_t nominal = l.gpus_in_month(in_.rack, w_.month_number - month_number(l.start));
        lm.gpus = lm.type->supplied_gpus(l, nominal);
        // A market lease supplies what the market granted in this replication (capacity.hpp).
        if (lm.type->market(l)) {
          for (const auto& g : result_.market_grants)
            if (g.lease == l.name) lm.gpus = std::min<std::int64_t>(nominal, g.granted_gpus);
        }
        lm.capacity = lm.gpus * lm.active_ms;
      }
      weights.push_back(lm.capacity);
      leases_.push_back(lm);
    }
    std::int64_t leased = 0;
    for (auto w : weights) leased += w;
    weights.push_back(std::max<std::int64_t>(0, cluster_ms - leased));  // capacity outside every lease
    const auto failed = split_exact(m_.gpu_ms.failed, weights);
    const auto spare = split_exact(m_.gpu_ms.spare, weights);
    for (std::size_t i = 0; i < leases_.size(); ++i) {
      leases_[i].failed = std::min(failed[i], leases_[i].capacity);
      leases_[i].spare = std::min(spare[i], leases_[i].capacity - leases_[i].failed);
    }
  }

  LedgerRow& row(const std::string& lease, const std::string& tenant, bool holder, std::string_view type) {
    for (std::size_t i = first_row(); i < out_.rows.size(); ++i) {
      auto& r = out_.rows[i];
      if (r.lease == lease && r.tenant == tenant) return r;
    }
    LedgerRow r;
    r.month_start_utc = m_.month_start_utc;
    r.month_end_utc = m_.month_end_utc;
    r.lease = lease;
    r.tenant = tenant;
    r.holder = holder;
    r.type = std::string(type);
    for (const Lease& l : in_.leases)
      if (l.name == lease) r.site = l.site;
    if (std::find(out_.lease_order.begin(), out_.lease_order.end(), lease) == out_.lease_order.end()) {
      out_.lease_order.push_back(lease);
    }
    out_.rows.push_back(std::move(r));
    return out_.rows.back();
  }
  std::size_t first_row() const { return first_row_; }

  const Tenant* tenant(const std::string& name) const {
    for (const auto& t : in_.tenants)
      if (t.name == name) return &t;
    return nullptr;
  }

  // The tenant's leases in attribution order: committed first, cheapest first, then declaration.
  std::vector<LeaseMonth*> own_leases(const std::string& name) {
    std::vector<LeaseMonth*> own;
    for (auto& lm : leases_)
      if (lm.active_ms > 0 && lm.lease->tenant == name) own.push_back(&lm);
    std::stable_sort(own.begin(), own.end(), [this](const LeaseMonth* a, const LeaseMonth* b) {
      if (a->type->committed() != b->type->committed()) return a->type->committed();
      return price(*a) < price(*b);
    });
    return own;
  }
  double price(const LeaseMonth& lm) const {
    return lm.type->committed() ? lm.type->quoted_price_per_gpu_hour(*lm.lease, lm.lease->committed_gpus(in_.rack))
                                : lm.type->marginal_price_per_gpu_hour(*lm.lease).dollars();
  }

  static std::int64_t allocated(const cluster::TenantMonth& tm) {
    return tm.gpu_ms.productive + tm.gpu_ms.checkpointing + tm.gpu_ms.restarting + tm.gpu_ms.lost;
  }

  std::int64_t fill_own_leases(const cluster::TenantMonth& tm) {
    std::int64_t left = allocated(tm);
    for (LeaseMonth* lm : own_leases(tm.tenant)) {
      const std::int64_t take = std::min(left, std::max<std::int64_t>(0, lm->usable() - lm->used));
      if (take <= 0) continue;
      lm->used += take;
      row(lm->lease->name, tm.tenant, true, lm->type->name()).figures.allocated += take;
      left -= take;
    }
    return left;
  }

  void overflow(const cluster::TenantMonth& tm, std::int64_t left) {
    const Tenant* t = tenant(tm.tenant);
    const Overflow rule = t ? t->overflow : Overflow{};
    if (rule.rule == OverflowRule::burst) {
      auto& r = row(burst_lease_name, tm.tenant, true, "burst");
      r.figures.allocated += left;
      return;
    }
    if (rule.rule == OverflowRule::borrow) {
      for (auto& lm : leases_) {
        if (left == 0) break;
        if (lm.active_ms == 0 || lm.lease->tenant == tm.tenant || !lm.type->committed()) continue;
        const BillingMonth bm{w_.calendar_ms, lm.active_ms, lm.capacity, lm.used};
        const std::int64_t idle = std::min(lm.type->committed_gpu_ms(*lm.lease, bm), lm.usable()) - lm.used;
        const std::int64_t take = std::min(left, std::max<std::int64_t>(0, idle));
        if (take <= 0) continue;
        lm.used += take;
        row(lm.lease->name, tm.tenant, false, lm.type->name()).figures.allocated += take;
        left -= take;
      }
    }
    if (left == 0) return;
    // The simulation never lets a tenant hold more than its leases (and its overflow rule) provide,
    // so what is left is the pro-rata spread of failed and spare time landing on other leases than
    // the tenant's own failures did: it stays on the tenant's own leases, billed as their use.
    for (LeaseMonth* lm : own_leases(tm.tenant)) {
      lm->used += left;
      row(lm->lease->name, tm.tenant, true, lm->type->name()).figures.allocated += left;
      return;
    }
    // A tenant with no lease at all this month: an owner's view (no leases in the scenario), or
    // use the loader refuses; reported, never hidden.
    row(unleased_name, tm.tenant, true, "unleased").figures.allocated += left;
  }

  // The tenant's states, tokens, jobs and energy over its rows, by allocated share.
  void split_tenant(const cluster::TenantMonth& tm, std::size_t first) {
    std::vector<LedgerRow*> rows;
    std::vector<std::int64_t> weights;
    for (std::size_t i = first; i < out_.rows.size(); ++i) {
      if (out_.rows[i].tenant == tm.tenant && out_.rows[i].figures.allocated > 0) {
        rows.push_back(&out_.rows[i]);
        weights.push_back(out_.rows[i].figures.allocated);
      }
    }
    if (rows.empty()) return;
    const auto productive = split_exact(tm.gpu_ms.productive, weights);
    const auto lost = split_exact(tm.gpu_ms.lost + tm.gpu_ms.restarting, weights);
    const auto jobs = split_exact(tm.jobs_completed, productive);
    const double alloc = static_cast<double>(allocated(tm));
    const double prod = static_cast<double>(tm.gpu_ms.productive);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      LedgerFigures& f = rows[k]->figures;
      f.productive += productive[k];
      f.lost += lost[k];
      f.jobs_completed += jobs[k];
      f.tokens_trained += prod > 0 ? tm.tokens_trained * static_cast<double>(productive[k]) / prod : 0.0;
      f.energy_mwh += alloc > 0 ? tm.energy_mwh * static_cast<double>(weights[k]) / alloc : 0.0;
    }
  }

  // Energy not drawn by any tenant's jobs (idle, spare, failed GPUs and the facility around them)
  // goes to the lease holders pro rata of capacity.
  void spread_idle_energy(std::size_t first) {
    double tenants_mwh = 0;
    for (const auto& tm : result_.tenant_months)
      if (tm.month_start_utc == m_.month_start_utc) tenants_mwh += tm.energy_mwh;
    const double idle_mwh = std::max(0.0, m_.energy_mwh - tenants_mwh);
    const double cluster_ms = static_cast<double>(m_.gpu_ms.total());
    if (!(cluster_ms > 0)) return;
    for (auto& lm : leases_) {
      if (lm.active_ms == 0) continue;
      for (std::size_t i = first; i < out_.rows.size(); ++i) {
        auto& r = out_.rows[i];
        if (r.holder && r.lease == lm.lease->name)
          r.figures.energy_mwh += idle_mwh * static_cast<double>(lm.capacity) / cluster_ms;
      }
    }
  }

  const LeaseMonth* lease_month(const std::string& name) const {
    for (const auto& lm : leases_)
      if (lm.lease->name == name) return &lm;
    return nullptr;
  }

  void bill(LedgerRow& r) {
    LedgerFigures& f = r.figures;
    const LeaseMonth* lm = lease_month(r.lease);
    if (!lm) {  // burst or unleased
      if (r.type == "burst") {
        const Tenant* t = tenant(r.tenant);
        f.burst = price_of(t ? t->overflow.price_per_gpu_hour : Money{}, f.allocated);
      }
      return;
    }
    const Lease& l = *lm->lease;
    if (const double lost = lm->type->lost_productive_fraction(l); lost > 0) {  // e.g. spot preemptions
      const auto moved = static_cast<std::int64_t>(std::llround(static_cast<double>(f.productive) * lost));
      f.productive -= moved;
      f.lost += moved;
    }
    bill_energy(l, f);
    if (!r.holder) {
      const Tenant* t = tenant(r.tenant);
      f.borrow = price_of(t ? t->overflow.price_per_gpu_hour : Money{}, f.allocated);
      return;
    }
    BillingMonth bm{w_.calendar_ms, lm->active_ms, lm->capacity, lm->used};
    bm.from_utc = lm->from_utc;
    bm.to_utc = lm->to_utc;
    bm.first = first_;
    bm.last = last_ || lm->to_utc >= l.end();
    f.capacity = lm->capacity;
    f.committed = lm->type->committed_gpu_ms(l, bm);
    f.failed = lm->failed;
    f.spare = lm->spare;
    const double beyond_grace =
        l.sla ? outage_share_beyond_grace(in_.failures, in_.rack.gpus_per_node, in_.rack.gpus, l.sla->grace_s) : 1.0;
    f.unavailable = static_cast<std::int64_t>(std::llround(static_cast<double>(lm->failed) * beyond_grace));
    f.delivered = lm->capacity - f.unavailable;
    f.idle = std::max<std::int64_t>(0, std::min(f.committed, lm->usable()) - lm->used);
    Charges c = lm->type->bill(l, bm);
    c.fee = l.escalated(c.fee, w_.month_number - month_number(l.start));
    f.fee = c.fee;
    if (c.usage != Money{}) f.usage.add(usage_line_index(lm->type->usage_line()), c.usage);
    if (l.sla) f.sla_credit = l.sla->credit(c.total(), r.availability());
    if (l.resale) {
      f.resold = static_cast<std::int64_t>(std::llround(static_cast<double>(f.idle) * l.resale->fill_rate));
      const Money revenue = price_of(l.resale->price_per_gpu_hour, f.resold);
      f.resale_revenue = share_of(revenue, l.resale->holder_share);
      f.provider_resale = revenue - f.resale_revenue;
    }
    if (in_.rack.gpus > 0) {
      r.rack_months = static_cast<double>(lm->gpus) / in_.rack.gpus * static_cast<double>(lm->active_ms) /
                      static_cast<double>(w_.calendar_ms);
    }
    if (l.provider && in_.rack.gpus > 0) {
      const std::int64_t den = in_.rack.gpus * w_.calendar_ms;
      f.depreciation = prorate(l.provider->capex_per_rack, lm->gpus, lm->active_ms,
                               den * std::max(1, l.provider->depreciation_months));
      f.opex = prorate(l.provider->opex_per_rack_month, lm->gpus, lm->active_ms, den);
    }
  }

  void bill_energy(const Lease& l, LedgerFigures& f) const {
    if (!l.power) return;
    const double facility_pue = in_.facility_pue > 0 ? in_.facility_pue : 1.0;
    const double billed_mwh = f.energy_mwh * l.power->pue.value_or(facility_pue) / facility_pue;
    f.energy_cost = share_of(l.power->price_per_mwh, f.energy_mwh);
    if (l.power->payer == PowerPayer::tenant) f.energy = share_of(l.power->price_per_mwh, billed_mwh);
  }

  const LedgerInput& in_;
  const cluster::SimulationResult& result_;
  const cluster::MonthLedger& m_;
  MonthWindow w_;
  Ledger& out_;
  bool first_, last_;
  std::vector<LeaseMonth> leases_;
  std::size_t first_row_ = out_.rows.size();
};

}  // namespace

Ledger build_ledger(const LedgerInput& input, const cluster::SimulationResult& result) {
  Ledger ledger;
  for (const auto& l : input.leases) ledger.lease_order.push_back(l.name);
  for (std::size_t k = 0; k < result.months.size(); ++k) {
    ledger.months.push_back(result.months[k].month_start_utc);
    MonthBuilder(input, result, result.months[k], ledger, k == 0, k + 1 == result.months.size()).build();
  }
  for (const auto& j : result.jobs) {
    if (!j.deadline_met) continue;
    auto& d = ledger.deadlines[j.tenant];
    (*j.deadline_met ? d.hits : d.misses) += 1;
  }
  return ledger;
}

}  // namespace leasesim::lease
