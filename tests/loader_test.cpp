// Tests for the scenario loader: every class of mistake is reported as one exact line
// "FILE: /json/pointer: message", all of them in one pass, and a valid file resolves to the numbers
// the scenario promises (presets, overrides, units).
#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "leasesim/lease/fixed_monthly.hpp"
#include "leasesim/scenario/json_text.hpp"
#include "leasesim/scenario/scenario.hpp"
#include "leasesim/units/quantity.hpp"

using leasesim::scenario::load_scenario_file;
using leasesim::scenario::load_scenario_text;
using leasesim::scenario::LoadResult;
using Json = nlohmann::json;
using Lines = std::vector<std::string>;

namespace {

const std::string source_dir = LEASESIM_SOURCE_DIR;

// A valid scenario small enough to read at a glance; each test breaks one thing in it.
Json valid_scenario() {
  return Json::parse(R"({
    "name": "t",
    "cluster": {"rack": "gb300-nvl72", "racks": 288},
    "horizon": {"start": "2026-07-01", "length": "36 months"},
    "leases": [{"name": "l", "type": "fixed-monthly", "fee_per_month": "$150M", "racks": 288,
                "start": "2026-07-01", "term": "36 months"}]
  })");
}

Lines split_lines(const std::string& text) {
  Lines lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The diagnostics of loading `text` as "t.json", one string per printed line.
Lines problems_in_text(const std::string& text) {
  const LoadResult r = load_scenario_text(text, "t.json");
  CHECK_FALSE(r.scenario.has_value());
  return split_lines(r.diagnostics.format());
}

Lines problems_in(const Json& doc) { return problems_in_text(doc.dump()); }

leasesim::scenario::Scenario load_ok(const Json& doc) {
  const LoadResult r = load_scenario_text(doc.dump(), "t.json");
  INFO(r.diagnostics.format());
  REQUIRE(r.scenario.has_value());
  return *r.scenario;
}

bool has_line(const Lines& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace

// --- one pass, one line per mistake ------------------------------------------------------------

TEST_CASE("a scenario with five different mistakes prints exactly five lines, one per mistake", "[loader]") {
  const std::string file = source_dir + "/tests/corpus/five-mistakes.json";
  const LoadResult r = load_scenario_file(file);
  REQUIRE_FALSE(r.scenario.has_value());
  REQUIRE(r.diagnostics.problems().size() == 5);

  Lines lines = split_lines(r.diagnostics.format());
  std::sort(lines.begin(), lines.end());
  const std::string at = file + ": ";
  CHECK(
      lines ==
      Lines{
          at + "/cluster/fabric/nic_bandwidth: expected a data rate (e.g. \"800 Gb/s\"), found \"5 min\" (a duration)",
          at + "/cluster/fabric/rail_optimised: unknown key \"rail_optimised\" in fabric; did you mean "
               "\"rail_optimized\"?",
          at + "/cluster/rack: expected a rack preset (one of dgx-a100-80gb, dgx-h100, gb200-nvl72, gb300-nvl72, "
               "hgx-b200), found \"gb300-nvl27\" — did you mean \"gb300-nvl72\"?",
          at + "/horizon/length: expected a duration (e.g. \"5 min\"), found \"36 parsecs\" (unknown unit \"parsecs\")",
          at + "/leases/0/term: expected a whole number of months (e.g. \"36 months\" or \"3 years\"), found \"40 d\"",
      });
}

TEST_CASE("a mistake in the cluster does not also fail the leases' capacity check", "[loader]") {
  // The lease is fine; only the cluster is wrong. The cross-field check must not compare the lease
  // against the 0 racks (or 0 GPUs) left behind by the rejected value.
  Json doc = valid_scenario();
  SECTION("zero racks") {
    doc["cluster"]["racks"] = 0;
    CHECK(problems_in(doc) == Lines{"t.json: /cluster/racks: expected an integer ≥ 1 and ≤ 100000, found 0"});
  }
  SECTION("an unknown rack preset under a lease of GPUs") {
    doc["cluster"]["rack"] = "gb300-nvl27";
    doc["leases"][0].erase("racks");
    doc["leases"][0]["gpus"] = 20736;
    const Lines lines = problems_in(doc);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("t.json: /cluster/rack: expected a rack preset", 0) == 0);
  }
}

// --- unknown keys ------------------------------------------------------------------------------

TEST_CASE("an unknown key near a known one suggests it", "[loader]") {
  Json doc = valid_scenario();
  doc["cluster"].erase("racks");
  doc["cluster"]["rakcs"] = 288;
  // "rakcs" is one transposition from "racks" and two edits from "rack": the suggestion is "racks".
  const Lines lines = problems_in(doc);
  INFO(::Catch::Detail::stringify(lines));
  CHECK(has_line(lines, "t.json: /cluster/rakcs: unknown key \"rakcs\" in cluster; did you mean \"racks\"?"));
}

TEST_CASE("an unknown key near a known one suggests it at every level", "[loader]") {
  Json doc = valid_scenario();
  doc["horizon"]["lenght"] = doc["horizon"]["length"];
  doc["horizon"].erase("length");
  const Lines lines = problems_in(doc);
  CHECK(lines.size() == 2);
  CHECK(has_line(lines, "t.json: /horizon/lenght: unknown key \"lenght\" in horizon; did you mean \"length\"?"));
  CHECK(has_line(lines, "t.json: /horizon/length: expected key \"length\" (duration), found nothing"));
}

TEST_CASE("an unknown key far from every known one lists the allowed keys", "[loader]") {
  Json doc = valid_scenario();
  doc["zzzzzzzzzz"] = 1;
  const Lines lines = problems_in(doc);
  REQUIRE(lines.size() == 1);
  // The list grows as the scenario gains blocks; the foundation's keys lead it.
  CHECK(lines[0].rfind("t.json: /zzzzzzzzzz: unknown key \"zzzzzzzzzz\" in scenario; allowed keys: "
                       "name, description, seed, cluster, horizon, leases",
                       0) == 0);
}

TEST_CASE("a key holding a newline or a NUL still prints one line per problem", "[loader]") {
  Json doc = valid_scenario();
  doc[std::string("na\nme")] = "x";
  doc[std::string("na\0me", 5)] = "x";
  const LoadResult r = load_scenario_text(doc.dump(), "t.json");
  REQUIRE_FALSE(r.scenario.has_value());
  REQUIRE(r.diagnostics.problems().size() == 2);
  Lines lines = split_lines(r.diagnostics.format());
  std::sort(lines.begin(), lines.end());
  CHECK(lines == Lines{"t.json: /na\\x00me: unknown key \"na\\u0000me\" in scenario; did you mean \"name\"?",
                       "t.json: /na\\x0Ame: unknown key \"na\\nme\" in scenario; did you mean \"name\"?"});
}

// --- wrong types, dimensions, units ------------------------------------------------------------

TEST_CASE("a value of the wrong JSON type names what was expected and what was found", "[loader]") {
  Json doc = valid_scenario();
  SECTION("an array where a block is due") {
    doc["cluster"] = Json::array();
    CHECK(problems_in(doc) == Lines{"t.json: /cluster: expected an object, found an empty list"});
  }
  SECTION("a string where an integer is due") {
    doc["cluster"]["racks"] = "many";
    CHECK(problems_in(doc) == Lines{"t.json: /cluster/racks: expected an integer, found \"many\""});
  }
  SECTION("a string where a boolean is due") {
    doc["cluster"]["fabric"] = {{"rail_optimized", "yes"}};
    CHECK(problems_in(doc) == Lines{"t.json: /cluster/fabric/rail_optimized: expected true or false, found \"yes\""});
  }
  SECTION("an object where a list is due") {
    doc["leases"] = Json::object();
    CHECK(problems_in(doc) == Lines{"t.json: /leases: expected a list, found an empty object"});
  }
  SECTION("a number where a rack preset or block is due") {
    doc["cluster"]["rack"] = 72;
    CHECK(problems_in(doc) == Lines{"t.json: /cluster/rack: expected an object or a preset name, found 72"});
  }
  SECTION("a number where a date string is due") {
    doc["horizon"]["start"] = 20260701;
    CHECK(problems_in(doc) ==
          Lines{"t.json: /horizon/start: expected a date as a string (e.g. \"2026-07-01\"), found 20260701"});
  }
}

TEST_CASE("a duration where a data rate is due names both dimensions", "[loader]") {
  Json doc = valid_scenario();
  doc["cluster"]["fabric"] = {{"nic_bandwidth", "5 min"}};
  CHECK(problems_in(doc) == Lines{"t.json: /cluster/fabric/nic_bandwidth: expected a data rate (e.g. \"800 Gb/s\"), "
                                  "found \"5 min\" (a duration)"});
}

TEST_CASE("an unknown unit is named in the message", "[loader]") {
  Json doc = valid_scenario();
  doc["horizon"]["length"] = "36 parsecs";
  CHECK(problems_in(doc) == Lines{"t.json: /horizon/length: expected a duration (e.g. \"5 min\"), found "
                                  "\"36 parsecs\" (unknown unit \"parsecs\")"});
}

// --- ranges and integers -------------------------------------------------------------------------

TEST_CASE("values out of their sane range are refused with the range", "[loader]") {
  Json doc = valid_scenario();
  doc.erase("leases");
  SECTION("zero racks") {
    doc["cluster"]["racks"] = 0;
    CHECK(problems_in(doc) == Lines{"t.json: /cluster/racks: expected an integer ≥ 1 and ≤ 100000, found 0"});
  }
  SECTION("negative racks") {
    doc["cluster"]["racks"] = -288;
    CHECK(problems_in(doc) == Lines{"t.json: /cluster/racks: expected an integer ≥ 1 and ≤ 100000, found -288"});
  }
  SECTION("a negative bandwidth") {
    doc["cluster"]["fabric"] = {{"nic_bandwidth", "-800 Gb/s"}};
    CHECK(problems_in(doc) == Lines{"t.json: /cluster/fabric/nic_bandwidth: expected a data rate ≥ 0 B/s and "
                                    "≤ 10 TB/s, found \"-800 Gb/s\""});
  }
  SECTION("a unit slip: a GPU of 1.4 MW") {
    doc["cluster"]["rack"] = {{"preset", "gb300-nvl72"}, {"gpu", {{"preset", "gb300"}, {"tdp", "1.4 MW"}}}};
    CHECK(problems_in(doc) ==
          Lines{"t.json: /cluster/rack/gpu/tdp: expected a power > 0 W and ≤ 10 kW, found \"1.4 MW\""});
  }
  SECTION("a zero-length horizon") {
    doc["horizon"]["length"] = "0 d";
    const Lines lines = problems_in(doc);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("t.json: /horizon/length: expected a duration > 0 s", 0) == 0);
  }
  SECTION("a PUE below 1") {
    doc["cluster"]["power"] = {{"pue", 0.5}};
    const Lines lines = problems_in(doc);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("t.json: /cluster/power/pue: expected ", 0) == 0);
    CHECK(lines[0].find("≥ 1 and ≤ 3, found 0.5") != std::string::npos);
  }
}

