// The state of one cluster simulation, owned in one place, and what each kind of event does to it:
// arrivals, failures and repairs, maintenance, job completions, the scheduling pass, the horizon.
// It knows nothing of SimGrid: the actors of simulate.cpp own the clock and call these handlers at
// the right (integer-millisecond) instants, so the same logic is testable without the engine.
//
// A job's life: waiting → running (one *segment* per allocation: a restart stall, then training in
// its checkpoint rhythm) → done. A failure under a running job ends its segment: training since the
// last completed checkpoint is booked as lost, failed trays leave the job, replacement capacity is
// found (a spare tray of the same rack, free trays of the same rack, else the affected NVLink groups
// move to other racks), and a new segment starts with the restart overhead. Without replacement
// capacity the job releases everything and waits at the front of the queue; when it is placed again
// it may use the racks' healthy spare trays too (spares exist to replace failed trays), and jobs
// behind it keep running on what it cannot use (the policies backfill around a waiting head).
//
// Capacity over time (SimulationInput::capacity): trays come into service and leave it at the
// instants the tenants' leases change (start, ramp months, term end, exercised exit). A job on trays
// that leave is checkpointed and requeued, as for a maintenance window; with several tenants, or a
// tenant that bursts, each tenant's jobs hold at most its leases' schedulable trays (plus what its
// overflow rule lets it use).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "leasesim/cluster/checkpoint_cycle.hpp"
#include "leasesim/cluster/cluster_inventory.hpp"
#include "leasesim/cluster/fabric_contention.hpp"
#include "leasesim/cluster/failure_injector.hpp"
#include "leasesim/cluster/gpu_ledger_book.hpp"
#include "leasesim/cluster/job_arrivals.hpp"
#include "leasesim/cluster/placement_strategy.hpp"
#include "leasesim/cluster/results.hpp"
#include "leasesim/cluster/scheduler.hpp"
#include "leasesim/cluster/step_rate_cache.hpp"
#include "leasesim/cluster/storage_sharing.hpp"

namespace leasesim::cluster {

class ClusterSimulation final : public SchedulerView {
 public:
  explicit ClusterSimulation(const SimulationInput& input);
  ~ClusterSimulation() override;

  std::int64_t horizon_ms() const { return grid_.horizon_ms; }
  const std::vector<JobTicket>& tickets() const { return tickets_; }
  FailureInjector& failures() { return injector_; }
  const CalendarGrid& grid() const { return grid_; }

  // --- event handlers (time `t` in ms, never decreasing) -----------------------------------------
  void arrive(int job, std::int64_t t);
  void outage(const Outage& o);
  // Completes every job whose planned end is ≤ t; returns how many.
  int complete_due(std::int64_t t);
  // The earliest planned completion still valid, if any.
  std::optional<std::int64_t> next_completion();
  // Runs the scheduler if anything changed since its last pass.
  void schedule_pass(std::int64_t t);
  // Closes every open interval at the horizon and builds the result.
  SimulationResult finish();

  // Capacity over time: the instants (ms, ascending, all > 0) at which the leases change what is in
  // service; apply_capacity(k) at capacity_times()[k]. The state at t = 0 is applied on construction.
  const std::vector<std::int64_t>& capacity_times() const { return capacity_times_; }
  void apply_capacity(std::size_t k);

  // Called when a completion earlier than every other one is planned (the lifecycle actor re-arms).
  std::function<void()> on_earlier_completion;

  // --- roadmaps (docs/cluster-model.md, "Roadmaps") ----------------------------------------------
  // A chained job is submitted by the simulation when its predecessors are done (after its lag), not
  // by the arrivals actor at its submit time.
  bool chained(int job) const { return !tickets_[static_cast<std::size_t>(job)].after.empty(); }
  // The simulation's own timed events: a chained job's submission after its lag, an elastic job's
  // growth at a checkpoint boundary. Only scenarios with chains or elastic jobs have any (then the
  // timer actor runs); fire_timers handles every one due by t.
  bool uses_timers() const { return chains_ || elastic_; }
  std::optional<std::int64_t> next_timer() const;
  void fire_timers(std::int64_t t);
  std::function<void()> on_earlier_timer;
  long long events = 0;

  // --- flow fidelity: the fabric the running jobs share (fabric_contention.hpp) -------------------
  // Every running job whose NVLink groups span more than one domain sends its per-iteration
  // scale-out traffic as a ring over its domains on the cluster's fat tree; whenever that set of
  // jobs or their placements change, the fabric actor solves all rings together and each job's
  // step is stretched by how much longer its ring took than alone (its exposed part only).
  // Set by the handlers; the actors wake the fabric actor once their batch of events is handled
  // (never from inside a handler, where the woken actor could see a half-updated running set).
  bool fabric_changed() const { return fabric_dirty_; }
  // The contention model (flow fidelity only; null otherwise).
  FabricContention* fabric() { return fabric_.get(); }
  // Hands the running multi-domain jobs to fabric() as rings (clears the change flag); false when none.
  bool fabric_probe();
  // After fabric()->solve_in_actor: a job whose slowdown moves beyond the tolerance runs at the new
  // rate from now on (its planned completion moves; its checkpoint rhythm does not).
  void apply_fabric();
  long long fabric_resolves = 0;

