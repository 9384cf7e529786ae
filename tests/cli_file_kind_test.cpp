// `leasesim validate` reads every kind of input file with its own loader, told apart by its keys;
// a command given another kind says what the file is in one line (issue 11 §2 g); a sweep's metric
// paths are checked at load against the run document's keys (§2 f).
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "leasesim/scenario/file_kind.hpp"

using namespace leasesim::test;
using leasesim::scenario::FileKind;
using nlohmann::json;

namespace {

const std::string sweeps = source_dir + "/scenarios/sweeps";

std::string write(const ScratchDir& dir, const std::string& name, const json& doc) {
  const auto path = (dir.path() / name).string();
  std::ofstream(path) << doc.dump(2);
  return path;
}

}  // namespace

TEST_CASE("each kind of input file is told apart by the keys only it has", "[validate][cli]") {
  using leasesim::scenario::file_kind;
  const auto kind_of = [](const std::string& file) { return file_kind(json::parse(read_text(file))).kind; };
  CHECK(kind_of(default_scenario) == FileKind::scenario);
  CHECK(kind_of(source_dir + "/scenarios/step-frontier-2t-fp8.json") == FileKind::step);
  CHECK(kind_of(sweeps + "/ci-regression.json") == FileKind::sweep);
  CHECK(kind_of(source_dir + "/scenarios/reflection-gpu-range.json") == FileKind::compare);
  CHECK(kind_of(sweeps + "/plan-small.json") == FileKind::plan);
  CHECK(file_kind(json::parse(R"({"axes": []})")).evidence == "has \"axes\"");
  CHECK(file_kind(json::array()).evidence.empty());  // not an object: nothing marks it
}

