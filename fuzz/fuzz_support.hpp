// Shared by the file readers' libFuzzer targets: a file named in an input (a sweep's or plan's
// "scenario", a compare file's "base") is read from the disk, so a fuzzed name must not reach
// /dev/stdin, /dev/zero or the whole filesystem. A name of letters, digits, '-', '_' and '.' that
// starts with a letter or digit stays as written and resolves in the target's folder of shipped
// files; any other is replaced by `replacement` and the document re-serialized, so every input
// still reaches the reader.
#pragma once

#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace leasesim::fuzz {

inline const std::string scenarios = LEASESIM_SOURCE_DIR "/scenarios";
inline const std::string sweeps = LEASESIM_SOURCE_DIR "/scenarios/sweeps";

inline bool safe_name(const std::string& s) {
  if (s.empty() || s.size() > 64 || !std::isalnum(static_cast<unsigned char>(s[0]))) return false;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

// `text`, or `text` with its file-naming key made safe.
inline std::string without_unsafe_paths(std::string_view text, const char* key, const char* replacement) {
  const auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return std::string(text);
  const auto it = doc.find(key);
  if (it == doc.end() || !it->is_string() || safe_name(it->get<std::string>())) return std::string(text);
  auto fixed = doc;
  fixed[key] = replacement;
  return fixed.dump();
}

}  // namespace leasesim::fuzz
