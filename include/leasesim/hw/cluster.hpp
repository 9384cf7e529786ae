// A Colossus-2-style cluster as a value: `racks` copies of one rack type, the scale-out fabric
// between them, shared checkpoint storage and the power envelope. Later layers (perf, cluster)
// build their SimGrid platform and their step model from this description.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "leasesim/hw/rack.hpp"

namespace leasesim::hw {

enum class FabricTechnology { infiniband, spectrum_x, ethernet };
const char* to_string(FabricTechnology t);

// Default effective-bandwidth factor of a technology relative to InfiniBand under collective
// traffic. NVIDIA claims ~95% effective data throughput for Spectrum-X vs ~60% for standard
// Ethernet under flow collisions (Colossus 1 announcement; docs/references.md).
// InfiniBand is the reference (1.0): the step model's bus-efficiency constants are fitted on IB/RoCE.
double default_effective_bandwidth_factor(FabricTechnology t);

// The scale-out fabric: a multi-tier fat tree (Clos), rail-optimized or not.
struct FabricSpec {
  FabricTechnology technology = FabricTechnology::infiniband;
  double effective_bandwidth_factor = 1.0;  // fraction of line rate collectives achieve
  double nic_bandwidth = 0;                 // bytes/s per GPU, one direction; defaults to the GPU's NIC
  int tiers = 3;                            // switch levels: leaf, spine, core
  int switch_radix = 64;                    // ports per switch (Quantum-X800: 144 at 800 Gb/s; SN5600: 64 x 800 GbE)
  std::vector<double> oversubscription;     // per tier boundary above the leaf, 1.0 = non-blocking
  bool rail_optimized = true;               // GPU i of every node on leaf (rail) i
  double latency_s = 5e-6;                  // end-to-end one-way latency across the fabric

  // Oversubscription at tier boundary `level` (0 = leaf→spine); 1.0 where not given.
  double oversubscription_at(int level) const {
    return level >= 0 && level < static_cast<int>(oversubscription.size()) ? oversubscription[level] : 1.0;
  }

  bool operator==(const FabricSpec&) const = default;
};

// Checkpoint storage shared by every job of the cluster.
struct StorageSpec {
  double write_bandwidth = 2e12;  // bytes/s aggregate (Meta Llama 3 cluster: 2 TB/s sustained)
  double read_bandwidth = 7e12;   // bytes/s aggregate (Meta Llama 3 cluster: 7 TB/s peak)

  bool operator==(const StorageSpec&) const = default;
};

struct PowerSpec {
  double pue = 1.2;                // facility power / IT power (assumption; docs/hardware.md)
  double rack_overhead_watts = 0;  // per rack beyond the GPUs: CPUs, NICs, switches, fans

  bool operator==(const PowerSpec&) const = default;
};

// The sites a job spans (docs/leases.md, "Several sites"): a job larger than every site of a
// scenario may run across `sites` of them; the step model splits its ranks into that many
// consecutive blocks, one per site, whose fabrics are joined by one inter-site link per site pair.
// sites == 1: the job runs inside one site's fabric (every cluster of a scenario without sites).
struct SiteSpan {
  int sites = 1;
  double bandwidth = 0;  // bytes/s of one site pair's link, each direction, shared by the job's crossing flows
  double latency_s = 0;  // one way, added to every step of a collective that crosses it

  bool operator==(const SiteSpan&) const = default;
};

struct ClusterSpec {
  RackSpec rack;
  int racks = 0;
  int spare_trays_per_rack = 0;  // nodes per rack held back as hot spares
  FabricSpec fabric;
  StorageSpec storage;
  PowerSpec power;
  SiteSpan span;  // set only on the copy a spanning job is priced on (cluster/cluster_simulation.cpp)

  std::int64_t gpus() const { return static_cast<std::int64_t>(racks) * rack.gpus; }
  std::int64_t nodes() const { return static_cast<std::int64_t>(racks) * rack.nodes(); }
  // GPUs available to jobs once spare trays are held back.
  std::int64_t schedulable_gpus() const {
    return static_cast<std::int64_t>(racks) * (rack.gpus - spare_trays_per_rack * rack.gpus_per_node);
  }
  // Scale-out bandwidth per GPU after the technology's effective-bandwidth factor.
  double effective_nic_bandwidth() const {
    const double line = fabric.nic_bandwidth > 0 ? fabric.nic_bandwidth : rack.gpu.nic_bandwidth;
    return line * fabric.effective_bandwidth_factor;
  }

  bool operator==(const ClusterSpec&) const = default;
};

}  // namespace leasesim::hw
