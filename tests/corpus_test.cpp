// The malformed-input corpus (tests/corpus/malformed, also the fuzzer's seed corpus): every file is
// refused with problems, never a crash, hang, exception or a scenario. Each X.json has a sibling
// X.expect holding one substring its diagnostics must contain.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "leasesim/scenario/scenario.hpp"

namespace fs = std::filesystem;
using leasesim::scenario::load_scenario_file;

namespace {

const fs::path corpus_dir = fs::path(LEASESIM_SOURCE_DIR) / "tests" / "corpus" / "malformed";

std::vector<fs::path> files_with_extension(const std::string& ext) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(corpus_dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ext) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The .expect file's substring, without the trailing newline an editor adds.
std::string expected_substring(const fs::path& json) {
  fs::path expect = json;
  expect.replace_extension(".expect");
  std::string s = read_text(expect);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Loads `path` in a child process first: a crash or a hang on one file becomes a failed check that
// names the file, instead of the end of the whole test run. Empty when the child finished cleanly.
std::string trouble_in_child(const fs::path& path) {
  const pid_t pid = ::fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    ::alarm(20);  // a hang ends in SIGALRM
    try {
      (void)load_scenario_file(path.string());
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(0);
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return "waitpid failed";
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return "the loader was killed by signal " + std::to_string(sig) + (sig == SIGALRM ? " (a hang)" : "");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 3) return "the loader let an exception escape";
  return {};
}

}  // namespace

TEST_CASE("the malformed corpus holds at least 30 inputs, each with its expectation", "[corpus]") {
  const auto inputs = files_with_extension(".json");
  CHECK(inputs.size() >= 30);
  for (const auto& json : inputs) {
    INFO(json.filename().string());
    fs::path expect = json;
    CHECK(fs::exists(expect.replace_extension(".expect")));
    CHECK_FALSE(expected_substring(json).empty());
  }
  for (const auto& expect : files_with_extension(".expect")) {
    fs::path json = expect;
    INFO(expect.filename().string() << " has no .json beside it");
    CHECK(fs::exists(json.replace_extension(".json")));
  }
}

TEST_CASE("every malformed input is refused with problems, one line each, naming the file", "[corpus]") {
  const auto inputs = files_with_extension(".json");
  REQUIRE_FALSE(inputs.empty());
  for (const auto& json : inputs) {
    const std::string path = json.string();
    INFO("corpus file: " << json.filename().string());
    if (const std::string trouble = trouble_in_child(json); !trouble.empty()) {
      FAIL_CHECK(trouble);
      continue;
    }

    leasesim::scenario::LoadResult result{std::nullopt, leasesim::scenario::Diagnostics(path)};
    CHECK_NOTHROW(result = load_scenario_file(path));
    CHECK_FALSE(result.scenario.has_value());
    CHECK_FALSE(result.diagnostics.ok());

    const std::string out = result.diagnostics.format();
    INFO("diagnostics:\n" << out);
    std::vector<std::string> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    CHECK(lines.size() == result.diagnostics.problems().size());
    for (const auto& line : lines) CHECK(line.rfind(path + ": ", 0) == 0);

    const std::string expect = expected_substring(json);
    INFO("expected substring: " << expect);
    CHECK(out.find(expect) != std::string::npos);
  }
}
