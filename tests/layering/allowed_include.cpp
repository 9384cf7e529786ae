// Layering probe, compiled against the workload layer's headers only: workload may use hw.
// tests/CMakeLists.txt compiles it (must succeed) next to upward_include.cpp (must fail), so the
// failing probe proves the include views, not a broken probe build.
#include "leasesim/hw/cluster.hpp"

int leasesim_layer_probe_allowed() { return static_cast<int>(sizeof(leasesim::hw::ClusterSpec)); }
