// Batch schedulers: which waiting jobs start now. One interface, one class per policy, one registry
// (make_scheduler) keyed by SchedulerPolicy — the shape of WRENCH's BatchScheduler and Vidur's
// registries (docs/design.md, "Codebases we learned from"). A policy only orders and selects; placement
// (placement_strategy.hpp), gang start and accounting belong to the simulation behind SchedulerView.
//   fifo           start jobs in submission order; stop at the first that does not fit
//   easy-backfill  fifo, but while the head waits for its reservation (the earliest time enough
//                  trays free up, from running jobs' planned ends) later jobs may start if they fit
//                  now and either end before the reservation or use only trays the head will not
//                  need (Lifka 1995, "The ANL/IBM SP scheduling system"; EASY)
//   priority       larger priority first (then submission order); a head that does not fit gets an
//                  EASY reservation and later jobs backfill around it; with preemption, a waiting
//                  job may stop lower-priority running jobs (checkpoint-and-stop) to make room
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "leasesim/cluster/inputs.hpp"
#include "leasesim/cluster/waiting_queue.hpp"

namespace leasesim::cluster {

// What a policy sees of the simulation and may ask of it. Job ids are dense indices.
class SchedulerView {
 public:
  virtual ~SchedulerView() = default;
  virtual std::int64_t now() const = 0;
  // Waiting jobs in queue order (submission order, restarts first) and in priority order.
  virtual const WaitingQueue& waiting() const = 0;
  virtual bool fits_now(int job) const = 0;
  virtual bool start(int job) = 0;  // places and starts; false when it does not fit
  virtual long long trays_needed(int job) const = 0;
  virtual long long free_trays() const = 0;
  virtual std::int64_t expected_run_ms(int job) const = 0;  // failure-free wall time still needed
  virtual int priority(int job) const = 0;
  struct Running {
    int job;
    std::int64_t planned_end;
    long long trays;
    int priority;
  };
  virtual std::vector<Running> running() const = 0;
  // The earliest planned time at which `trays` trays will be free if running jobs end as planned,
  // and how many trays beyond `trays` are free then; nullopt when never.
  struct Reservation {
    std::int64_t t;
    long long extra_trays;
  };
  virtual std::optional<Reservation> reservation(long long trays) const = 0;
  // Stops a running job at its current progress (checkpoint-and-stop) and puts it back in the queue.
  virtual void preempt(int job) = 0;
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual const char* name() const = 0;
  virtual void schedule(SchedulerView& view) = 0;
};

class FifoScheduler final : public Scheduler {
 public:
  const char* name() const override { return "fifo"; }
  void schedule(SchedulerView& view) override;
};

class EasyBackfillScheduler final : public Scheduler {
 public:
  // Waiting jobs examined for backfill per pass, like Slurm's bf_max_job_test.
  static constexpr int max_backfill_candidates = 256;
  const char* name() const override { return "easy-backfill"; }
  void schedule(SchedulerView& view) override;

 private:
  std::vector<int> order_;  // reused between passes
};

class PriorityScheduler final : public Scheduler {
 public:
  explicit PriorityScheduler(bool preemption) : preemption_(preemption) {}
  const char* name() const override { return "priority"; }
  void schedule(SchedulerView& view) override;

 private:
  // EASY backfill behind order[0], the head, which does not fit now: over order[1..], the waiting
  // jobs in priority order when the pass began (at most 1 + max_backfill_candidates of them).
  static void backfill(SchedulerView& view, const std::vector<int>& order);
  bool preemption_;
  std::vector<int> order_;  // reused between passes
};

std::unique_ptr<Scheduler> make_scheduler(const SchedulerSpec& spec);
std::vector<std::string> scheduler_names();

}  // namespace leasesim::cluster