TEST_CASE("a fee of zero or below is refused", "[loader]") {
  Json doc = valid_scenario();
  doc["leases"][0]["fee_per_month"] = GENERATE("$0", "-$5");
  const Lines lines = problems_in(doc);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind("t.json: /leases/0/fee_per_month: expected an amount of money > $0.00", 0) == 0);
  CHECK(lines[0].find("found \"" + doc["leases"][0]["fee_per_month"].get<std::string>() + "\"") != std::string::npos);
}

TEST_CASE("a fraction where a whole number is due is refused", "[loader]") {
  Json doc = valid_scenario();
  doc["cluster"]["fabric"] = {{"tiers", 2.5}};
  CHECK(problems_in(doc) == Lines{"t.json: /cluster/fabric/tiers: expected an integer, found 2.5"});
}

TEST_CASE("a whole number written as a float is an integer", "[loader]") {
  Json doc = valid_scenario();
  doc["cluster"]["racks"] = 288.0;
  CHECK(load_ok(doc).cluster.racks == 288);
}

TEST_CASE("more oversubscription values than tier boundaries are refused", "[loader]") {
  // Three tiers (leaf, spine, core) have two boundaries above the leaf.
  Json doc = valid_scenario();
  doc["cluster"]["fabric"] = {{"tiers", 3}, {"oversubscription", {1, 7, 2}}};
  CHECK(problems_in(doc) == Lines{"t.json: /cluster/fabric/oversubscription: expected at most 2 values (one per "
                                  "tier boundary above the leaf), found 3"});
}

