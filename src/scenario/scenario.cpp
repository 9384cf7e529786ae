// The top level of a scenario file: name, seed, cluster, horizon, leases and tenants, and the load entry
// points that turn a file into a validated Scenario or a list of problems.
#include "leasesim/scenario/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "leasesim/cluster/job_arrivals.hpp"
#include "leasesim/lease/capacity.hpp"
#include "leasesim/lease/ledger.hpp"
#include "leasesim/lease/on_demand.hpp"
#include "leasesim/scenario/catalog.hpp"
#include "leasesim/scenario/expectation_grammar.hpp"
#include "leasesim/scenario/hardware_schema.hpp"
#include "leasesim/scenario/json_text.hpp"
#include "leasesim/scenario/lease_schema.hpp"
#include "leasesim/scenario/workload_schema.hpp"
#include "leasesim/units/date.hpp"
#include "leasesim/scenario/plausible.hpp"

namespace leasesim::scenario {

using units::Dimension;

const std::vector<std::string>& sensitivity_input_names() {
  static const std::vector<std::string> names = {"throughput",           "failure_rates",    "tokens",
                                                 "lease_price",          "on_demand_price",  "on_demand_availability",
                                                 "checkpoint_bandwidth", "restart_overhead", "arrivals"};
  return names;
}

namespace {

const Schema<SensitivityRequest>& sensitivity_schema() {
  static const Schema<SensitivityRequest> schema = [] {
    using R = SensitivityRequest;
    Schema<R> s("sensitivity",
                "A sensitivity `run` answers with: its Answers say which input moves the deadline job's P90 end "
                "and the mean cost most. Each input costs two more runs of `replications` replications.");
    FieldDoc inputs = field_doc("inputs", "list of string", "[\"throughput\", \"tokens\"]", "",
                                "Inputs to swing at their catalog ranges (as `leasesim sensitivity --input`).", true);
    inputs.choices = sensitivity_input_names();
    s.custom(
         inputs,
         [](R& out, const Json& v, const std::string& path, Diagnostics& d) {
           if (!v.is_array() || v.empty() || v.size() > 16)
             return d.expected(path, "a list of 1 to 16 input names", describe_found(v));
           const auto& names = sensitivity_input_names();
           for (std::size_t i = 0; i < v.size(); ++i) {
             if (!v[i].is_string() || std::find(names.begin(), names.end(), v[i].get<std::string>()) == names.end()) {
               std::string all;
               for (const auto& x : names) all += (all.empty() ? "" : ", ") + x;
               d.expected(pointer_join(path, i), "one of " + all, describe_found(v[i]));
               continue;
             }
             out.inputs.push_back(v[i].get<std::string>());
           }
         })
        .integer("replications", &R::replications, Bounds::at_least(1, 100), "Replications of each swing's run.")
        .text("job", &R::job, "The job whose P90 end is measured; default: the first with a deadline.");
    s.check([](R& out, const Json&, const std::string& path, Diagnostics& d) {
      if (out.inputs.empty()) d.expected(pointer_join(path, "inputs"), "a list of input names", "nothing");
    });
    return s;
  }();
  return schema;
}

FieldDoc sensitivity_field() {
  FieldDoc f = field_doc("sensitivity", "block", "{\"inputs\": [\"throughput\", \"tokens\"]}", "",
                         "Which input moves the answer, on run's first screen (a one-at-a-time sensitivity).");
  f.block = sensitivity_schema().info().name;
  f.schemas = {std::make_shared<const SchemaInfo>(sensitivity_schema().info())};
  return f;
}

Schema<SiteBlock> make_site_schema(const Catalog& catalog) {
  Schema<SiteBlock> s(
      "site",
      "One site of several: its own racks, fabric block and leases (docs/leases.md, \"Several sites\"). "
      "Every site has the same rack, fabric, storage and power in this version; only `racks` differs.");
  s.text("name", &SiteBlock::name, "Name of the site (unique; a job's `site` names it).", Need::required)
      .block("cluster", &SiteBlock::cluster, cluster_schema(catalog), "The site's cluster.", Need::required)
      .custom(leases_field_doc(), [](SiteBlock& site, const Json& v, const std::string& path, Diagnostics& d) {
        read_leases(site.leases, v, path, d);
      });
  return s;
}

Schema<hw::SiteSpan> inter_site_schema() {
  Schema<hw::SiteSpan> s("inter_site",
                         "The link between two sites that a job with `span_sites` crosses (docs/leases.md, \"Several "
                         "sites\"): one per site pair, shared by the job's flows that cross it.");
  s.quantity("bandwidth", Dimension::data_rate, &hw::SiteSpan::bandwidth, Bounds::positive(1e16),
             "Bandwidth of one site pair's link, each direction (e.g. \"25.6 Tb/s\").", Need::required)
      .quantity("latency", Dimension::duration, &hw::SiteSpan::latency_s, Bounds::at_least(0, 1),
                "One-way latency between two sites (e.g. \"1 ms\": about 200 km of fiber).", Need::required);
  return s;
}

Schema<Horizon> horizon_schema() {
  Schema<Horizon> s("horizon", "The simulated period.");
  s.date("start", &Horizon::start, "First instant simulated (UTC).", Need::required)
      .quantity("length", Dimension::duration, &Horizon::length_s, Bounds::positive(30 * units::seconds_per_year),
                "How long to simulate (e.g. \"36 months\").", Need::required)
      .example(R"("36 months")")
      .plausible(plausible::horizon_length());
  return s;
}

Schema<lease::Finance> finance_schema() {
  Schema<lease::Finance> s("finance",
                           "Money over time: every lease's monthly cash flows discounted to the horizon start "
                           "(each month's bill paid at its end, prepaid fees at signing; docs/leases.md).");
  s.quantity("discount_rate", Dimension::fraction, &lease::Finance::discount_rate, Bounds::at_least(0, 1),
             "Yearly discount rate (e.g. \"10%\"); a flow t months after the start is divided by (1 + r)^(t/12).",
             Need::required)
      .example(R"("8%")");
  return s;
}

// The tenant of every job and generator. With leases, it must hold one (else the ledger bills its
// GPU-hours to nobody: "(unleased)"); a job naming no tenant runs as tenant "", which holds none.
// Without leases (the owner's view) any tenant goes, but with `tenants` declared it must be one.
void check_demand_tenants(const Scenario& sc, Diagnostics& d) {
  std::vector<std::string> declared;
  for (const auto& t : sc.tenants) declared.push_back(t.name);
  const std::vector<std::string> holders = lease_holders(sc.leases);
  const auto check = [&](const std::string& tenant, const std::string& item) {
    const auto path = pointer_join(item, "tenant");
    if (!sc.leases.empty()) {
      if (std::find(holders.begin(), holders.end(), tenant) != holders.end()) return;
      const std::string expected = holders.empty() ? std::string("a tenant holding a lease (no lease names its tenant)")
                                                   : "a tenant holding a lease (" + name_list(holders) + ")";
      // The simulation runs a job without a tenant as tenant "": no lease bills it.
      if (tenant.empty()) return d.expected(path, "key \"tenant\" naming " + expected, "nothing");
      return d.expected(path, expected, quoted_with_hint(tenant, holders));
    }
    if (!declared.empty() && !tenant.empty() && std::find(declared.begin(), declared.end(), tenant) == declared.end()) {
      d.expected(path, "a declared tenant (" + name_list(declared) + ")", quoted_with_hint(tenant, declared));
    }
  };
  for (std::size_t i = 0; i < sc.jobs.size(); ++i)
    check(sc.jobs[i].spec.tenant, pointer_join(pointer_join("", "jobs"), i));
  for (std::size_t i = 0; i < sc.generators.size(); ++i) {
    check(sc.generators[i].spec.tenant, pointer_join(pointer_join("", "generators"), i));
  }
}

// Roadmaps: every `after` names another listed job, once; and no jobs wait for each other in a cycle.
void check_chains(const Scenario& sc, Diagnostics& d) {
  std::unordered_map<std::string_view, std::size_t> index;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < sc.jobs.size(); ++i) {
    index.emplace(sc.jobs[i].spec.training.name, i);
    names.push_back(sc.jobs[i].spec.training.name);
  }
  std::vector<std::vector<std::size_t>> preds(sc.jobs.size());
  bool any = false;
  for (std::size_t i = 0; i < sc.jobs.size(); ++i) {
    const auto& j = sc.jobs[i].spec;
    const auto path = pointer_join(pointer_join(pointer_join("", "jobs"), i), "after");
    for (std::size_t k = 0; k < j.after.size(); ++k) {
      const std::string& name = j.after[k];
      const auto p = pointer_join(path, k);
      any = true;
      if (name == j.training.name) {
        d.expected(p, "the name of another job (a job cannot wait for itself)", "\"" + name + "\", its own name");
        continue;
      }
      if (std::find(j.after.begin(), j.after.begin() + static_cast<std::ptrdiff_t>(k), name) !=
          j.after.begin() + static_cast<std::ptrdiff_t>(k)) {
        d.error(p, fmt::format("\"{}\" is listed twice in after", name));
        continue;
      }
      const auto it = index.find(name);
      if (it == index.end()) {
        std::string found = quoted_with_hint(name, names);
        for (const auto& g : sc.generators)
          if (name.rfind(g.spec.name + "-", 0) == 0) {
            found += " (generated jobs cannot be predecessors)";
            break;
          }
        d.expected(p, "the name of a job listed in the scenario", found);
        continue;
      }
      preds[i].push_back(it->second);
    }
  }
  if (!any) return;
  // Cycles, by depth-first search: each one named once, at the job where it was found.
  std::vector<std::uint8_t> state(sc.jobs.size(), 0);  // 0 new, 1 on the path, 2 done
  std::vector<std::size_t> path;
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    state[i] = 1;
    path.push_back(i);
    for (std::size_t p : preds[i]) {
      if (state[p] == 1) {
        std::string cycle;
        const auto from = std::find(path.begin(), path.end(), p);
        for (auto it = from; it != path.end(); ++it) cycle += sc.jobs[*it].spec.training.name + " → ";
        cycle += sc.jobs[p].spec.training.name;
        d.error(pointer_join(pointer_join(pointer_join("", "jobs"), i), "after"),
                "jobs wait for each other in a cycle (each waits for the next): " + cycle);
      } else if (state[p] == 0) {
        visit(p);
      }
    }
    path.pop_back();
    state[i] = 2;
  };
  for (std::size_t i = 0; i < sc.jobs.size(); ++i)
    if (state[i] == 0 && !preds[i].empty()) visit(i);
}

