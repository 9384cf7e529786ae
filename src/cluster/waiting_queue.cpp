// The waiting jobs in queue and priority order (see waiting_queue.hpp).
#include "leasesim/cluster/waiting_queue.hpp"

namespace leasesim::cluster {

bool WaitingQueue::contains(int job) const {
  const auto j = static_cast<std::size_t>(job);
  return job >= 0 && j < entry_of_.size() && entry_of_[j].seq != kAbsent;
}

void WaitingQueue::insert(int job, int priority, std::int64_t seq) {
  const auto j = static_cast<std::size_t>(job);
  if (j >= entry_of_.size()) entry_of_.resize(j + 1, Entry{0, kAbsent, -1});
  const Entry e{priority, seq, job};
  entry_of_[j] = e;
  queue_.insert(seq >= 0 ? queue_.end() : queue_.begin(), e);  // the new last, or the new first
  by_priority_.insert(e);
}

void WaitingQueue::push_back(int job, int priority) {
  if (contains(job)) return;
  insert(job, priority, next_back_++);
}

void WaitingQueue::push_front(int job, int priority) {
  if (contains(job)) return;
  insert(job, priority, next_front_--);
}

void WaitingQueue::erase(int job) {
  if (!contains(job)) return;
  Entry& e = entry_of_[static_cast<std::size_t>(job)];
  queue_.erase(e);
  by_priority_.erase(e);
  e.seq = kAbsent;
}

void WaitingQueue::first(std::size_t n, std::vector<int>& out) const {
  out.clear();
  for (auto it = queue_.begin(); it != queue_.end() && out.size() < n; ++it) out.push_back(it->job);
}

void WaitingQueue::first_by_priority(std::size_t n, std::vector<int>& out) const {
  out.clear();
  for (auto it = by_priority_.begin(); it != by_priority_.end() && out.size() < n; ++it) out.push_back(it->job);
}

}  // namespace leasesim::cluster