// --- required keys, presets ----------------------------------------------------------------------

TEST_CASE("a missing required key is reported at its path", "[loader]") {
  Json doc = valid_scenario();
  doc.erase("horizon");
  doc["leases"][0].erase("fee_per_month");
  Lines lines = problems_in(doc);
  std::sort(lines.begin(), lines.end());  // the order found is not part of the contract
  CHECK(lines == Lines{"t.json: /horizon: expected key \"horizon\" (block), found nothing",
                       "t.json: /leases/0/fee_per_month: expected key \"fee_per_month\" (money), found nothing"});
}

TEST_CASE("an unknown preset suggests the nearest preset", "[loader]") {
  Json doc = valid_scenario();
  doc["cluster"]["rack"] = "gb300-nvl27";
  CHECK(problems_in(doc) == Lines{"t.json: /cluster/rack: expected a rack preset (one of dgx-a100-80gb, dgx-h100, "
                                  "gb200-nvl72, gb300-nvl72, hgx-b200), found \"gb300-nvl27\" — did you mean "
                                  "\"gb300-nvl72\"?"});
}

TEST_CASE("an unknown preset beside overrides is one problem, not one per field of the block", "[loader]") {
  // The block names a preset, misspelt: the fix is the name, and the preset would have supplied every
  // other field, so "missing gpus", "missing power", … would only bury the one real line.
  Json doc = valid_scenario();
  SECTION("a misspelt preset name") {
    doc["cluster"]["rack"] = {{"preset", "gb300-nvl27"}, {"power", "150 kW"}};
    CHECK(problems_in(doc) == Lines{"t.json: /cluster/rack/preset: expected a rack preset (one of dgx-a100-80gb, "
                                    "dgx-h100, gb200-nvl72, gb300-nvl72, hgx-b200), found \"gb300-nvl27\" — did "
                                    "you mean \"gb300-nvl72\"?"});
  }
  SECTION("a preset that is not a name") {
    doc["cluster"]["rack"] = {{"preset", 72}};
    CHECK(problems_in(doc) == Lines{"t.json: /cluster/rack/preset: expected a preset name (one of dgx-a100-80gb, "
                                    "dgx-h100, gb200-nvl72, gb300-nvl72, hgx-b200), found 72"});
  }
}

