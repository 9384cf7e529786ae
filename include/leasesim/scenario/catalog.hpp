// The built-in hardware catalog: GPUs and rack/node types from data/catalog/*.json, compiled into
// the binary. A scenario block `{"preset": "gb300-nvl72", ...}` starts from one of these entries and
// overrides fields beside the preset name.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "leasesim/hw/gpu.hpp"
#include "leasesim/hw/rack.hpp"

namespace leasesim::scenario {

class Catalog {
 public:
  // The catalog compiled into this binary, parsed once. A malformed embedded file is a build
  // defect: it aborts with the loader's message (a test loads the catalog on every build).
  static const Catalog& builtin();

  const hw::GpuSpec* gpu(const std::string& name) const;
  const hw::RackSpec* rack(const std::string& name) const;
  std::vector<std::string> gpu_names() const;   // sorted
  std::vector<std::string> rack_names() const;  // sorted

  const std::map<std::string, hw::GpuSpec>& gpus() const { return gpus_; }
  const std::map<std::string, hw::RackSpec>& racks() const { return racks_; }

  // Builds a catalog from JSON texts (name → content); used by builtin() and by tests.
  // Problems go to `errors`, one line each.
  static Catalog from_json_files(const std::vector<std::pair<std::string, std::string>>& files,
                                 std::vector<std::string>& errors);

 private:
  std::map<std::string, hw::GpuSpec> gpus_;
  std::map<std::string, hw::RackSpec> racks_;
};

}  // namespace leasesim::scenario
