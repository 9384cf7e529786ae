// `leasesim sweep` and `leasesim merge` end to end: rows independent of -j, shards merged equal to
// the unsharded run byte for byte, a sweep killed with SIGKILL resumed without duplicated or
// half-written rows, expectations turning into exit code 1 with one line each, and --out refusing a
// folder that is not a sweep's or that holds symbolic links.
#include <catch2/catch.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cli_support.hpp"

using namespace leasesim::test;

namespace {

const std::string ci_sweep = source_dir + "/scenarios/sweeps/ci-regression.json";

std::size_t row_files(const fs::path& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir / "points", ec)) {
    const auto name = e.path().filename().string();
    if (name.size() > 9 && name.compare(name.size() - 9, 9, ".row.json") == 0 && name[0] != '.') ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("sweep shards merged equal the unsharded sweep byte for byte, whatever -j", "[sweep]") {
  ScratchDir dir;
  const auto whole = dir.path() / "whole", a = dir.path() / "a", b = dir.path() / "b", merged = dir.path() / "merged";
  const auto r = run_cli({"sweep", ci_sweep, "-j", "2", "--out", whole.string(), "--format", "csv"});
  REQUIRE(r.code == 0);
  const auto csv = read_text(whole / "results.csv");
  CHECK(r.out == csv);
  const auto lines = split_lines(csv);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].rfind("point,seed,horizon,racks,lease_racks,policy,pretrain-70b.deadline_met.probability,pretrain-70b."
                       "end_days.mean,",
                       0) == 0);
  CHECK(lines[2].rfind("1,", 0) == 0);
  CHECK(lines[2].find(",100 d,12,12,priority,") != std::string::npos);

  REQUIRE(run_cli({"sweep", ci_sweep, "-j", "1", "--shard", "1/2", "--out", a.string()}).code == 0);
  REQUIRE(run_cli({"sweep", ci_sweep, "-j", "1", "--shard", "2/2", "--out", b.string()}).code == 0);
  CHECK(split_lines(read_text(a / "results.csv")).size() == 3);  // header + points 0 and 2
  const auto m = run_cli({"merge", a.string(), b.string(), "--out", merged.string(), "--format", "jsonl"});
  REQUIRE(m.code == 0);
  CHECK(read_text(merged / "results.csv") == csv);
  CHECK(read_text(merged / "results.jsonl") == read_text(whole / "results.jsonl"));
  CHECK(read_text(merged / "sweep.json") == read_text(whole / "sweep.json"));
  CHECK(read_text(merged / "points" / "00000003.json") == read_text(whole / "points" / "00000003.json"));
  CHECK(m.out == read_text(whole / "results.jsonl"));

  const auto partial = run_cli({"merge", a.string()});
  CHECK(partial.code == 2);
  CHECK(partial.err == "leasesim: merge: 2 of 4 points missing (first: 1); run the missing shards or --resume them\n");
}

