// Helpers for tests that run the real `leasesim` binary: a scratch folder, and a runner that
// captures exit code, stdout and stderr.
#pragma once

#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace leasesim::test {

namespace fs = std::filesystem;
using Lines = std::vector<std::string>;

inline const std::string source_dir = LEASESIM_SOURCE_DIR;
inline const std::string default_scenario = source_dir + "/scenarios/reflection-colossus2.json";
inline const std::string five_mistakes = source_dir + "/tests/corpus/five-mistakes.json";

inline std::string quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline Lines split_lines(const std::string& text) {
  Lines lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A fresh folder under the system temp folder, removed with everything in it at scope exit.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "leasesim-cli-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path_)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  fs::path path_;
};

struct Run {
  int code = -1;  // the exit code; 128 + N when the shell reports the binary killed by signal N
  std::string out;
  std::string err;
};

// A sanitizer build's binary prints, once per process, ASan's warning that SimGrid's raw context
// switches moved the stack under it (src/perf/flow_network.cpp says why it stays). Exactly those
// lines are dropped; any other ASan or UBSan output stays and fails the test that reads stderr.
inline std::string without_asan_stack_warning(const std::string& err) {
  std::string out;
  std::size_t at = 0;
  while (at < err.size()) {
    const std::size_t nl = err.find('\n', at);
    const std::size_t end = nl == std::string::npos ? err.size() : nl + 1;
    const std::string line = err.substr(at, end - at);
    const bool known =
        (line.rfind("==", 0) == 0 &&
         line.find("WARNING: ASan is ignoring requested __asan_handle_no_return") != std::string::npos) ||
        line == "False positive error reports may follow\n" ||
        line == "For details see https://github.com/google/sanitizers/issues/189\n";
    if (!known) out += line;
    at = end;
  }
  return out;
}

// Runs `leasesim ARGS...` with stdout and stderr captured to files; standard input is /dev/null, or
// the output of the shell command `stdin_from` (e.g. "head -c 70000000 /dev/zero").
inline Run run_cli(const std::vector<std::string>& args, const std::string& stdin_from = "") {
  ScratchDir io;
  std::string cmd = stdin_from.empty() ? quote(LEASESIM_CLI) : stdin_from + " | " + quote(LEASESIM_CLI);
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " >" + quote((io.path() / "out").string()) + " 2>" + quote((io.path() / "err").string()) +
         (stdin_from.empty() ? " </dev/null" : "");
  const int status = std::system(cmd.c_str());
  Run r;
  if (status != -1 && WIFEXITED(status)) r.code = WEXITSTATUS(status);
  r.out = read_text(io.path() / "out");
  r.err = read_text(io.path() / "err");
#if defined(LEASESIM_SANITIZE)
  r.err = without_asan_stack_warning(r.err);
#endif
  return r;
}

}  // namespace leasesim::test
