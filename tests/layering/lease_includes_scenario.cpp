// Layering probe, compiled against the lease layer's headers only: lease may not use scenario (the
// layer that reads files and builds lease values), so this include must fail. See tests/CMakeLists.txt.
#include "leasesim/scenario/scenario.hpp"

int leasesim_layer_probe_lease_scenario() { return 0; }
