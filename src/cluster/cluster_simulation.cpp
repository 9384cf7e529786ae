// Event handlers and accounting of one cluster simulation (see cluster_simulation.hpp).
#include "leasesim/cluster/cluster_simulation.hpp"

#include <algorithm>
#include <climits>
#include <optional>
#include <cmath>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "leasesim/cluster/energy_meter.hpp"
#include "leasesim/cluster/random_stream.hpp"
#include "leasesim/perf/collective_cost.hpp"

namespace leasesim::cluster {

namespace {
// The stream of the per-replication throughput draw ("throughp" in ASCII): far from the failure
// (99, 100 + p, 10,000 + p) and arrival streams, so sampling throughput leaves failures unchanged.
constexpr std::uint64_t kThroughputStream = 0x7468726F75676870ull;

std::int64_t to_ms(double s) { return static_cast<std::int64_t>(std::llround(s * 1000.0)); }

std::vector<std::string> tenant_names(const std::vector<JobTicket>& tickets) {
  std::set<std::string> names;
  const std::string* last = nullptr;  // runs of one tenant are common: skip the set lookup
  for (const JobTicket& t : tickets) {
    if (last && *last == t.tenant) continue;
    names.insert(t.tenant);
    last = &t.tenant;
  }
  return {names.begin(), names.end()};
}
}  // namespace

ClusterSimulation::ClusterSimulation(const SimulationInput& input)
    : input_(input),
      grid_(input.start_utc, to_ms(input.horizon_s)),
      tickets_(draw_arrivals(input, grid_.horizon_ms)),
      tenants_(tenant_names(tickets_)),
      book_(grid_, input.cluster.racks, static_cast<int>(tenants_.size())),
      inventory_(input.cluster.racks, input.cluster.rack.nodes(), input.cluster.rack.gpus_per_node,
                 input.cluster.spare_trays_per_rack, book_),
      placement_(make_placement(input.scheduler.placement)),
      scheduler_(make_scheduler(input.scheduler)),
      injector_(input.failures, input.cluster, grid_.horizon_ms, input.seed),
      steps_(input.cluster, input.fidelity),
      jobs_(tickets_.size()),
      rack_power_down_(static_cast<std::size_t>(input.cluster.racks), 0) {
  if (input.fidelity == Fidelity::flow)
    fabric_ = std::make_unique<FabricContention>(input.cluster, steps_.link_rates(), input.fabric_contention);
  const int T = inventory_.trays_per_rack(), G = inventory_.gpus_per_tray();
  if (input.sample_throughput || input.throughput_scale != 1.0) {
    if (input.sample_throughput) rate_z_ = RandomStream(input.seed, kThroughputStream).standard_normal();
    steps_.set_rate_adjustment(input.throughput_scale, rate_z_);
  }
  for (const Site& site : input.sites) sites_.push_back({site.name, {site.first_rack, site.first_rack + site.racks}});
  if (sites_.empty()) sites_.push_back({"", {0, input.cluster.racks}});
  multi_site_ = sites_.size() > 1;
  const int usable_trays = T - std::min(T, input.cluster.spare_trays_per_rack);
  for (std::size_t i = 0; i < tickets_.size(); ++i) {
    const JobTicket& t = tickets_[i];
    Job& j = jobs_[i];
    j.tenant = static_cast<int>(std::lower_bound(tenants_.begin(), tenants_.end(), t.tenant) - tenants_.begin());
    j.profile = steps_.find(t.source, t.gpus);
    if (!j.profile) j.profile = &steps_.profile(t.source, t.training_job());  // the first job of its size
    const JobProfile& p = *j.profile;
    if (!p.error.empty()) {
      j.reason = p.error;
      continue;
    }
    j.group_gpus = std::max(1, p.nvlink_group_gpus);
    j.groups = (p.gpus + j.group_gpus - 1) / j.group_gpus;
    if (t.min_gpus > 0) {
      setup_elastic(static_cast<int>(i), p);  // waits for its fewest groups; or says why it cannot run
      if (!j.reason.empty()) continue;
    }
    const long long most = static_cast<long long>(input.cluster.racks) * groups_in(usable_trays, G, j.group_gpus);
    if (j.groups > most) {
      j.reason = "needs " + std::to_string(p.gpus) + " GPUs in NVLink groups of " + std::to_string(j.group_gpus) +
                 "; the cluster can hold at most " + std::to_string(most * j.group_gpus) + " such GPUs";
      continue;
    }
    if (multi_site_) {
      resolve_sites(static_cast<int>(i));  // may re-price the job across sites
      if (!j.reason.empty()) continue;
    }
    const JobProfile& q = *j.profile;  // the price across sites when it spans them
    const double work_s = t.runtime_s ? *t.runtime_s : (q.tokens_per_s > 0 ? t.tokens / q.tokens_per_s : 0.0);
    j.work_ms = std::max<std::int64_t>(1, to_ms(work_s));
    j.tokens_total = t.runtime_s ? *t.runtime_s * q.tokens_per_s : t.tokens;
    const long long trays = trays_needed(static_cast<int>(i));
    // Alone until it runs with others (share_storage).
    j.demand = {nullptr, q.params, trays * G, trays, interrupt_rate_per_node(trays > T), work_s};
    j.cycle = resolve_checkpoint(t.checkpoint, q.params, trays * G, trays, j.demand.failures_per_node_s, input.cluster,
                                 work_s);
    // A restart: the job's own overhead, then reading its checkpoint back.
    j.restart_ms = std::max<std::int64_t>(0, to_ms(t.restart_overhead_s) + to_ms(j.cycle.read_s));
  }
  build_chains();
  build_capacity();
}

ClusterSimulation::~ClusterSimulation() = default;

// Interruptions per second of one of the job's trays: every process's cluster-wide rate spread over
// the trays (a GPU process on 4-GPU trays is 4 × the per-GPU rate; a rack process 1/18 per tray).
double ClusterSimulation::interrupt_rate_per_node(bool multi_rack) const {
  const auto trays = static_cast<double>(inventory_.trays());
  double r = 0;
  for (const FailureProcess& p : input_.failures.processes)
    if (p.component != Component::switch_cable || multi_rack) r += cluster_rate_per_s(p, input_.cluster) / trays;
  return r;
}

void ClusterSimulation::set_now(std::int64_t t) {
  if (t < now_) throw std::logic_error("cluster simulation: time went backwards");
  now_ = t;
  inventory_.set_now(t);
}

// --- arrivals and scheduling ---------------------------------------------------------------------

void ClusterSimulation::arrive(int id, std::int64_t t) {
  set_now(t);
  ++events;
  Job& j = jobs_[static_cast<std::size_t>(id)];
  j.submitted = t;
  if (!j.reason.empty()) {
    j.phase = Phase::rejected;
    if (chains_)
      for (int next : successors_[static_cast<std::size_t>(id)])
        block(next, "predecessor " + tickets_[static_cast<std::size_t>(id)].name + " rejected: " + j.reason);
    return;
  }
  j.phase = Phase::waiting;
  waiting_.push_back(id, priority(id));
  dirty_ = true;
}

void ClusterSimulation::schedule_pass(std::int64_t t) {
  set_now(t);
  if (dirty_) {
    dirty_ = false;
    scheduler_->schedule(*this);
  }
  if (storage_dirty_) share_storage();  // before growth plans, which read the rhythms
  if (elastic_) plan_growth();
}

long long ClusterSimulation::trays_needed(int id) const {
  const Job& j = jobs_[static_cast<std::size_t>(id)];
  return trays_for(j.groups, inventory_.gpus_per_tray(), j.group_gpus);
}

bool ClusterSimulation::fits_now(int id) const {
  const Job& j = jobs_[static_cast<std::size_t>(id)];
  if (multi_site_) return site_for(j, j.use_spares) != -2;
  if (!within_allowance(j, trays_needed(id))) return false;
  if (j.use_spares) return spare_group_capacity(j.group_gpus) >= j.groups;
  for (CapacityMemo& m : capacity_memo_) {
    if (m.group_gpus != j.group_gpus) continue;
    if (m.version != inventory_.version())
      m = {j.group_gpus, inventory_.version(), group_capacity(inventory_, j.group_gpus)};
    return m.groups >= j.groups;
  }
  capacity_memo_.push_back({j.group_gpus, inventory_.version(), group_capacity(inventory_, j.group_gpus)});
  return capacity_memo_.back().groups >= j.groups;
}

// Trays come back when running jobs end as planned and when failed trays are repaired (the repair
// estimate a provider's ticket carries; here the drawn repair time).
std::optional<SchedulerView::Reservation> ClusterSimulation::reservation(long long trays) const {
  long long available = inventory_.free_total();
  if (available >= trays) return Reservation{now_, available - trays};
  // Scheduled capacity changes (lease ramps and starts) bring trays too, and take them away.
  auto end = by_planned_end_.begin();
  auto repair = repairs_.begin();
  auto lease = std::upper_bound(capacity_deltas_.begin(), capacity_deltas_.end(), now_,
                                [](std::int64_t t, const auto& d) { return t < d.first; });
  constexpr std::int64_t never = INT64_MAX;
  for (;;) {
    const std::int64_t te = end != by_planned_end_.end() ? end->first : never;
    const std::int64_t tr = repair != repairs_.end() ? repair->first : never;
    const std::int64_t tl = lease != capacity_deltas_.end() ? lease->first : never;
    const std::int64_t t = std::min({te, tr, tl});
    if (t == never) return std::nullopt;
    if (t == te) {
      available += jobs_[static_cast<std::size_t>(end->second)].held_trays;
      ++end;
    } else if (t == tr) {
      ++available;
      ++repair;
    } else {
      available += lease->second;
      ++lease;
    }
    if (available >= trays) return Reservation{t, available - trays};
  }
}

std::int64_t ClusterSimulation::expected_run_ms(int id) const {
  const Job& j = jobs_[static_cast<std::size_t>(id)];
  const std::int64_t left = j.work_ms - j.saved_ms;
  const std::int64_t wall =
      j.slowdown == 1.0 ? left : static_cast<std::int64_t>(std::ceil(static_cast<double>(left) * j.slowdown));
  return j.cycle.wall_for(wall) + (j.has_run ? j.restart_ms : 0);
}

std::vector<SchedulerView::Running> ClusterSimulation::running() const {
  std::vector<Running> out;
  out.reserve(running_ids_.size());
  for (int id : running_ids_) {
    const Job& j = jobs_[static_cast<std::size_t>(id)];
    out.push_back({id, j.planned_end, j.held_trays, tickets_[static_cast<std::size_t>(id)].priority});
  }
  return out;
}

bool ClusterSimulation::place_groups(int id, long long groups, bool with_spares) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  const GroupShape shape{j.group_gpus, groups};
  const RackRange range = range_of(j);
  if (!(with_spares ? placement_->choose(inventory_.spares_as_free(), shape, range, takes_)
                    : placement_->choose(inventory_, shape, range, takes_)))
    return false;
  // A placement takes each rack once; only racks the job already holds (a re-placement after a
  // failure) need looking up among its shares: a 65,536-GPU job spans ~900 racks.
  const bool fresh = j.shares.empty();
  for (const RackTake& take : takes_) {
    auto it =
        fresh ? j.shares.end()
              : std::find_if(j.shares.begin(), j.shares.end(), [&](const RackShare& s) { return s.rack == take.rack; });
    if (it == j.shares.end()) {
      j.shares.push_back(RackShare{take.rack, 0, {}, j.per_gpu});
      it = j.shares.end() - 1;
    } else {
      flush_share(j, *it);
    }
    if (with_spares)
      inventory_.take_with_spares(take.rack, take.trays, id, it->trays);
    else
      inventory_.take_free(take.rack, take.trays, id, it->trays);
    it->groups += take.groups;
    j.held_trays += take.trays;
    adjust_held(j, take.rack, take.trays);
  }
  return true;
}

