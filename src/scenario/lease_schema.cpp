// The `leases[]` and `tenants[]` blocks of a scenario: one schema per contract type (shared keys
// plus the type's own keys, contract_keys.hpp), the riders (sla, resale, power, provider), tenants,
// and the cross-checks between leases, tenants and the cluster.
#include "leasesim/scenario/lease_schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>

#include "leasesim/lease/contract_type.hpp"
#include "leasesim/scenario/contract_keys.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/scenario/plausible.hpp"

namespace leasesim::scenario {

using units::Dimension;
using L = lease::Lease;

namespace {

const Bounds fraction_bounds = Bounds::at_least(0, 1);

// A duration in whole calendar months: "36 months", "3 years" or seconds that are one.
std::optional<int> read_months(const Json& v, const std::string& path, Diagnostics& d) {
  const auto s = read_quantity(v, path, Dimension::duration, Bounds::positive(30 * units::seconds_per_year), d);
  if (!s) return std::nullopt;
  const double months = *s / units::seconds_per_month;
  if (std::abs(months - std::round(months)) * units::seconds_per_month > units::seconds_per_day || months < 0.5) {
    d.expected(path, "a whole number of months (e.g. \"36 months\" or \"3 years\")", describe_found(v));
    return std::nullopt;
  }
  return static_cast<int>(std::lround(months));
}

FieldDoc block_doc(std::string key, std::string block, std::string doc) {
  return FieldDoc{std::move(key), "block", "", "{…}", "none", std::move(doc), false, {}, std::move(block), {}, false};
}

// An optional rider block read into `member` when present.
template <class U>
void optional_block(Schema<L>& s, const std::string& key, std::optional<U> L::*member, Schema<U> sub, std::string doc) {
  s.custom(holding(block_doc(key, sub.info().name, std::move(doc)), sub),
           [member, sub](L& l, const Json& v, const std::string& path, Diagnostics& d) {
             U value{};
             sub.read(v, path, value, d);
             l.*member = value;
           });
}

Schema<lease::Termination> termination_schema() {
  using T = lease::Termination;
  Schema<T> s("termination", "Early exit rights: after `earliest`, either side may end the lease with `notice`.");
  s.quantity("notice", Dimension::duration, &T::notice_s, Bounds::at_least(0, 10 * units::seconds_per_year),
             "Notice period (e.g. \"90 d\").", Need::required)
      .example(R"("90 d")")
      .plausible(plausible::wait_in_days(plausible::day_s, 10 * 365.2425 * plausible::day_s, 90 * plausible::day_s,
                                         "a notice period"))
      .quantity("earliest", Dimension::duration, &T::earliest_s, Bounds::at_least(0, 30 * units::seconds_per_year),
                "Earliest time after the start at which notice may be given (e.g. \"3 months\").")
      .example(R"("3 months")")
      .custom(FieldDoc{"notice_given",
                       "date",
                       "",
                       "\"2027-02-01\"",
                       "none",
                       "Exercise the right: notice given on this date ends the lease `notice` later.",
                       false,
                       {},
                       {},
                       {},
                       false},
              [](T& t, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto x = read_quantity(v, path, Dimension::date, Bounds{0.0, 7'258'118'400.0, false}, d)) {
                  t.notice_given = static_cast<std::int64_t>(*x);
                }
              });
  return s;
}

Schema<lease::CreditTier> tier_schema() {
  using T = lease::CreditTier;
  Schema<T> s("credit tier", "Below `below` availability, `credit` of the month's charges.");
  s.quantity("below", Dimension::fraction, &T::below, fraction_bounds, "Availability threshold (e.g. \"99.9%\").",
             Need::required)
      .example(R"("99.9%")")
      .quantity("credit", Dimension::fraction, &T::credit, fraction_bounds, "Credit as a share of the month's charges.",
                Need::required)
      .example(R"("10%")");
  return s;
}

Schema<lease::SlaTerms> sla_schema() {
  using T = lease::SlaTerms;
  Schema<T> s("sla", "Availability credits: delivered / committed GPU-hours per month.");
  s.list("tiers", &T::tiers, tier_schema(), 20, "Credit tiers (default: <99.9% 10%, <99% 25%, <95% 100%).")
      .quantity("cap", Dimension::fraction, &T::cap, fraction_bounds,
                "Most credited in a month, as a share of its charges.")
      .quantity("grace", Dimension::duration, &T::grace_s, Bounds::at_least(0, units::seconds_per_year),
                "Failed capacity back within this time does not count as unavailable.")
      .example(R"("15 min")")
      .choice("claim", &T::claim,
              {{"automatic", lease::ClaimRule::automatic}, {"on-request", lease::ClaimRule::on_request}},
              "Credits paid automatically, or only when the tenant claims them.")
      .quantity("claim_rate", Dimension::fraction, &T::claim_rate, fraction_bounds,
                "On-request: share of eligible credits the tenant claims.")
      .example(R"("50%")");
  return s;
}

Schema<lease::ResaleTerms> resale_schema() {
  using T = lease::ResaleTerms;
  Schema<T> s("resale", "Idle committed capacity sold as spot.");
  s.money("price_per_gpu_hour", &T::price_per_gpu_hour, price_bounds, "Resale price.", Need::required)
      .example(R"("$6.50")")
      .plausible(plausible::gpu_hour_price())
      .quantity("fill_rate", Dimension::fraction, &T::fill_rate, fraction_bounds, "Share of idle GPU-hours that sell.")
      .example(R"("60%")")
      .quantity("holder_share", Dimension::fraction, &T::holder_share, fraction_bounds,
                "Share of the revenue the lease holder keeps; the provider keeps the rest.")
      .example(R"("80%")");
  return s;
}

Schema<lease::PowerTerms> power_schema() {
  using T = lease::PowerTerms;
  Schema<T> s("power", "Energy passed through at a price per MWh.");
  s.money("price_per_mwh", &T::price_per_mwh, price_bounds, "Energy price per MWh.", Need::required)
      .example(R"("$80")")
      .plausible(plausible::energy_price())
      .choice("payer", &T::payer, {{"tenant", lease::PowerPayer::tenant}, {"provider", lease::PowerPayer::provider}},
              "Who pays for energy.")
      .custom(FieldDoc{"pue",
                       "number",
                       "",
                       "1.3",
                       "the facility's",
                       "Contract PUE energy is billed at.",
                       false,
                       {},
                       {},
                       Bounds::at_least(1, 5),
                       true},
              [](T& t, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto x = read_quantity(v, path, Dimension::count, Bounds::at_least(1, 5), d)) t.pue = *x;
              });
  return s;
}

}  // namespace

Schema<lease::Releasing> releasing_schema() {
  using R = lease::Releasing;
  Schema<R> s("releasing", "The provider re-leases racks a tenant's exit frees: at this price, after this delay.");
  s.money("price_per_gpu_hour", &R::price_per_gpu_hour, Bounds::positive(1e6), "Price the freed racks re-lease at.",
          Need::required)
      .example(R"("$6.50")")
      .plausible(plausible::gpu_hour_price())
      .quantity("delay", units::Dimension::duration, &R::delay_s, Bounds::at_least(0, 10 * units::seconds_per_year),
                "From the lease's end to the re-lease.")
      .example(R"("60 d")");
  return s;
}

namespace {

Schema<lease::ProviderCosts> provider_schema() {
  using T = lease::ProviderCosts;
  Schema<T> s("provider", "The provider's costs, for margin per rack-month.");
  s.money("capex_per_rack", &T::capex_per_rack, Bounds::at_least(0, 1e9), "Capital cost per rack.")
      .example(R"("$3.1M")")
      .plausible(plausible::rack_capex())
      .custom(FieldDoc{"depreciation",
                       "duration",
                       "s",
                       "\"72 months\"",
                       "72 months",
                       "Straight-line depreciation period.",
                       false,
                       {},
                       {},
                       {},
                       false},
              [](T& t, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto m = read_months(v, path, d)) t.depreciation_months = *m;
              })
      .money("opex_per_rack_month", &T::opex_per_rack_month, Bounds::at_least(0, 1e8), "Operating cost per rack-month.")
      .example(R"("$20k")")
      .plausible(plausible::rack_opex_month())
      .custom(holding(block_doc("releasing", "releasing",
                                "If the tenant exits at the first date its termination clause allows: the price and "
                                "delay at which the freed racks re-lease (compare's provider exit risk)."),
                      releasing_schema()),
              [r = releasing_schema()](T& t, const Json& v, const std::string& path, Diagnostics& d) {
                lease::Releasing value;
                r.read(v, path, value, d);
                t.releasing = value;
              });
  return s;
}

void read_ramp(L& l, const Json& v, const std::string& path, Diagnostics& d) {
  if (!v.is_array()) return d.expected(path, "a list of capacities by month", describe_found(v));
  if (v.size() > 600) return d.expected(path, "a list of at most 600 months", describe_found(v));
  l.ramp.clear();
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (auto x = read_integer(v[i], pointer_join(path, i), Bounds::at_least(0, 10'000'000), d)) l.ramp.push_back(*x);
  }
}

