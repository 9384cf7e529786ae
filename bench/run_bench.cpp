// Whole-process figures of `leasesim run` (issue 15), measured on the real binary as a user runs it,
// the median of REPS runs each (CPU time = user + system of the child, from wait4; peak RSS from
// the same): the start-up (the default scenario cut to a 1-hour horizon: load, catalog, scenario,
// step pricing of its listed job, engine, output — the fixed cost of every process), the default
// scenario (scenarios/reflection-colossus2.json), and its backlogged variant with every
// generator's arrivals ×16; their events per CPU-second and the ×16 / ×1 CPU ratio (target ≤ 10).
// Usage: run_bench [REPS=5] [LEASESIM]   (LEASESIM: another binary to measure, e.g. an older build)
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Sample {
  double cpu_s = 0, wall_s = 0, rss_mb = 0;
};

Sample run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  std::fflush(stdout);  // or the child's copy of the buffer is printed again
  const pid_t pid = fork();
  if (pid == 0) {
    if (freopen("/dev/null", "w", stdout) == nullptr) _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  Sample s;
  s.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  s.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  s.rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fmt::print(stderr, "run_bench: {} exited with status {}\n", args[1], status);
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

struct Figure {
  double cpu_s, wall_s, rss_mb;
  long long events;
};

std::string cli = LEASESIM_CLI;

Figure measure(int reps, const std::string& scenario, const fs::path& out) {
  std::vector<double> cpu, wall, rss;
  for (int i = 0; i < reps; ++i) {
    const Sample s = run({cli, "run", scenario, "--format", "json", "-o", out.string()});
    cpu.push_back(s.cpu_s);
    wall.push_back(s.wall_s);
    rss.push_back(s.rss_mb);
  }
  std::ifstream in(out);
  const json doc = json::parse(in, nullptr, false);
  const long long events = doc.is_object() ? doc["cluster"].value("events", 0LL) : 0;
  return {median(cpu), median(wall), median(rss), events};
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  if (argc > 2) cli = argv[2];
  const fs::path dir = fs::temp_directory_path() / fmt::format("leasesim-run-bench-{}", getpid());
  fs::create_directories(dir);
  const std::string base = std::string(LEASESIM_SOURCE_DIR) + "/scenarios/reflection-colossus2.json";
  std::ifstream in(base);
  const json scenario = json::parse(in);
  json hour = scenario, x16 = scenario;
  hour["horizon"]["length"] = "1 h";
  for (auto& g : x16["generators"]) g["arrivals_per_day"] = g["arrivals_per_day"].get<double>() * 16;
  std::ofstream(dir / "hour.json") << hour.dump(1);
  std::ofstream(dir / "x16.json") << x16.dump(1);

  fmt::print("{} run, median of {} runs each, {} cores online\n", cli, reps, sysconf(_SC_NPROCESSORS_ONLN));
  std::vector<double> floor;
  for (int i = 0; i < reps; ++i) floor.push_back(run({cli, "--version"}).cpu_s);
  fmt::print("  --version (exec, dynamic linking, nothing else): {:.1f} ms CPU\n", 1e3 * median(floor));
  const Figure up = measure(reps, (dir / "hour.json").string(), dir / "out.json");
  fmt::print("  start-up (default scenario, 1-hour horizon): {:.1f} ms CPU, {:.1f} ms wall, peak RSS {:.0f} MB\n",
             1e3 * up.cpu_s, 1e3 * up.wall_s, up.rss_mb);
  const Figure one = measure(reps, base, dir / "out.json");
  fmt::print("  default scenario: {:.3f} s CPU, {:.3f} s wall, {} events = {:.0f} events/CPU-s, peak RSS {:.0f} MB\n",
             one.cpu_s, one.wall_s, one.events, static_cast<double>(one.events) / one.cpu_s, one.rss_mb);
  const Figure big = measure(reps, (dir / "x16.json").string(), dir / "out.json");
  fmt::print("  arrivals x16: {:.3f} s CPU, {:.3f} s wall, {} events = {:.0f} events/CPU-s, peak RSS {:.0f} MB\n",
             big.cpu_s, big.wall_s, big.events, static_cast<double>(big.events) / big.cpu_s, big.rss_mb);
  fmt::print("  x16 / x1: {:.1f}x the CPU for {:.1f}x the events\n", big.cpu_s / one.cpu_s,
             static_cast<double>(big.events) / static_cast<double>(std::max(1LL, one.events)));
  fs::remove_all(dir);
  return 0;
}
