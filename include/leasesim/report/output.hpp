// Writing results: to stdout, or to a file atomically (a temporary file in the same folder, flushed
// to disk, then renamed over the target), so a reader never sees a half-written result.
#pragma once

#include <string>
#include <string_view>

namespace leasesim::report {

// Writes `content` to `path` atomically. Returns an empty string on success, else the reason.
std::string write_atomically(const std::string& path, std::string_view content);

}  // namespace leasesim::report
