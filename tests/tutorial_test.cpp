// docs/tutorial.md runs as written. Its convention (stated at the top of the tutorial):
//   - every line of a ```sh block is one command starting with `leasesim ` (blank lines and lines
//     starting with `#` aside); commands the test must not run (the build) live in ```bash blocks;
//   - a trailing `# exit N` is the exit code the command must return; 0 otherwise.
// The commands run in order, each with `sh -c`, in one scratch folder that links `scenarios/` and
// `tests/` to the repository's (so relative outputs such as run.json and sweep-out/ land there),
// with the built CLI first on PATH as `leasesim`. A few figures of the pasted `leasesim run` output
// must also appear in the real output, so the tutorial cannot silently go stale.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "cli_support.hpp"

namespace fs = std::filesystem;
using namespace leasesim::test;

namespace {

const fs::path tutorial_path = fs::path(source_dir) / "docs" / "tutorial.md";

// The figures checked against the real output of `leasesim run scenarios/reflection-colossus2.json`.
// Where they are in docs/tutorial.md: section "4. Run: what the lease buys", the ```text block after
// that command, its Answers lines (the finish date, the $ per million tokens, the idle share). When
// the model changes on purpose, paste the new output into the tutorial and update these.
const char* const kRunCommand = "leasesim run scenarios/reflection-colossus2.json";
const std::vector<std::string> kRunFigures = {
    "finished P50 2027-01-28T09:18:46Z, P90 2027-03-05T15:00:34Z",
    "training pretrain-2t-fp8 cost $924M (P90 $1.09B) ($21.70 per million tokens trained)",
    "55.5% of the committed GPU-hours sat idle",
    "moves pretrain-2t-fp8's P90 end by 110.7 days",
};

// Figures of the later sections' pasted output that must appear in the real output of their command:
// the roadmap (section 11) and the decisions (section 12). Update with the pasted blocks.
const std::vector<std::pair<std::string, std::vector<std::string>>> kSectionFigures = {
    {"leasesim run scenarios/roadmap-small.json", {"finished P50 2026-08-21T02:09:15Z, P90 2026-08-30T08:07:48Z"}},
    {"leasesim sensitivity scenarios/sweeps/small-cluster.json",
     {"Most sensitive for the date: tokens (x0.8 .. x1.25) moves pretrain-70b's P90 end by 28.3 days."}},
    {"leasesim plan scenarios/sweeps/plan-exit.json",
     {"Exit option on pod: notice 2026-11-19 ends the lease 2027-02-17 (term ends 2027-07-01)"}},
    {"leasesim compare scenarios/compare-contiguity.json",
     {"three-sites-96  pretrain-2t-fp8    2027-02-10  02-10    2027-01-31  NO      $880M  missed in 2 of 2 runs",
      "one-site-288  three-sites-96 (3 sites)    $3.6B     $3.24B        $9.90          $8.91               $8.17    "
      "$1.73"}},
};

struct Command {
  int line_no = 0;   // in docs/tutorial.md
  std::string text;  // as written, the `# exit N` comment included (sh ignores it)
  int expected_exit = 0;
};

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Every command of every ```sh block, in order. Lines of a ```sh block that are not commands are
// reported in `problems` (a setup line put in the wrong kind of block would otherwise go unrun).
std::vector<Command> tutorial_commands(const std::string& markdown, std::vector<std::string>& problems) {
  static const std::regex exit_marker(R"(\s#\s*exit\s+(\d+)\s*$)");
  std::vector<Command> commands;
  bool in_fence = false;
  std::string lang;
  int line_no = 0;
  for (const std::string& raw : split_lines(markdown)) {
    ++line_no;
    const std::string line = trim(raw);
    if (starts_with(line, "```")) {
      if (in_fence) {
        in_fence = false;
      } else {
        in_fence = true;
        lang = trim(line.substr(3));
      }
      continue;
    }
    if (!in_fence || lang != "sh" || line.empty() || line[0] == '#') continue;
    if (!starts_with(line, "leasesim ")) {
      problems.push_back("docs/tutorial.md:" + std::to_string(line_no) +
                         ": a ```sh line that is not a `leasesim …` command: " + line);
      continue;
    }
    Command c{line_no, line, 0};
    std::smatch m;
    if (std::regex_search(line, m, exit_marker)) c.expected_exit = std::stoi(m[1].str());
    commands.push_back(c);
  }
  return commands;
}

struct Ran {
  int code = -1;
  std::string out, err;
  double seconds = 0;
};

// Runs one tutorial line with `sh -c` in `work`, where `bin/leasesim` is the built CLI.
Ran run_line(const fs::path& work, const fs::path& io, int index, const std::string& line) {
  const fs::path out = io / (std::to_string(index) + ".out"), err = io / (std::to_string(index) + ".err");
  const std::string cmd = "cd " + quote(work.string()) + " && PATH=" + quote((work / "bin").string()) +
                          ":\"$PATH\" timeout 300 sh -c " + quote(line) + " >" + quote(out.string()) + " 2>" +
                          quote(err.string()) + " </dev/null";
  const auto t0 = std::chrono::steady_clock::now();
  const int status = std::system(cmd.c_str());
  Ran r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (status != -1 && WIFEXITED(status)) r.code = WEXITSTATUS(status);
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

std::string tail(const std::string& s, std::size_t n = 2000) {
  return s.size() <= n ? s : "…" + s.substr(s.size() - n);
}

}  // namespace

TEST_CASE("the tutorial's sh blocks hold only leasesim commands and cover every step", "[docs]") {
  const std::string md = read_text(tutorial_path);
  REQUIRE(!md.empty());
  std::vector<std::string> problems;
  const std::vector<Command> commands = tutorial_commands(md, problems);
  for (const auto& p : problems) FAIL_CHECK(p);
  // The steps the tutorial promises: each subcommand appears at least once.
  for (const char* sub : {"validate", "run", "report", "step", "compare", "sweep", "plan", "sensitivity"}) {
    INFO("leasesim " << sub);
    CHECK(std::any_of(commands.begin(), commands.end(),
                      [&](const Command& c) { return starts_with(c.text, std::string("leasesim ") + sub + " "); }));
  }
  CHECK(std::any_of(commands.begin(), commands.end(), [](const Command& c) { return c.text == kRunCommand; }));
  CHECK(std::any_of(commands.begin(), commands.end(), [](const Command& c) { return c.expected_exit == 2; }));
  CHECK(std::any_of(commands.begin(), commands.end(), [](const Command& c) { return c.expected_exit == 1; }));
  // The figures the next test checks are quoted in the tutorial.
  for (const auto& figure : kRunFigures) {
    INFO(figure);
    CHECK(md.find(figure) != std::string::npos);
  }
  for (const auto& [command, figures] : kSectionFigures) {
    INFO(command);
    CHECK(std::any_of(commands.begin(), commands.end(), [&](const Command& c) { return c.text == command; }));
    for (const auto& figure : figures) {
      INFO(figure);
      CHECK(md.find(figure) != std::string::npos);
    }
  }
}

TEST_CASE("every command of docs/tutorial.md runs with its documented exit code, and its run figures are current",
          "[docs]") {
  std::vector<std::string> problems;
  const std::vector<Command> commands = tutorial_commands(read_text(tutorial_path), problems);
  REQUIRE(commands.size() >= 10);

  ScratchDir work, io;
  fs::create_directory_symlink(fs::path(source_dir) / "scenarios", work.path() / "scenarios");
  fs::create_directory_symlink(fs::path(source_dir) / "tests", work.path() / "tests");
  fs::create_directory(work.path() / "bin");
  fs::create_symlink(fs::absolute(LEASESIM_CLI), work.path() / "bin" / "leasesim");

  std::string run_output;
  double total_s = 0;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const Command& c = commands[i];
    const Ran r = run_line(work.path(), io.path(), static_cast<int>(i), c.text);
    total_s += r.seconds;
    INFO("docs/tutorial.md:" << c.line_no << ": " << c.text << "\n(" << r.seconds << " s)\nstdout:\n"
                             << tail(r.out) << "\nstderr:\n"
                             << tail(r.err));
    CHECK(r.code == c.expected_exit);
    if (c.text == kRunCommand) run_output = r.out;
    for (const auto& [command, figures] : kSectionFigures) {
      if (c.text != command) continue;
      for (const auto& figure : figures) {
        INFO("figure quoted in docs/tutorial.md: " << figure);
        CHECK(r.out.find(figure) != std::string::npos);
      }
    }
  }

  REQUIRE(!run_output.empty());
  for (const auto& figure : kRunFigures) {
    INFO("figure quoted in docs/tutorial.md (section 4, the Answers lines): " << figure << "\nreal output:\n"
                                                                              << run_output.substr(0, 1200));
    CHECK(run_output.find(figure) != std::string::npos);
  }
  // The tutorial is meant to stay cheap enough for `make test` on 2 cores (about 15 s in a Release or
  // RelWithDebInfo build); a warning, not a failure, because sanitizer builds run it several times slower.
  if (total_s > 60) WARN("the tutorial's commands took " << total_s << " s (budget: 60 s on 2 cores)");
}