Schema<L> make_lease_schema(const lease::ContractType& type) {
  Schema<L> s(std::string(type.name()) + " lease",
              "A lease contract of type " + std::string(type.name()) + ": " + std::string(type.summary()) + ".");
  s.text("name", &L::name, "Name used in reports.", Need::required)
      .choice("type", &L::type, {{std::string(type.name()), std::string(type.name())}}, "Contract type.",
              Need::required)
      .text("tenant", &L::tenant, "Tenant holding the lease (with `tenants`, a declared one).")
      .integer("gpus", &L::gpus, Bounds::at_least(1, 10'000'000), "Capacity in GPUs (or give racks).")
      .example(R"(20736)")
      .integer("racks", &L::racks, Bounds::at_least(1, 100'000),
               "Capacity in racks of the cluster's rack type (or give gpus).")
      .example(R"(288)")
      .custom(FieldDoc{"ramp",
                       "list of integer",
                       "",
                       "[72, 144]",
                       "none",
                       "Capacity in month 1, 2, … of the lease, in the unit of gpus/racks; later months: full.",
                       false,
                       {},
                       {},
                       {},
                       false},
              read_ramp)
      .date("start", &L::start, "First day of the lease (UTC).", Need::required)
      .custom(FieldDoc{"term",
                       "duration",
                       "s",
                       "\"36 months\"",
                       "",
                       "Length in whole calendar months.",
                       true,
                       {},
                       {},
                       {},
                       false},
              [](L& l, const Json& v, const std::string& path, Diagnostics& d) {
                if (auto m = read_months(v, path, d)) l.term_months = *m;
              });
  const ContractKeys* own_keys = find_contract_keys(type.name());
  if (!own_keys) {
    throw std::logic_error("contract type '" + std::string(type.name()) +
                           "' has no keys registered (scenario/contract_keys.hpp)");
  }
  (*own_keys)(s);
  // After the type's own keys, which follow `term` (scenario/contract_keys.hpp).
  s.quantity("escalator", Dimension::fraction, &L::escalator, Bounds::at_least(0, 1),
             "Yearly rise of the fee at each anniversary of the start (e.g. \"3%\"), compounded.")
      .example(R"("3%")")
      .integer("prepaid_months", &L::prepaid_months, Bounds::at_least(0, 600),
               "Fees of the first N lease months paid at signing rather than at each month's end (cash flows).")
      .example(R"(3)");
  optional_block(s, "termination", &L::termination, termination_schema(), "Early exit rights.");
  optional_block(s, "sla", &L::sla, sla_schema(), "Availability credits.");
  optional_block(s, "resale", &L::resale, resale_schema(), "Resale of idle committed capacity.");
  optional_block(s, "power", &L::power, power_schema(), "Energy pass-through.");
  optional_block(s, "provider", &L::provider, provider_schema(), "The provider's costs (margin view).");
  s.check([](L& l, const Json& v, const std::string& path, Diagnostics& d) {
    if (!v.is_object()) return;
    const bool has_gpus = v.contains("gpus"), has_racks = v.contains("racks");
    if (has_gpus == has_racks) d.expected(path, "exactly one of \"gpus\" or \"racks\"", has_gpus ? "both" : "neither");
    if (l.termination && l.term_months > 0) {
      const auto term_path = pointer_join(path, "termination");
      if (l.termination->earliest_s > l.term_months * units::seconds_per_month) {
        d.expected(pointer_join(term_path, "earliest"), "a time within the term",
                   units::format_quantity(l.termination->earliest_s, Dimension::duration));
      } else if (l.termination->notice_given) {
        const std::int64_t first = units::calendar_advance(l.start, l.termination->earliest_s);
        if (*l.termination->notice_given < first ||
            *l.termination->notice_given >= units::add_months(l.start, l.term_months)) {
          d.expected(pointer_join(term_path, "notice_given"),
                     fmt::format("a date from {} (start + earliest) to the end of the term", units::format_date(first)),
                     units::format_date(*l.termination->notice_given));
        }
      }
    }
    if (l.ramp.size() > static_cast<std::size_t>(l.term_months) && l.term_months > 0) {
      d.expected(pointer_join(path, "ramp"), fmt::format("at most {} months (the term)", l.term_months),
                 fmt::format("{} months", l.ramp.size()));
    }
    const std::int64_t full = l.gpus > 0 ? l.gpus : l.racks;
    for (std::size_t i = 0; i < l.ramp.size(); ++i) {
      if (l.ramp[i] > full) {
        d.expected(pointer_join(pointer_join(path, "ramp"), i), fmt::format("at most the lease's capacity, {}", full),
                   std::to_string(l.ramp[i]));
      }
    }
  });
  return s;
}

}  // namespace

