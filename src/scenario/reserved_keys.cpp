// The keys of a reserved lease (lease/reserved.hpp): the monthly commitment, its rate and the
// overage rate.
#include "leasesim/lease/reserved.hpp"
#include "leasesim/scenario/contract_keys.hpp"
#include "leasesim/scenario/plausible.hpp"

namespace leasesim::scenario {

void reserved_keys(Schema<lease::Lease>& s) {
  using T = lease::ReservedTerms;
  Schema<T> terms("reserved terms", "");
  terms
      .quantity("committed_gpu_hours", units::Dimension::count, &T::committed_gpu_hours, Bounds::positive(1e12),
                "GPU-hours committed per calendar month.", Need::required)
      .example(R"(100000000)")
      .money("rate", &T::rate_per_gpu_hour, price_bounds, "Price per committed GPU-hour.", Need::required)
      .example(R"("$6.00")")
      .plausible(plausible::gpu_hour_price())
      .money("overage_rate", &T::overage_per_gpu_hour, price_bounds, "Price per GPU-hour beyond the commitment.",
             Need::required)
      .example(R"("$9.00")")
      .plausible(plausible::gpu_hour_price());
  embed_terms(s, terms);
}

}  // namespace leasesim::scenario