  // --- checkpoint storage: the write bandwidth the running jobs share (storage_sharing.hpp) -------
  // Whenever the running set changes (a start, an end, a requeue, a resize), at the end of the
  // batch's scheduling pass: every running job's expected share of the write bandwidth is solved
  // again once the jobs started and ended since the last full solve could have moved anyone's share
  // by `storage_tolerance` (Σ of their duty / 2); until then only a starting job takes its share,
  // against the others' current rhythms. A job whose write time moves by more than the tolerance
  // takes the new rhythm from its next checkpoint boundary on (the write in flight finishes at the
  // rate it started at).
  static constexpr double storage_tolerance = 0.01;
  long long storage_resolves = 0;

  // --- SchedulerView -----------------------------------------------------------------------------
  std::int64_t now() const override { return now_; }
  const WaitingQueue& waiting() const override { return waiting_; }
  bool fits_now(int job) const override;
  bool start(int job) override;
  long long trays_needed(int job) const override;
  long long free_trays() const override { return inventory_.free_total(); }
  std::int64_t expected_run_ms(int job) const override;
  int priority(int job) const override { return tickets_[static_cast<std::size_t>(job)].priority; }
  std::vector<Running> running() const override;
  std::optional<Reservation> reservation(long long trays) const override;
  void preempt(int job) override;

 private:
  enum class Phase : std::uint8_t { pending, waiting, running, done, rejected, blocked };
  enum class SegmentEnd : std::uint8_t { failure, completion, horizon, preemption };
  struct SizeSpan {
    long long gpus = 0;
    std::int64_t from = 0, to = 0, gpu_ms = 0;  // first start and last end at this size; GPU-ms allocated
    double tokens = 0;                          // tokens kept while at this size
  };
  struct RackShare {
    int rack = 0;
    long long groups = 0;
    std::vector<long long> trays;
    StateMs booked{};  // the job's per-GPU ms already booked to this rack
  };
  // A stretch of a segment from `from` on: the fabric slowdown it trains at and the checkpoint rhythm
  // it follows, laid from `origin` (the segment's run origin, or the checkpoint boundary at which
  // the storage share changed the rhythm; origin ≤ from).
  struct Piece {
    std::int64_t from = 0;
    double slowdown = 1.0;
    std::int64_t origin = 0;
    CheckpointCycle cycle;
  };
  struct Job {
    Phase phase = Phase::pending;
    int tenant = 0;
    const JobProfile* profile = nullptr;
    std::string reason;
    int group_gpus = 1;
    long long groups = 0;
    CheckpointCycle cycle;     // its rhythm from now on (the last piece's)
    CheckpointDemand demand;   // what it asks of the storage (policy set when shared)
    double storage_share = 0;  // bytes/s of its expected share at the last solve (0: not solved yet)
    // The rhythms it trained under, weighted by training wall ms (reported as means and the max).
    double rhythm_ms = 0, write_s_ms = 0, interval_s_ms = 0, stall_s_ms = 0, write_max_s = 0;
    bool rhythm_varied = false;
    CheckpointCycle first_rhythm;
    std::int64_t work_ms = 0, saved_ms = 0, restart_ms = 0;
    double tokens_total = 0;
    bool has_run = false;
    std::int64_t segment_start = 0, run_origin = 0, planned_end = 0;
    std::uint32_t epoch = 0;
    std::vector<RackShare> shares;
    long long held_trays = 0;
    StateMs per_gpu{};
    std::int64_t lost_gpu_ms = 0;  // lost + restarting GPU-ms, over every allocation
    int interruptions = 0;
    std::optional<std::int64_t> first_start, end;
    bool use_spares = false;  // re-placed after failures left it without replacement capacity
    std::vector<std::pair<int, std::int64_t>> month_gpu_ms;  // allocated GPU-ms by calendar month
    // Flow fidelity: training wall time per unit of work (≥ 1; 1 = the job's own flow price), and
    // the current segment's pieces: from each wall instant on, the slowdown it ran at and its rhythm.
    double slowdown = 1.0;
    std::vector<Piece> pieces;
    std::uint32_t placement_version = 0;  // bumped when a segment opens on a new placement
    // The job's (NVLink domain, GPUs in it), sorted, as of ring_version (fabric_probe's cache).
    std::uint32_t ring_version = 0;
    std::vector<std::pair<long long, long long>> ring_domains;
    std::int64_t compute_wall_ms = 0;
    double slowed_wall_ms = 0;    // Σ training wall ms × the slowdown they ran at
    std::int64_t submitted = -1;  // when it joined the queue (chained jobs: after their predecessors)
    // Elastic jobs: sizes are multiples of unit_gpus between min_groups and max_gpus; the work of the
    // current size (work_ms, saved_ms) stands for size_tokens, the tokens left when it started at it.
    bool elastic = false;
    long long unit_gpus = 0, min_groups = 0, max_gpus = 0;
    const JobProfile* max_profile = nullptr;
    double size_tokens = 0;
    int resizes = 0;
    std::vector<SizeSpan> spans;
    std::int64_t grow_at = -1;
    std::uint32_t grow_epoch = 0;
    // Several sites: the site it must run in (−1: any), whether it runs across sites (priced on
    // `span_sites` of them), and the site of the trays it holds (−1: none, or across sites).
    int pin = -1;
    bool across = false;
    int span_sites = 1;
    int site = -1;
    std::string site_label;  // the sites it ran in, for the result ("" without sites)
  };
  struct Completion {
    std::int64_t t;
    int job;
    std::uint32_t epoch;
    bool operator>(const Completion& o) const { return t != o.t ? t > o.t : job > o.job; }
  };