std::optional<int> read_whole_months(const Json& v, const std::string& path, Diagnostics& d) {
  return read_months(v, path, d);
}

const Schema<L>* lease_schema_of(const std::string& type) {
  // Built on first use of each type, so a type registered later (a test's) gets one too; a type
  // no longer registered has none.
  const lease::ContractType* t = lease::find_contract_type(type);
  if (!t) return nullptr;
  static std::mutex mutex;
  static std::map<std::string, Schema<L>> schemas;  // map nodes stay put as types are added
  const std::lock_guard lock(mutex);
  if (auto it = schemas.find(type); it != schemas.end()) return &it->second;
  return &schemas.emplace(type, make_lease_schema(*t)).first->second;
}

void read_lease(L& out, const Json& v, const std::string& path, Diagnostics& d) {
  if (!v.is_object()) return d.expected(path, "an object", describe_found(v));
  const auto names = lease::contract_type_names();
  auto it = v.find("type");
  if (it == v.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    return d.expected(pointer_join(path, "type"), "key \"type\" (one of " + list + ")", "nothing");
  }
  const auto type = read_choice(*it, pointer_join(path, "type"), names, d);
  if (!type) return;
  lease_schema_of(*type)->read(v, path, out, d);
}

void read_leases(std::vector<L>& out, const Json& v, const std::string& path, Diagnostics& d) {
  if (!v.is_array()) return d.expected(path, "a list", describe_found(v));
  if (v.size() > 1000) return d.expected(path, "a list of at most 1000 items", describe_found(v));
  out.clear();
  for (std::size_t i = 0; i < v.size(); ++i) {
    L item;
    read_lease(item, v[i], pointer_join(path, i), d);
    out.push_back(std::move(item));
  }
}