TEST_CASE("a preset with an override keeps the preset's other fields", "[loader]") {
  Json doc = valid_scenario();
  doc["cluster"]["rack"] = {{"preset", "gb300-nvl72"}, {"power", "150 kW"}};
  const auto s = load_ok(doc);
  CHECK(s.cluster.rack.power_watts == Approx(150e3));
  CHECK(s.cluster.rack.gpus == 72);
  CHECK(s.cluster.rack.gpus_per_node == 4);
  CHECK(s.cluster.rack.nvlink_domain_gpus == 72);
  CHECK(s.cluster.rack.gpu.name == "gb300");
  CHECK(s.cluster.rack.gpu.tdp_watts == Approx(1400));
  CHECK(s.cluster.gpus() == 288 * 72);
}

TEST_CASE("a GPU override inside a rack preset changes only that field", "[loader]") {
  Json doc = valid_scenario();
  doc["cluster"]["rack"] = {{"preset", "gb300-nvl72"}, {"gpu", {{"preset", "gb300"}, {"hbm_usable", "270 GB"}}}};
  const auto s = load_ok(doc);
  CHECK(s.cluster.rack.gpu.hbm_usable_bytes == Approx(270e9));
  CHECK(s.cluster.rack.gpu.hbm_bytes == Approx(288e9));
  CHECK(s.cluster.rack.gpu.fp4_flops == Approx(15e15));
}

