// Reading figures out of the result documents `leasesim report` draws (html_report.hpp): a run may
// be one replication or an aggregate, so a figure is a number, an aggregate's {mean, p10, p50, p90}
// or a probability ({probability}); missing fields read as null, never throw.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace leasesim::report::html {

using Json = nlohmann::ordered_json;

// A null value to return a reference to.
const Json& null_json();

// `v[key]`, or null when `v` is not an object or has no such key. A key the writer always writes:
// while a MissingKeys is watching (html_report_checked), its absence is noted by JSON pointer.
const Json& get(const Json& v, const std::string& key);
// The same for a key the writer may leave out (a plan's "dual", an evaluation's "note"): never noted.
const Json& get_optional(const Json& v, const std::string& key);

// The keys a page reads that its document does not have, by JSON pointer (at most 20), noted by
// `get` while this object is alive: a result missing a key the writer always writes is refused with
// the key's place instead of drawn with a silent gap. One at a time per process (not thread-safe).
class MissingKeys {
 public:
  explicit MissingKeys(const Json& root);
  ~MissingKeys();
  MissingKeys(const MissingKeys&) = delete;
  MissingKeys& operator=(const MissingKeys&) = delete;
  void note(const Json& holder, const std::string& key);
  const std::vector<std::string>& pointers() const { return pointers_; }

 private:
  const Json& root_;
  std::vector<std::string> pointers_;
  std::set<std::string> seen_;
};

// A figure: a number, an aggregate's mean ({mean, p10, p50, p90}) or a probability ({probability}).
std::optional<double> value_of(const Json& v);

// An aggregate's percentile ("p10", "p90"); a plain number is every percentile of itself.
std::optional<double> stat_of(const Json& v, const char* stat);

double value_or_zero(const Json& v);

std::optional<double> scaled(std::optional<double> v, double scale);

std::string string_of(const Json& v, const std::string& fallback = "–");

// Vega-Lite data: a figure, or null (a gap) when the document has none.
Json datum(std::optional<double> v);

}  // namespace leasesim::report::html