FieldDoc leases_field_doc() {
  FieldDoc f{"leases", "list of block", "", "[{…}]", "", "Lease contracts, each tagged by `type`.", false,
             {},       "lease",         {}, false};
  f.choices = lease::contract_type_names();
  for (const auto& type : f.choices)
    f.schemas.push_back(std::make_shared<const SchemaInfo>(lease_schema_of(type)->info()));
  return f;
}

const Schema<lease::Tenant>& tenant_schema() {
  static const Schema<lease::Tenant> schema = [] {
    using T = lease::Tenant;
    Schema<lease::Overflow> o("overflow", "What happens to demand beyond the tenant's leases.");
    o.choice("rule", &lease::Overflow::rule,
             {{"queue", lease::OverflowRule::queue},
              {"burst", lease::OverflowRule::burst},
              {"borrow", lease::OverflowRule::borrow}},
             "queue: wait; burst: on-demand at the price; borrow: others' idle capacity, preemptibly.", Need::required)
        .money("price_per_gpu_hour", &lease::Overflow::price_per_gpu_hour, price_bounds,
               "Price of a burst or borrowed GPU-hour (default $0).")
        .example(R"("$10.50")")
        .plausible(plausible::gpu_hour_price());
    Schema<T> s("tenant", "A tenant: the leases it holds and its overflow rule.");
    s.text("name", &T::name, "Name; jobs name it in `tenant`.", Need::required)
        .custom(FieldDoc{"leases",
                         "list of string",
                         "",
                         "[\"reflection\"]",
                         "none",
                         "Names of the leases it holds.",
                         false,
                         {},
                         {},
                         {},
                         false},
                [](T& t, const Json& v, const std::string& path, Diagnostics& d) {
                  if (!v.is_array()) return d.expected(path, "a list of lease names", describe_found(v));
                  if (v.size() > 1000) return d.expected(path, "a list of at most 1000 names", describe_found(v));
                  for (std::size_t i = 0; i < v.size(); ++i) {
                    if (v[i].is_string())
                      t.leases.push_back(v[i].get<std::string>());
                    else
                      d.expected(pointer_join(path, i), "a lease name", describe_found(v[i]));
                  }
                })
        .block("overflow", &T::overflow, o, "Overflow rule (default: queue).");
    return s;
  }();
  return schema;
}