  void set_now(std::int64_t t);
  void reject(Job& j, std::string reason);
  void close_segment(int id, SegmentEnd how);
  void open_segment(int id, bool restart);
  void plan_completion(int id);
  // Work (ms at the job's own rate) trained in the wall interval [a, b) of the current segment.
  double work_between(const Job& j, std::int64_t a, std::int64_t b) const;
  // Books the job's training in [a, b) of the current segment as `state`, piece by piece.
  void book_training(Job& j, GpuState state, std::int64_t gpus, std::int64_t a, std::int64_t b);
  void set_slowdown(int id, double slowdown);
  // The piece of the current segment covering instant t (the first one before it starts).
  static std::size_t piece_at(const Job& j, std::int64_t t);
  // Makes a piece start at t (≥ the first piece's start), splitting the one covering it; its index.
  static std::size_t split_piece(Job& j, std::int64_t t);
  // The end of the last checkpoint of the current segment whose write had finished by e (or its origin).
  static std::int64_t committed_end(const Job& j, std::int64_t e);
  // The job follows `cycle` from its next checkpoint boundary on (from its origin if not yet training).
  void set_rhythm(int id, const CheckpointCycle& cycle);
  void share_storage();
  void take_share(int id, const CheckpointCycle& cycle);  // the new rhythm, if it moves beyond the tolerance
  static double duty_of(const CheckpointCycle& c);        // the fraction of its time a job is writing
  bool storage_dirty_ = false;
  double storage_drift_ = 0;         // Σ duty/2 of the jobs started or ended since the last full solve
  std::vector<int> storage_joined_;  // started since the last share_storage
  struct PendingShare {
    int job;
    double share;
    CheckpointCycle cycle;
  };
  std::vector<PendingShare> storage_pending_;
  std::vector<double> storage_duties_;
  std::vector<CheckpointDemand> storage_demands_;  // scratch of share_storage
  std::vector<int> storage_ids_;
  std::vector<double> storage_start_;
  void mark_fabric(const Job& j);
  void flush_share(Job& j, RackShare& s);
  void release_share(int id, RackShare& s);
  void release_all(int id);
  // Places `groups` more NVLink groups of the job; with_spares: as if every healthy spare were free.
  bool place_groups(int id, long long groups, bool with_spares = false);
  void interrupt(int id, const std::vector<long long>& lost_trays);
  void requeue_front(int id);
  void fail_tray(long long tray, std::vector<long long>& hit_trays);
  void note_repair(long long tray, std::int64_t t);  // the tray is down until t (for reservations)
  void forget_repair(long long tray);
  double interrupt_rate_per_node(bool multi_rack) const;
  // Capacity over time.
  void build_capacity();
  // The capacity plan with its market requests drawn for this replication (cluster_capacity.cpp).
  void draw_market();
  CapacityPlan capacity_;  // input_.capacity with the market grants added
  std::vector<MarketGrant> market_grants_;
  void set_capacity(const std::vector<long long>& trays);
  long long schedulable_trays(const std::vector<long long>& trays) const;
  bool within_allowance(const Job& j, long long trays) const;            // in the job's site (or the first)
  bool within_allowance(const Job& j, long long trays, int site) const;  // site −1: across sites
  void adjust_held(Job& j, int rack, long long delta);
  long long spare_group_capacity(int group_gpus) const;
  long long spare_group_capacity(int group_gpus, const RackRange& range) const;
  // Several sites (SimulationInput::sites).
  int site_of_rack(int rack) const;
  int cap_entry(int site, int tenant) const {  // capacity tenant of (site, job tenant), −1: none
    return cap_of_tenant_[static_cast<std::size_t>(site) * tenants_.size() + static_cast<std::size_t>(tenant)];
  }
  RackRange range_of(const Job& j) const;
  // The site a job that holds nothing starts in now: its pin or the first site whose free trays
  // (with spares: and spares) hold it within its tenant's allowance there; −1 when none does.
  int site_for(const Job& j, bool with_spares) const;
  void resolve_sites(int id);  // pins, the largest site, and spanning (in the constructor)
  StepRateCache& span_cache(int sites);
  long long in_service_in(const RackRange& range) const;
  void retire_trays(long long n, const RackRange& range);
  void commission_trays(long long n, const RackRange& range);
  void note_month_use(Job& j, std::int64_t gpus, std::int64_t a, std::int64_t b);
  // Roadmaps.
  void build_chains();
  void block(int id, std::string reason);  // never submitted; its successors neither
  void release_successors(int id);         // the job completed: successors whose predecessors are all done go
  std::string blocked_reason(int id) const;
  void add_timer(std::int64_t t, int job, int kind);
  void setup_elastic(int id, const JobProfile& max);
  const JobProfile* elastic_profile(int id, long long gpus);
  void size_elastic(int id, const JobProfile& p);
  bool start_elastic(int id);
  // The largest size the job could restart on now with `groups` more NVLink groups than are free, or 0.
  long long elastic_target(int id, long long extra_groups);
  void plan_growth();
  void grow(int id);

