// Checking "PATH OP VALUE" expectations against result documents (see expectation.hpp).
#include "leasesim/sweep/expectation.hpp"

#include <fmt/format.h>

#include <cmath>
#include <utility>

namespace leasesim::sweep {

using nlohmann::json;

namespace {

bool is_index(const std::string& k) {
  return !k.empty() && k.size() < 10 && k.find_first_not_of("0123456789") == std::string::npos;
}

std::string short_text(const json& v) {
  std::string s = v.dump();
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

// What an aggregate or plain value is compared as (see expectation.hpp).
json comparable(const json& found, const json& expected) {
  if (found.is_object() && found.contains("probability") && found.size() == 1) {
    const double p = found["probability"].get<double>();
    if (expected.is_boolean()) return expected.get<bool>() ? json(p == 1.0) : json(p != 0.0);
    return p;
  }
  if (found.is_object() && found.contains("mean")) return found["mean"];
  return found;
}

template <typename T>
bool apply(CompareOp op, const T& a, const T& b) {
  switch (op) {
    case CompareOp::eq:
      return a == b;
    case CompareOp::ne:
      return !(a == b);
    case CompareOp::lt:
      return a < b;
    case CompareOp::le:
      return a < b || a == b;
    case CompareOp::gt:
      return b < a;
    case CompareOp::ge:
      return b < a || a == b;
  }
  return false;
}

}  // namespace

std::optional<std::vector<std::string>> path_keys(const std::string& path) {
  std::vector<std::string> keys;
  if (!path.empty() && path[0] == '/') {
    try {
      // json_pointer exposes its tokens only from the back.
      json::json_pointer q{path};
      while (!q.empty()) {
        keys.insert(keys.begin(), q.back());
        q.pop_back();
      }
    } catch (const json::exception&) {
      return std::nullopt;
    }
    return keys;
  }
  std::string cur;
  for (char c : path) {
    if (c == '.') {
      keys.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  keys.push_back(cur);
  return keys;
}

std::optional<json> resolve_path(const json& doc, const std::string& path, std::string& why) {
  const auto keys_of_path = path_keys(path);
  if (!keys_of_path) {
    why = "not a JSON pointer";
    return std::nullopt;
  }
  const json* cur = &doc;
  std::string walked;
  for (const auto& key : *keys_of_path) {
    if (cur->is_object()) {
      const auto it = cur->find(key);
      if (it == cur->end()) {
        std::string keys;
        for (auto k = cur->begin(); k != cur->end(); ++k) keys += (keys.empty() ? "" : ", ") + k.key();
        why = fmt::format("no key \"{}\"{}; keys: {}", key, walked.empty() ? "" : " in " + walked, keys);
        return std::nullopt;
      }
      cur = &*it;
    } else if (cur->is_array()) {
      const json* hit = nullptr;
      for (const auto& el : *cur) {
        for (const char* id : {"name", "lease", "tenant"}) {
          if (el.is_object() && el.contains(id) && el[id].is_string() && el[id].get<std::string>() == key) {
            hit = &el;
            break;
          }
        }
        if (hit != nullptr) break;
      }
      if (hit == nullptr && is_index(key) && std::stoul(key) < cur->size()) hit = &(*cur)[std::stoul(key)];
      if (hit == nullptr) {
        std::string names;
        for (const auto& el : *cur) {
          if (el.is_object() && el.contains("name") && el["name"].is_string())
            names += (names.empty() ? "" : ", ") + el["name"].get<std::string>();
        }
        why = fmt::format("nothing named \"{}\" in {}{}", key, walked.empty() ? "the document" : walked,
                          names.empty() ? "" : "; names: " + names);
        return std::nullopt;
      }
      cur = hit;
    } else {
      why = fmt::format("{} is {}, not an object", walked, short_text(*cur));
      return std::nullopt;
    }
    walked += (walked.empty() ? "" : ".") + key;
  }
  return *cur;
}

std::string check_expectation(const json& doc, const Expectation& e) {
  const std::string expected = fmt::format("expected {} {}", op_text(e.op), e.value.dump());
  std::string why;
  const auto found = resolve_path(doc, e.path, why);
  if (!found) return fmt::format("{}: {}, found nothing ({})", e.path, expected, why);
  const json a = comparable(*found, e.value);
  bool ok = false;
  bool comparable_types = true;
  if (a.is_number() && e.value.is_number()) {
    ok = apply(e.op, a.get<double>(), e.value.get<double>());
  } else if (a.is_boolean() && e.value.is_boolean() && (e.op == CompareOp::eq || e.op == CompareOp::ne)) {
    ok = apply(e.op, a.get<bool>(), e.value.get<bool>());
  } else if (a.is_string() && e.value.is_string()) {
    ok = apply(e.op, a.get<std::string>(), e.value.get<std::string>());
  } else if (e.op == CompareOp::eq || e.op == CompareOp::ne) {
    ok = apply(e.op, a, e.value);
  } else {
    comparable_types = false;
  }
  if (ok) return {};
  const std::string shown = short_text(*found);
  if (!comparable_types) return fmt::format("{}: {}, found {} (cannot be ordered against it)", e.path, expected, shown);
  return fmt::format("{}: {}, found {}", e.path, expected, shown);
}

std::vector<std::string> check_expectations(const json& doc, const std::vector<Expectation>& es) {
  std::vector<std::string> out;
  for (const auto& e : es) {
    if (auto line = check_expectation(doc, e); !line.empty()) out.push_back(std::move(line));
  }
  return out;
}

}  // namespace leasesim::sweep
