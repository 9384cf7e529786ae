// Reads compare files (see compare_file.hpp): the base scenario, the alternatives with their lease
// and tenant blocks, and the checks that make each alternative a valid scenario of its own.
#include "leasesim/scenario/compare_file.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "leasesim/lease/contract_type.hpp"
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
};

const Schema<AlternativeSpec>& alternative_schema() {
  static const Schema<AlternativeSpec> schema = [] {
    using A = AlternativeSpec;
    Schema<A> s("alternative", "One lease alternative: leases, tenants and the cluster size they add up to.");
    s.text("name", &A::name, "Name used in the ranking.", Need::required)
        .text("description", &A::description, "Free text.")
        .integer("racks", &A::racks, Bounds::at_least(1, 100'000),
                 "Racks of the simulated cluster (default: the leased capacity, rounded up).")
        .custom(leases_field_doc(), [](A& a, const Json& v, const std::string& path, Diagnostics& d) {
          read_leases(a.leases, v, path, d);
        })
        .list("tenants", &A::tenants, tenant_schema(), 1000, "Tenants (default: the leases' holders).");
    return s;
  }();
  return schema;
}

// The racks an alternative's leases add up to.
int leased_racks(const std::vector<lease::Lease>& leases, const hw::RackSpec& rack) {
  std::int64_t gpus = 0;
  for (const auto& l : leases) {
    if (const auto* t = lease::find_contract_type(l.type)) gpus += t->supplied_gpus(l, l.committed_gpus(rack));
  }
  return rack.gpus > 0 ? static_cast<int>((gpus + rack.gpus - 1) / rack.gpus) : 0;
}

void add_alternatives(const Json& list, const std::string& path, const Scenario& base, CompareFile& out, Diagnostics& d) {
  if (!list.is_array()) return d.expected(path, "a list of alternatives", describe_found(list));
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto p = pointer_join(path, i);
    AlternativeSpec spec;
    const std::size_t before = d.problems().size();
    alternative_schema().read(list[i], p, spec, d);
    if (d.problems().size() != before) continue;
    for (const auto& other : out.alternatives) {
      if (other.name == spec.name) d.error(pointer_join(p, "name"), fmt::format("duplicate alternative name \"{}\"", spec.name));
    }
    CompareAlternative alt{spec.name, spec.description, base};
    alt.scenario.name = spec.name;
    alt.scenario.leases = spec.leases;
    alt.scenario.tenants = spec.tenants;
    const int racks = spec.racks > 0 ? spec.racks : leased_racks(spec.leases, base.cluster.rack);
    if (racks <= 0) {
      d.expected(pointer_join(p, "leases"), "leases with capacity (or \"racks\")", "none");
      continue;
    }
    alt.scenario.cluster.racks = racks;
    check_leases_and_tenants(alt.scenario.leases, alt.scenario.tenants, alt.scenario.cluster, p, d);
    // A cluster sized to the leases fits them by construction; one given in "racks" may not.
    if (spec.racks > 0) check_lease_capacity(alt.scenario.leases, alt.scenario.cluster, p, d);
    check_lease_dates(alt.scenario.leases, base.horizon.start, units::calendar_advance(base.horizon.start, base.horizon.length_s), p, d);
    out.alternatives.push_back(std::move(alt));
  }
}

}  // namespace

bool CompareLoad::ok() const {
  for (const auto& d : diagnostics) if (!d.ok()) return false;
  return file.has_value();
}

std::string CompareLoad::format() const {
  std::string out;
  for (const auto& d : diagnostics) out += d.format();
  return out;
}

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
  CompareFile file;
  const std::vector<std::string> keys{"name", "description", "base", "replications", "alternatives"};
  for (auto it = doc->begin(); it != doc->end(); ++it) {
    if (std::find(keys.begin(), keys.end(), it.key()) != keys.end()) continue;
    std::string msg = "unknown key \"" + it.key() + "\" in compare file";
    if (auto near = closest_name(it.key(), keys)) msg += "; did you mean \"" + *near + "\"?";
    else msg += "; allowed keys: name, description, base, replications, alternatives";
    d.error(pointer_join("", it.key()), msg);
  }
  if (auto it = doc->find("name"); it != doc->end() && it->is_string()) file.name = it->get<std::string>();
  if (file.name.empty()) file.name = std::filesystem::path(label).stem().string();
  if (auto it = doc->find("description"); it != doc->end() && it->is_string()) file.description = it->get<std::string>();
  if (auto it = doc->find("replications"); it != doc->end()) {
    if (auto n = read_integer(*it, "/replications", Bounds::at_least(1, 10'000), d)) file.replications = static_cast<int>(*n);
  }
  auto base = doc->find("base");
  if (base == doc->end()) {
    d.expected("/base", "key \"base\" (a scenario file name or an inline scenario)", "nothing");
    return load;
  }
  LoadResult loaded{std::nullopt, Diagnostics(label)};
  if (base->is_string()) {
    const auto path = (std::filesystem::path(base_dir) / base->get<std::string>()).string();
    loaded = load_scenario_file(path);
  } else if (base->is_object()) {
    loaded = load_scenario_text(base->dump(), label + " (/base)");
  } else {
    d.expected("/base", "a scenario file name or an inline scenario", describe_found(*base));
    return load;
  }
  if (!loaded.scenario) {
    load.diagnostics.push_back(loaded.diagnostics);
    return load;
  }
  file.base = *loaded.scenario;
  if (auto alts = doc->find("alternatives"); alts != doc->end()) add_alternatives(*alts, "/alternatives", file.base, file, d);
  else d.expected("/alternatives", "key \"alternatives\" (a list of alternatives)", "nothing");
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
    if (doc->is_object() && doc->contains("alternatives")) add_alternatives(doc->at("alternatives"), "/alternatives", load.file->base, *load.file, d);
    else add_alternatives(Json::array({*doc}), "", load.file->base, *load.file, d);
  }
  if (load.file && load.file->alternatives.size() < 2) {
    bool clean = true;
    for (const auto& d : load.diagnostics) clean = clean && d.ok();
    if (clean) load.diagnostics.front().expected("/alternatives", "at least two alternatives (in the file or with --alt)",
                                                 std::to_string(load.file->alternatives.size()));
  }
  if (!load.ok()) load.file.reset();
  return load;
}

}  // namespace leasesim::scenario
