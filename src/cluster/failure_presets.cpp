// The failure presets. Rates are published; repair times are not, so they are leasesim
// assumptions, stated here once and repeated in docs/cluster-model.md:
//   gpu           24 h mean, lognormal σ = 1: the tray is drained, the GPU (in an NVL72 the compute
//                 tray) is swapped and burnt in; heavy tail for RMA waits
//   node          12 h mean, lognormal σ = 1: host parts (DIMM, SSD, PSU, board, CPU) or a reimage
//   nic            4 h mean, lognormal σ = 1: reseat or swap a NIC/transceiver
//   switch_cable   2 h mean: the fabric routes around it (capacity is not lost; jobs restart)
//   software       none: the job restarts; no hardware leaves service
#include "leasesim/cluster/failure_presets.hpp"

#include <algorithm>
#include <map>

namespace leasesim::cluster {

namespace {

constexpr double hour = 3600.0;

DurationDistribution repair_of(Component c) {
  switch (c) {
    case Component::gpu: return {Distribution::lognormal, 24 * hour, 1.0};
    case Component::node: return {Distribution::lognormal, 12 * hour, 1.0};
    case Component::nic: return {Distribution::lognormal, 4 * hour, 1.0};
    case Component::switch_cable: return {Distribution::fixed, 2 * hour, 1.0};
    case Component::rack_power: return {Distribution::lognormal, 8 * hour, 1.0};
    case Component::software: return {Distribution::fixed, 0, 1.0};
  }
  return {};
}

FailureProcess process(Component c, std::string category, double per_1000) {
  FailureProcess p;
  p.component = c;
  p.category = std::move(category);
  p.per_node_per_s = per_1000_node_days(per_1000);
  p.repair = repair_of(c);
  return p;
}

// Kokolis et al., "Revisiting Reliability in Large-Scale ML Research Clusters" (HPCA'25): failures
// that take a node out, per 1000 node-days, on DGX A100 nodes. The paper's rate is for nodes; the
// preset keeps it as one node-level process (no category split is published in calibration.md).
FailureModel meta_rsc(const char* name, double rate) {
  FailureModel m;
  m.preset = name;
  m.processes.push_back(process(Component::node, "node failure", rate));
  return m;
}

// Llama 3 405B (Dubey et al. 2024, Table 5): 419 unexpected interruptions in 54 days on 2,048
// 8-GPU nodes = 3.79 per 1000 node-days, split by the table's root-cause counts.
FailureModel llama3_405b() {
  struct Row { const char* category; Component component; int count; };
  static const Row rows[] = {
      {"faulty GPU", Component::gpu, 148},
      {"GPU HBM3 memory", Component::gpu, 72},
      {"software bug", Component::software, 54},
      {"network switch/cable", Component::switch_cable, 35},
      {"host maintenance", Component::node, 32},
      {"GPU SRAM memory", Component::gpu, 19},
      {"GPU system processor", Component::gpu, 17},
      {"NIC", Component::nic, 7},
      {"NCCL watchdog timeouts", Component::software, 7},
      {"silent data corruption", Component::gpu, 6},
      {"GPU thermal interface and sensor", Component::gpu, 6},
      {"SSD", Component::node, 3},
      {"power supply", Component::node, 3},
      {"server chassis", Component::node, 2},
      {"IO expansion board", Component::node, 2},
      {"dependency", Component::software, 2},
      {"CPU", Component::node, 2},
      {"system memory", Component::node, 2},
  };
  constexpr double total_rate = 3.79;  // per 1000 node-days: 419 / (2,048 nodes × 54 days)
  constexpr int total_count = 419;
  FailureModel m;
  m.preset = "llama3-405b";
  for (const Row& r : rows) m.processes.push_back(process(r.component, r.category, total_rate * r.count / total_count));
  return m;
}

const std::map<std::string, FailureModel, std::less<>>& presets() {
  static const std::map<std::string, FailureModel, std::less<>> all = {
      {"meta-rsc1", meta_rsc("meta-rsc1", 6.50)},
      {"meta-rsc2", meta_rsc("meta-rsc2", 2.34)},
      {"llama3-405b", llama3_405b()},
  };
  return all;
}

}  // namespace

const FailureModel* failure_preset(std::string_view name) {
  const auto& all = presets();
  const auto it = all.find(name);
  return it == all.end() ? nullptr : &it->second;
}

std::vector<std::string> failure_preset_names() {
  std::vector<std::string> names;
  for (const auto& [name, model] : presets()) names.push_back(name);
  return names;
}

}  // namespace leasesim::cluster
