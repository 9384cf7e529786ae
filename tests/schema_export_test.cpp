// Tests for the generated scenario reference and JSON Schema (scenario/schema_export.hpp): the
// committed docs are exactly what `leasesim schema` prints, every shipped scenario and step file
// passes the JSON Schema while broken ones fail it, every field is documented, and editors' top-level
// "$schema" key is accepted by the loader.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/scenario/schema_export.hpp"
#include "leasesim/scenario/workload_schema.hpp"

using leasesim::scenario::Bounds;
using leasesim::scenario::Diagnostics;
using leasesim::scenario::exported_blocks;
using leasesim::scenario::FieldDoc;
using leasesim::scenario::FileKind;
using leasesim::scenario::json_schema;
using leasesim::scenario::load_scenario_file;
using leasesim::scenario::load_scenario_text;
using leasesim::scenario::load_step_file;
using leasesim::scenario::reference_markdown;
using leasesim::scenario::scenario_json_schema;
using leasesim::scenario::scenario_reference_markdown;
using leasesim::test::read_text;
using leasesim::test::Run;
using leasesim::test::run_cli;
using leasesim::test::ScratchDir;
using leasesim::test::source_dir;
using leasesim::units::Dimension;
using Json = nlohmann::json;
using Problems = std::vector<std::string>;

namespace {

namespace fs = std::filesystem;

const std::string reference_md = "docs/scenario-reference.md";
const std::string schema_json = "docs/scenario.schema.json";
const std::string regenerate_md = "leasesim schema --format markdown -o docs/scenario-reference.md";
const std::string regenerate_json = "leasesim schema --format json-schema -o docs/scenario.schema.json";

// --- a small JSON Schema checker: the keywords the generator emits, nothing else ------------------

bool has_type(const Json& v, const std::string& type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "number") return v.is_number();
  if (type == "integer") {
    return v.is_number_integer() || v.is_number_unsigned() ||
           (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<long long>(v.get<double>())));
  }
  FAIL("the checker does not know the JSON Schema type \"" << type << "\"");
  return false;
}

const Json& generated_schema(FileKind kind = FileKind::scenario) {
  static std::map<FileKind, Json> schemas;
  auto it = schemas.find(kind);
  if (it == schemas.end()) it = schemas.emplace(kind, Json::parse(json_schema(kind))).first;
  return it->second;
}