TEST_CASE("validate checks every shipped file with its own loader", "[validate][cli]") {
  const Run r = run_cli({"validate", default_scenario, source_dir + "/scenarios/reflection-gpu-range.json",
                         source_dir + "/scenarios/step-frontier-2t-fp8.json", sweeps + "/ci-regression.json",
                         sweeps + "/bench-1000-points.json", sweeps + "/plan-small.json",
                         sweeps + "/plan-reflection.json", sweeps + "/small-cluster.json"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(split_lines(r.out).size() == 8);
}

TEST_CASE("validate reports a sweep's, a plan's and a compare file's own problems, not unknown scenario keys",
          "[validate][cli]") {
  ScratchDir dir;
  json sweep = json::parse(read_text(sweeps + "/ci-regression.json"));
  sweep["scenario"] = sweeps + "/small-cluster.json";
  sweep["seeds"] = "everywhere";
  json plan = json::parse(read_text(sweeps + "/plan-small.json"));
  plan["scenario"] = sweeps + "/small-cluster.json";
  plan["jobs"] = {"pretrain-7b"};
  json compare = json::parse(read_text(source_dir + "/scenarios/reflection-gpu-range.json"));
  compare["base"] = default_scenario;
  compare["alternatives"][0]["racks"] = 100;  // below its 249-rack lease
  const Run r =
      run_cli({"validate", write(dir, "s.json", sweep), write(dir, "p.json", plan), write(dir, "c.json", compare)});
  CHECK(r.code == 2);
  const auto s = (dir.path() / "s.json").string(), p = (dir.path() / "p.json").string(),
             c = (dir.path() / "c.json").string();
  CHECK(split_lines(r.err) ==
        Lines{s + ": /seeds: expected one of \"per-point\", \"common\", found \"everywhere\"",
              p + ": /jobs: expected a job of the scenario with a deadline, found \"pretrain-7b\"",
              c + ": /alternatives/0/leases/0/racks: expected at most the cluster's 100 racks, found 249"});
}

TEST_CASE("a file of another kind gets one line saying what it is and which command reads it", "[validate][cli]") {
  const std::string sweep = sweeps + "/ci-regression.json", plan = sweeps + "/plan-small.json";
  const std::string compare = source_dir + "/scenarios/reflection-gpu-range.json",
                    step = source_dir + "/scenarios/step-frontier-2t-fp8.json";
  const auto one_line = [](const std::vector<std::string>& args, const std::string& line) {
    const Run r = run_cli(args);
    CHECK(r.code == 2);
    CHECK(split_lines(r.err) == Lines{line});
  };
  one_line({"run", sweep},
           sweep + ": this is a sweep file (has \"axes\"); leasesim run expects a scenario — use leasesim sweep");
  one_line(
      {"run", compare},
      compare +
          ": this is a compare file (has \"alternatives\"); leasesim run expects a scenario — use leasesim compare");
  one_line({"run", plan},
           plan + ": this is a plan file (has \"capacity\"); leasesim run expects a scenario — use leasesim plan");
  one_line(
      {"run", step},
      step +
          ": this is a step file (has \"job\", no \"horizon\"); leasesim run expects a scenario — use leasesim step");
  one_line({"sweep", default_scenario},
           default_scenario +
               ": this is a scenario (has \"horizon\"); leasesim sweep expects a sweep file — use leasesim run");
  one_line({"plan", default_scenario},
           default_scenario +
               ": this is a scenario (has \"horizon\"); leasesim plan expects a plan file — use leasesim run");
  one_line({"compare", default_scenario},
           default_scenario +
               ": this is a scenario (has \"horizon\"); leasesim compare expects a compare file — use leasesim run");
  one_line({"step", default_scenario},
           default_scenario +
               ": this is a scenario (has \"horizon\"); leasesim step expects a step file — use leasesim run");
}

TEST_CASE("a sweep metric the run document does not have is refused at load with the keys there are",
          "[validate][cli][sweep]") {
  ScratchDir dir;
  json sweep = {{"scenario", sweeps + "/small-cluster.json"},
                {"replications", 1},
                {"axes", {{{"path", "/horizon/length"}, {"values", {"30 d"}}}}},
                {"metrics",
                 {"jobs.pretrain-70b.ettr",
                  "cluster.months.0.utilization",
                  "cluster.failures_by_category.gpu",
                  "leases.partition.total.tenant_cost_usd",
                  "job_classes.post-training.jobs",
                  "/jobs/0/mfu",
                  "jobs.pretrain-70b.etr",
                  "jobs.pretrain.ettr",
                  {{"name", "idle"}, {"path", "cluster.gpu_hours.idle"}, {"per", "cluster.gpu_hours.totl"}},
                  "cluster.gpu_hours",
                  "jobs.pretrain-70b.cost_usd"}}};
  const auto file = write(dir, "s.json", sweep);
  const std::string keys =
      "allocated_gpu_hours, checkpoint_interval_s, checkpoint_stall_s, checkpoint_write_max_s, checkpoint_write_s, "
      "completed, cost_usd, "
      "days_before_deadline, deadline, deadline_met, end, end_s, ettr, fabric_slowdown, freed_worth_usd, "
      "goodput_fraction, gpu_hours_freed_before_deadline, gpus, interruptions, lost_gpu_hours, mfu, "
      "mfu_at_precision, name, parallelism, precision, restart_read_s, start, start_s, step_time_s, submit, tenant, "
      "tokens, "
      "tokens_per_s, tokens_trained, usd_per_million_tokens";
  const Lines expected{file +
                           ": /metrics/6: expected a path to a figure of the run document, found "
                           "\"jobs.pretrain-70b.etr\" (no key \"etr\" in "
                           "jobs.pretrain-70b — did you mean \"ettr\"?; keys: " +
                           keys + ")",
                       file +
                           ": /metrics/7: expected a path to a figure of the run document, found "
                           "\"jobs.pretrain.ettr\" (nothing named \"pretrain\" "
                           "in jobs; names: pretrain-70b)",
                       file +
                           ": /metrics/8/per: expected a path to a figure of the run document, found "
                           "\"cluster.gpu_hours.totl\" (no key \"totl\" in "
                           "cluster.gpu_hours — did you mean \"total\"?; keys: checkpointing, failed, idle, lost, "
                           "productive, restarting, spare, total, unleased)",
                       file +
                           ": /metrics/9: expected a path to a figure of the run document, found \"cluster.gpu_hours\" "
                           "(cluster.gpu_hours holds "
                           "keys, not a figure; keys: checkpointing, failed, idle, lost, productive, restarting, "
                           "spare, total, unleased)"};
  for (const char* command : {"validate", "sweep"}) {
    const Run r = run_cli({command, file});
    CHECK(r.code == 2);
    CHECK(split_lines(r.err) == expected);
  }
  for (int i = 0; i < 4; ++i) sweep["metrics"].erase(6);
  const Run ok = run_cli({"sweep", write(dir, "ok.json", sweep), "--format", "csv"});
  INFO(ok.err);
  CHECK(ok.code == 0);
}