// --- JSON text ---------------------------------------------------------------------------------

TEST_CASE("a duplicate key is an error at its path", "[loader]") {
  const std::string text = R"({"name": "t", "cluster": {"rack": "gb300-nvl72", "racks": 288, "racks": 1},
    "horizon": {"start": "2026-07-01", "length": "36 months"}})";
  CHECK(problems_in_text(text) ==
        Lines{"t.json: /cluster/racks: duplicate key: each key may appear once in an object"});
}

TEST_CASE("a duplicate key inside a list item is reported at the item's index", "[loader]") {
  const std::string text = R"({"cluster": {"rack": "gb300-nvl72", "racks": 288},
    "horizon": {"start": "2026-07-01", "length": "36 months"},
    "leases": [{"name": "a"}, {"name": "b", "name": "c"}]})";
  CHECK(problems_in_text(text) ==
        Lines{"t.json: /leases/1/name: duplicate key: each key may appear once in an object"});
}

TEST_CASE("a key holding / or ~ is escaped in the path as RFC 6901 says", "[loader]") {
  Json doc = valid_scenario();
  doc["a/b~c"] = 1;
  const Lines lines = problems_in(doc);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind("t.json: /a~1b~0c: unknown key \"a/b~c\" in scenario; allowed keys: ", 0) == 0);
}

TEST_CASE("a UTF-8 byte-order mark before valid JSON is accepted", "[loader]") {
  const LoadResult r = load_scenario_text("\xEF\xBB\xBF" + valid_scenario().dump(), "t.json");
  INFO(r.diagnostics.format());
  CHECK(r.scenario.has_value());
}

TEST_CASE("a file beyond 64 MiB is refused before it is parsed", "[loader]") {
  using leasesim::scenario::max_json_bytes;
  const std::string text = "{\"name\": \"" + std::string(max_json_bytes, 'x') + "\"}";
  const Lines lines = problems_in_text(text);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "t.json: /: expected an input of at most 64 MiB, found " + std::to_string(text.size()) + " bytes");
}

TEST_CASE("a syntax error gives its line and column", "[loader]") {
  CHECK(problems_in_text("{\n  \"a\": [1,\n   2,,]}") ==
        Lines{"t.json: line 3, column 6: expected valid JSON, found syntax error while parsing value - unexpected "
              "','; expected '[', '{', or a literal"});
}

TEST_CASE("an empty file is refused", "[loader]") {
  CHECK(problems_in_text("") == Lines{"t.json: /: expected a JSON object, found an empty file"});
  CHECK(problems_in_text(" \n\t\r\n") == Lines{"t.json: /: expected a JSON object, found an empty file"});
}

