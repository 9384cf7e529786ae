// File output that never destroys what it did not create: regular files are replaced atomically (a
// sibling temporary, fsync, rename over the target, fsync of the folder); links are followed to the
// file they name; devices, FIFOs and our own descriptors are written in place; folders and sockets
// are refused. Temporaries left by a killed process are removed by the next write to their target.
#include "leasesim/report/output.hpp"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace leasesim::report {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view tmp_infix = ".leasesim-tmp-";
constexpr int max_links = 40;  // as the kernel's ELOOP limit

std::string errno_text() { return std::strerror(errno); }

bool all_alnum(std::string_view s) {
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

// Writes all of `content` to `fd`; returns an empty string or strerror.
std::string write_all(int fd, std::string_view content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_text();
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

// When `p` names one of this process's open descriptors (/proc/self/fd/N, /dev/fd/N, /dev/stdout
// once followed, …): N. Decided by the real path of its folder, so /dev/fd and /proc/self/fd match.
std::optional<int> own_descriptor(const fs::path& p) {
  const fs::path folder = p.has_parent_path() ? p.parent_path() : fs::path(".");
  char real[PATH_MAX];
  if (::realpath(folder.c_str(), real) == nullptr) return std::nullopt;
  const std::string own = "/proc/" + std::to_string(::getpid()) + "/fd";
  if (real != own) return std::nullopt;
  const std::string name = p.filename().string();
  if (name.empty() || name.size() > 9) return std::nullopt;
  for (char c : name) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const int fd = std::stoi(name);
  if (::fcntl(fd, F_GETFD) < 0) return std::nullopt;
  return fd;
}

struct Followed {
  fs::path path;          // the first path of the chain that is not a symbolic link (may not exist)
  std::optional<int> fd;  // set when the chain passes through one of our descriptors
  std::string error;      // set when the chain cannot be followed
};

// Follows the symbolic links at `path` itself (its folders are the kernel's business).
Followed follow_links(const std::string& path) {
  Followed f{fs::path(path), std::nullopt, {}};
  for (int hop = 0;; ++hop) {
    if ((f.fd = own_descriptor(f.path))) return f;
    struct stat st {};
    if (::lstat(f.path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return f;
    if (hop == max_links) {
      f.error = "cannot write " + path + ": " + std::strerror(ELOOP);
      return f;
    }
    std::error_code ec;
    const fs::path next = fs::read_symlink(f.path, ec);
    if (ec) {
      f.error = "cannot write " + path + ": " + ec.message();
      return f;
    }
    f.path = next.is_absolute() ? next : (f.path.has_parent_path() ? f.path.parent_path() : fs::path(".")) / next;
  }
}

// A device or FIFO: open it as it is (no O_CREAT, no O_TRUNC) and write.
std::string write_in_place(const std::string& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return "cannot write " + path + ": " + errno_text();
  std::string why = write_all(fd, content);
  if (::close(fd) != 0 && why.empty() && errno != EINTR) why = errno_text();
  return why.empty() ? std::string() : "cannot write " + path + ": " + why;
}

}  // namespace

bool is_temporary_of(const std::string& name, const std::string& target, long& pid) {
  const std::string prefix = "." + target + std::string(tmp_infix);
  if (target.empty() || name.size() < prefix.size() + 8 || name.compare(0, prefix.size(), prefix) != 0) return false;
  const std::string_view rest = std::string_view(name).substr(prefix.size());  // PID-XXXXXX
  const auto dash = rest.find('-');
  if (dash == 0 || dash == std::string_view::npos || dash > 18 || rest.size() - dash - 1 != 6) return false;
  long value = 0;
  for (char c : rest.substr(0, dash)) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value <= 0 || !all_alnum(rest.substr(dash + 1))) return false;
  pid = value;
  return true;
}

namespace {

// Whether the writer `pid` of a temporary is gone: not us, and the kernel knows no such process or
// only its zombie (an orphan whose reaper does not reap, as in some containers).
bool writer_gone(long pid) {
  if (pid == static_cast<long>(::getpid()) || pid > INT_MAX) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0) return errno == ESRCH;  // EPERM: alive, someone else's
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto paren = line.rfind(')');  // "PID (COMM) STATE ...", COMM may hold spaces and parentheses
  return paren != std::string::npos && paren + 2 < line.size() && (line[paren + 2] == 'Z' || line[paren + 2] == 'X');
}

}  // namespace

bool is_stale_temporary(const std::string& name) {
  if (name.size() < 2 || name[0] != '.') return false;
  // .TARGET.leasesim-tmp-PID-XXXXXX
  if (const auto at = name.rfind(tmp_infix); at != std::string::npos && at > 1) {
    long pid = 0;
    if (is_temporary_of(name, name.substr(1, at - 1), pid)) return writer_gone(pid);
  }
  // .TARGET.tmp-XXXXXX, as leasesim 0.1.0 named them
  constexpr std::string_view old_infix = ".tmp-";
  return name.size() > 1 + old_infix.size() + 6 && name.compare(name.size() - 11, old_infix.size(), old_infix) == 0 &&
         all_alnum(std::string_view(name).substr(name.size() - 6));
}

int remove_stale_temporaries_of(const std::string& target) {
  const fs::path t(target);
  const std::string name = t.filename().string();
  if (name.empty()) return 0;
  const fs::path folder = t.has_parent_path() ? t.parent_path() : fs::path(".");
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    long pid = 0;
    if (!is_temporary_of(it->path().filename().string(), name, pid) || !writer_gone(pid)) continue;
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (::unlink(it->path().c_str()) == 0) ++removed;
  }
  return removed;
}