// Several sites: a job's `site` names one (did-you-mean); `span_sites` needs the inter-site link;
// what the simulation cannot do across sites yet is refused here.
void check_job_sites(const Scenario& sc, Diagnostics& d) {
  std::vector<std::string> names;
  for (const auto& s : sc.sites) names.push_back(s.name);
  for (std::size_t i = 0; i < sc.jobs.size(); ++i) {
    const auto& j = sc.jobs[i].spec;
    const auto path = pointer_join(pointer_join("", "jobs"), i);
    if (!j.site.empty()) {
      if (sc.sites.empty())
        d.expected(pointer_join(path, "site"), "no site (the scenario has no \"sites\")", "\"" + j.site + "\"");
      else if (std::find(names.begin(), names.end(), j.site) == names.end())
        d.expected(pointer_join(path, "site"), "one of the scenario's sites (" + name_list(names) + ")",
                   quoted_with_hint(j.site, names));
      if (j.span_sites) d.error(pointer_join(path, "span_sites"), "a job with a \"site\" cannot span sites");
    }
    if (j.span_sites && !sc.inter_site)
      d.expected("/inter_site", "a block {\"bandwidth\", \"latency\"} (jobs/" + std::to_string(i) + " may span sites)",
                 "nothing");
    if (!sc.sites.empty() && j.min_gpus > 0)
      d.expected(pointer_join(path, "gpus"), "a GPU count (elastic jobs do not run in a scenario with sites yet)",
                 "{\"min\", \"max\"}");
  }
  if (sc.sites.size() > 1 && sc.fidelity == cluster::Fidelity::flow)
    d.expected("/fidelity", "\"analytical\" (the flow fidelity does not run several sites yet)", "\"flow\"");
}