void check_leases_and_tenants(std::vector<L>& leases, std::vector<lease::Tenant>& tenants,
                              const hw::ClusterSpec& cluster, const std::string& base, Diagnostics& d) {
  std::vector<std::string> lease_names;
  for (std::size_t i = 0; i < leases.size(); ++i) {
    const auto& l = leases[i];
    const auto path = pointer_join(pointer_join(base, "leases"), i);
    if (std::find(lease_names.begin(), lease_names.end(), l.name) != lease_names.end()) {
      d.error(pointer_join(path, "name"), fmt::format("duplicate lease name \"{}\"", l.name));
    }
    lease_names.push_back(l.name);
    if (l.racks > cluster.racks) {
      d.expected(pointer_join(path, "racks"), fmt::format("at most the cluster's {} racks", cluster.racks),
                 std::to_string(l.racks));
    }
    if (l.gpus > cluster.gpus()) {
      d.expected(pointer_join(path, "gpus"), fmt::format("at most the cluster's {} GPUs", cluster.gpus()),
                 std::to_string(l.gpus));
    }
  }
  std::map<std::string, std::string> held_by;
  for (std::size_t i = 0; i < tenants.size(); ++i) {
    const auto path = pointer_join(pointer_join(base, "tenants"), i);
    for (std::size_t k = 0; k < i; ++k) {
      if (tenants[k].name == tenants[i].name)
        d.error(pointer_join(path, "name"), fmt::format("duplicate tenant name \"{}\"", tenants[i].name));
    }
    for (std::size_t j = 0; j < tenants[i].leases.size(); ++j) {
      const std::string& name = tenants[i].leases[j];
      const auto item = pointer_join(pointer_join(path, "leases"), j);
      auto l = std::find_if(leases.begin(), leases.end(), [&](const L& x) { return x.name == name; });
      if (l == leases.end()) {
        std::string found = "\"" + name + "\"";
        if (auto near = did_you_mean(name, lease_names)) found += " — did you mean " + *near + "?";
        std::string known;
        for (const auto& n : lease_names) known += (known.empty() ? "" : ", ") + n;
        d.expected(item, "the name of a lease (" + (known.empty() ? std::string("none declared") : known) + ")", found);
        continue;
      }
      if (auto prev = held_by.find(name); prev != held_by.end()) {
        d.error(item, fmt::format("lease \"{}\" is already held by tenant \"{}\"", name, prev->second));
        continue;
      }
      held_by[name] = tenants[i].name;
      if (!l->tenant.empty() && l->tenant != tenants[i].name) {
        d.error(item, fmt::format("lease \"{}\" names tenant \"{}\" as its holder", name, l->tenant));
        continue;
      }
      l->tenant = tenants[i].name;
    }
  }
  if (tenants.empty()) return;
  std::vector<std::string> declared;
  for (const auto& t : tenants) declared.push_back(t.name);
  for (std::size_t i = 0; i < leases.size(); ++i) {
    const auto& name = leases[i].tenant;
    if (name.empty() || std::find(declared.begin(), declared.end(), name) != declared.end()) continue;
    if (held_by.count(leases[i].name) > 0) continue;  // a tenant lists it: the conflict is reported above
    d.expected(pointer_join(pointer_join(pointer_join(base, "leases"), i), "tenant"),
               "a declared tenant (" + name_list(declared) + ")", quoted_with_hint(name, declared));
  }
}

