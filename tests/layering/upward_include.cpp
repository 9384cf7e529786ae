// Layering probe, compiled against the workload layer's headers only: workload may not use cluster
// (a layer above it), so this include must fail to compile. See tests/CMakeLists.txt.
#include "leasesim/cluster/simulate.hpp"

int leasesim_layer_probe_upward() { return 0; }