long long ClusterSimulation::spare_group_capacity(int group_gpus) const {
  return spare_group_capacity(group_gpus, RackRange{});
}

long long ClusterSimulation::spare_group_capacity(int group_gpus, const RackRange& range) const {
  long long total = 0;
  for (int r = std::max(0, range.lo); r < std::min(range.hi, inventory_.racks()); ++r)
    total += groups_in(inventory_.free_in(r) + inventory_.spare_in(r), inventory_.gpus_per_tray(), group_gpus);
  return total;
}

bool ClusterSimulation::start(int id) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  if (j.elastic) return start_elastic(id);
  if (j.phase != Phase::waiting) return false;
  if (multi_site_) {
    // The first site that holds it now (without spares first); across sites: all of them.
    int site = site_for(j, false);
    if (site == -2 && j.use_spares) site = site_for(j, true);
    if (site == -2) return false;
    j.site = site;
  } else if (!within_allowance(j, trays_needed(id))) {
    return false;
  }
  bool placed = place_groups(id, j.groups);
  if (!placed && j.use_spares && spare_group_capacity(j.group_gpus, range_of(j)) >= j.groups)
    placed = place_groups(id, j.groups, true);
  if (!placed) {
    j.site = -1;
    return false;
  }
  if (!input_.sites.empty()) {  // a scenario's sites, even one: the result names where it ran
    const std::string here =
        j.across ? std::string("across sites") : sites_[static_cast<std::size_t>(multi_site_ ? j.site : 0)].name;
    if (j.site_label.empty())
      j.site_label = here;
    else if (j.site_label.find(here) == std::string::npos)
      j.site_label += ", " + here;
  }
  j.use_spares = false;
  waiting_.erase(id);
  running_ids_.push_back(id);
  storage_dirty_ = true;
  storage_joined_.push_back(id);
  j.phase = Phase::running;
  if (!j.first_start) j.first_start = now_;
  open_segment(id, j.has_run);
  j.has_run = true;
  return true;
}