std::vector<std::string> lease_holders(const std::vector<L>& leases) {
  std::vector<std::string> out;
  for (const auto& l : leases) {
    if (!l.tenant.empty() && std::find(out.begin(), out.end(), l.tenant) == out.end()) out.push_back(l.tenant);
  }
  return out;
}

std::string name_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string quoted_with_hint(const std::string& given, const std::vector<std::string>& candidates) {
  std::string found = "\"" + given + "\"";
  if (auto near = did_you_mean(given, candidates)) found += " — did you mean " + *near + "?";
  return found;
}

namespace {

// First instant of the calendar month holding `utc`.
std::int64_t month_start(std::int64_t utc) {
  const auto day = utc >= 0 ? utc / 86400 : (utc - 86399) / 86400;
  units::CivilDate c = units::civil_from_days(day);
  c.day = 1;
  return units::days_from_civil(c) * 86400;
}

}  // namespace

void check_lease_capacity(const std::vector<L>& leases, const hw::ClusterSpec& cluster, const std::string& base,
                          Diagnostics& d) {
  const std::int64_t cluster_gpus = cluster.gpus();
  // A single lease beyond the cluster is reported by check_leases_and_tenants; the sum is checked
  // only when each lease fits alone, so one mistake gives one line.
  for (const auto& l : leases) {
    if (l.committed_gpus(cluster.rack) > cluster_gpus || l.racks > cluster.racks) return;
  }
  // Capacity changes: +full (or the ramp's first month) at the start, the ramp's steps at calendar
  // month boundaries, -capacity at the end. At equal instants ends come first (a lease's end is the
  // first instant after it).
  struct Event {
    std::int64_t at;
    std::int64_t delta;
    std::size_t lease;
  };
  std::vector<Event> events;
  for (std::size_t i = 0; i < leases.size(); ++i) {
    const auto& l = leases[i];
    const std::int64_t end = l.end();
    if (end <= l.start) continue;
    std::int64_t current = l.gpus_in_month(cluster.rack, 0);
    events.push_back({l.start, current, i});
    for (int k = 1; k <= static_cast<int>(l.ramp.size()); ++k) {
      const std::int64_t at = units::add_months(month_start(l.start), k);
      if (at >= end) break;
      const std::int64_t next = l.gpus_in_month(cluster.rack, k);
      if (next != current) events.push_back({at, next - current, i});
      current = next;
    }
    events.push_back({end, -current, i});
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.at != b.at) return a.at < b.at;
    if ((a.delta < 0) != (b.delta < 0)) return a.delta < 0;
    return a.lease < b.lease;  // the last lease declared is the one named
  });
  std::vector<std::int64_t> held(leases.size(), 0);
  std::int64_t total = 0;
  for (std::size_t e = 0; e < events.size(); ++e) {
    held[events[e].lease] += events[e].delta;
    total += events[e].delta;
    const bool last_at_instant = e + 1 == events.size() || events[e + 1].at != events[e].at;
    if (!last_at_instant || total <= cluster_gpus) continue;
    std::string parts;
    for (std::size_t i = 0; i < leases.size(); ++i) {
      if (held[i] > 0) parts += fmt::format("{}\"{}\" {}", parts.empty() ? "" : " + ", leases[i].name, held[i]);
    }
    const std::size_t culprit = events[e].lease;
    d.expected(pointer_join(pointer_join(base, "leases"), culprit),
               fmt::format("leases that fit the cluster's {} GPUs ({} racks x {}) at every instant", cluster_gpus,
                           cluster.racks, cluster.rack.gpus),
               fmt::format("{} GPUs leased on {} ({})", total, units::format_date(events[e].at), parts));
    return;  // the first instant over the cluster says enough
  }
}

void check_lease_dates(const std::vector<L>& leases, std::int64_t horizon_start, std::int64_t horizon_end,
                       const std::string& base, Diagnostics& d) {
  for (std::size_t i = 0; i < leases.size(); ++i) {
    const auto& l = leases[i];
    const std::int64_t end = l.end();
    if (l.start < horizon_end && end > horizon_start) continue;
    d.expected(pointer_join(pointer_join(pointer_join(base, "leases"), i), "start"),
               fmt::format("a lease overlapping the horizon, {} to {}", units::format_date(horizon_start),
                           units::format_date(horizon_end)),
               fmt::format("{} to {}", units::format_date(l.start), units::format_date(end)));
  }
}

}  // namespace leasesim::scenario
