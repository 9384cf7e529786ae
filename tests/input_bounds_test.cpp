// Issue 17 §2: every input bounded, every error located. Each test here failed before its bound or
// its located message existed: an input read without limit, a grid that ran out of memory, a check
// that took quadratic time, a missing key reported without its pointer.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "cli_support.hpp"

using leasesim::test::Lines;
using leasesim::test::run_cli;
using leasesim::test::ScratchDir;
using leasesim::test::source_dir;
using leasesim::test::split_lines;

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

}  // namespace

TEST_CASE("an endless input stops at the 64 MiB bound with exit 2", "[bounds]") {
  // Read to the end, /dev/zero grew the process to gigabytes.
  const auto r = run_cli({"validate", "/dev/zero"});
  CHECK(r.code == 2);
  CHECK(r.err == "/dev/zero: /: expected an input of at most 64 MiB, found more than 64 MiB\n");
}

TEST_CASE("report reads at most 64 MiB of standard input", "[bounds]") {
  // 300 MB of zeros on stdin were read whole before being refused.
  const auto r = run_cli({"report", "-"}, "head -c 80000000 /dev/zero");
  CHECK(r.code == 2);
  CHECK(r.err == "stdin: expected an input of at most 64 MiB, found more than 64 MiB\n");
  CHECK(r.out.empty());
}

TEST_CASE("a file beyond the bound is refused by its size, unread", "[bounds]") {
  ScratchDir dir;
  const auto big = dir.path() / "big.json";
  std::filesystem::resize_file((write(big, "{}"), big), (64u << 20) + 1);
  const auto r = run_cli({"report", big.string()});
  CHECK(r.code == 2);
  CHECK(r.err == big.string() + ": expected an input of at most 64 MiB, found 67108865 bytes\n");
}
