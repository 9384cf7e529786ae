// Reads compare files (see compare_file.hpp): the base scenario, the alternatives with their lease
// and tenant blocks, and the checks that make each alternative a valid scenario of its own.
#include "leasesim/scenario/compare_file.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "leasesim/lease/contract_type.hpp"
#include "leasesim/scenario/file_fields.hpp"
#include "leasesim/scenario/json_text.hpp"
#include "leasesim/scenario/lease_schema.hpp"
#include "leasesim/units/date.hpp"

namespace leasesim::scenario {

namespace {

struct AlternativeSpec {
  std::string name, description;
  int racks = 0;
  std::vector<lease::Lease> leases;
  std::vector<lease::Tenant> tenants;
  std::vector<SiteBlock> sites;
  bool clean = false;  // read without problems: only then is it checked against the base
};

const Schema<AlternativeSpec>& alternative_schema() {
  static const Schema<AlternativeSpec> schema = [] {
    using A = AlternativeSpec;
    Schema<A> s("alternative", "One lease alternative: leases, tenants and the cluster size they add up to.");
    s.text("name", &A::name, "Name used in the ranking.", Need::required)
        .text("description", &A::description, "Free text.")
        .integer("racks", &A::racks, Bounds::at_least(1, 100'000),
                 "Racks of the simulated cluster (default: the leased capacity, rounded up).")
        .example(R"(288)")
        .custom(leases_field_doc(),
                [](A& a, const Json& v, const std::string& path, Diagnostics& d) { read_leases(a.leases, v, path, d); })
        .list("tenants", &A::tenants, tenant_schema(), 1000, "Tenants (default: the leases' holders).")
        .list("sites", &A::sites, site_schema(), 64,
              "Several sites instead of `leases` and `racks`: each a name, a cluster block and its leases (as a "
              "scenario's `sites`; the base's `inter_site` link joins them).");
    s.check([](A& a, const Json& v, const std::string& path, Diagnostics& d) {
      if (a.sites.empty()) return;
      if (v.contains("leases"))
        d.expected(pointer_join(path, "leases"), "no leases (each site lists its own)", "a list");
      if (v.contains("racks"))
        d.expected(pointer_join(path, "racks"), "no racks (each site's cluster has its own)", "a number");
    });
    return s;
  }();
  return schema;
}

AlternativeSpec read_alternative(const Json& v, const std::string& path, Diagnostics& d) {
  AlternativeSpec spec;
  const std::size_t before = d.problems().size();
  alternative_schema().read(v, path, spec, d);
  spec.clean = d.problems().size() == before;
  return spec;
}

// The racks an alternative's leases add up to.
int leased_racks(const std::vector<lease::Lease>& leases, const hw::RackSpec& rack) {
  std::int64_t gpus = 0;
  for (const auto& l : leases) {
    // A lease drawn from a market may be granted all it asks for: the facility holds the request.
    if (const auto* t = lease::find_contract_type(l.type))
      gpus += t->market(l) ? l.committed_gpus(rack) : t->supplied_gpus(l, l.committed_gpus(rack));
  }
  return rack.gpus > 0 ? static_cast<int>((gpus + rack.gpus - 1) / rack.gpus) : 0;
}

// Alternatives read cleanly, made scenarios of their own on `base` and checked there.
void add_alternatives(const std::vector<AlternativeSpec>& specs, const std::string& path, const Scenario& base,
                      CompareFile& out, Diagnostics& d) {
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto p = pointer_join(path, i);
    const AlternativeSpec& spec = specs[i];
    if (!spec.clean) continue;
    for (const auto& other : out.alternatives) {
      if (other.name == spec.name)
        d.error(pointer_join(p, "name"), fmt::format("duplicate alternative name \"{}\"", spec.name));
    }
    CompareAlternative alt{spec.name, spec.description, base};
    alt.scenario.name = spec.name;
    alt.scenario.leases = spec.leases;
    alt.scenario.tenants = spec.tenants;
    alt.scenario.sites = spec.sites;
    if (!spec.sites.empty()) {
      // Several sites: their clusters and leases replace the base's (scenario.hpp, merge_sites).
      const std::size_t before = d.problems().size();
      merge_sites(alt.scenario, p, d);
      if (d.problems().size() != before) continue;
      check_leases_and_tenants(alt.scenario.leases, alt.scenario.tenants, alt.scenario.cluster, p, d);
      check_lease_dates(alt.scenario.leases, base.horizon.start,
                        units::calendar_advance(base.horizon.start, base.horizon.length_s), p, d);
      out.alternatives.push_back(std::move(alt));
      continue;
    }
    if (!base.sites.empty()) {
      d.expected(pointer_join(p, "sites"), "the alternative's sites (the base scenario has sites)", "nothing");
      continue;
    }
    const int racks = spec.racks > 0 ? spec.racks : leased_racks(spec.leases, base.cluster.rack);
    if (racks <= 0) {
      d.expected(pointer_join(p, "leases"), "leases with capacity (or \"racks\")", "none");
      continue;
    }
    alt.scenario.cluster.racks = racks;
    check_leases_and_tenants(alt.scenario.leases, alt.scenario.tenants, alt.scenario.cluster, p, d);
    // A cluster sized to the leases fits them by construction; one given in "racks" may not.
    if (spec.racks > 0) check_lease_capacity(alt.scenario.leases, alt.scenario.cluster, p, d);
    check_lease_dates(alt.scenario.leases, base.horizon.start,
                      units::calendar_advance(base.horizon.start, base.horizon.length_s), p, d);
    out.alternatives.push_back(std::move(alt));
  }
}

// Alternatives from JSON (an --alt file): each read with the schema, then checked on `base`.
void add_alternatives(const Json& list, const std::string& path, const Scenario& base, CompareFile& out,
                      Diagnostics& d) {
  if (!list.is_array()) return d.expected(path, "a list of alternatives", describe_found(list));
  std::vector<AlternativeSpec> specs;
  for (std::size_t i = 0; i < list.size(); ++i) specs.push_back(read_alternative(list[i], pointer_join(path, i), d));
  add_alternatives(specs, path, base, out, d);
}

}  // namespace

bool CompareLoad::ok() const {
  for (const auto& d : diagnostics)
    if (!d.ok()) return false;
  return file.has_value();
}

std::string CompareLoad::format() const {
  std::string out;
  for (const auto& d : diagnostics) out += d.format();
  return out;
}

namespace {

// The compare file's keys as read, before the base scenario is loaded and the alternatives checked
// against it.
struct CompareSpec {
  std::string name, description;
  Json base;
  int replications = 0;
  std::vector<AlternativeSpec> alternatives;
  bool has_alternatives = false;
};

Schema<CompareSpec> make_compare_file_schema() {
  using C = CompareSpec;
  Schema<C> s("compare file",
              "Lease alternatives on one demand, for `leasesim compare`: each alternative's leases and tenants replace "
              "the base scenario's, on a cluster resized to them.");
  s.text("name", &C::name, "Name used in reports; default: the file name without .json.")
      .text("description", &C::description, "Free text.")
      .custom(
          field_doc("base", "a scenario file name or an inline scenario", "\"reflection-colossus2.json\"", "",
                    "The demand all alternatives share (jobs, generators, failures, scheduler, seed): a scenario file "
                    "relative to the compare file, or the scenario inline.",
                    true),
          [](C& c, const Json& v, const std::string& path, Diagnostics& d) {
            if (!(v.is_string() && !v.get_ref<const std::string&>().empty()) && !v.is_object()) {
              return d.expected(path, "a scenario file name or an inline scenario", describe_found(v));
            }
            c.base = v;
          })
      .custom(
          [] {
            FieldDoc f =
                field_doc("replications", "integer", "4", "the base scenario's", "Replications of every alternative.");
            f.bounds = Bounds::at_least(1, 10'000);
            f.has_bounds = true;
            return f;
          }(),
          [](C& c, const Json& v, const std::string& path, Diagnostics& d) {
            if (auto n = read_integer(v, path, Bounds::at_least(1, 10'000), d)) c.replications = static_cast<int>(*n);
          })
      .custom(holding(
                  [] {
                    FieldDoc f = field_doc("alternatives", "list of block", "[{…}]", "",
                                           "The alternatives (two or more, counting those --alt adds).", true);
                    f.max_items = 1000;
                    return f;
                  }(),
                  alternative_schema()),
              [](C& c, const Json& v, const std::string& path, Diagnostics& d) {
                c.has_alternatives = true;
                if (!v.is_array() || v.size() > 1000)
                  return d.expected(path, "a list of at most 1000 alternatives", describe_found(v));
                for (std::size_t i = 0; i < v.size(); ++i)
                  c.alternatives.push_back(read_alternative(v[i], pointer_join(path, i), d));
              })
      .custom(schema_key_field_doc("compare.schema.json"),
              [](C&, const Json& v, const std::string& path, Diagnostics& d) { read_schema_key(v, path, d); });
  return s;
}

const Schema<CompareSpec>& compare_file_schema() {
  static const Schema<CompareSpec> schema = make_compare_file_schema();
  return schema;
}

}  // namespace

const SchemaInfo& compare_file_schema_info() { return compare_file_schema().info(); }

CompareLoad load_compare_text(std::string_view text, const std::string& label, const std::string& base_dir) {
  CompareLoad load;
  load.diagnostics.emplace_back(label);
  Diagnostics& d = load.diagnostics.back();
  auto doc = parse_json_text(text, d);
  if (!doc) return load;
  if (!doc->is_object()) {
    d.expected("", "an object", describe_found(*doc));
    return load;
  }
  CompareSpec spec;
  compare_file_schema().read(*doc, "", spec, d);
  if (spec.base.is_null()) return load;  // missing or not a scenario: reported
  CompareFile file;
  file.name = spec.name.empty() ? std::filesystem::path(label).stem().string() : spec.name;
  file.description = spec.description;
  file.replications = spec.replications;
  LoadResult loaded{std::nullopt, Diagnostics(label)};
  if (spec.base.is_string()) {
    const auto path = (std::filesystem::path(base_dir) / spec.base.get<std::string>()).string();
    // A base file that cannot be read is this file's problem, at /base; one with problems of its
    // own reports them in its own name.
    Diagnostics unread(path);
    if (!read_input_text(path, unread)) {
      std::string why = unread.problems().front().message;  // "expected a readable file, found no such file …"
      if (const auto found = why.find(", found ");
          why.rfind("expected a readable file", 0) == 0 && found != std::string::npos) {
        why = why.substr(found + 8);
      }
      d.expected("/base", "a readable scenario file", describe_found(spec.base) + " (" + path + ": " + why + ")");
      return load;
    }
    loaded = load_scenario_file(path);
  } else {
    loaded = load_scenario_text(spec.base.dump(), label + " (/base)");
  }
  if (!loaded.scenario) {
    load.diagnostics.push_back(loaded.diagnostics);
    return load;
  }
  file.base = *loaded.scenario;
  if (!loaded.diagnostics.warnings().empty()) load.diagnostics.push_back(loaded.diagnostics);  // printed by the CLI
  if (spec.has_alternatives) add_alternatives(spec.alternatives, "/alternatives", file.base, file, d);
  load.file = std::move(file);
  return load;
}

CompareLoad load_compare_files(const std::string& path, const std::vector<std::string>& extra) {
  CompareLoad load;
  Diagnostics probe(path);
  auto text_doc = read_json_file(path, probe);
  if (!text_doc) {
    load.diagnostics.push_back(probe);
    return load;
  }
  load = load_compare_text(text_doc->dump(), path, std::filesystem::path(path).parent_path().string());
  for (const auto& alt_path : extra) {
    load.diagnostics.emplace_back(alt_path);
    Diagnostics& d = load.diagnostics.back();
    auto doc = read_json_file(alt_path, d);
    if (!doc || !load.file) continue;
    if (doc->is_object() && doc->contains("alternatives"))
      add_alternatives(doc->at("alternatives"), "/alternatives", load.file->base, *load.file, d);
    else
      add_alternatives(Json::array({*doc}), "", load.file->base, *load.file, d);
  }
  if (load.file && load.file->alternatives.size() < 2) {
    bool clean = true;
    for (const auto& d : load.diagnostics) clean = clean && d.ok();
    if (clean)
      load.diagnostics.front().expected("/alternatives", "at least two alternatives (in the file or with --alt)",
                                        std::to_string(load.file->alternatives.size()));
  }
  if (!load.ok()) load.file.reset();
  return load;
}

}  // namespace leasesim::scenario