// Every problem of `v` against `schema`, as "POINTER: what"; `root` resolves "$ref".
void check(const Json& root, const Json& schema, const Json& v, const std::string& at, Problems& out) {
  static const std::vector<std::string> annotations{"$schema", "$defs", "title", "description", "default", "examples"};
  for (const auto& [keyword, arg] : schema.items()) {
    if (keyword == "$ref") {
      const std::string ref = arg.get<std::string>();
      // Other kinds' schemas refer to the scenario schema's blocks: "scenario.schema.json#/$defs/ID".
      const std::string external = "scenario.schema.json";
      if (ref.rfind(external, 0) == 0) {
        const Json& scenario_root = generated_schema(FileKind::scenario);
        const std::string pointer = ref.size() > external.size() ? ref.substr(external.size() + 1) : "";
        check(scenario_root, scenario_root.at(Json::json_pointer(pointer)), v, at, out);
        continue;
      }
      REQUIRE(ref.rfind("#/", 0) == 0);
      check(root, root.at(Json::json_pointer(ref.substr(1))), v, at, out);
    } else if (keyword == "type") {
      bool ok = false;
      for (const auto& t : arg.is_array() ? arg : Json::array({arg})) ok = ok || has_type(v, t.get<std::string>());
      if (!ok) out.push_back(at + ": not of type " + arg.dump());
    } else if (keyword == "enum") {
      if (std::find(arg.begin(), arg.end(), v) == arg.end())
        out.push_back(at + ": " + v.dump() + " not in " + arg.dump());
    } else if (keyword == "const") {
      if (v != arg) out.push_back(at + ": " + v.dump() + " is not " + arg.dump());
    } else if (keyword == "properties") {
      if (!v.is_object()) continue;
      for (const auto& [key, value] : v.items()) {
        if (arg.contains(key)) check(root, arg[key], value, at + "/" + key, out);
      }
    } else if (keyword == "additionalProperties") {
      REQUIRE(arg == false);
      if (!v.is_object()) continue;
      for (const auto& [key, value] : v.items()) {
        if (!schema.contains("properties") || !schema["properties"].contains(key))
          out.push_back(at + "/" + key + ": unknown key");
      }
    } else if (keyword == "required") {
      if (!v.is_object()) continue;
      for (const auto& key : arg) {
        if (!v.contains(key.get<std::string>())) out.push_back(at + ": missing " + key.get<std::string>());
      }
    } else if (keyword == "items") {
      if (!v.is_array()) continue;
      for (std::size_t i = 0; i < v.size(); ++i) check(root, arg, v[i], at + "/" + std::to_string(i), out);
    } else if (keyword == "minItems" || keyword == "maxItems") {
      if (!v.is_array()) continue;
      const auto n = arg.get<std::size_t>();
      if (keyword == "minItems" ? v.size() < n : v.size() > n) out.push_back(at + ": " + keyword + " " + arg.dump());
    } else if (keyword == "minimum" || keyword == "maximum" || keyword == "exclusiveMinimum") {
      if (!v.is_number()) continue;
      const double x = v.get<double>(), bound = arg.get<double>();
      const bool ok = keyword == "minimum" ? x >= bound : keyword == "maximum" ? x <= bound : x > bound;
      if (!ok) out.push_back(at + ": " + v.dump() + " fails " + keyword + " " + arg.dump());
    } else if (keyword == "anyOf" || keyword == "oneOf") {
      int matches = 0;
      Problems first;
      for (const auto& alternative : arg) {
        Problems p;
        check(root, alternative, v, at, p);
        if (p.empty())
          ++matches;
        else if (first.empty())
          first = p;
      }
      if (matches == 0)
        out.push_back(at + ": matches no alternative of " + keyword +
                      " (first: " + (first.empty() ? "" : first.front()) + ")");
      if (keyword == "oneOf" && matches > 1)
        out.push_back(at + ": matches " + std::to_string(matches) + " alternatives of oneOf");
    } else if (std::find(annotations.begin(), annotations.end(), keyword) == annotations.end()) {
      FAIL("the checker does not know the JSON Schema keyword \"" << keyword << "\"");
    }
  }
}

Problems problems_of(const Json& doc, const std::string& def = "", FileKind kind = FileKind::scenario) {
  const Json& root = generated_schema(kind);
  Problems out;
  check(root, def.empty() ? root : root.at("$defs").at(def), doc, "", out);
  return out;
}

std::string joined(const Problems& p) {
  std::string out;
  for (const auto& line : p) out += line + "\n";
  return out;
}

// The line where two texts first differ, for a readable drift message.
std::string first_difference(const std::string& a, const std::string& b) {
  const auto la = leasesim::test::split_lines(a), lb = leasesim::test::split_lines(b);
  for (std::size_t i = 0; i < std::max(la.size(), lb.size()); ++i) {
    const std::string x = i < la.size() ? la[i] : "<end of file>", y = i < lb.size() ? lb[i] : "<end of file>";
    if (x != y) return "line " + std::to_string(i + 1) + ":\n  committed: " + x + "\n  generated: " + y;
  }
  return "the files differ only in their last newline";
}

void check_committed(const std::string& file, const std::string& generated, const std::string& command) {
  const fs::path path = fs::path(source_dir) / file;
  if (!fs::exists(path)) FAIL(file << " is missing; generate it with `" << command << "` from the source folder");
  const std::string committed = read_text(path);
  if (committed != generated) {
    FAIL(file << " is not what the loader's field definitions generate; regenerate it with `" << command
              << "` (from the source folder, with the freshly built leasesim) and commit it. First difference at "
              << first_difference(committed, generated));
  }
}

Json default_scenario() { return Json::parse(read_text(leasesim::test::default_scenario)); }