void ClusterSimulation::requeue_front(int id) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  j.phase = Phase::waiting;
  if (j.elastic) j.groups = j.min_groups;  // it may restart on as little as its minimum
  waiting_.push_front(id, priority(id));
  dirty_ = true;
}

void ClusterSimulation::preempt(int id) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  if (j.phase != Phase::running) return;
  close_segment(id, SegmentEnd::preemption);
  release_all(id);
  requeue_front(id);
}

// --- segments and accounting -----------------------------------------------------------------------

// Only a change in the jobs that send over a fabric that can contend (FabricContention::can_contend)
// calls for a joint solve.
void ClusterSimulation::mark_fabric(const Job& j) {
  if (!fabric_ || !fabric_->can_contend() || !j.profile || j.profile->scale_out_s <= 0) return;
  fabric_dirty_ = true;
}

double ClusterSimulation::work_between(const Job& j, std::int64_t a, std::int64_t b) const {
  const std::int64_t r = j.run_origin;
  double work = 0;
  for (std::size_t k = 0; k < j.pieces.size(); ++k) {
    const Piece& p = j.pieces[k];
    const std::int64_t from = std::max(a, std::max(r, p.from));
    const std::int64_t to = std::min(b, k + 1 < j.pieces.size() ? j.pieces[k + 1].from : b);
    if (to <= from) continue;
    const auto trained = static_cast<double>(p.cycle.compute_in(to - p.origin) - p.cycle.compute_in(from - p.origin));
    work += p.slowdown == 1.0 ? trained : trained / p.slowdown;
  }
  return work;
}

