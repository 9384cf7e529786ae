// Writing results to a file without destroying what leasesim did not create.
//
// write_output is what every `-o FILE` does: a regular file (or a missing one) is replaced
// atomically — a temporary file in the same folder, flushed to disk, then renamed over the target —
// so a reader never sees a half-written result; a symbolic link is followed to the file it names
// (that file is replaced, the link stays); a device, FIFO or one of our own descriptors
// (/dev/stdout, /dev/fd/N) is written in place (no truncation, no rename), so `-o /dev/null` leaves
// /dev/null a device; a folder, or a socket, is refused.
//
// Temporary files are named `.NAME.leasesim-tmp-PID-XXXXXX` beside NAME; one left behind by a
// process that was killed (its PID no longer alive) is removed by the next write to NAME.
#pragma once

#include <string>
#include <string_view>

namespace leasesim::report {

// Writes `content` to `path` as described above. Returns an empty string on success, else the
// reason as one line ("cannot write PATH: …", "PATH: is a directory").
std::string write_output(const std::string& path, std::string_view content);

// Replaces the regular file `path` (or creates it) atomically; `path` itself is replaced, never
// followed: a symbolic link at `path` becomes a regular file. For files leasesim owns (a sweep's
// folder); -o goes through write_output. Returns an empty string on success, else the reason.
std::string write_atomically(const std::string& path, std::string_view content);

// Whether `name` (a file name, no folder) is a temporary file write_atomically makes for `target`
// (a file name too): `.TARGET.leasesim-tmp-PID-XXXXXX`. Sets `pid` when it is.
bool is_temporary_of(const std::string& name, const std::string& target, long& pid);

// Whether `name` (a file name) is a temporary file of ours whose writer is gone: one of
// write_atomically's whose PID is not alive (and not ours), or one named as leasesim 0.1.0 named
// them, `.TARGET.tmp-XXXXXX` (no PID to ask). Used in folders leasesim owns (a sweep's points/).
bool is_stale_temporary(const std::string& name);

// Removes the temporaries of `target` (a path) left by processes no longer alive; returns how many.
int remove_stale_temporaries_of(const std::string& target);

}  // namespace leasesim::report
