// A lease's price terms, owned by its contract type (contract_type.hpp). Each type declares its own
// terms struct (FixedMonthlyTerms, ReservedTerms, …) and is its only reader; `Lease::terms` holds one
// as a copyable, type-erased value. The Lease, the ledger and the reports name no type's fields, so
// a new contract type adds no member to any of them.
#pragma once

#include <any>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace leasesim::lease {

class ContractTerms {
 public:
  ContractTerms() = default;
  // Implicit, so a lease's terms are set as `l.terms = ReservedTerms{…}`.
  template <class T, class = std::enable_if_t<!std::is_same_v<std::decay_t<T>, ContractTerms>>>
  ContractTerms(T terms) : value_(std::move(terms)) {}  // NOLINT(google-explicit-constructor)

  // The terms as T. None set: T's defaults, as for a lease whose type's keys are all optional and
  // left out. Terms of another type: std::logic_error (the lease's `type` did not set them).
  template <class T>
  const T& get() const {
    if (!value_.has_value()) {
      static const T defaults{};
      return defaults;
    }
    if (const T* t = std::any_cast<T>(&value_)) return *t;
    throw std::logic_error("a lease's terms belong to another contract type than the one reading them");
  }

  // The terms as T to fill in: those held when they are T, else T's defaults put in their place.
  template <class T>
  T& edit() {
    if (T* t = std::any_cast<T>(&value_)) return *t;
    return value_.emplace<T>();
  }

  bool empty() const { return !value_.has_value(); }

 private:
  std::any value_;
};

}  // namespace leasesim::lease
