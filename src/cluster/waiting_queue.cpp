// The waiting jobs in queue and priority order (see waiting_queue.hpp).
#include "leasesim/cluster/waiting_queue.hpp"

#include <algorithm>

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
  window_insert(queue_window_, queue_, e);
  window_insert(priority_window_, by_priority_, e);
}

template <class Order>
void WaitingQueue::window_insert(std::vector<Entry>& w, const std::set<Entry, Order>& set, const Entry& e) {
  const Order before{};
  if (w.size() < window_ && w.size() + 1 == set.size()) {  // the window held the whole set
    w.insert(std::upper_bound(w.begin(), w.end(), e, before), e);
  } else if (!w.empty() && before(e, w.back())) {
    w.insert(std::upper_bound(w.begin(), w.end(), e, before), e);
    w.pop_back();
  }
}

template <class Order>
void WaitingQueue::window_erase(std::vector<Entry>& w, const std::set<Entry, Order>& set, const Entry& e) {
  const Order before{};
  const auto it = std::lower_bound(w.begin(), w.end(), e, before);
  if (it == w.end() || before(e, *it)) return;  // beyond the window: the window is unchanged
  const Entry last = w.back();
  w.erase(it);
  if (set.size() > w.size()) {  // refill from the set: the entry after the window's old last
    const auto next = set.upper_bound(last.job == e.job ? e : last);
    if (next != set.end()) w.push_back(*next);
  }
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
  window_erase(queue_window_, queue_, e);
  window_erase(priority_window_, by_priority_, e);
  e.seq = kAbsent;
}

void WaitingQueue::first(std::size_t n, std::vector<int>& out) const {
  out.clear();
  if (n <= window_) {
    for (std::size_t k = 0; k < queue_window_.size() && k < n; ++k) out.push_back(queue_window_[k].job);
    return;
  }
  for (auto it = queue_.begin(); it != queue_.end() && out.size() < n; ++it) out.push_back(it->job);
}

void WaitingQueue::first_by_priority(std::size_t n, std::vector<int>& out) const {
  out.clear();
  if (n <= window_) {
    for (std::size_t k = 0; k < priority_window_.size() && k < n; ++k) out.push_back(priority_window_[k].job);
    return;
  }
  for (auto it = by_priority_.begin(); it != by_priority_.end() && out.size() < n; ++it) out.push_back(it->job);
}

}  // namespace leasesim::cluster