std::size_t ClusterSimulation::piece_at(const Job& j, std::int64_t t) {
  std::size_t k = j.pieces.size() - 1;
  while (k > 0 && j.pieces[k].from > t) --k;
  return k;
}

std::size_t ClusterSimulation::split_piece(Job& j, std::int64_t t) {
  const std::size_t k = piece_at(j, t);
  if (j.pieces[k].from >= t) return k;
  Piece next = j.pieces[k];
  next.from = t;
  j.pieces.insert(j.pieces.begin() + static_cast<std::ptrdiff_t>(k + 1), next);
  return k + 1;
}

std::int64_t ClusterSimulation::committed_end(const Job& j, std::int64_t e) {
  // A checkpoint's stall ends at a boundary origin + m·period of its piece (a boundary at the start
  // of a piece belongs to the piece before, whose write it is); it commits a commit lag later.
  std::int64_t best = j.run_origin;
  for (std::size_t k = 0; k < j.pieces.size(); ++k) {
    const Piece& p = j.pieces[k];
    const std::int64_t P = p.cycle.period();
    std::int64_t top = e - p.cycle.commit_lag_ms;
    if (k + 1 < j.pieces.size()) top = std::min(top, j.pieces[k + 1].from);
    if (top <= p.from) continue;
    const std::int64_t last = (top - p.origin) / P, first = (p.from - p.origin) / P + 1;
    if (last >= first) best = std::max(best, p.origin + last * P);
  }
  return best;
}

void ClusterSimulation::book_training(Job& j, GpuState state, std::int64_t gpus, std::int64_t a, std::int64_t b) {
  const std::int64_t r = j.run_origin;
  const double tokens_per_ms = state == GpuState::productive ? j.profile->tokens_per_s / 1000.0 : 0.0;
  for (std::size_t k = 0; k < j.pieces.size(); ++k) {
    const Piece& p = j.pieces[k];
    const std::int64_t from = std::max(a, std::max(r, p.from));
    const std::int64_t to = std::min(b, k + 1 < j.pieces.size() ? j.pieces[k + 1].from : b);
    if (to <= from) continue;
    const double f = p.slowdown;
    book_.book_job_cycle(j.tenant, p.cycle, p.origin, state, gpus, from, to, j.per_gpu,
                         f == 1.0 ? tokens_per_ms : tokens_per_ms / f);
    const std::int64_t trained = p.cycle.compute_in(to - p.origin) - p.cycle.compute_in(from - p.origin);
    j.compute_wall_ms += trained;
    j.slowed_wall_ms += static_cast<double>(trained) * f;
    if (trained > 0) {
      const CheckpointCycle& c = p.cycle;
      if (j.rhythm_ms == 0)
        j.first_rhythm = c;
      else if (c.write_s != j.first_rhythm.write_s || c.interval_ms != j.first_rhythm.interval_ms ||
               c.stall_s != j.first_rhythm.stall_s)
        j.rhythm_varied = true;
      const auto w = static_cast<double>(trained);
      j.rhythm_ms += w;
      j.write_s_ms += w * c.write_s;
      j.interval_s_ms += w * static_cast<double>(c.interval_ms) / 1000.0;
      j.stall_s_ms += w * c.stall_s;
      j.write_max_s = std::max(j.write_max_s, c.write_s);
    }
  }
}

// The planned end of the current segment: training already done in it, plus the rest of the job's
// work at its current slowdown, laid on the checkpoint rhythm from the segment's origin.
void ClusterSimulation::plan_completion(int id) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  const std::int64_t from = std::max(now_, j.run_origin);
  double left = static_cast<double>(j.work_ms - j.saved_ms) - work_between(j, j.run_origin, from);
  // Piece by piece from `from`: the work each can hold until the next begins; the last one is open.
  std::int64_t end = from;
  for (std::size_t k = piece_at(j, from); left > 0; ++k) {
    const Piece& p = j.pieces[k];
    const std::int64_t done = p.cycle.compute_in(std::max(from, p.from) - p.origin);
    if (k + 1 < j.pieces.size()) {
      const auto room = static_cast<double>(p.cycle.compute_in(j.pieces[k + 1].from - p.origin) - done);
      const double can = p.slowdown == 1.0 ? room : room / p.slowdown;
      if (can < left) {
        left -= can;
        continue;
      }
    }
    const std::int64_t more = p.slowdown == 1.0 ? static_cast<std::int64_t>(std::ceil(left))
                                                : static_cast<std::int64_t>(std::ceil(left * p.slowdown));
    end = p.origin + p.cycle.wall_for(done + more);
    break;
  }
  j.planned_end = std::max(from, end);
  by_planned_end_.emplace(j.planned_end, id);
  ++j.epoch;
  if (j.planned_end < grid_.horizon_ms) {
    const bool earliest = completions_.empty() || j.planned_end < completions_.top().t;
    completions_.push(Completion{j.planned_end, id, j.epoch});
    if (earliest && on_earlier_completion) on_earlier_completion();
  }
}

