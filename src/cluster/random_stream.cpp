// Reproducible random streams (see random_stream.hpp).
#include "leasesim/cluster/random_stream.hpp"

#include <cmath>

namespace leasesim::cluster {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::uint64_t replication_seed(std::uint64_t seed, int index) {
  if (index == 0) return seed;
  return splitmix64(seed ^ splitmix64(0x5EEDull + static_cast<std::uint64_t>(index)));
}

std::uint64_t sample_stream(std::string_view owner_kind, std::string_view owner, std::string_view quantity) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  auto add = [&h](std::string_view text) {
    for (const char c : text) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001B3ull;
    }
    h ^= 0xFF;  // a separator no UTF-8 text holds
    h *= 0x100000001B3ull;
  };
  add(owner_kind);
  add(owner);
  add(quantity);
  return splitmix64(h) | (1ull << 63);
}

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t stream)
    : engine_(splitmix64(splitmix64(seed) ^ splitmix64(stream * 0xD1B54A32D192ED03ull + 1))) {}

double RandomStream::uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

double RandomStream::uniform_open() {
  double u = 0;
  while (u == 0) u = uniform();
  return u;
}

double RandomStream::exponential(double mean) { return -mean * std::log(uniform_open()); }

double RandomStream::weibull(double mean, double shape) {
  // Scale λ so that the mean λ·Γ(1 + 1/k) equals `mean`.
  const double scale = mean / std::tgamma(1.0 + 1.0 / shape);
  return scale * std::pow(-std::log(uniform_open()), 1.0 / shape);
}

double RandomStream::standard_normal() {
  // Box–Muller, one of the pair (the other is dropped to keep the stream stateless).
  const double u1 = uniform_open(), u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
}

double RandomStream::lognormal(double mean, double sigma) {
  // E[X] = exp(mu + sigma²/2) → mu = ln(mean) − sigma²/2.
  const double mu = std::log(mean) - 0.5 * sigma * sigma;
  return std::exp(mu + sigma * standard_normal());
}

double RandomStream::draw(const DurationDistribution& d) {
  if (d.mean_s <= 0) return 0;
  switch (d.kind) {
    case Distribution::fixed:
      return d.mean_s;
    case Distribution::exponential:
      return exponential(d.mean_s);
    case Distribution::weibull:
      return weibull(d.mean_s, d.shape > 0 ? d.shape : 1.0);
    case Distribution::lognormal:
      return lognormal(d.mean_s, d.shape > 0 ? d.shape : 1.0);
  }
  return d.mean_s;
}

std::uint64_t RandomStream::below(std::uint64_t n) {
  // Lemire-free rejection: unbiased and portable.
  const std::uint64_t limit = ~0ull - (~0ull % n);
  std::uint64_t x = engine_();
  while (x >= limit) x = engine_();
  return x % n;
}

}  // namespace leasesim::cluster
