// Field definitions of the hardware blocks (GPU, rack, fabric, storage, power, cluster). The same
// definitions read the built-in catalog files and the scenario's overrides of catalog entries.
#pragma once

#include "leasesim/hw/cluster.hpp"
#include "leasesim/scenario/schema.hpp"

namespace leasesim::scenario {

class Catalog;

// With `presets`, a block may name a catalog entry ("gb300" or {"preset": "gb300", …}).
Schema<hw::GpuSpec> gpu_schema(const Catalog* presets);
Schema<hw::RackSpec> rack_schema(const Catalog& gpus_from, const Catalog* presets);
Schema<hw::FabricSpec> fabric_schema();
Schema<hw::StorageSpec> storage_schema();
Schema<hw::PowerSpec> power_schema();
Schema<hw::ClusterSpec> cluster_schema(const Catalog& catalog);

}  // namespace leasesim::scenario
