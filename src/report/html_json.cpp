// Reading figures out of result documents (html_json.hpp).
#include "leasesim/report/html_json.hpp"

#include "leasesim/scenario/diagnostics.hpp"

namespace leasesim::report::html {

const Json& null_json() {
  static const Json null;
  return null;
}

namespace {

MissingKeys* watching = nullptr;  // the MissingKeys alive, if any
constexpr std::size_t max_noted = 20;

// The JSON pointer of `target` inside `v` (by address), into `out`.
bool pointer_to(const Json& v, const Json* target, const std::string& at, std::string& out) {
  if (&v == target) {
    out = at;
    return true;
  }
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (pointer_to(it.value(), target, scenario::pointer_join(at, it.key()), out)) return true;
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (pointer_to(v[i], target, scenario::pointer_join(at, i), out)) return true;
    }
  }
  return false;
}

}  // namespace

MissingKeys::MissingKeys(const Json& root) : root_(root) { watching = this; }
MissingKeys::~MissingKeys() { watching = nullptr; }

void MissingKeys::note(const Json& holder, const std::string& key) {
  if (pointers_.size() >= max_noted) return;
  std::string at;
  if (!pointer_to(root_, &holder, "", at)) return;  // a value the page made itself, not the document's
  const std::string pointer = scenario::pointer_join(at, key);
  if (seen_.insert(pointer).second) pointers_.push_back(pointer);
}

const Json& get(const Json& v, const std::string& key) {
  if (!v.is_object()) return null_json();
  const auto it = v.find(key);
  if (it != v.end()) return *it;
  if (watching != nullptr) watching->note(v, key);
  return null_json();
}

const Json& get_optional(const Json& v, const std::string& key) {
  if (!v.is_object()) return null_json();
  const auto it = v.find(key);
  return it == v.end() ? null_json() : *it;
}

std::optional<double> value_of(const Json& v) {
  if (v.is_number()) return v.get<double>();
  for (const char* key : {"mean", "probability"}) {
    if (const Json& x = get_optional(v, key); x.is_number()) return x.get<double>();
  }
  return std::nullopt;
}

std::optional<double> stat_of(const Json& v, const char* stat) {
  if (v.is_number()) return v.get<double>();
  if (const Json& x = get_optional(v, stat); x.is_number()) return x.get<double>();
  return std::nullopt;
}

double value_or_zero(const Json& v) { return value_of(v).value_or(0.0); }

std::optional<double> scaled(std::optional<double> v, double scale) {
  return v ? std::optional<double>(*v * scale) : std::nullopt;
}

std::string string_of(const Json& v, const std::string& fallback) {
  return v.is_string() ? v.get<std::string>() : fallback;
}

Json datum(std::optional<double> v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace leasesim::report::html