TEST_CASE("text that is not UTF-8 is refused at the first bad byte", "[loader]") {
  CHECK(problems_in_text("{\"name\": \"caf\xE9\"}") ==
        Lines{"t.json: line 1, column 14: expected UTF-8 text, found the byte 0xE9"});
  // An overlong encoding of '/' and a UTF-8-encoded surrogate are not UTF-8 either.
  CHECK(problems_in_text("{\"name\": \"\xC0\xAF\"}") ==
        Lines{"t.json: line 1, column 11: expected UTF-8 text, found the byte 0xC0"});
  CHECK(problems_in_text("{\"name\": \"\xED\xA0\x80\"}") ==
        Lines{"t.json: line 1, column 11: expected UTF-8 text, found the byte 0xED"});
}

TEST_CASE("a NUL byte does not end the file early", "[loader]") {
  // nlohmann's lexer reads '\0' as the end of input: without a check, bytes after it are ignored.
  std::string text = valid_scenario().dump();
  text += '\0';
  text += "garbage";
  const Lines lines = problems_in_text(text);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind("t.json: line 1, column ", 0) == 0);
  CHECK(lines[0].find("found the byte 0x00") != std::string::npos);
}

TEST_CASE("nesting deeper than 64 levels is refused, 64 is parsed", "[loader]") {
  using leasesim::scenario::max_json_depth;
  REQUIRE(max_json_depth == 64);
  CHECK(problems_in_text(std::string(65, '[') + std::string(65, ']')) ==
        Lines{"t.json: line 1, column 65: expected JSON nested at most 64 levels deep, found deeper nesting"});
  // 64 levels is valid JSON: the problem is then the document's type, not its depth.
  CHECK(problems_in_text(std::string(64, '[') + std::string(64, ']')) ==
        Lines{"t.json: /: expected an object, found a list of 1"});
  // Brackets inside strings do not count.
  Json doc = valid_scenario();
  doc["description"] = std::string(100, '[');
  CHECK(load_ok(doc).description.size() == 100);
}

TEST_CASE("NaN and Infinity literals are refused", "[loader]") {
  CHECK(problems_in_text(R"({"seed": NaN})") ==
        Lines{"t.json: line 1, column 10: expected valid JSON, found syntax error while parsing value - invalid "
              "literal; last read: '\"seed\": N'"});
  const Lines inf = problems_in_text(R"({"seed": Infinity})");
  REQUIRE(inf.size() == 1);
  CHECK(inf[0].rfind("t.json: line 1, column 10: expected valid JSON", 0) == 0);
  // A unit string cannot smuggle one in either.
  Json doc = valid_scenario();
  doc["cluster"]["fabric"] = {{"nic_bandwidth", "nan Gb/s"}};
  CHECK(problems_in(doc) == Lines{"t.json: /cluster/fabric/nic_bandwidth: expected a data rate (e.g. \"800 Gb/s\"), "
                                  "found \"nan Gb/s\" (not a finite number)"});
}

TEST_CASE("a number beyond a double (1e999) is refused", "[loader]") {
  const Lines lines = problems_in_text(R"({"seed": 1e999})");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] ==
        "t.json: line 1, column 10: expected a number within ±1.8e308, found number overflow parsing '1e999'");
}

TEST_CASE("an integer beyond 64 bits is refused as an integer", "[loader]") {
  const std::string text = R"({"cluster": {"rack": "gb300-nvl72", "racks": 99999999999999999999999},
    "horizon": {"start": "2026-07-01", "length": "36 months"}})";
  CHECK(problems_in_text(text) == Lines{"t.json: /cluster/racks: expected an integer, found 1e+23"});
}

// --- leases ------------------------------------------------------------------------------------

TEST_CASE("a lease gives gpus or racks, not both and not neither", "[loader]") {
  Json doc = valid_scenario();
  SECTION("both") {
    doc["leases"][0]["gpus"] = 72;
    CHECK(problems_in(doc) == Lines{"t.json: /leases/0: expected exactly one of \"gpus\" or \"racks\", found both"});
  }
  SECTION("neither") {
    doc["leases"][0].erase("racks");
    CHECK(problems_in(doc) == Lines{"t.json: /leases/0: expected exactly one of \"gpus\" or \"racks\", found neither"});
  }
}