TEST_CASE("a sweep killed with SIGKILL resumes with only the missing points, no duplicate or half rows", "[sweep]") {
  ScratchDir dir;
  const auto sweep_file = dir.path() / "long.json";
  {
    std::ofstream out(sweep_file);
    out << R"({"scenario": ")" << source_dir << R"(/scenarios/sweeps/small-cluster.json", "seed": 3,
              "axes": [{"path": "/generators/1/arrivals_per_day", "range": {"from": 2, "to": 13, "step": 1}}]})";
  }
  const auto out_dir = dir.path() / "out";
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const char* null_out = "/dev/null";
    freopen(null_out, "w", stdout);
    freopen(null_out, "w", stderr);
    ::execl(LEASESIM_CLI, LEASESIM_CLI, "sweep", sweep_file.c_str(), "-j", "2", "--out", out_dir.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (row_files(out_dir) < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  const std::size_t done_before = row_files(out_dir);
  REQUIRE(done_before >= 3);
  REQUIRE(done_before < 12);
  CHECK_FALSE(fs::exists(out_dir / "results.csv"));

  const auto again = run_cli({"sweep", sweep_file.string(), "-j", "2", "--out", out_dir.string()});
  CHECK(again.code == 2);
  CHECK(again.err.find("already holds a sweep; pass --resume") != std::string::npos);

  const auto resumed =
      run_cli({"sweep", sweep_file.string(), "-j", "2", "--out", out_dir.string(), "--resume", "--format", "csv"});
  REQUIRE(resumed.code == 0);
  CHECK(resumed.err.find(std::to_string(12 - done_before) + " points simulated, " + std::to_string(done_before) +
                         " already done") != std::string::npos);
  const auto lines = split_lines(read_text(out_dir / "results.csv"));
  REQUIRE(lines.size() == 13);
  std::set<std::string> points;
  for (std::size_t i = 1; i < lines.size(); ++i) points.insert(lines[i].substr(0, lines[i].find(',')));
  CHECK(points.size() == 12);
  for (const auto& e : fs::directory_iterator(out_dir / "points")) CHECK(e.path().filename().string()[0] != '.');

  const auto fresh = dir.path() / "fresh";
  REQUIRE(run_cli({"sweep", sweep_file.string(), "-j", "2", "--out", fresh.string()}).code == 0);
  CHECK(read_text(fresh / "results.csv") == read_text(out_dir / "results.csv"));
}

TEST_CASE("a violated sweep expectation prints the point, path, expected and found, and exits 1", "[sweep]") {
  ScratchDir dir;
  const auto ok = run_cli({"sweep", ci_sweep, "-j", "2", "--format", "jsonl"});
  CHECK(ok.code == 0);
  CHECK(split_lines(ok.out).size() == 4);
  CHECK(nlohmann::json::parse(split_lines(ok.out)[3])["point"] == 3);
  const auto bad = run_cli({"sweep", ci_sweep, "-j", "2", "--expect", "cluster.failures < 0", "--format", "csv"});
  CHECK(bad.code == 1);
  const auto lines = split_lines(bad.err);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].rfind("leasesim: expectation failed: point 0: cluster.failures: expected < 0, found {\"mean\":", 0) ==
        0);
  CHECK(lines[3].rfind("leasesim: expectation failed: point 3: ", 0) == 0);
}

TEST_CASE("run --expect passes silently, or fails with one line and exit 1", "[sweep]") {
  const auto scenario = source_dir + "/scenarios/sweeps/small-cluster.json";
  const auto pass = run_cli(
      {"run", scenario, "--expect", "jobs.pretrain-70b.deadline_met == true", "--expect", "cluster.gpus == 1008"});
  CHECK(pass.code == 0);
  CHECK(pass.err.empty());
  const auto fail = run_cli({"run", scenario, "--format", "json", "--expect", "jobs.pretrain-70b.ettr >= 1", "--expect",
                             "jobs.pretrain-70b.completed == true"});
  CHECK(fail.code == 1);
  REQUIRE(split_lines(fail.err).size() == 1);
  CHECK(fail.err.rfind("leasesim: expectation failed: jobs.pretrain-70b.ettr: expected >= 1, found 0.9", 0) == 0);
  const auto malformed = run_cli({"run", scenario, "--expect", "jobs.pretrain-70b.ettr"});
  CHECK(malformed.code == 2);
}

// --- --out never writes into a folder that is not a sweep's, nor through a link (issue 17 §1) -----

namespace {

// Every file under `dir` (links not followed) with its type and content, to compare before and after.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const auto rel = fs::relative(e.path(), dir).string();
    const auto st = e.symlink_status();
    files[rel] = fs::is_symlink(st)     ? "link to " + fs::read_symlink(e.path()).string()
                 : fs::is_directory(st) ? "folder"
                                        : read_text(e.path());
  }
  return files;
}

}  // namespace