void ClusterSimulation::open_segment(int id, bool restart) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  j.segment_start = now_;
  j.run_origin = now_ + (restart ? j.restart_ms : 0);
  j.pieces.assign(1, Piece{j.run_origin, j.slowdown, j.run_origin, j.cycle});
  ++j.placement_version;
  mark_fabric(j);
  plan_completion(id);
}

void ClusterSimulation::set_slowdown(int id, double slowdown) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  j.slowdown = slowdown;
  for (std::size_t k = now_ <= j.run_origin ? 0 : split_piece(j, now_); k < j.pieces.size(); ++k)
    j.pieces[k].slowdown = slowdown;
  by_planned_end_.erase({j.planned_end, id});
  plan_completion(id);  // the old planned completion is void (new epoch)
}

void ClusterSimulation::set_rhythm(int id, const CheckpointCycle& cycle) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  j.cycle = cycle;
  std::int64_t at = j.run_origin;
  std::size_t k = 0;
  if (now_ > j.run_origin) {
    // The next boundary (the end of a stall; training resumes there) of the rhythm it follows now.
    const Piece& p = j.pieces[piece_at(j, now_)];
    const std::int64_t P = p.cycle.period();
    at = p.origin + (now_ - p.origin + P - 1) / P * P;
    k = split_piece(j, at);
  }
  for (; k < j.pieces.size(); ++k) {
    j.pieces[k].origin = at;
    j.pieces[k].cycle = cycle;
  }
  by_planned_end_.erase({j.planned_end, id});
  plan_completion(id);
}

double ClusterSimulation::duty_of(const CheckpointCycle& c) {
  const double period_s = static_cast<double>(c.period()) / 1000.0;
  return period_s > 0 ? std::min(1.0, c.write_s / period_s) : 0.0;
}

void ClusterSimulation::share_storage() {
  storage_dirty_ = false;
  const double B = input_.cluster.storage.write_bandwidth;
  // A job starting or ending moves each other writer's share by at most half its duty. While those
  // moves add up to less than the tolerance since the last full solve, only the jobs that just
  // started take their share, against the rhythms the others follow now (one pass, no iteration).
  if (B > 0 && !running_ids_.empty() && storage_drift_ < storage_tolerance) {
    storage_duties_.clear();
    for (int id : running_ids_) storage_duties_.push_back(duty_of(jobs_[static_cast<std::size_t>(id)].cycle));
    const std::vector<double> f = expected_share_fractions(storage_duties_);
    double drift = storage_drift_;
    storage_pending_.clear();
    for (std::size_t k = 0; k < running_ids_.size() && drift < storage_tolerance; ++k) {
      const int id = running_ids_[k];
      if (std::find(storage_joined_.begin(), storage_joined_.end(), id) == storage_joined_.end()) continue;
      const Job& j = jobs_[static_cast<std::size_t>(id)];
      const CheckpointDemand& d = j.demand;
      const double b = B * f[k];
      const CheckpointCycle c = resolve_checkpoint(tickets_[static_cast<std::size_t>(id)].checkpoint, d.params, d.gpus,
                                                   d.nodes, d.failures_per_node_s, input_.cluster, d.work_s, b);
      drift += duty_of(c) / 2;
      storage_pending_.push_back({id, b, c});
    }
    if (drift < storage_tolerance) {
      storage_drift_ = drift;
      storage_joined_.clear();
      for (const PendingShare& p : storage_pending_) {
        jobs_[static_cast<std::size_t>(p.job)].storage_share = p.share;
        take_share(p.job, p.cycle);
      }
      return;
    }
  }
  storage_drift_ = 0;
  storage_joined_.clear();
  storage_demands_.clear();
  storage_ids_.clear();
  storage_start_.clear();
  for (int id : running_ids_) {
    const Job& j = jobs_[static_cast<std::size_t>(id)];
    CheckpointDemand d = j.demand;
    d.policy = &tickets_[static_cast<std::size_t>(id)].checkpoint;
    storage_demands_.push_back(d);
    storage_ids_.push_back(id);
    storage_start_.push_back(j.storage_share);  // warm start: its share at the last solve (0: none yet)
  }
  if (storage_demands_.empty()) return;
  ++storage_resolves;
  const SharedWrites shared = share_storage_writes(storage_demands_, input_.cluster, &storage_start_);
  for (std::size_t i = 0; i < storage_ids_.size(); ++i) {
    jobs_[static_cast<std::size_t>(storage_ids_[i])].storage_share = shared.share[i];
    take_share(storage_ids_[i], shared.cycles[i]);
  }
}