TEST_CASE("a lease term must be whole calendar months", "[loader]") {
  Json doc = valid_scenario();
  SECTION("40 days") {
    doc["leases"][0]["term"] = "40 d";
    CHECK(problems_in(doc) == Lines{"t.json: /leases/0/term: expected a whole number of months (e.g. \"36 months\" "
                                    "or \"3 years\"), found \"40 d\""});
  }
  SECTION("3 seconds") {
    doc["leases"][0]["term"] = 3;
    CHECK(problems_in(doc) == Lines{"t.json: /leases/0/term: expected a whole number of months (e.g. \"36 months\" "
                                    "or \"3 years\"), found 3"});
  }
  SECTION("3 years is 36 months") {
    doc["leases"][0]["term"] = "3 years";
    CHECK(load_ok(doc).leases.at(0).term_months == 36);
  }
}

TEST_CASE("a lease larger than the cluster is refused", "[loader]") {
  Json doc = valid_scenario();
  doc["leases"][0]["racks"] = 289;
  CHECK(problems_in(doc) == Lines{"t.json: /leases/0/racks: expected at most the cluster's 288 racks, found 289"});
}

TEST_CASE("an exit right later than the term is reported at termination/earliest", "[loader]") {
  Json doc = valid_scenario();
  doc["leases"][0]["term"] = "3 months";
  doc["leases"][0]["termination"] = {{"notice", "90 d"}, {"earliest", "4 months"}};
  CHECK(problems_in(doc) ==
        Lines{"t.json: /leases/0/termination/earliest: expected a time within the term, found 4.00 months"});
}

TEST_CASE("two leases of the same name are refused", "[loader]") {
  Json doc = valid_scenario();
  doc["leases"][0]["racks"] = 100;
  doc["leases"].push_back(doc["leases"][0]);
  CHECK(problems_in(doc) == Lines{"t.json: /leases/1/name: duplicate lease name \"l\""});
}

TEST_CASE("an invalid calendar date is refused", "[loader]") {
  Json doc = valid_scenario();
  doc["leases"][0]["start"] = "2026-02-30";
  CHECK(problems_in(doc) == Lines{"t.json: /leases/0/start: expected a date (e.g. \"2026-07-01\"), found "
                                  "\"2026-02-30\" (not a valid date)"});
}

TEST_CASE("a missing file is one problem naming the file", "[loader]") {
  const LoadResult r = load_scenario_file("/nonexistent/leasesim/none.json");
  CHECK_FALSE(r.scenario.has_value());
  CHECK(split_lines(r.diagnostics.format()) ==
        Lines{"/nonexistent/leasesim/none.json: /: expected a readable file, found no such file or no permission to "
              "read it"});
}

// --- valid files -------------------------------------------------------------------------------

