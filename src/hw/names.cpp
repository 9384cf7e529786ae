// Names of the hardware enums as scenario files and reports spell them.
#include "leasesim/hw/cluster.hpp"
#include "leasesim/hw/gpu.hpp"

namespace leasesim::hw {

const char* to_string(Precision p) {
  switch (p) {
    case Precision::bf16:
      return "bf16";
    case Precision::fp8:
      return "fp8";
    case Precision::fp4:
      return "fp4";
  }
  return "?";
}

const char* to_string(FabricTechnology t) {
  switch (t) {
    case FabricTechnology::infiniband:
      return "infiniband";
    case FabricTechnology::spectrum_x:
      return "spectrum-x";
    case FabricTechnology::ethernet:
      return "ethernet";
  }
  return "?";
}

double default_effective_bandwidth_factor(FabricTechnology t) {
  switch (t) {
    case FabricTechnology::infiniband:
      return 1.0;
    case FabricTechnology::spectrum_x:
      return 0.95;
    case FabricTechnology::ethernet:
      return 0.60;
  }
  return 1.0;
}

}  // namespace leasesim::hw