void ClusterSimulation::take_share(int id, const CheckpointCycle& c) {
  const Job& j = jobs_[static_cast<std::size_t>(id)];
  if (c.interval_ms == j.cycle.interval_ms && c.stall_ms == j.cycle.stall_ms &&
      c.commit_lag_ms == j.cycle.commit_lag_ms)
    return;
  if (std::abs(c.write_s - j.cycle.write_s) <= storage_tolerance * j.cycle.write_s) return;
  set_rhythm(id, c);
}

void ClusterSimulation::close_segment(int id, SegmentEnd how) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  const std::int64_t a = j.segment_start, r = j.run_origin, e = now_;
  const std::int64_t gpus = j.held_trays * inventory_.gpus_per_tray();
  const StateMs before = j.per_gpu;
  const std::int64_t saved_before = j.saved_ms;
  by_planned_end_.erase({j.planned_end, id});
  note_month_use(j, gpus, a, e);
  book_.book_job(j.tenant, GpuState::restarting, gpus, a, std::min(r, e), j.per_gpu);
  if (e > r) {
    // The end of the last checkpoint whose write had finished by e (async: stall + commit lag).
    const std::int64_t committed = committed_end(j, e);
    switch (how) {
      case SegmentEnd::completion:
      case SegmentEnd::preemption:
        book_training(j, GpuState::productive, gpus, r, e);
        j.saved_ms = std::min(j.work_ms, j.saved_ms + static_cast<std::int64_t>(std::llround(work_between(j, r, e))));
        break;
      case SegmentEnd::horizon:
        book_training(j, GpuState::productive, gpus, r, e);
        j.saved_ms =
            std::min(j.work_ms, j.saved_ms + static_cast<std::int64_t>(std::llround(work_between(j, r, committed))));
        break;
      case SegmentEnd::failure:
        // Training after the last completed checkpoint is rolled back.
        book_training(j, GpuState::productive, gpus, r, committed);
        book_training(j, GpuState::lost, gpus, committed, e);
        j.saved_ms =
            std::min(j.work_ms, j.saved_ms + static_cast<std::int64_t>(std::llround(work_between(j, r, committed))));
        break;
    }
  }
  const auto lost = static_cast<std::size_t>(GpuState::lost),
             restarting = static_cast<std::size_t>(GpuState::restarting);
  j.lost_gpu_ms += gpus * (j.per_gpu[lost] - before[lost] + j.per_gpu[restarting] - before[restarting]);
  if (j.elastic && !j.spans.empty()) {
    SizeSpan& span = j.spans.back();
    span.to = e;
    span.gpu_ms += gpus * (e - a);
    if (j.work_ms > 0)
      span.tokens += static_cast<double>(j.saved_ms - saved_before) / static_cast<double>(j.work_ms) * j.size_tokens;
  }
  ++j.epoch;  // any planned completion of this segment is void
  mark_fabric(j);
}

void ClusterSimulation::flush_share(Job& j, RackShare& s) {
  StateMs delta{};
  bool any = false;
  for (std::size_t k = 0; k < delta.size(); ++k) {
    delta[k] = j.per_gpu[k] - s.booked[k];
    any = any || delta[k] != 0;
  }
  if (any) book_.book_rack(s.rack, delta, static_cast<std::int64_t>(s.trays.size()) * inventory_.gpus_per_tray());
  s.booked = j.per_gpu;
}

void ClusterSimulation::release_share(int id, RackShare& s) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  flush_share(j, s);
  inventory_.release_in_rack(s.trays);
  j.held_trays -= static_cast<long long>(s.trays.size());
  adjust_held(j, s.rack, -static_cast<long long>(s.trays.size()));
  s.trays.clear();
  s.groups = 0;
}

void ClusterSimulation::release_all(int id) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  for (RackShare& s : j.shares) release_share(id, s);
  j.shares.clear();
  j.held_trays = 0;
  j.site = -1;
  running_ids_.erase(std::find(running_ids_.begin(), running_ids_.end(), id));
  storage_dirty_ = true;
  storage_drift_ += duty_of(j.cycle) / 2;  // what its leaving frees for each other writer, at most
}

// --- failures ---------------------------------------------------------------------------------------