TEST_CASE("the default scenario loads and resolves to the Reflection lease on 288 GB300 NVL72 racks", "[loader]") {
  const LoadResult r = load_scenario_file(source_dir + "/scenarios/reflection-colossus2.json");
  INFO(r.diagnostics.format());
  REQUIRE(r.scenario.has_value());
  CHECK(r.diagnostics.ok());
  const auto& s = *r.scenario;
  CHECK(s.name == "reflection-colossus2");
  CHECK(s.seed == 20260701u);
  CHECK(s.cluster.racks == 288);
  CHECK(s.cluster.gpus() == 20736);
  CHECK(s.cluster.rack.name == "gb300-nvl72");
  CHECK(s.cluster.rack.gpu.name == "gb300");
  CHECK(s.cluster.schedulable_gpus() == 288 * (72 - 2 * 4));  // 2 spare 4-GPU trays per rack
  CHECK(s.cluster.fabric.technology == leasesim::hw::FabricTechnology::spectrum_x);
  CHECK(s.cluster.fabric.effective_bandwidth_factor == Approx(0.95));  // the Spectrum-X default
  CHECK(s.cluster.fabric.nic_bandwidth == Approx(1e11));               // 800 Gb/s
  CHECK(s.cluster.power.pue == Approx(1.25));
  // Rack overhead defaults to the rack's power minus its GPUs' TDP: 142 kW - 72 x 1.4 kW.
  CHECK(s.cluster.power.rack_overhead_watts == Approx(142e3 - 72 * 1400.0));
  CHECK(s.horizon.start == 1782864000);  // 2026-07-01T00:00:00Z
  CHECK(s.horizon.length_s == Approx(36 * leasesim::units::seconds_per_month));

  REQUIRE(s.leases.size() == 1);
  const auto& l = s.leases[0];
  CHECK(l.name == "reflection");
  CHECK(l.tenant == "reflection-ai");
  CHECK(l.terms.get<leasesim::lease::FixedMonthlyTerms>().fee_per_month.micros() ==
        150'000'000'000'000);  // $150M exactly
  CHECK(l.committed_gpus(s.cluster.rack) == 20736);
  CHECK(l.start == 1782864000);
  CHECK(l.term_months == 36);
  REQUIRE(l.termination.has_value());
  CHECK(l.termination->notice_s == Approx(90 * 86400.0));
  CHECK(l.termination->earliest_s == Approx(3 * leasesim::units::seconds_per_month));
  // $150M / (20,736 GPUs x 730.485 h in an average month) = $9.90 per GPU-hour.
  CHECK(l.implied_price_per_gpu_hour(s.cluster.rack) == Approx(9.9027).margin(1e-4));
}

TEST_CASE("a bare number is SI and equals the same quantity with a unit", "[loader]") {
  Json with_units = valid_scenario();
  with_units["cluster"]["rack"] = {{"preset", "gb300-nvl72"}, {"power", "150 kW"}};
  with_units["cluster"]["fabric"] = {{"nic_bandwidth", "800 Gb/s"}, {"latency", "5 us"}};
  with_units["cluster"]["storage"] = {{"write_bandwidth", "2 TB/s"}};
  with_units["horizon"]["length"] = "90 d";
  with_units["leases"][0]["fee_per_month"] = "$150M";

  Json in_si = with_units;
  in_si["cluster"]["rack"]["power"] = 150000;
  in_si["cluster"]["fabric"] = {{"nic_bandwidth", 1e11}, {"latency", 5e-6}};
  in_si["cluster"]["storage"] = {{"write_bandwidth", 2e12}};
  in_si["horizon"]["length"] = 90 * 86400;
  in_si["leases"][0]["fee_per_month"] = 150000000;

  const auto a = load_ok(with_units);
  const auto b = load_ok(in_si);
  CHECK(b.cluster.fabric.nic_bandwidth == 1e11);
  CHECK(a.cluster.fabric.nic_bandwidth == b.cluster.fabric.nic_bandwidth);
  CHECK(a.cluster.fabric.latency_s == Approx(b.cluster.fabric.latency_s));
  CHECK(a.cluster.rack.power_watts == b.cluster.rack.power_watts);
  CHECK(a.cluster.storage.write_bandwidth == b.cluster.storage.write_bandwidth);
  CHECK(a.horizon.length_s == b.horizon.length_s);
  CHECK(a.leases.at(0).terms.get<leasesim::lease::FixedMonthlyTerms>().fee_per_month ==
        b.leases.at(0).terms.get<leasesim::lease::FixedMonthlyTerms>().fee_per_month);
}

TEST_CASE("a scenario without a name is named after its file", "[loader]") {
  Json doc = valid_scenario();
  doc.erase("name");
  const LoadResult r = load_scenario_text(doc.dump(), "some/dir/my-cluster.json");
  REQUIRE(r.scenario.has_value());
  CHECK(r.scenario->name == "my-cluster");
}
