// An `expect` list inside a scenario file: `leasesim run` checks it beside --expect.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace leasesim::test;

namespace {

const std::string small_cluster = source_dir + "/scenarios/sweeps/small-cluster.json";

std::string with_expect(const ScratchDir& dir, const nlohmann::json& expect) {
  nlohmann::json doc = nlohmann::json::parse(read_text(small_cluster));
  doc["expect"] = expect;
  const auto path = (dir.path() / "scenario.json").string();
  std::ofstream(path) << doc.dump(2);
  return path;
}

}  // namespace

TEST_CASE("a scenario's own expect list is checked by run: met exits 0, violated exits 1, malformed exits 2",
          "[cli][expect]") {
  const Run met = run_cli({"run", small_cluster, "--format", "json"});
  INFO(met.err);
  CHECK(met.code == 0);
  CHECK(met.err.empty());

  ScratchDir dir;
  const Run violated =
      run_cli({"run", with_expect(dir, {"jobs.pretrain-70b.deadline_met == true", "jobs.pretrain-70b.ettr > 1.5"}),
               "--format", "json"});
  CHECK(violated.code == 1);
  const Lines lines = split_lines(violated.err);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind("leasesim: expectation failed: jobs.pretrain-70b.ettr: expected > 1.5, found ", 0) == 0);
  CHECK_FALSE(violated.out.empty());  // the result is still written

  // --expect and the file's list add up.
  const Run both = run_cli({"run", small_cluster, "--format", "json", "--expect", "cluster.failures < 0"});
  CHECK(both.code == 1);
  CHECK(split_lines(both.err).size() == 1);

  const Run malformed = run_cli({"run", with_expect(dir, {"jobs.pretrain-70b.ettr >> 1", 7}), "--format", "json"});
  CHECK(malformed.code == 2);
  const Lines bad = split_lines(malformed.err);
  REQUIRE(bad.size() == 1);  // the loader refuses the number, one line; the text is never parsed
  CHECK(bad[0].find("/expect/1: expected a text 'PATH OP VALUE', found 7") != std::string::npos);

  const Run unparsable = run_cli({"run", with_expect(dir, {"jobs.pretrain-70b.ettr"}), "--format", "json"});
  CHECK(unparsable.code == 2);
  const Lines bad2 = split_lines(unparsable.err);
  REQUIRE(bad2.size() == 1);
  CHECK(bad2[0].find("/expect/0: expected 'PATH OP VALUE', found \"jobs.pretrain-70b.ettr\"") != std::string::npos);
}
