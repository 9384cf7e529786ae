// Roadmaps inside one cluster simulation (docs/cluster-model.md, "Roadmaps"): chained jobs submitted
// when their predecessors end (plus a lag), and elastic jobs that start on what is free between their
// smallest and largest size and grow into freed capacity at a checkpoint boundary.
#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "leasesim/cluster/cluster_simulation.hpp"

namespace leasesim::cluster {

namespace {
std::int64_t to_ms(double s) { return static_cast<std::int64_t>(std::llround(s * 1000.0)); }
}  // namespace

// --- chains ------------------------------------------------------------------------------------------

void ClusterSimulation::build_chains() {
  for (const JobTicket& t : tickets_) chains_ = chains_ || !t.after.empty();
  if (!chains_) return;
  successors_.assign(tickets_.size(), {});
  unfinished_preds_.assign(tickets_.size(), 0);
  for (std::size_t i = 0; i < tickets_.size(); ++i) {
    for (int p : tickets_[i].after) {
      successors_[static_cast<std::size_t>(p)].push_back(static_cast<int>(i));
      ++unfinished_preds_[i];
    }
  }
}

void ClusterSimulation::block(int id, std::string reason) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  if (j.phase != Phase::pending) return;
  j.phase = Phase::blocked;
  j.reason = std::move(reason);
  for (int next : successors_[static_cast<std::size_t>(id)])
    block(next, "predecessor " + tickets_[static_cast<std::size_t>(id)].name + " blocked: " + j.reason);
}

void ClusterSimulation::release_successors(int id) {
  for (int next : successors_[static_cast<std::size_t>(id)]) {
    if (--unfinished_preds_[static_cast<std::size_t>(next)] > 0) continue;
    if (jobs_[static_cast<std::size_t>(next)].phase != Phase::pending) continue;
    const JobTicket& t = tickets_[static_cast<std::size_t>(next)];
    // This completion is the latest of its predecessors' ends; a drawn slip delays the submission
    // either way: max(submit, end + lag) + slip (submit_ms already holds submit + slip).
    const std::int64_t at = std::max(t.submit_ms, now_ + to_ms(t.lag_s + t.slip_s.value_or(0.0)));
    if (at >= grid_.horizon_ms) continue;  // finish() says why it never came
    if (at <= now_)
      arrive(next, now_);
    else
      add_timer(at, next, 0);
  }
}

std::string ClusterSimulation::blocked_reason(int id) const {
  const JobTicket& t = tickets_[static_cast<std::size_t>(id)];
  for (int p : t.after) {
    const Job& q = jobs_[static_cast<std::size_t>(p)];
    const std::string& name = tickets_[static_cast<std::size_t>(p)].name;
    if (q.phase == Phase::done) continue;
    if (q.phase == Phase::running || q.phase == Phase::waiting)
      return "waiting for " + name + ", unfinished at the horizon end";
    return "waiting for " + name + ", not submitted by the horizon end";
  }
  return fmt::format("its predecessors finished, but {} after the last of them lies past the horizon end",
                     t.lag_s > 0 ? fmt::format("its lag of {:g} d", t.lag_s / 86400.0) : std::string("its submit"));
}

void ClusterSimulation::add_timer(std::int64_t t, int job, int kind) {
  const bool earliest = timers_.empty() || t < std::get<0>(*timers_.begin());
  timers_.emplace(t, job, kind);
  if (earliest && on_earlier_timer) on_earlier_timer();
}

std::optional<std::int64_t> ClusterSimulation::next_timer() const {
  if (timers_.empty()) return std::nullopt;
  return std::get<0>(*timers_.begin());
}

void ClusterSimulation::fire_timers(std::int64_t t) {
  set_now(t);
  while (!timers_.empty() && std::get<0>(*timers_.begin()) <= t) {
    const int job = std::get<1>(*timers_.begin()), kind = std::get<2>(*timers_.begin());
    timers_.erase(timers_.begin());
    if (kind == 0) {
      if (jobs_[static_cast<std::size_t>(job)].phase == Phase::pending) arrive(job, t);
    } else {
      grow(job);
    }
  }
}

// --- elastic jobs --------------------------------------------------------------------------------------