void ClusterSimulation::interrupt(int id, const std::vector<long long>& lost_trays) {
  Job& j = jobs_[static_cast<std::size_t>(id)];
  close_segment(id, SegmentEnd::failure);
  ++j.interruptions;
  const int G = inventory_.gpus_per_tray();
  std::vector<int> affected;
  for (long long tray : lost_trays) {
    const int rack = inventory_.rack_of(tray);
    for (RackShare& s : j.shares) {
      if (s.rack != rack) continue;
      const auto it = std::find(s.trays.begin(), s.trays.end(), tray);
      if (it == s.trays.end()) break;
      flush_share(j, s);
      s.trays.erase(it);
      inventory_.release(tray);  // stays out of service
      --j.held_trays;
      adjust_held(j, rack, -1);
      if (std::find(affected.begin(), affected.end(), rack) == affected.end()) affected.push_back(rack);
      break;
    }
  }
  // Replacement capacity: spares of the same rack, then its free trays; else the rack's groups move.
  long long displaced = 0;
  for (int rack : affected) {
    RackShare& s = *std::find_if(j.shares.begin(), j.shares.end(), [&](const RackShare& x) { return x.rack == rack; });
    const auto need = static_cast<std::size_t>(trays_for(s.groups, G, j.group_gpus));
    while (s.trays.size() < need) {
      const long long spare = inventory_.take_spare(rack, id);
      if (spare < 0) break;
      s.trays.push_back(spare);
      ++j.held_trays;
      adjust_held(j, rack, 1);
    }
    const auto missing = static_cast<int>(need - std::min(need, s.trays.size()));
    if (missing > 0 && inventory_.free_in(rack) >= missing) {
      inventory_.take_free(rack, missing, id, s.trays);
      j.held_trays += missing;
      adjust_held(j, rack, missing);
    }
    if (s.trays.size() < need) {
      displaced += s.groups;
      release_share(id, s);
    }
  }
  std::erase_if(j.shares, [](const RackShare& s) { return s.trays.empty(); });
  if (displaced > 0 && !place_groups(id, displaced)) {
    release_all(id);
    j.use_spares = true;
    requeue_front(id);
    return;
  }
  open_segment(id, true);
}

void ClusterSimulation::note_repair(long long tray, std::int64_t t) {
  if (repair_at_.empty()) repair_at_.assign(static_cast<std::size_t>(inventory_.trays()), -1);
  std::int64_t& at = repair_at_[static_cast<std::size_t>(tray)];
  if (at >= 0) repairs_.erase({at, tray});
  at = std::max(at, t);
  repairs_.emplace(at, tray);
}

void ClusterSimulation::forget_repair(long long tray) {
  if (repair_at_.empty()) return;
  std::int64_t& at = repair_at_[static_cast<std::size_t>(tray)];
  if (at >= 0) repairs_.erase({at, tray});
  at = -1;
}

void ClusterSimulation::fail_tray(long long tray, std::vector<long long>& hit) {
  inventory_.take_down(tray);
  if (inventory_.job_of(tray) >= 0) hit.push_back(tray);
}

void ClusterSimulation::outage(const Outage& o) {
  set_now(o.t);
  ++events;
  dirty_ = true;
  const int T = inventory_.trays_per_rack();
  auto interrupt_trays = [&](std::vector<long long>& hit) {
    // One interruption per job, with all of its trays that went down at this instant.
    std::stable_sort(hit.begin(), hit.end(),
                     [&](long long a, long long b) { return inventory_.job_of(a) < inventory_.job_of(b); });
    std::size_t k = 0;
    while (k < hit.size()) {
      const int job = inventory_.job_of(hit[k]);
      std::vector<long long> mine;
      while (k < hit.size() && inventory_.job_of(hit[k]) == job) mine.push_back(hit[k++]);
      interrupt(job, mine);
    }
  };
  auto rack_down = [&](int rack) {
    std::vector<long long> hit;
    for (long long t = static_cast<long long>(rack) * T; t < static_cast<long long>(rack + 1) * T; ++t)
      fail_tray(t, hit);
    interrupt_trays(hit);
  };
  auto rack_up = [&](int rack) {
    for (long long t = static_cast<long long>(rack) * T; t < static_cast<long long>(rack + 1) * T; ++t)
      inventory_.bring_up(t);
  };
  switch (o.kind) {
    case OutageEvent::maintenance_start:
      rack_down(static_cast<int>(o.unit));
      return;
    case OutageEvent::maintenance_end:
      rack_up(static_cast<int>(o.unit));
      return;
    case OutageEvent::failure:
    case OutageEvent::repair:
      break;
  }
  const FailureProcess& fp = input_.failures.processes[static_cast<std::size_t>(o.process)];
  const long long tray = o.tray;
  const int rack = inventory_.rack_of(tray);
  if (o.kind == OutageEvent::repair) {
    if (fp.component == Component::rack_power) {
      rack_power_down_[static_cast<std::size_t>(rack)] = 0;
      rack_up(rack);
    } else {
      inventory_.bring_up(tray);
    }
    if (fp.component == Component::rack_power) {
      for (long long u = static_cast<long long>(rack) * T; u < static_cast<long long>(rack + 1) * T; ++u)
        forget_repair(u);
    } else {
      forget_repair(tray);
    }
    injector_.renew(o.process, o.unit, now_);
    return;
  }
  auto count = [&] {
    ++failures_;
    ++failures_by_category_[fp.category.empty() ? to_string(fp.component) : fp.category];
  };
  switch (fp.component) {
    case Component::gpu:
    case Component::node:
    case Component::nic: {
      if (inventory_.is_down(tray) || !inventory_.in_service(tray)) break;  // thinning: only in-service units fail
      count();
      std::vector<long long> hit;
      fail_tray(tray, hit);
      interrupt_trays(hit);
      note_repair(tray, now_ + injector_.schedule_repair(o.process, o.unit, now_));
      return;
    }
    case Component::rack_power: {
      if (rack_power_down_[static_cast<std::size_t>(rack)] != 0 || inventory_.out_in(rack) == T) break;
      count();
      rack_power_down_[static_cast<std::size_t>(rack)] = 1;
      rack_down(rack);
      const std::int64_t back = now_ + injector_.schedule_repair(o.process, o.unit, now_);
      for (long long u = static_cast<long long>(rack) * T; u < static_cast<long long>(rack + 1) * T; ++u)
        note_repair(u, back);
      return;
    }
    case Component::nvlink_switch: {
      // The rack stays in service at 8/9 of its NVLink bandwidth until the switch tray is swapped
      // (not modelled: an assumption); the jobs on the rack restart once as NCCL rebuilds its rings.
      if (inventory_.out_in(rack) == T) break;
      std::vector<int> jobs;
      for (long long t = static_cast<long long>(rack) * T; t < static_cast<long long>(rack + 1) * T; ++t) {
        const int job = inventory_.job_of(t);
        if (job >= 0 && std::find(jobs.begin(), jobs.end(), job) == jobs.end()) jobs.push_back(job);
      }
      count();
      for (int job : jobs) interrupt(job, {});
      break;
    }
    case Component::switch_cable:
    case Component::software: {
      const int job = inventory_.job_of(tray);
      if (job < 0 || inventory_.is_down(tray)) break;
      // A fabric fault only interrupts jobs whose traffic crosses the fabric (more than one rack).
      if (fp.component == Component::switch_cable && jobs_[static_cast<std::size_t>(job)].shares.size() < 2) break;
      count();
      interrupt(job, {});
      break;
    }
  }
  injector_.renew(o.process, o.unit, now_);
}

