// The unit a cluster is built from: an NVL72 rack (72 GPUs in one NVLink domain, 18 trays of 4)
// or an 8-GPU DGX/HGX node (one 8-GPU NVLink domain). A cluster is `racks` copies of one RackSpec.
//
// "Node" (or host) means the rack type's server unit — an NVL72 compute tray (4 GPUs) or a DGX/HGX
// node (8 GPUs). Failure rates are counted per the unit that fails (cluster/inputs.hpp FailureUnit),
// so a rate measured per 8-GPU host is never applied per 4-GPU tray.
#pragma once

#include <string>

#include "leasesim/hw/gpu.hpp"

namespace leasesim::hw {

struct RackSpec {
  std::string name;  // catalog key, e.g. "gb300-nvl72"
  std::string description;
  GpuSpec gpu;                  // the GPU in every slot
  int gpus = 0;                 // GPUs per rack (or per DGX/HGX node)
  int gpus_per_node = 0;        // GPUs per server unit: 4 per NVL72 compute tray, 8 per DGX node
  int nvlink_domain_gpus = 0;   // GPUs that share one non-blocking NVLink domain
  int cpus = 0;                 // host CPUs per rack (Grace or x86)
  int nvlink_switch_trays = 0;  // NVLink switch trays per rack (9 on NVL72; 0 where NVSwitch is on the board)
  double power_watts = 0;       // rack power at full load, all overheads of the rack included
  std::string source;

  int nodes() const { return gpus_per_node > 0 ? gpus / gpus_per_node : 0; }
  int nvlink_domains() const { return nvlink_domain_gpus > 0 ? gpus / nvlink_domain_gpus : 0; }

  bool operator==(const RackSpec&) const = default;
};

}  // namespace leasesim::hw