  const SimulationInput& input_;
  CalendarGrid grid_;
  std::vector<JobTicket> tickets_;
  std::vector<std::string> tenants_;  // sorted
  GpuLedgerBook book_;
  ClusterInventory inventory_;
  std::unique_ptr<PlacementStrategy> placement_;
  std::unique_ptr<Scheduler> scheduler_;
  FailureInjector injector_;
  StepRateCache steps_;
  std::vector<Job> jobs_;
  WaitingQueue waiting_{std::size_t{1} + EasyBackfillScheduler::max_backfill_candidates};  // head + candidates
  std::vector<int> running_ids_;
  std::set<std::pair<std::int64_t, int>> by_planned_end_;  // running jobs
  // Group capacity of the free trays per NVLink group size, valid while the inventory is unchanged.
  struct CapacityMemo {
    int group_gpus;
    std::uint64_t version;
    long long groups;
  };
  mutable std::vector<CapacityMemo> capacity_memo_;
  std::priority_queue<Completion, std::vector<Completion>, std::greater<>> completions_;
  std::vector<RackTake> takes_;
  struct SiteRacks {
    std::string name;
    RackRange racks;
  };
  std::vector<SiteRacks> sites_;  // one site of every rack when the input names none
  bool multi_site_ = false;
  std::optional<double> rate_z_;  // the replication's throughput draw, for the spanning caches too
  std::map<int, std::pair<std::unique_ptr<hw::ClusterSpec>, std::unique_ptr<StepRateCache>>> span_steps_;
  std::int64_t now_ = 0;
  bool dirty_ = false;
  std::vector<std::uint8_t> rack_power_down_;
  std::map<std::string, int> failures_by_category_;
  int failures_ = 0;
  bool fabric_dirty_ = false;
  std::unique_ptr<FabricContention> fabric_;
  std::vector<std::pair<long long, long long>> ring_domains_;  // scratch of fabric_probe
  // Capacity over time: per capacity tenant (SimulationInput::capacity.tenants order) the trays its
  // leases provide from each change instant on; quotas (schedulable trays) when enforced.
  std::vector<std::int64_t> capacity_times_;
  std::vector<std::vector<long long>> capacity_trays_;               // [change][capacity tenant]
  std::vector<std::pair<std::int64_t, long long>> capacity_deltas_;  // (instant, Δ schedulable trays), changes after 0
  std::vector<int> cap_of_tenant_;       // [site × tenants + job tenant] → capacity tenant, −1: none
  std::vector<long long> quota_, held_;  // per capacity tenant
  bool enforce_quota_ = false, burst_pool_ = false;
  // Roadmaps: each ticket's successors, and how many of its predecessors are not done yet; timers
  // (instant, job, kind: 0 a chained submission, 1 an elastic growth check).
  bool chains_ = false, elastic_ = false;
  std::vector<std::vector<int>> successors_;
  std::vector<int> unfinished_preds_;
  std::set<std::tuple<std::int64_t, int, int>> timers_;
  std::set<std::pair<std::int64_t, long long>> repairs_;  // down trays by repair time
  std::vector<std::int64_t> repair_at_;                   // per tray, while down for a failure
};

}  // namespace leasesim::cluster