// Sizes are multiples of one unit: the model-parallel block tp·cp·pp·ep of the configuration at the
// largest size (DP is the only degree that changes: every DP rank holds one replica of the model
// block, EP ranks inside it), and a whole number of the job's NVLink groups.
void ClusterSimulation::setup_elastic(int id, const JobProfile& max) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  const JobTicket& t = tickets_[static_cast<std::size_t>(id)];
  const auto& c = max.parallelism;
  const long long block = static_cast<long long>(c.tp) * c.cp * c.pp * std::max(1, c.ep);
  const long long unit = std::lcm(std::max(1LL, block), static_cast<long long>(j.group_gpus));
  const long long most = max.gpus / unit * unit;
  const long long least = (t.min_gpus + unit - 1) / unit * unit;
  if (most == 0 || least > most) {
    j.reason = fmt::format(
        "elastic: its smallest size, {} GPUs rounded up to a multiple of its model-parallel block of {} GPUs, is "
        "{} GPUs, above the {} it runs on at most",
        t.min_gpus, unit, least, max.gpus);
    return;
  }
  j.elastic = true;
  elastic_ = true;
  j.unit_gpus = unit;
  j.max_gpus = most;
  j.max_profile = &max;
  j.min_groups = least / j.group_gpus;
  // The flow model runs the engine, which cannot be re-entered from the actors: every size is priced now.
  if (input_.fidelity == Fidelity::flow)
    for (long long n = least; n < most; n += unit) elastic_profile(id, n);
  const JobProfile* low = elastic_profile(id, least);
  if (!low || !low->error.empty()) {
    j.reason = fmt::format("elastic: at its smallest size ({} GPUs): {}", least, low ? low->error : "not priced");
    j.elastic = false;
    return;
  }
  j.groups = j.min_groups;
}

const JobProfile* ClusterSimulation::elastic_profile(int id, long long gpus) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  const JobTicket& t = tickets_[static_cast<std::size_t>(id)];
  if (gpus == j.max_profile->gpus) return j.max_profile;
  if (const JobProfile* known = steps_.find(t.source, gpus)) return known;
  if (input_.fidelity == Fidelity::flow && j.elastic && !j.spans.empty()) return nullptr;  // (never: priced up front)
  workload::TrainingJob job = t.training_job();
  job.gpus = gpus;
  const auto& c = j.max_profile->parallelism;
  workload::ParallelismRequest& r = job.parallelism;
  r.tp = c.tp;
  r.pp = c.pp;
  r.cp = c.cp;
  r.ep = c.ep;
  r.vpp = c.vpp;
  r.micro_batch = c.micro_batch;
  r.recompute = c.recompute;
  r.sharding = c.sharding;
  r.dp = static_cast<int>(gpus / (static_cast<long long>(c.tp) * c.cp * c.pp));
  return &steps_.profile(t.source, job);
}

// The job's work from here on at size `p`: the tokens not yet kept at earlier sizes, at p's rate.
void ClusterSimulation::size_elastic(int id, const JobProfile& p) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  const JobTicket& t = tickets_[static_cast<std::size_t>(id)];
  double kept = 0;
  for (const SizeSpan& s : j.spans) kept += s.tokens;
  j.profile = &p;
  j.groups = p.gpus / j.group_gpus;
  j.size_tokens = std::max(0.0, j.tokens_total - kept);
  const double work_s = p.tokens_per_s > 0 ? j.size_tokens / p.tokens_per_s : 0.0;
  j.work_ms = std::max<std::int64_t>(1, to_ms(work_s));
  j.saved_ms = 0;
  const int T = inventory_.trays_per_rack(), G = inventory_.gpus_per_tray();
  const long long trays = trays_needed(id);
  j.demand = {nullptr, p.params, trays * G, trays, interrupt_rate_per_node(trays > T), work_s};
  j.cycle = resolve_checkpoint(t.checkpoint, p.params, trays * G, trays, j.demand.failures_per_node_s, input_.cluster,
                               work_s);
  j.restart_ms = std::max<std::int64_t>(0, to_ms(t.restart_overhead_s) + to_ms(j.cycle.read_s));
}

