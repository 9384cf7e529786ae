// Worker processes for sweeps and plans. SimGrid runs one engine per process, so parallel
// simulation means processes: the pool forks N workers (no exec) before this process has created an
// engine; each worker inherits the prepared inputs, runs the tasks the parent sends it one at a
// time (task i → handler(i)), and sends back a result string. The parent hands out the next task to
// whichever worker finishes first, so points of uneven cost still balance.
//
// A worker dies with its parent (PR_SET_PDEATHSIG): `kill -9` of a sweep leaves no orphans behind.
// When one worker is asked for, or this process already holds a SimGrid engine (a fork would share
// it), the tasks run here, one after another, with the same results.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace leasesim::sweep {

// What a task produced in a worker, or why it produced nothing.
struct TaskOutcome {
  std::size_t task = 0;
  bool ok = false;
  std::string result;  // handler's result when ok, else the reason ("worker killed by signal 9")
};

using TaskHandler = std::function<std::string(std::size_t task)>;
using TaskDone = std::function<void(const TaskOutcome&)>;

// Runs handler(t) for every t in `tasks` on up to `workers` processes; `done` is called in this
// process as each task finishes (in completion order). An exception in the handler is a failed task.
void run_tasks(const std::vector<std::size_t>& tasks, int workers, const TaskHandler& handler, const TaskDone& done);

// The default worker count: the cores this process may use.
int default_workers();

// Whether run_tasks with `workers` would fork (more than one, and this process holds no SimGrid
// engine yet); otherwise it runs the tasks here, in order.
bool forks_workers(int workers);

}  // namespace leasesim::sweep