std::string write_atomically(const std::string& path, std::string_view content) {
  const fs::path target(path);
  const std::string name = target.filename().string();
  if (name.empty() || name == "." || name == "..") return "cannot write " + path + ": not a file name";
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  remove_stale_temporaries_of(path);

  // Replacing a file keeps its permissions (and, where allowed, its owner); a new one is 0644.
  mode_t mode = 0644;
  std::optional<std::pair<uid_t, gid_t>> owner;
  if (struct stat st{}; ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    mode = st.st_mode & 07777;
    owner = std::make_pair(st.st_uid, st.st_gid);
  }

  std::string tmp = (folder / ("." + name + std::string(tmp_infix) + std::to_string(::getpid()) + "-XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return "cannot create a file in " + folder.string() + ": " + errno_text();
  const auto fail = [&](std::string why) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return "cannot write " + path + ": " + why;
  };
  if (auto why = write_all(fd, content); !why.empty()) return fail(why);
  if (owner && (owner->first != ::geteuid() || owner->second != ::getegid())) {
    [[maybe_unused]] const int ignored = ::fchown(fd, owner->first, owner->second);  // best effort: only root may
  }
  ::fchmod(fd, mode);
  if (::fsync(fd) != 0) return fail(errno_text());
  if (::close(fd) != 0) {
    const std::string why = errno_text();
    ::unlink(tmp.c_str());
    return "cannot write " + path + ": " + why;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlink(tmp.c_str());
    return "cannot write " + path + ": " + why;
  }
  if (const int dfd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

std::string write_output(const std::string& path, std::string_view content) {
  const Followed f = follow_links(path);
  if (!f.error.empty()) return f.error;
  if (f.fd) {  // /dev/stdout and kin: our own descriptor, with its offset and O_APPEND as the shell set them
    if (auto why = write_all(*f.fd, content); !why.empty()) return "cannot write " + path + ": " + why;
    return {};
  }
  struct stat st {};
  if (::stat(f.path.c_str(), &st) != 0) {
    if (errno != ENOENT) return "cannot write " + path + ": " + errno_text();
    return write_atomically(f.path.string(), content);  // a new file (a dangling link: the file it names)
  }
  if (S_ISDIR(st.st_mode)) return path + ": is a directory";
  if (S_ISSOCK(st.st_mode)) return "cannot write " + path + ": it is a socket (write to stdout and redirect instead)";
  if (!S_ISREG(st.st_mode)) return write_in_place(f.path.string(), content);  // a device or FIFO
  return write_atomically(f.path.string(), content);
}

}  // namespace leasesim::report
