// The waiting jobs, kept in the two orders the batch policies read (scheduler.hpp):
//   queue order     submission order, except that a job which lost its allocation (a failure left
//                   it without replacement capacity, a preemption, a lease change) goes back to the
//                   front: push_back on arrival, push_front on requeue
//   priority order  larger priority first, ties in queue order (what a stable sort of the queue by
//                   priority gives)
// Both orders are ordered sets updated on insert and remove, O(log Q) each, so a scheduling pass
// reads the head and the first backfill candidates without sorting the queue: a backlog of 100,000
// jobs costs a pass what a backlog of 300 does. The first `window` entries of each order are also
// kept in a flat array, updated with the sets, so reading the head and the candidates walks no tree.
// A job's priority is fixed for its life (its ticket's), so no entry ever needs re-keying.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <vector>

namespace leasesim::cluster {

class WaitingQueue {
 public:
  // `window`: how many of each order first() and first_by_priority() read without a tree walk (the
  // schedulers read a head and EasyBackfillScheduler::max_backfill_candidates behind it).
  explicit WaitingQueue(std::size_t window = 257) : window_(window) {}

  bool empty() const { return queue_.empty(); }
  std::size_t size() const { return queue_.size(); }
  bool contains(int job) const;

  void push_back(int job, int priority);   // joins at the back of the queue order
  void push_front(int job, int priority);  // joins at the front of the queue order
  void erase(int job);                     // no effect when the job is not waiting

  int front() const { return queue_window_.front().job; }   // first in queue order; requires !empty()
  int top() const { return priority_window_.front().job; }  // first in priority order; requires !empty()
  // The first `n` jobs (all of them when fewer wait) into `out`, replacing its contents.
  void first(std::size_t n, std::vector<int>& out) const;
  void first_by_priority(std::size_t n, std::vector<int>& out) const;

 private:
  struct Entry {
    int priority;
    std::int64_t seq;  // position in the queue order: back pushes count up, front pushes down
    int job;
  };
  struct QueueOrder {
    bool operator()(const Entry& a, const Entry& b) const { return a.seq < b.seq; }
  };
  struct PriorityOrder {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.priority != b.priority ? a.priority > b.priority : a.seq < b.seq;
    }
  };
  void insert(int job, int priority, std::int64_t seq);
  // Keeps `w` equal to the first window_ entries of `set` after `e` was inserted into / erased from it.
  template <class Order>
  void window_insert(std::vector<Entry>& w, const std::set<Entry, Order>& set, const Entry& e);
  template <class Order>
  void window_erase(std::vector<Entry>& w, const std::set<Entry, Order>& set, const Entry& e);

  std::size_t window_;
  std::set<Entry, QueueOrder> queue_;
  std::set<Entry, PriorityOrder> by_priority_;
  std::vector<Entry> queue_window_, priority_window_;  // the first window_ of each set, in order
  std::vector<Entry> entry_of_;                        // by job id; seq = kAbsent when not waiting
  std::int64_t next_back_ = 0, next_front_ = -1;
  static constexpr std::int64_t kAbsent = INT64_MIN;
};

}  // namespace leasesim::cluster