TEST_CASE("sweep --out and merge --out refuse a non-empty folder that is not a sweep folder, leaving it byte-identical",
          "[sweep]") {
  ScratchDir dir;
  const auto foreign = dir.path() / "mine";
  fs::create_directory(foreign);
  {
    std::ofstream(foreign / "results.csv") << "quarter,revenue\nQ1,12\n";
    std::ofstream(foreign / "notes.txt") << "do not lose\n";
  }
  const auto before = snapshot(foreign);
  for (const bool resume : {false, true}) {
    std::vector<std::string> args{"sweep", ci_sweep, "-j", "2", "--out", foreign.string()};
    if (resume) args.push_back("--resume");
    const auto r = run_cli(args);
    CHECK(r.code == 2);
    CHECK(r.err == "leasesim: --out " + foreign.string() +
                       ": not empty and not a sweep folder (no sweep.json); choose a new or empty folder\n");
    CHECK(snapshot(foreign) == before);
  }

  // A sweep.json that is not our manifest (say, the user's sweep file) is not a marker of ours.
  const auto user = dir.path() / "user";
  fs::create_directory(user);
  std::ofstream(user / "sweep.json") << read_text(ci_sweep);
  const auto user_before = snapshot(user);
  const auto r = run_cli({"sweep", ci_sweep, "-j", "2", "--out", user.string(), "--resume"});
  CHECK(r.code == 2);
  CHECK(r.err == "leasesim: --out " + user.string() +
                     ": its sweep.json is not the manifest of a leasesim sweep; choose a new or empty folder\n");
  CHECK(snapshot(user) == user_before);

  // merge: the same rule for its --out; an empty folder is fine for both.
  const auto shard = dir.path() / "shard";
  REQUIRE(run_cli({"sweep", ci_sweep, "-j", "2", "--out", shard.string()}).code == 0);
  const auto m = run_cli({"merge", shard.string(), "--out", foreign.string()});
  CHECK(m.code == 2);
  CHECK(m.err == "leasesim: --out " + foreign.string() +
                     ": not empty and not a sweep folder (no sweep.json); choose a new or empty folder\n");
  CHECK(snapshot(foreign) == before);
  fs::create_directory(dir.path() / "empty");
  CHECK(run_cli({"merge", shard.string(), "--out", (dir.path() / "empty").string()}).code == 0);
  CHECK(read_text(dir.path() / "empty" / "results.csv") == read_text(shard / "results.csv"));
}

TEST_CASE(
    "sweep --out refuses a sweep folder holding symbolic links and writes nothing through them; --resume still works",
    "[sweep]") {
  ScratchDir dir;
  const auto out = dir.path() / "out", elsewhere = dir.path() / "elsewhere";
  REQUIRE(run_cli({"sweep", ci_sweep, "-j", "2", "--out", out.string()}).code == 0);
  const auto csv = read_text(out / "results.csv");
  fs::create_directory(elsewhere);
  std::ofstream(elsewhere / "results.csv") << "someone else's\n";
  std::ofstream(elsewhere / ".00000001.row.json.tmp-Ab12Cd") << "someone else's too\n";  // the old temporary pattern

  const auto refused = [&](const std::string& name) {
    const auto before = snapshot(elsewhere);
    const auto r = run_cli({"sweep", ci_sweep, "-j", "2", "--out", out.string(), "--resume"});
    CHECK(r.code == 2);
    CHECK(r.err == "leasesim: --out " + out.string() + ": " + name +
                       " is a symbolic link; a sweep folder holds none, refusing to write through it\n");
    CHECK(snapshot(elsewhere) == before);
  };

  SECTION("points/ is a link out of the folder") {
    for (const auto& e : fs::directory_iterator(out / "points")) fs::copy(e.path(), elsewhere / e.path().filename());
    fs::remove(elsewhere / "00000002.row.json");  // so a resumed sweep would write into elsewhere
    fs::remove_all(out / "points");
    fs::create_directory_symlink(elsewhere, out / "points");
    refused("points");
  }
  SECTION("results.csv is a link") {
    fs::remove(out / "results.csv");
    fs::create_symlink(elsewhere / "results.csv", out / "results.csv");
    refused("results.csv");
    fs::remove(out / "results.csv");
  }
  SECTION("a point file is a link") {
    fs::remove(out / "points" / "00000002.row.json");
    fs::create_symlink(elsewhere / "results.csv", out / "points" / "00000002.row.json");
    refused("points/00000002.row.json");
    fs::remove(out / "points" / "00000002.row.json");
  }
  SECTION("sweep.json is a link") {
    fs::rename(out / "sweep.json", elsewhere / "sweep.json");
    fs::create_symlink(elsewhere / "sweep.json", out / "sweep.json");
    refused("sweep.json");
    fs::remove(out / "sweep.json");
    fs::rename(elsewhere / "sweep.json", out / "sweep.json");
  }
  if (!fs::is_symlink(out / "points")) {
    // With the link gone, --resume finishes the sweep as before.
    const auto r = run_cli({"sweep", ci_sweep, "-j", "2", "--out", out.string(), "--resume", "--format", "csv"});
    CHECK(r.code == 0);
    CHECK(r.out == csv);
    CHECK(read_text(out / "results.csv") == csv);
  }
}