// Whether the loader's own reader of a field's value accepts `v`, for the types that have one
// (integers, numbers, quantities, money, dates); nullopt for the others.
std::optional<bool> loader_accepts(const FieldDoc& f, const Json& v) {
  using namespace leasesim::scenario;
  Diagnostics d("t.json");
  const Bounds b = f.has_bounds ? f.bounds : Bounds{};
  if (f.type == "integer") {
    read_integer(v, "", b, d);
    return d.ok();
  }
  if (f.type == "money") {
    read_money(v, "", b, d);
    return d.ok();
  }
  if (f.type == "date") {
    read_quantity(v, "", Dimension::date, Bounds{0.0, 7'258'118'400.0, false}, d);
    return d.ok();
  }
  for (const Dimension dim : {Dimension::count, Dimension::fraction, Dimension::data_size, Dimension::data_rate,
                              Dimension::flop_rate, Dimension::duration, Dimension::power, Dimension::energy}) {
    if (dimension_name(dim) == f.type) {
      read_quantity(v, "", dim, b, d);
      return d.ok();
    }
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("the committed scenario reference and JSON Schema are exactly the generated text", "[schema]") {
  check_committed(reference_md, scenario_reference_markdown(), regenerate_md);
  check_committed(schema_json, scenario_json_schema(), regenerate_json);
}

const std::vector<FileKind> other_kinds{FileKind::step, FileKind::sweep, FileKind::plan, FileKind::compare};

TEST_CASE("the committed step, sweep, plan and compare references and JSON Schemas are exactly the generated text",
          "[schema]") {
  for (const FileKind kind : other_kinds) {
    const std::string name = leasesim::scenario::kind_name(kind);
    INFO(name);
    check_committed(
        leasesim::scenario::reference_file(kind), reference_markdown(kind),
        "leasesim schema --kind " + name + " --format markdown -o " + leasesim::scenario::reference_file(kind));
    check_committed(
        leasesim::scenario::schema_file(kind), json_schema(kind),
        "leasesim schema --kind " + name + " --format json-schema -o " + leasesim::scenario::schema_file(kind));
    const Run r = run_cli({"schema", "--kind", name});
    CHECK(r.code == 0);
    CHECK(r.out == reference_markdown(kind));
  }
}

TEST_CASE("every shipped sweep, plan and compare file passes its kind's JSON Schema, and broken ones fail it",
          "[schema]") {
  const std::string sweeps = source_dir + "/scenarios/sweeps/";
  const std::vector<std::pair<std::string, FileKind>> files{
      {sweeps + "ci-regression.json", FileKind::sweep},
      {sweeps + "bench-1000-points.json", FileKind::sweep},
      {sweeps + "plan-small.json", FileKind::plan},
      {sweeps + "plan-reflection.json", FileKind::plan},
      {source_dir + "/scenarios/reflection-gpu-range.json", FileKind::compare}};
  for (const auto& [file, kind] : files) {
    INFO(file);
    Json doc = Json::parse(read_text(file));
    CHECK(joined(problems_of(doc, "", kind)) == "");
    doc["$schema"] = "../docs/x.schema.json";
    CHECK(joined(problems_of(doc, "", kind)) == "");
    doc["colour"] = 1;
    CHECK(joined(problems_of(doc, "", kind)) == "/colour: unknown key\n");
  }
  Json sweep = Json::parse(read_text(sweeps + "ci-regression.json"));
  sweep["axes"][0]["valeus"] = Json::array({1});
  CHECK(joined(problems_of(sweep, "", FileKind::sweep)).find("/axes/0: matches no alternative") != std::string::npos);
  sweep = Json::parse(read_text(sweeps + "ci-regression.json"));
  sweep["metrics"] = Json::array({{{"path", "cluster.failures"}, {"stats", Json::array({"p95"})}}});
  CHECK(joined(problems_of(sweep, "", FileKind::sweep)).find("/metrics/0: matches no alternative") !=
        std::string::npos);
  Json compare = Json::parse(read_text(source_dir + "/scenarios/reflection-gpu-range.json"));
  compare["alternatives"][0]["leases"][0]["type"] = "fixed-yearly";  // checked by the scenario schema's lease blocks
  CHECK(joined(problems_of(compare, "", FileKind::compare))
            .find("/alternatives/0/leases/0: matches no alternative of oneOf") != std::string::npos);
}

TEST_CASE("leasesim schema prints the reference, or the JSON Schema to an atomically written file", "[schema]") {
  const Run md = run_cli({"schema"});
  CHECK(md.code == 0);
  CHECK(md.err.empty());
  CHECK(md.out == scenario_reference_markdown());
  CHECK(md.out.rfind("# Scenario file reference\n\nThis file is generated", 0) == 0);
  CHECK(md.out.find(regenerate_md) != std::string::npos);

  ScratchDir dir;
  const std::string out = (dir.path() / "scenario.schema.json").string();
  const Run js = run_cli({"schema", "--format", "json-schema", "-o", out});
  CHECK(js.code == 0);
  CHECK(js.out.empty());
  CHECK(read_text(out) == scenario_json_schema());
  CHECK(dir.entries() == std::vector<std::string>{"scenario.schema.json"});  // no temporary left behind
  const Json schema = Json::parse(read_text(out));
  CHECK(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema");
  CHECK(schema["additionalProperties"] == false);
}

TEST_CASE("leasesim schema with an unknown --format is bad usage: exit 2", "[schema]") {
  const Run r = run_cli({"schema", "--format", "yaml"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("--format") != std::string::npos);
}

TEST_CASE("every shipped scenario and step file passes the generated JSON Schema", "[schema]") {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(source_dir) / "scenarios")) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  int scenarios = 0, steps = 0;
  for (const auto& file : files) {
    INFO(file.string());
    const Json doc = Json::parse(read_text(file));
    if (load_scenario_file(file.string()).scenario) {
      ++scenarios;
      CHECK(joined(problems_of(doc)) == "");
    } else if (load_step_file(file.string()).step) {
      ++steps;
      CHECK(joined(problems_of(doc, "step-file")) == "");
    } else {
      // Compare files ("base") and sweep and plan files ("scenario"): checked against their own schemas below.
      CHECK((doc.contains("base") || doc.contains("scenario")));
    }
  }
  CHECK(scenarios >= 2);  // reflection-colossus2, sweeps/small-cluster
  CHECK(steps >= 5);      // step-frontier-2t-fp4/fp8, calibration/*
}

TEST_CASE("the JSON Schema check rejects unknown keys, wrong names, missing keys and wrong types", "[schema]") {
  const Json good = default_scenario();
  REQUIRE(problems_of(good).empty());
  struct Case {
    const char* what;
    Json doc;
    const char* expected;  // a substring of the checker's problems
  };
  std::vector<Case> cases;
  Json d = good;
  d["cluster"]["rakcs"] = 288;
  cases.push_back({"unknown key", d, "/cluster/rakcs: unknown key"});
  d = good;
  d["scheduler"] = {{"policy", "lifo"}};
  cases.push_back({"bad enum", d, "\"lifo\" not in"});
  d = good;
  d.erase("horizon");
  cases.push_back({"missing required key", d, "missing horizon"});
  d = good;
  d["cluster"]["racks"] = "many";
  cases.push_back({"wrong type", d, "/cluster/racks: not of type"});
  d = good;
  d["cluster"]["racks"] = 0;
  cases.push_back({"out of range", d, "/cluster/racks: 0 fails minimum"});
  d = good;
  d["leases"][0]["type"] = "fixed-yearly";
  cases.push_back({"unknown lease type", d, "/leases/0: matches no alternative of oneOf"});
  d = good;
  d["cluster"]["rack"] = "gb300-nvl73";
  cases.push_back({"unknown preset", d, "/cluster/rack: matches no alternative"});
  d = good;
  d["failures"] = {{"preset", "llama3-405b"}, {"processes", Json::array({{{"component", "gpu"}, {"mtbf", "1 h"}}})}};
  cases.push_back({"missing key in a list item", d, "/failures/processes/0: missing repair"});
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK_FALSE(load_scenario_text(c.doc.dump(), "t.json").scenario.has_value());  // the loader refuses it too
    const std::string problems = joined(problems_of(c.doc));
    INFO(problems);
    CHECK(problems.find(c.expected) != std::string::npos);
  }
}

TEST_CASE("a scenario may name its JSON Schema in a top-level \"$schema\" key, and only there", "[schema][loader]") {
  Json doc = default_scenario();
  doc["$schema"] = "../docs/scenario.schema.json";
  const auto loaded = load_scenario_text(doc.dump(), "t.json");
  INFO(loaded.diagnostics.format());
  CHECK(loaded.scenario.has_value());
  CHECK(problems_of(doc).empty());

  doc["$schema"] = 7;
  CHECK(load_scenario_text(doc.dump(), "t.json").diagnostics.format() ==
        "t.json: /$schema: expected a string (the path or URL of a JSON Schema), found 7\n");
  CHECK_FALSE(problems_of(doc).empty());

  doc = default_scenario();
  doc["cluster"]["$schema"] = "../docs/scenario.schema.json";
  CHECK(load_scenario_text(doc.dump(), "t.json").diagnostics.format().find("/cluster/$schema: unknown key") !=
        std::string::npos);
  CHECK(joined(problems_of(doc)).find("/cluster/$schema: unknown key") != std::string::npos);
}

TEST_CASE("every block and field is documented, and every example and default passes its own schema", "[schema]") {
  REQUIRE(exported_blocks().size() >= 20);
  CHECK(exported_blocks().front().id == "scenario");
  for (const FileKind kind : {FileKind::scenario, FileKind::step, FileKind::sweep, FileKind::plan, FileKind::compare}) {
    INFO("kind " << leasesim::scenario::kind_name(kind));
    const auto blocks = exported_blocks(kind);
    const std::string md = reference_markdown(kind);
    const Json& root = generated_schema(kind);
    const auto object_schema_of = [&root](const std::string& id) -> const Json& {
      const Json& def = root.contains("$defs") && root["$defs"].contains(id) ? root["$defs"][id] : root;
      if (def.contains("anyOf")) return def["anyOf"][1];
      return def;
    };
    for (const auto& b : blocks) {
      INFO("block " << b.title);
      CHECK_FALSE(b.info->doc.empty());
      CHECK(md.find("\n## " + b.title + "\n") != std::string::npos);
      if (&b != &blocks.front()) CHECK(root["$defs"].contains(b.id));
      const Json& properties = object_schema_of(b.id).at("properties");
      for (const auto& f : b.info->fields) {
        INFO("field " << f.name);
        CHECK_FALSE(f.doc.empty());
        CHECK_FALSE(f.example.empty());
        CHECK_FALSE(f.type.empty());
        REQUIRE(properties.contains(f.name));
        const Json& p = properties[f.name];
        CHECK(p["description"] == f.doc);
        Json values = p.value("examples", Json::array());
        if (p.contains("default")) values.push_back(p["default"]);
        for (const auto& value : values) {
          INFO("example or default " << value.dump());
          Problems out;
          check(root, p, value, "", out);
          CHECK(joined(out) == "");
          CHECK(loader_accepts(f, value).value_or(true));
        }
      }
    }
  }
}

namespace {

// Every documented field of every kind's reference, with the block it is in.
std::vector<std::pair<std::string, FieldDoc>> every_documented_field() {
  std::vector<std::pair<std::string, FieldDoc>> out;
  for (const FileKind kind : {FileKind::scenario, FileKind::step, FileKind::sweep, FileKind::plan, FileKind::compare}) {
    for (const auto& b : exported_blocks(kind)) {
      for (const auto& f : b.info->fields) out.emplace_back(b.path.empty() ? b.title : b.path, f);
    }
  }
  return out;
}

// The examples a field documents as JSON values ("0.95 or \"95%\"" gives two), placeholders left out.
std::vector<Json> examples_of(const FieldDoc& f) {
  std::vector<Json> out;
  std::string rest = f.example;
  for (;;) {
    const auto cut = rest.find(" or ");
    const Json j = Json::parse(rest.substr(0, cut), nullptr, false);
    if (!j.is_discarded() && j.dump().find("…") == std::string::npos) out.push_back(j);
    if (cut == std::string::npos) break;
    rest = rest.substr(cut + 4);
  }
  return out;
}

// The documented example of `key` in the block at `block` (a path such as "leases[].provider").
std::string example_of(const std::string& block, const std::string& key) {
  for (const auto& [where, f] : every_documented_field()) {
    if (where == block && f.name == key) return f.example;
  }
  return "(no key " + block + "." + key + ")";
}

double dollars(const std::string& example) {
  const auto m = leasesim::units::parse_money(Json::parse(example).get<std::string>());
  return m ? m->dollars() : -1;
}

double si(const std::string& example, Dimension dim) {
  const Json j = Json::parse(example);
  if (j.is_number()) return j.get<double>();
  return leasesim::units::parse_quantity(j.get<std::string>(), dim).value.value_or(-1);
}

}  // namespace

TEST_CASE("every documented key's example is read without a problem by that key's own reader", "[schema]") {
  std::size_t read = 0;
  for (const auto& [block, f] : every_documented_field()) {
    INFO(block << "." << f.name << " example " << f.example);
    REQUIRE(f.try_read);
    if (f.type == "scenario file or inline scenario") {
      // A path relative to the file that names it: the shipped sweep and plan files sit in
      // scenarios/sweeps/, and the example names a scenario from there.
      CHECK(std::filesystem::exists(source_dir + "/scenarios/sweeps/" + Json::parse(f.example).get<std::string>()));
      continue;
    }
    const auto values = examples_of(f);
    const bool value_type = f.type == "money" || f.type == "integer" || f.type == "date" || f.type == "number" ||
                            f.unit.size() > 0 || f.type == "one of" || f.type == "boolean";
    if (value_type) CHECK_FALSE(values.empty());  // a plain value is never a placeholder
    for (const auto& v : values) {
      Diagnostics d("example.json");
      f.try_read(v, "/" + f.name, d);
      CHECK(d.ok());
      for (const auto& p : d.problems()) INFO(p.message);
      if (f.has_bounds && (f.type == "integer" || f.type == "money" || v.is_number())) {
        const double x = f.type == "money" ? dollars(v.dump()) : v.get<double>();
        CHECK(f.bounds.contains(x));
      }
      ++read;
    }
  }
  CHECK(read > 250);
}

TEST_CASE("the reference's examples are plausible per key, not one per type", "[schema]") {
  // The four of issue 17: a rack's price, its running cost, a horizon and a PUE.
  CHECK(example_of("leases[].provider", "capex_per_rack") == "\"$3.1M\"");
  const double capex = dollars(example_of("leases[].provider", "capex_per_rack"));
  CHECK((capex >= 1e6 && capex <= 10e6));
  const double opex = dollars(example_of("leases[].provider", "opex_per_rack_month"));
  CHECK((opex >= 1e3 && opex <= 1e6));
  const double length = si(example_of("horizon", "length"), Dimension::duration);
  CHECK((length >= 30 * 86400.0 && length <= 10 * 365 * 86400.0));
  CHECK(si(example_of("cluster.power", "pue"), Dimension::count) == Approx(1.2));
  // A throughput scale is about 1, not a rack's 72 GPUs; a distribution's shape likewise.
  CHECK(si(example_of("scenario", "throughput_scale"), Dimension::count) <= 2);
  // Every money key named per GPU-hour shows a price between $0.50 and $50, every per-rack-month
  // cost more than $1,000, every energy price between $20 and $500 per MWh.
  int prices = 0;
  for (const auto& [block, f] : every_documented_field()) {
    if (f.type != "money") continue;
    INFO(block << "." << f.name << " example " << f.example);
    const double x = dollars(f.example);
    if (f.name.find("gpu_hour") != std::string::npos || f.name.find("rate") != std::string::npos) {
      CHECK((x >= 0.5 && x <= 50));
      ++prices;
    }
    if (f.name.find("rack_month") != std::string::npos) CHECK(x >= 1e3);
    if (f.name.find("per_mwh") != std::string::npos) CHECK((x >= 20 && x <= 500));
  }
  CHECK(prices >= 8);
  // Fractions: an escalator or a discount rate is a few percent, not 95%.
  CHECK(si(example_of("leases[]", "escalator"), Dimension::fraction) <= 0.1);
  CHECK(si(example_of("finance", "discount_rate"), Dimension::fraction) <= 0.2);
}