bool ClusterSimulation::start_elastic(int id) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  if (j.phase != Phase::waiting) return false;
  const int g = j.group_gpus, G = inventory_.gpus_per_tray();
  const long long free_groups = j.use_spares ? spare_group_capacity(g) : group_capacity(inventory_, g);
  // At the head of the queue it takes what is free up to its largest size; started behind others (a
  // backfill, whose reservation counted its minimum) it takes its minimum.
  const bool head = waiting_.front() == id || waiting_.top() == id;
  long long n = head ? std::min(j.max_gpus, free_groups * g) / j.unit_gpus * j.unit_gpus : j.min_groups * g;
  bool placed = false;
  for (; n >= j.min_groups * g; n -= j.unit_gpus) {
    if (!within_allowance(j, trays_for(n / g, G, g))) continue;
    const JobProfile* p = elastic_profile(id, n);
    if (!p || !p->error.empty()) continue;
    size_elastic(id, *p);
    placed = place_groups(id, j.groups) || (j.use_spares && place_groups(id, j.groups, true));
    if (placed) break;
  }
  if (!placed) {
    j.groups = j.min_groups;
    return false;
  }
  j.use_spares = false;
  waiting_.erase(id);
  running_ids_.push_back(id);
  storage_dirty_ = true;
  j.phase = Phase::running;
  if (!j.first_start) j.first_start = now_;
  if (j.spans.empty() || j.spans.back().gpus != n) {
    if (!j.spans.empty()) ++j.resizes;
    j.spans.push_back({n, now_, now_, 0, 0.0});
  }
  open_segment(id, j.has_run);
  j.has_run = true;
  return true;
}

long long ClusterSimulation::elastic_target(int id, long long extra_groups) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  const int g = j.group_gpus, G = inventory_.gpus_per_tray();
  const long long groups = group_capacity(inventory_, g) + extra_groups;
  for (long long n = std::min(j.max_gpus, groups * g) / j.unit_gpus * j.unit_gpus; n >= j.min_groups * g;
       n -= j.unit_gpus) {
    if (!within_allowance(j, trays_for(n / g, G, g) - j.held_trays)) continue;
    const JobProfile* p = elastic_profile(id, n);
    if (p && p->error.empty()) return n;
  }
  return 0;
}

// The growth rule: with nobody waiting, a running elastic job below its largest size whose next
// checkpoint comes before its end, and that would save more time at the size the free capacity
// allows than the restart costs, grows at that checkpoint (it checkpoints, releases and restarts on
// the larger size).
void ClusterSimulation::plan_growth() {
  if (!waiting_.empty()) return;
  for (int id : running_ids_) {
    Job& j = jobs_[static_cast<std::size_t>(id)];
    if (!j.elastic || j.profile->gpus >= j.max_gpus) continue;
    if (j.grow_at >= now_ && j.grow_epoch == j.epoch) continue;  // already planned
    if (group_capacity(inventory_, j.group_gpus) * j.group_gpus < j.unit_gpus) continue;
    const long long n = elastic_target(id, j.groups);
    if (n <= j.profile->gpus) continue;
    const JobProfile* p = elastic_profile(id, n);
    const std::int64_t from = std::max(now_, j.run_origin);
    const double left_work = static_cast<double>(j.work_ms - j.saved_ms) - work_between(j, j.run_origin, from);
    const double left_tokens = std::max(0.0, left_work) / static_cast<double>(j.work_ms) * j.size_tokens;
    if (!(j.profile->tokens_per_s > 0) || !(p->tokens_per_s > 0)) continue;
    const double gain_s = left_tokens / j.profile->tokens_per_s - left_tokens / p->tokens_per_s;
    if (gain_s * 1000.0 <= static_cast<double>(j.restart_ms)) continue;
    // The next checkpoint committed after now (in the rhythm it follows now).
    const Piece& piece = j.pieces[piece_at(j, std::max(now_, j.run_origin))];
    const std::int64_t P = piece.cycle.period(), r = piece.origin, lag = piece.cycle.commit_lag_ms;
    std::int64_t k = now_ <= r + lag ? 1 : (now_ - r - lag + P - 1) / P;
    k = std::max<std::int64_t>(1, k);
    const std::int64_t at = r + k * P + lag;
    if (at >= j.planned_end || at >= grid_.horizon_ms) continue;
    j.grow_at = at;
    j.grow_epoch = j.epoch;
    add_timer(at, id, 1);
  }
}

void ClusterSimulation::grow(int id) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  if (j.phase != Phase::running || j.grow_epoch != j.epoch || j.grow_at != now_) return;
  j.grow_at = -1;
  if (!waiting_.empty() || elastic_target(id, j.groups) <= j.profile->gpus) return;
  ++events;
  preempt(id);  // checkpointed at this boundary: nothing is lost
  start(id);    // the head of an otherwise empty queue: restarts on the larger size
  dirty_ = true;
}

}  // namespace leasesim::cluster