Schema<Scenario> make_scenario_schema() {
  const Catalog& catalog = Catalog::builtin();
  Schema<Scenario> s("scenario",
                     "A leasesim scenario: the cluster, the period, the leases and tenants, and the demand.");
  s.text("name", &Scenario::name, "Name used in reports; default: the file name without .json.")
      .text("description", &Scenario::description, "Free text.")
      .integer("seed", &Scenario::seed, Bounds::at_least(0, 9'007'199'254'740'991.0),
               "Seed of every random draw; same file and seed give byte-identical output.")
      .block("cluster", &Scenario::cluster, cluster_schema(catalog), "The cluster (or `sites`).")
      .block("horizon", &Scenario::horizon, horizon_schema(), "The simulated period.", Need::required)
      .custom(leases_field_doc(), [](Scenario& sc, const Json& v, const std::string& path,
                                     Diagnostics& d) { read_leases(sc.leases, v, path, d); })
      .list("tenants", &Scenario::tenants, tenant_schema(), 1000,
            "Tenants: the leases each holds and its overflow rule.")
      .list("sites", &Scenario::sites, make_site_schema(catalog), 64,
            "Several sites instead of `cluster` and `leases`: each a name, a cluster block and its leases. A job runs "
            "inside one site unless it has `span_sites` (docs/leases.md, \"Several sites\").")
      .custom(holding(FieldDoc{"inter_site",
                               "block",
                               "",
                               "{…}",
                               "none",
                               "The link between sites a job with `span_sites` crosses: bandwidth and latency.",
                               false,
                               {},
                               "inter_site",
                               {},
                               false},
                      inter_site_schema()),
              [](Scenario& sc, const Json& v, const std::string& path, Diagnostics& d) {
                hw::SiteSpan span;
                const std::size_t before = d.problems().size();
                inter_site_schema().read(v, path, span, d);
                if (d.problems().size() == before) sc.inter_site = span;
              })
      .custom(holding(FieldDoc{"finance",
                               "block",
                               "",
                               "{…}",
                               "none",
                               "Discounting: NPVs of every lease's monthly cash flows in run and compare.",
                               false,
                               {},
                               "finance",
                               {},
                               false},
                      finance_schema()),
              [](Scenario& sc, const Json& v, const std::string& path, Diagnostics& d) {
                lease::Finance f;
                finance_schema().read(v, path, f, d);
                sc.finance = f;
              })
      .list("jobs", &Scenario::jobs, scenario_job_schema(), 100'000, "Training jobs.")
      .list("generators", &Scenario::generators, job_class_schema(), 1000,
            fmt::format(
                "Background demand: Poisson job classes. Together they may draw at most {} jobs over the horizon on "
                "average (arrivals_per_day × active days, summed); more is refused before simulating.",
                max_generated_jobs))
      .block("failures", &Scenario::failures, failures_schema(), "The failure model (default: none).")
      .block("scheduler", &Scenario::scheduler, scheduler_schema(), "Queue policy and placement.")
      .integer("replications", &Scenario::replications, Bounds::at_least(1, 10'000),
               "Independent runs with seeds derived from `seed`; results give mean and P10/P50/P90.")
      .choice("fidelity", &Scenario::fidelity,
              {{"analytical", cluster::Fidelity::analytical}, {"flow", cluster::Fidelity::flow}},
              "Step model: closed forms, or collectives as SimGrid flows on the fabric.")
      .choice("throughput_uncertainty", &Scenario::sample_throughput, {{"none", false}, {"sample", true}},
              "Step-model uncertainty: `sample` draws one factor per replication (a standard normal shared by "
              "every job, from its own random stream) and runs each job at its step rate's P10-P90 band at that "
              "draw (docs/performance-model.md, \"Uncertainty bands\"); `none` runs the modelled rate.")
      .quantity("throughput_scale", units::Dimension::count, &Scenario::throughput_scale, Bounds::positive(100),
                "Multiplies every job's step rate (a sensitivity knob; 1 = as modelled).")
      .example(R"(0.9)")
      .custom(sensitivity_field(),
              [](Scenario& sc, const Json& v, const std::string& path, Diagnostics& d) {
                SensitivityRequest r;
                const std::size_t before = d.problems().size();
                sensitivity_schema().read(v, path, r, d);
                if (d.problems().size() == before) sc.sensitivity = std::move(r);
              })
      .custom(field_doc("expect", "list of string", "[\"jobs.pretrain-70b.deadline_met == true\"]", "[]",
                        "Assertions on the result, each 'PATH OP VALUE' as `leasesim run --expect` takes (OP one of "
                        "== != < <= > >=), checked at load (a malformed one is exit 2, in `validate` too): `run` exits "
                        "1 with one line "
                        "per violated one (docs/sweeps.md)."),
              [](Scenario& sc, const Json& v, const std::string& path, Diagnostics& d) {
                if (!v.is_array() || v.size() > 1000) {
                  d.expected(path, "a list of up to 1000 texts 'PATH OP VALUE'", describe_found(v));
                  return;
                }
                for (std::size_t i = 0; i < v.size(); ++i) {
                  if (!v[i].is_string() || v[i].get<std::string>().empty()) {
                    d.expected(pointer_join(path, i), "a text 'PATH OP VALUE'", describe_found(v[i]));
                    continue;
                  }
                  // The grammar --expect uses: a malformed entry is refused here, so validate says so too.
                  std::string why;
                  if (!parse_expectation(v[i].get<std::string>(), why)) {
                    d.expected(pointer_join(path, i), "'PATH OP VALUE'", describe_found(v[i]) + " (" + why + ")");
                    continue;
                  }
                  sc.expect.push_back(v[i].get<std::string>());
                }
              })
      // Editors find the file's JSON Schema here ({"$schema": "../docs/scenario.schema.json"}); last, so
      // that the scenario's own keys lead the "allowed keys" of an error message.
      .custom(field_doc(
                  "$schema", "string", "\"../docs/scenario.schema.json\"", "",
                  "The JSON Schema the file follows, for editors' completion and checking (docs/scenario.schema.json, "
                  "as a path relative to the file or a URL); the loader ignores it."),
              [](Scenario&, const Json& v, const std::string& path, Diagnostics& d) {
                if (!v.is_string()) d.expected(path, "a string (the path or URL of a JSON Schema)", describe_found(v));
              });
  s.check([](Scenario& sc, const Json& v, const std::string&, Diagnostics& d) {
    if (v.contains("sites") && v.contains("cluster"))
      return d.expected("/cluster", "either \"cluster\" or \"sites\" (each site holds its own cluster block)", "both");
    if (!v.contains("sites") && !v.contains("cluster"))
      return d.expected("/cluster", "key \"cluster\" (block) or \"sites\" (list of block)", "nothing");
    if (v.contains("sites") && v.contains("leases"))
      return d.expected("/leases", "no top-level leases (with \"sites\", each site lists its own)", "a list");
    const std::size_t before_sites = d.problems().size();
    merge_sites(sc, "", d);
    if (d.problems().size() != before_sites) return;
    const double horizon_end =
        static_cast<double>(units::calendar_advance(sc.horizon.start, sc.horizon.length_s) - sc.horizon.start);
    std::unordered_set<std::string_view> names;  // linear: 100,000 jobs validate in well under a second
    for (std::size_t i = 0; i < sc.jobs.size(); ++i) {
      const auto path = pointer_join(pointer_join("", "jobs"), i);
      const auto& j = sc.jobs[i];
      if (!names.insert(j.spec.training.name).second) {
        d.error(pointer_join(path, "name"), fmt::format("duplicate job name \"{}\"", j.spec.training.name));
      }
      const double submit = j.submit.offset_from(sc.horizon.start);
      if (submit < 0 || submit >= horizon_end) {
        d.expected(pointer_join(path, "submit"), "a time within the horizon",
                   units::format_date(sc.horizon.start + static_cast<std::int64_t>(submit)));
      }
      if (j.deadline && j.deadline->offset_from(sc.horizon.start) <= submit) {
        d.expected(pointer_join(path, "deadline"), "a time after the job's submit",
                   units::format_date(sc.horizon.start +
                                      static_cast<std::int64_t>(j.deadline->offset_from(sc.horizon.start))));
      }
      if (j.spec.training.gpus > sc.cluster.schedulable_gpus()) {
        d.expected(pointer_join(path, "gpus"),
                   fmt::format("at most the cluster's {} schedulable GPUs", sc.cluster.schedulable_gpus()),
                   std::to_string(j.spec.training.gpus));
      }
      check_precision_supported(j.spec.training, sc.cluster.rack.gpu, pointer_join(path, "precision"), d);
    }
    for (std::size_t i = 0; i < sc.generators.size(); ++i) {
      const auto path = pointer_join(pointer_join(pointer_join("", "generators"), i), "job");
      check_precision_supported(sc.generators[i].spec.training, sc.cluster.rack.gpu, pointer_join(path, "precision"),
                                d);
    }
    // What the generators cost, before simulating: the jobs they draw on average over the horizon.
    double generated = 0;
    std::string terms;
    for (const auto& g : sc.generators) {
      const double from = g.from ? std::max(0.0, g.from->offset_from(sc.horizon.start)) : 0.0;
      const double until = g.until ? std::min(horizon_end, g.until->offset_from(sc.horizon.start)) : horizon_end;
      const bool constant = g.spec.arrivals_by_month_per_s.empty() && g.spec.growth_per_month == 0;
      const double jobs = constant ? g.spec.arrivals_per_s * std::max(0.0, until - from)
                                   : cluster::mean_arrivals(g.spec, sc.horizon.start, from, until);
      generated += jobs;
      if (constant)
        terms += fmt::format("{}{} {:.6g}/day × {:.6g} d", terms.empty() ? "" : " + ", g.spec.name,
                             g.spec.arrivals_per_s * units::seconds_per_day,
                             std::max(0.0, until - from) / units::seconds_per_day);
      else
        terms += fmt::format("{}{} {:.6g} on its schedule", terms.empty() ? "" : " + ", g.spec.name, jobs);
    }
    if (generated > static_cast<double>(max_generated_jobs)) {
      d.expected("/generators",
                 fmt::format("generators drawing at most {} jobs over the horizon on average", max_generated_jobs),
                 fmt::format("{:.0f} ({})", generated, terms));
    }
    check_leases_and_tenants(sc.leases, sc.tenants, sc.cluster, "", d);
    if (sc.sites.empty()) check_lease_capacity(sc.leases, sc.cluster, "", d);
    check_lease_dates(sc.leases, sc.horizon.start, sc.horizon.start + static_cast<std::int64_t>(horizon_end), "", d);
    check_demand_tenants(sc, d);
    if (sc.sensitivity && !sc.sensitivity->job.empty()) {
      bool found = false;
      for (const auto& j : sc.jobs) found = found || j.spec.training.name == sc.sensitivity->job;
      if (!found) d.expected("/sensitivity/job", "the name of a listed job", "\"" + sc.sensitivity->job + "\"");
    }
    check_job_sites(sc, d);
    check_chains(sc, d);
    // A market grants whole racks of the cluster (one NVLink domain each).
    for (auto& l : sc.leases) {
      if (l.type != "on-demand") continue;
      auto& t = l.terms.edit<lease::OnDemandTerms>();
      if (t.market) t.market->block_gpus = sc.cluster.rack.gpus;
    }
  });
  return s;
}

}  // namespace

void merge_sites(Scenario& sc, const std::string& base, Diagnostics& d) {
  if (sc.sites.empty()) return;
  const auto sites_path = pointer_join(base, "sites");
  std::vector<std::string> names;
  std::map<std::string, std::string> lease_site;
  hw::ClusterSpec merged = sc.sites.front().cluster;
  merged.racks = 0;
  sc.leases.clear();
  for (std::size_t i = 0; i < sc.sites.size(); ++i) {
    SiteBlock& site = sc.sites[i];
    const auto path = pointer_join(sites_path, i);
    if (std::find(names.begin(), names.end(), site.name) != names.end())
      d.error(pointer_join(path, "name"), fmt::format("duplicate site name \"{}\"", site.name));
    names.push_back(site.name);
    hw::ClusterSpec same = site.cluster;
    same.racks = sc.sites.front().cluster.racks;
    if (!(same == sc.sites.front().cluster))
      d.expected(pointer_join(path, "cluster"),
                 fmt::format("the rack, fabric, storage, power and spares of site \"{}\" (sites differ only in "
                             "racks in this version)",
                             sc.sites.front().name),
                 "a different cluster block");
    merged.racks += site.cluster.racks;
    std::vector<lease::Tenant> none;
    check_leases_and_tenants(site.leases, none, site.cluster, path, d);
    check_lease_capacity(site.leases, site.cluster, path, d);
    for (std::size_t k = 0; k < site.leases.size(); ++k) {
      lease::Lease l = site.leases[k];
      if (auto it = lease_site.find(l.name); it != lease_site.end() && it->second != site.name)
        d.error(pointer_join(pointer_join(pointer_join(path, "leases"), k), "name"),
                fmt::format("lease name \"{}\" is used in site \"{}\" too (lease names are unique across sites)",
                            l.name, it->second));
      lease_site[l.name] = site.name;
      l.site = site.name;
      sc.leases.push_back(std::move(l));
    }
  }
  sc.cluster = merged;
}

lease::LedgerInput to_ledger_input(const Scenario& s) {
  lease::LedgerInput in;
  in.rack = s.cluster.rack;
  in.facility_pue = s.cluster.power.pue;
  in.failures = s.failures;
  in.leases = s.leases;
  in.tenants = lease::resolve_tenants(s.leases, s.tenants);
  in.finance = s.finance;
  return in;
}

cluster::SimulationInput to_simulation_input(const Scenario& s) {
  cluster::SimulationInput in;
  in.cluster = s.cluster;
  in.start_utc = s.horizon.start;
  in.horizon_s = static_cast<double>(units::calendar_advance(s.horizon.start, s.horizon.length_s) - s.horizon.start);
  for (const auto& j : s.jobs) {
    cluster::JobSpec spec = j.spec;
    spec.submit_s = j.submit.offset_from(s.horizon.start);
    if (j.deadline) spec.deadline_s = j.deadline->offset_from(s.horizon.start);
    in.jobs.push_back(std::move(spec));
  }
  for (const auto& g : s.generators) {
    cluster::JobClass spec = g.spec;
    if (g.from) spec.from_s = g.from->offset_from(s.horizon.start);
    if (g.until) spec.until_s = g.until->offset_from(s.horizon.start);
    in.generators.push_back(std::move(spec));
  }
  in.failures = s.failures;
  in.scheduler = s.scheduler;
  in.fidelity = s.fidelity;
  in.seed = s.seed;
  in.sample_throughput = s.sample_throughput;
  in.throughput_scale = s.throughput_scale;
  std::vector<std::string> sites;
  int first = 0;
  for (const auto& site : s.sites) {
    sites.push_back(site.name);
    in.sites.push_back({site.name, first, site.cluster.racks});
    first += site.cluster.racks;
  }
  if (s.inter_site) in.inter_site = *s.inter_site;
  in.capacity = lease::capacity_plan(s.leases, lease::resolve_tenants(s.leases, s.tenants), s.cluster.rack,
                                     s.horizon.start, sites);
  return in;
}

const Schema<Scenario>& scenario_schema() {
  static const Schema<Scenario> schema = make_scenario_schema();
  return schema;
}

const Schema<SiteBlock>& site_schema() {
  static const Schema<SiteBlock> schema = make_site_schema(Catalog::builtin());
  return schema;
}

namespace {

LoadResult read_scenario(std::optional<Json> doc, LoadResult result, const std::string& label) {
  if (!doc) return result;
  Scenario sc;
  scenario_schema().read(*doc, "", sc, result.diagnostics);
  if (sc.name.empty()) sc.name = std::filesystem::path(label).stem().string();
  if (result.diagnostics.ok()) result.scenario = std::move(sc);
  return result;
}

}  // namespace

LoadResult load_scenario_text(std::string_view text, const std::string& label) {
  LoadResult result{std::nullopt, Diagnostics(label)};
  auto doc = parse_json_text(text, result.diagnostics);
  return read_scenario(std::move(doc), std::move(result), label);
}

LoadResult load_scenario_file(const std::string& path) {
  LoadResult result{std::nullopt, Diagnostics(path)};
  auto doc = read_json_file(path, result.diagnostics);
  return read_scenario(std::move(doc), std::move(result), path);
}

}  // namespace leasesim::scenario
