// Forked worker processes exchanging task indices and length-prefixed results over pipes.
#include "leasesim/sweep/worker_pool.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <stdexcept>
#include <algorithm>
#include <simgrid/s4u/Engine.hpp>

namespace leasesim::sweep {

namespace {

bool write_all(int fd, const void* data, std::size_t n) {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

bool read_all(int fd, void* data, std::size_t n) {
  auto* p = static_cast<char*>(data);
  while (n > 0) {
    const ssize_t r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

std::string run_one(const TaskHandler& handler, std::size_t task, bool& ok) {
  try {
    ok = true;
    return handler(task);
  } catch (const std::exception& e) {
    ok = false;
    return e.what();
  }
}

// The worker's loop: read a task index, run it, send "ok byte + length + result"; exit at EOF.
[[noreturn]] void worker_main(int task_fd, int result_fd, const TaskHandler& handler) {
  std::uint64_t task = 0;
  while (read_all(task_fd, &task, sizeof task)) {
    bool ok = false;
    const std::string result = run_one(handler, static_cast<std::size_t>(task), ok);
    const char flag = ok ? 1 : 0;
    const auto len = static_cast<std::uint64_t>(result.size());
    if (!write_all(result_fd, &flag, 1) || !write_all(result_fd, &len, sizeof len) ||
        !write_all(result_fd, result.data(), result.size()))
      break;
  }
  ::_exit(0);  // no exit handlers: the parent's state is not ours to tear down
}

struct Worker {
  pid_t pid = -1;
  int task_fd = -1;    // parent writes task indices
  int result_fd = -1;  // parent reads results
  bool busy = false;
  std::size_t task = 0;
  std::string buffer;  // bytes of an incomplete result frame
};

std::string death_reason(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) < 0) return "worker vanished";
  if (WIFSIGNALED(status))
    return fmt::format("worker killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  return fmt::format("worker exited with status {}", WEXITSTATUS(status));
}

}  // namespace

int default_workers() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
}

bool forks_workers(int workers) { return workers > 1 && !simgrid::s4u::Engine::is_initialized(); }

void run_tasks(const std::vector<std::size_t>& tasks, int workers, const TaskHandler& handler, const TaskDone& done) {
  const int n = std::min<int>(std::max(1, workers), static_cast<int>(std::max<std::size_t>(1, tasks.size())));
  if (n == 1 || simgrid::s4u::Engine::is_initialized()) {
    for (std::size_t t : tasks) {
      TaskOutcome o{t, false, {}};
      o.result = run_one(handler, t, o.ok);
      done(o);
    }
    return;
  }
  std::fflush(stdout);
  std::fflush(stderr);
  struct sigaction ignore {
  }, old_pipe{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old_pipe);  // a dead worker's pipe must not kill the parent
  const pid_t parent = ::getpid();
  std::vector<Worker> pool;
  for (int i = 0; i < n; ++i) {
    int to_worker[2], from_worker[2];
    if (::pipe(to_worker) != 0 || ::pipe(from_worker) != 0)
      throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(1);
      for (const auto& w : pool) {
        ::close(w.task_fd);
        ::close(w.result_fd);
      }
      ::close(to_worker[1]);
      ::close(from_worker[0]);
      worker_main(to_worker[0], from_worker[1], handler);
    }
    ::close(to_worker[0]);
    ::close(from_worker[1]);
    pool.push_back({pid, to_worker[1], from_worker[0], false, 0, {}});
  }

  std::deque<std::size_t> queue(tasks.begin(), tasks.end());
  auto dispatch = [&](Worker& w) {
    if (queue.empty()) {
      if (w.task_fd >= 0) ::close(w.task_fd);
      w.task_fd = -1;
      return;
    }
    w.task = queue.front();
    const auto index = static_cast<std::uint64_t>(w.task);
    if (write_all(w.task_fd, &index, sizeof index)) {
      queue.pop_front();
      w.busy = true;
    }
  };
  for (auto& w : pool) dispatch(w);

  std::size_t alive = pool.size();
  while (alive > 0) {
    std::vector<pollfd> fds;
    std::vector<Worker*> owners;
    for (auto& w : pool) {
      if (w.result_fd < 0) continue;
      fds.push_back({w.result_fd, POLLIN, 0});
      owners.push_back(&w);
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      Worker& w = *owners[i];
      char chunk[65536];
      const ssize_t r = ::read(w.result_fd, chunk, sizeof chunk);
      if (r < 0 && errno == EINTR) continue;
      if (r > 0) {
        w.buffer.append(chunk, static_cast<std::size_t>(r));
        constexpr std::size_t header = 1 + sizeof(std::uint64_t);
        while (w.buffer.size() >= header) {
          std::uint64_t len = 0;
          std::memcpy(&len, w.buffer.data() + 1, sizeof len);
          if (w.buffer.size() < header + len) break;
          TaskOutcome o{w.task, w.buffer[0] == 1, w.buffer.substr(header, len)};
          w.buffer.erase(0, header + len);
          w.busy = false;
          done(o);
          dispatch(w);
        }
        continue;
      }
      // End of file: the worker exited, normally after its task pipe closed, or it died.
      ::close(w.result_fd);
      w.result_fd = -1;
      if (w.task_fd >= 0) ::close(w.task_fd);
      w.task_fd = -1;
      const std::string why = death_reason(w.pid);
      --alive;
      if (w.busy) done({w.task, false, why});
      w.busy = false;
      if (alive == 0) {
        for (std::size_t t : queue) done({t, false, "not run: every worker died"});
        queue.clear();
      }
    }
  }
  ::sigaction(SIGPIPE, &old_pipe, nullptr);
}

}  // namespace leasesim::sweep
