// The fields sweep, plan and compare files share (see file_fields.hpp).
#include "leasesim/scenario/file_fields.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <limits>

#include "leasesim/scenario/json_text.hpp"

namespace leasesim::scenario {

std::optional<Json> read_base_scenario(const Json& v, const std::string& path, const std::string& label,
                                       const std::string& base_dir, std::string& base_label, Diagnostics& d) {
  if (v.is_object()) {
    base_label = label + "#" + path;
    return v;
  }
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
    d.expected(path, "a scenario file path or an inline scenario", describe_found(v));
    return std::nullopt;
  }
  const std::string& rel = v.get_ref<const std::string&>();
  const auto p =
      std::filesystem::path(rel).is_absolute() ? std::filesystem::path(rel) : std::filesystem::path(base_dir) / rel;
  base_label = p.lexically_normal().string();
  Diagnostics sd(base_label);
  auto base = read_json_file(base_label, sd);
  for (const auto& pr : sd.problems())
    d.error(path, sd.file() + ": " + (pr.path.empty() ? "" : pr.path + ": ") + pr.message);
  return base;
}

FieldDoc base_scenario_field_doc(std::string key, std::string doc) {
  return field_doc(std::move(key), "scenario file or inline scenario", "\"../reflection-colossus2.json\"", "",
                   std::move(doc), true);
}

std::optional<std::uint64_t> read_seed(const Json& v, const std::string& path, Diagnostics& d) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(v.get<std::int64_t>());
  d.expected(path, "an integer ≥ 0", describe_found(v));
  return std::nullopt;
}

FieldDoc seed_field_doc(std::string doc) {
  FieldDoc f = field_doc("seed", "integer", "7", "the scenario's", std::move(doc));
  f.bounds = Bounds::at_least(0, std::numeric_limits<double>::infinity());  // to 2^64 − 1
  f.has_bounds = true;
  return f;
}

void read_expectations(const Json& v, const std::string& path, std::vector<Expectation>& out, Diagnostics& d) {
  if (!v.is_array() || v.size() > 1000)
    return d.expected(path, "a list of at most 1000 \"PATH OP VALUE\" strings", describe_found(v));
  out.clear();
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::string error;
    if (!v[i].is_string())
      d.expected(pointer_join(path, i), "\"PATH OP VALUE\"", describe_found(v[i]));
    else if (auto x = parse_expectation(v[i].get<std::string>(), error))
      out.push_back(std::move(*x));
    else
      d.error(pointer_join(path, i), error);
  }
}

FieldDoc expect_field_doc(std::string doc) {
  FieldDoc f = field_doc("expect", "list of string", "[\"answer.racks <= 300\"]", "[]", std::move(doc));
  f.max_items = 1000;
  return f;
}

FieldDoc schema_key_field_doc(const std::string& schema_file) {
  return field_doc("$schema", "string", "\"../docs/" + schema_file + "\"", "",
                   "The JSON Schema the file follows, for editors' completion and checking (docs/" + schema_file +
                       ", as a path relative to the file or a URL); the loader ignores it.");
}

void read_schema_key(const Json& v, const std::string& path, Diagnostics& d) {
  if (!v.is_string()) d.expected(path, "a string (the path or URL of a JSON Schema)", describe_found(v));
}

}  // namespace leasesim::scenario
