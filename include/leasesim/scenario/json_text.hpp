// Reads a file's bytes into a JSON document, refusing what a strict loader must refuse before any
// field is looked at: empty files, text that is not UTF-8, JSON syntax errors (with line and
// column), nesting deeper than `max_depth`, files beyond `max_bytes`, and duplicate keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/scenario/schema.hpp"

namespace leasesim::scenario {

inline constexpr int max_json_depth = 64;
inline constexpr std::size_t max_json_bytes = 64u << 20;

// Parses `text`; on failure every problem found is in `d` and the result is empty.
std::optional<Json> parse_json_text(std::string_view text, Diagnostics& d);

// Reads the file at `path` and parses it; a missing or unreadable file is a problem in `d`.
std::optional<Json> read_json_file(const std::string& path, Diagnostics& d);

}  // namespace leasesim::scenario
