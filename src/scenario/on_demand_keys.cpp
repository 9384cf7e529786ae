// The keys of an on-demand lease (lease/on_demand.hpp): the list price, the expected grant or the
// market it is drawn from, and the lead time.
#include <fmt/format.h>

#include "leasesim/lease/on_demand.hpp"
#include "leasesim/scenario/contract_keys.hpp"
#include "leasesim/scenario/plausible.hpp"

namespace leasesim::scenario {

namespace {

// "availability_by_size": [{"gpus": 512, "probability": 0.9}, …], sizes ascending, chances falling.
void read_points(cluster::MarketCurve& m, const Json& v, const std::string& path, Diagnostics& d) {
  if (!v.is_array() || v.empty())
    return d.expected(path, "a non-empty list of {\"gpus\": N, \"probability\": P}", describe_found(v));
  if (v.size() > 64) return d.expected(path, "a list of at most 64 points", describe_found(v));
  m.at.clear();
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string at = pointer_join(path, i);
    const Json& p = v[i];
    if (!p.is_object() || !p.contains("gpus") || !p.contains("probability") || p.size() != 2)
      return d.expected(at, "{\"gpus\": N, \"probability\": P}", describe_found(p));
    const Json &g = p["gpus"], &q = p["probability"];
    if (!g.is_number_integer() || g.get<long long>() < 1 || g.get<long long>() > 100'000'000)
      return d.expected(pointer_join(at, "gpus"), "a whole number of GPUs from 1 to 100000000", describe_found(g));
    if (!q.is_number() || !(q.get<double>() > 0) || q.get<double>() > 1)
      return d.expected(pointer_join(at, "probability"), "a probability in (0, 1]", describe_found(q));
    const long long gpus = g.get<long long>();
    const double prob = q.get<double>();
    if (!m.at.empty() && gpus <= m.at.back().first)
      return d.expected(pointer_join(at, "gpus"),
                        fmt::format("more GPUs than the point before ({})", m.at.back().first), describe_found(g));
    if (!m.at.empty() && prob > m.at.back().second)
      return d.expected(pointer_join(at, "probability"),
                        fmt::format("a chance no higher than the point before ({:g}): a larger block is no likelier",
                                    m.at.back().second),
                        describe_found(q));
    m.at.emplace_back(gpus, prob);
  }
}

Schema<cluster::MarketCurve> market_schema() {
  using M = cluster::MarketCurve;
  Schema<M> s("market",
              "The market on-demand capacity is drawn from, per replication: the chance of a grant of at least N "
              "GPUs (whole racks) falls with N; none exceeds the ceiling. A preset name, or a block.");
  s.integer("ceiling_gpus", &M::ceiling_gpus, Bounds::at_least(0, 100'000'000),
            "The largest grant the market makes; 0 = none stated.")
      .example(R"(8192)")
      .custom(field_doc("availability_by_size", "list of {gpus, probability}",
                        "[{\"gpus\": 512, \"probability\": 0.9}, {\"gpus\": 2048, \"probability\": 0.5}]", "",
                        "P(a grant of at least that many GPUs), sizes ascending: the first point's chance holds "
                        "below it, log-linear in N between points, the last point's up to the ceiling."),
              [](M& out, const Json& v, const std::string& path, Diagnostics& d) { read_points(out, v, path, d); });
  s.presets([](const std::string& n) { return lease::find_market_preset(n); }, lease::market_preset_names());
  s.check([](M& out, const Json& v, const std::string& path, Diagnostics& d) {
    if (out.at.empty()) return d.expected(path, "\"availability_by_size\" (or a preset)", "a market without chances");
    if (out.ceiling_gpus > 0 && out.at.front().first > out.ceiling_gpus)
      return d.expected(pointer_join(path, "ceiling_gpus"),
                        fmt::format("a ceiling of at least the first size ({} GPUs)", out.at.front().first),
                        describe_found(v.is_object() && v.contains("ceiling_gpus") ? v["ceiling_gpus"] : Json(0)));
    if (v.is_object() && !v.contains("preset")) out.name.clear();
  });
  return s;
}

}  // namespace

void on_demand_keys(Schema<lease::Lease>& s) {
  using T = lease::OnDemandTerms;
  Schema<T> terms("on-demand terms", "");
  static const Schema<cluster::MarketCurve> market = market_schema();
  FieldDoc market_doc = field_doc(
      "market", "block", "\"capacity-blocks\"",
      "", "Draw the grant per replication from a market whose chance falls with the size asked for (presets: " + [] {
        std::string n;
        for (const auto& p : lease::market_preset_names()) n += (n.empty() ? "" : ", ") + p;
        return n;
      }() + "); instead of `availability`.");
  market_doc.block = market.info().name;
  market_doc.schemas = {std::make_shared<const SchemaInfo>(market.info())};
  terms.money("price_per_gpu_hour", &T::price_per_gpu_hour, price_bounds, "List price per GPU-hour.", Need::required)
      .example(R"("$10.50")")
      .plausible(plausible::gpu_hour_price())
      .quantity("availability", units::Dimension::fraction, &T::availability, Bounds::positive(1),
                "Probability a requested GPU is granted (the expected share of the cap).")
      .example(R"("90%")")
      .quantity("lead_time", units::Dimension::duration, &T::lead_time_s, Bounds::at_least(0, units::seconds_per_year),
                "Wait before the capacity arrives.")
      .example(R"("14 d")")
      .plausible(plausible::wait_in_days(60, 365.2425 * plausible::day_s, plausible::day_s, "an on-demand lead time"))
      .custom(market_doc, [](T& out, const Json& v, const std::string& path, Diagnostics& d) {
        cluster::MarketCurve m;
        const std::size_t before = d.problems().size();
        market.read(v, path, m, d);
        if (d.problems().size() == before) out.market = std::move(m);
      });
  terms.check([](T& out, const Json& v, const std::string& path, Diagnostics& d) {
    if (out.market && v.is_object() && v.contains("availability"))
      d.expected(pointer_join(path, "availability"), "one of \"availability\" or \"market\"", "both");
  });
  embed_terms(s, terms);
}

}  // namespace leasesim::scenario
