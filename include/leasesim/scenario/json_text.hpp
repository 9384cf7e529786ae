// Reads a file's bytes into a JSON document, refusing what a strict loader must refuse before any
// field is looked at: empty files, text that is not UTF-8, JSON syntax errors (with line and
// column), nesting deeper than `max_depth`, files beyond `max_bytes`, and duplicate keys.
#pragma once

#include <cstdio>
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

// The one place an input's bytes are read: every loader, `leasesim report` (a file, a sweep folder's
// results.jsonl, or standard input) and the sweep folder's own files come through these two. At
// most max_json_bytes are read, from a file or a stream (a FIFO, /dev/zero, a pipe): one byte more
// is the problem "expected an input of at most 64 MiB, found more" and nothing else is read.
std::optional<std::string> read_input_text(const std::string& path, Diagnostics& d);
std::optional<std::string> read_stdin_text(Diagnostics& d);

// Reads the file at `path` and parses it; a missing or unreadable file is a problem in `d`.
std::optional<Json> read_json_file(const std::string& path, Diagnostics& d);

}  // namespace leasesim::scenario