// --- completions --------------------------------------------------------------------------------------

std::optional<std::int64_t> ClusterSimulation::next_completion() {
  while (!completions_.empty()) {
    const Completion& c = completions_.top();
    const Job& j = jobs_[static_cast<std::size_t>(c.job)];
    if (j.phase == Phase::running && j.epoch == c.epoch) return c.t;
    completions_.pop();
  }
  return std::nullopt;
}

int ClusterSimulation::complete_due(std::int64_t t) {
  set_now(t);
  int done = 0;
  while (const auto next = next_completion()) {
    if (*next > t) break;
    const int id = completions_.top().job;
    completions_.pop();
    ++events;
    Job& j = jobs_[static_cast<std::size_t>(id)];
    close_segment(id, SegmentEnd::completion);
    release_all(id);
    j.phase = Phase::done;
    j.end = now_;
    book_.add_completion(j.tenant, now_);
    dirty_ = true;
    ++done;
    if (chains_) release_successors(id);
  }
  return done;
}

// --- flow fidelity: the shared fabric --------------------------------------------------------------

bool ClusterSimulation::fabric_probe() {
  fabric_dirty_ = false;
  fabric_->clear();
  const long long G = inventory_.gpus_per_tray(), D = std::max(1, fabric_->tree().domain_gpus);
  for (int id : running_ids_) {
    Job& j = jobs_[static_cast<std::size_t>(id)];
    const JobProfile& p = *j.profile;
    if (p.scale_out_s <= 0 || p.ranks_per_domain <= 0) continue;
    if (j.ring_version != j.placement_version) {  // its trays by domain, once per placement
      j.ring_domains.clear();
      for (const RackShare& s : j.shares)
        for (long long t : s.trays) j.ring_domains.emplace_back(t * G / D, G);
      std::sort(j.ring_domains.begin(), j.ring_domains.end());
      std::size_t n = 0;
      for (std::size_t k = 0; k < j.ring_domains.size(); ++k) {
        if (n > 0 && j.ring_domains[n - 1].first == j.ring_domains[k].first)
          j.ring_domains[n - 1].second += j.ring_domains[k].second;
        else
          j.ring_domains[n++] = j.ring_domains[k];
      }
      j.ring_domains.resize(n);
      j.ring_version = j.placement_version;
    }
    ring_domains_ = j.ring_domains;
    // Its placement stands for the ring: a rhythm or rate change re-plans the completion (a new
    // epoch) without touching the ring, so it must not void the solve.
    fabric_->add_ring(id, j.placement_version, ring_domains_, p.scale_out_s, p.ranks_per_domain);
  }
  return !fabric_->empty();
}

void ClusterSimulation::apply_fabric() {
  ++fabric_resolves;
  const auto stretches =
      fabric_->stretches([this](int id) { return jobs_[static_cast<std::size_t>(id)].placement_version; });
  for (const FabricContention::Stretch& s : stretches) {
    Job& j = jobs_[static_cast<std::size_t>(s.job)];
    if (j.phase != Phase::running || j.profile->step_time_s <= 0) continue;
    const double f = FabricContention::slowdown(steps_, *j.profile, s.stretch);
    if (fabric_->moves(j.slowdown, f)) set_slowdown(s.job, f);
  }
}

}  // namespace leasesim::cluster
