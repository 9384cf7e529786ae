// The report's output locked byte for byte: each fixed result in tests/report/ (a run, a run of
// replications, a compare, a sweep, a sweep of many axes, a sweep of two axes with its heatmaps, a
// plan) gives exactly the page in tests/report/golden/, and the plan its terminal text. The pages are
// compared without the inlined libraries' code (kept: their banner lines) and with the version written
// as VERSION, so a library upgrade or a release does not touch the goldens; every byte leasesim writes
// itself is compared.
//
// A deliberate change to a page: LEASESIM_UPDATE_GOLDEN=1 build/tests/leasesim_tests "[golden]"
// rewrites the goldens; review their diff like code.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_support.hpp"
#include "leasesim/report/html_report.hpp"
#include "leasesim/report/plan_report.hpp"

using namespace leasesim::test;

namespace {

const std::string fixtures = source_dir + "/tests/report/";

// The page without the libraries' minified code and with the version replaced.
std::string comparable(std::string html) {
  const std::string open = "<script>/*! ", close = "\n</script>\n";
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const auto banner_end = html.find('\n', at);
    const auto end = html.find(close, at);
    if (banner_end == std::string::npos || end == std::string::npos) break;
    html.replace(banner_end, end + close.size() - banner_end, " */</script>\n");
  }
  const std::string version = LEASESIM_VERSION;
  for (auto at = html.find("leasesim " + version); at != std::string::npos; at = html.find("leasesim " + version, at))
    html.replace(at + 9, version.size(), "VERSION");
  return html;
}

// Where `a` and `b` first differ, as "line N: expected … / found …".
std::string first_difference(const std::string& expected, const std::string& found) {
  const Lines e = split_lines(expected), f = split_lines(found);
  for (std::size_t i = 0; i < std::max(e.size(), f.size()); ++i) {
    const std::string a = i < e.size() ? e[i] : "(end)", b = i < f.size() ? f[i] : "(end)";
    if (a != b)
      return "line " + std::to_string(i + 1) + ":\n expected " + a.substr(0, 400) + "\n found    " + b.substr(0, 400);
  }
  return "same lines, different bytes";
}

void check_golden(const std::string& golden_name, const std::string& text) {
  const std::string path = fixtures + "golden/" + golden_name;
  if (std::getenv("LEASESIM_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << text;
    WARN("rewrote " << path);
  }
  const std::string golden = read_text(path);
  INFO(path << " (LEASESIM_UPDATE_GOLDEN=1 rewrites it)");
  INFO((golden == text ? std::string() : first_difference(golden, text)));
  const bool same = golden == text;
  CHECK(same);
}

void check_page(const std::string& fixture, const std::string& golden_name, leasesim::report::ResultKind kind) {
  const std::string text = read_text(fixtures + fixture);
  REQUIRE_FALSE(text.empty());
  const auto load = leasesim::report::parse_report_input(text, fixture);
  INFO(load.error);
  REQUIRE(load.input);
  CHECK(load.input->kind == kind);
  check_golden(golden_name, comparable(leasesim::report::html_report(*load.input)));
}

}  // namespace

TEST_CASE("each kind of report page is the golden page byte for byte", "[report][golden]") {
  using leasesim::report::ResultKind;
  check_page("run.json", "run.html", ResultKind::run);
  check_page("run-replications.json", "run-replications.html", ResultKind::run);
  check_page("compare.json", "compare.html", ResultKind::compare);
  check_page("sweep.jsonl", "sweep.html", ResultKind::sweep);
  check_page("sweep-many-axes.jsonl", "sweep-many-axes.html", ResultKind::sweep);
  // tests/browser/two-axes-sweep.json's rows without point 7 (as if another shard's): heatmaps.
  check_page("sweep-two-axes.jsonl", "sweep-two-axes.html", ResultKind::sweep);
  check_page("plan.json", "plan.html", ResultKind::plan);
}

TEST_CASE("the plan's terminal text is the golden text byte for byte", "[report][golden]") {
  const auto doc = nlohmann::json::parse(read_text(fixtures + "plan.json"));
  check_golden("plan.txt", leasesim::report::plan_text(doc));
  check_golden("plan-wide.txt", leasesim::report::plan_text(doc, leasesim::report::Layout::wide));
}
