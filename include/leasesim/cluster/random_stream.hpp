// Reproducible random numbers for the cluster simulation. Every source of randomness (arrivals of
// each job class, each failure process, repair times) draws from its own stream, seeded from the
// simulation seed and a stream number with SplitMix64, so that changing one part of a scenario
// (say the scheduler) leaves the failures and arrivals of the others identical — common random
// numbers for comparisons. The generator is std::mt19937_64 (fully specified by the standard); the
// transforms to exponential, Weibull and lognormal draws are written here rather than taken from
// <random>, whose distributions may differ between standard libraries.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

#include "leasesim/cluster/inputs.hpp"

namespace leasesim::cluster {

// SplitMix64 (Steele, Lea, Flood 2014): a bijective mixer, used to derive seeds.
std::uint64_t splitmix64(std::uint64_t x);

// The seed of replication `index` (0 = the scenario's own seed).
std::uint64_t replication_seed(std::uint64_t seed, int index);

// The stream number of a quantity sampled per replication, keyed by what it belongs to and its name
// ("job", "pretrain-2t", "tokens"): FNV-1a 64 over the three, mixed, with the top bit set so it never
// meets the simulation's numbered streams. A quantity drawn from RandomStream(replication seed,
// sample_stream(...)) is the same in two scenarios that differ in anything but that seed and key
// (common random numbers), and adding a sampled job does not move another job's draws.
std::uint64_t sample_stream(std::string_view owner_kind, std::string_view owner, std::string_view quantity);

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint64_t stream);

  double uniform();       // in [0, 1), 53 random bits
  double uniform_open();  // in (0, 1)
  double exponential(double mean);
  double weibull(double mean, double shape);
  double lognormal(double mean, double sigma);  // mean of the variable, sigma of ln(x)
  double standard_normal();
  double draw(const DurationDistribution& d);  // a duration of that distribution (≥ 0)
  std::uint64_t below(std::uint64_t n);        // uniform integer in [0, n), n > 0

 private:
  std::mt19937_64 engine_;
};

}  // namespace leasesim::cluster
