// Tests for the built-in hardware catalog: every entry against the published figures of
// docs/references.md, "Hardware" (copied here, not read at test time), and the catalog reader's
// refusal of malformed entries.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "leasesim/scenario/catalog.hpp"

using leasesim::scenario::Catalog;

namespace {

// One column of the "GPUs (per GPU)" table of docs/references.md, in SI: FLOP/s, bytes,
// bytes/s, watts. Dense tensor peaks; "—" in the table is 0 here. Data rates in bytes: "800 Gb/s" is
// 1e11 B/s. NVLink is per GPU, both directions together.
struct GpuFigures {
  const char* name;
  double bf16, fp8, fp4;
  double hbm;
  double hbm_bandwidth;
  double nvlink;
  double nic;
  double tdp;
};

// hardware.md, "GPUs (per GPU)": A100 SXM 80GB, H100 SXM, H200 SXM, B200 (HGX), GB200 (in NVL72),
// GB300 (in NVL72). GB300 FP4 is 15 PF dense (printed 20 | 15 PF sparse | dense: 1.33x, not 2x).
// The printed "80 GB" and "141 GB" of the Ampere/Hopper parts are binary units (NVML reports 81,920,
// 81,559 and 143,771 MiB: references.md, "HBM capacity as the device reports it").
constexpr double GiB = 1073741824.0;
constexpr GpuFigures reference_gpus[] = {
    {"a100-80gb", 312e12, 0, 0, 80 * GiB, 2.039e12, 600e9, 200e9 / 8, 400},
    {"h100-sxm", 989e12, 1979e12, 0, 80 * GiB, 3.35e12, 900e9, 400e9 / 8, 700},
    {"h200", 989e12, 1979e12, 0, 141 * GiB, 4.8e12, 900e9, 400e9 / 8, 700},
    {"b200", 2250e12, 4500e12, 9000e12, 180e9, 7.7e12, 1.8e12, 400e9 / 8, 1000},
    {"gb200", 2500e12, 5000e12, 10000e12, 186e9, 8e12, 1.8e12, 400e9 / 8, 1200},
    {"gb300", 2500e12, 5000e12, 15000e12, 288e9, 8e12, 1.8e12, 800e9 / 8, 1400},
};

// hardware.md, "Racks and nodes" (GPUs, NVLink domain, power) and the issue's list of rack types:
// NVL72 racks are 18 compute trays of 4 GPUs; DGX/HGX nodes are one 8-GPU NVLink domain.
struct RackFigures {
  const char* name;
  const char* gpu;
  int gpus;
  int gpus_per_node;
  int nvlink_domain_gpus;
};

constexpr RackFigures reference_racks[] = {
    {"dgx-a100-80gb", "a100-80gb", 8, 8, 8}, {"dgx-h100", "h100-sxm", 8, 8, 8},   {"hgx-b200", "b200", 8, 8, 8},
    {"gb200-nvl72", "gb200", 72, 4, 72},     {"gb300-nvl72", "gb300", 72, 4, 72},
};

// A GPU entry with every required field, as the catalog files write it.
std::string gpu_entry(const std::string& extra = "") {
  return R"("bf16_dense": "989 TFLOP/s", "fp8_dense": "1979 TFLOP/s", "fp4_dense": 0, "hbm": "80 GB",
            "hbm_usable": "76 GB", "hbm_bandwidth": "3.35 TB/s", "nvlink_bandwidth": "900 GB/s",
            "nic_bandwidth": "400 Gb/s", "tdp": "700 W", "idle_power": "90 W", "source": "test")" +
         extra;
}

struct Loaded {
  Catalog catalog;
  std::vector<std::string> errors;
};

Loaded load(const std::string& text) {
  Loaded l;
  l.catalog = Catalog::from_json_files({{"test.json", text}}, l.errors);
  return l;
}

std::string joined(const std::vector<std::string>& errors) {
  std::string out;
  for (const auto& e : errors) out += e;
  return out;
}

}  // namespace

TEST_CASE("the catalog holds exactly the six GPUs and five racks of the reference", "[catalog]") {
  const Catalog& c = Catalog::builtin();
  CHECK(c.gpu_names() == std::vector<std::string>{"a100-80gb", "b200", "gb200", "gb300", "h100-sxm", "h200"});
  CHECK(c.rack_names() ==
        std::vector<std::string>{"dgx-a100-80gb", "dgx-h100", "gb200-nvl72", "gb300-nvl72", "hgx-b200"});
}

TEST_CASE("every catalog GPU matches the reference table", "[catalog]") {
  const Catalog& c = Catalog::builtin();
  for (const auto& ref : reference_gpus) {
    INFO("GPU " << ref.name);
    const auto* g = c.gpu(ref.name);
    REQUIRE(g != nullptr);
    CHECK(g->name == ref.name);
    CHECK(g->bf16_flops == Approx(ref.bf16));
    CHECK(g->fp8_flops == Approx(ref.fp8));
    CHECK(g->fp4_flops == Approx(ref.fp4));
    CHECK(g->hbm_bytes == Approx(ref.hbm));
    CHECK(g->hbm_bandwidth == Approx(ref.hbm_bandwidth));
    CHECK(g->nvlink_bandwidth == Approx(ref.nvlink));
    CHECK(g->nic_bandwidth == Approx(ref.nic));
    CHECK(g->tdp_watts == Approx(ref.tdp));
    // Usable HBM: NVIDIA's 279 GB for GB300, the NVML device total for A100/H100/H200, the printed
    // capacity for B200/GB200; never above the physical size.
    CHECK(g->hbm_usable_bytes > 0.9 * g->hbm_bytes);
    CHECK(g->hbm_usable_bytes <= g->hbm_bytes);
    CHECK(g->hbm_usable_bytes <= g->hbm_bytes);
    CHECK(g->idle_watts > 0);
    CHECK(g->idle_watts < g->tdp_watts);
    CHECK_FALSE(g->source.empty());
    CHECK_FALSE(g->description.empty());
  }
}

TEST_CASE("GB300 has 279 GB usable of 288 GB, 15 PF dense FP4 and an 800 Gb/s NIC", "[catalog]") {
  // hardware.md: "288 GB HBM3e physical, 279 GB usable"; FP4 "20 | 15 PF (sparse | dense)";
  // "800 Gb/s (ConnectX-8, XDR)" per GPU.
  const auto* g = Catalog::builtin().gpu("gb300");
  REQUIRE(g != nullptr);
  CHECK(g->hbm_usable_bytes == Approx(279e9));
  CHECK(g->hbm_bytes == Approx(288e9));
  CHECK(g->fp4_flops == Approx(15e15));
  CHECK(g->fp4_flops / g->fp8_flops == Approx(3.0));  // 6:2:1 FP4:FP8:BF16 on GB300
  CHECK(g->nic_bandwidth == 1e11);
  CHECK(g->dense_flops(leasesim::hw::Precision::fp4) == Approx(15e15));
}

TEST_CASE("every catalog rack matches the reference table", "[catalog]") {
  const Catalog& c = Catalog::builtin();
  for (const auto& ref : reference_racks) {
    INFO("rack " << ref.name);
    const auto* r = c.rack(ref.name);
    REQUIRE(r != nullptr);
    CHECK(r->name == ref.name);
    CHECK(r->gpu.name == ref.gpu);
    CHECK(r->gpus == ref.gpus);
    CHECK(r->gpus_per_node == ref.gpus_per_node);
    CHECK(r->nvlink_domain_gpus == ref.nvlink_domain_gpus);
    CHECK(r->nvlink_domains() == 1);
    // A rack draws at least its GPUs' TDP.
    CHECK(r->power_watts >= r->gpus * r->gpu.tdp_watts);
    CHECK_FALSE(r->source.empty());
    CHECK_FALSE(r->description.empty());
    // The rack's GPU is the catalog's GPU, figure for figure.
    const auto* g = c.gpu(ref.gpu);
    REQUIRE(g != nullptr);
    CHECK(r->gpu.bf16_flops == g->bf16_flops);
    CHECK(r->gpu.hbm_usable_bytes == g->hbm_usable_bytes);
  }
}

TEST_CASE("NVL72 racks are 18 trays of 4 GPUs at the published rack power", "[catalog]") {
  // hardware.md: GB300 NVL72 "up to 142 kW (NVIDIA Enterprise RA)"; GB200 NVL72 "~120 kW typical".
  const Catalog& c = Catalog::builtin();
  const auto* gb300 = c.rack("gb300-nvl72");
  const auto* gb200 = c.rack("gb200-nvl72");
  REQUIRE(gb300 != nullptr);
  REQUIRE(gb200 != nullptr);
  CHECK(gb300->nodes() == 18);
  CHECK(gb200->nodes() == 18);
  CHECK(gb300->power_watts == Approx(142e3));
  CHECK(gb200->power_watts == Approx(120e3));
  // "72 x 1.4 kW = 100.8 kW of GPU TDP"
  CHECK(gb300->gpus * gb300->gpu.tdp_watts == Approx(100.8e3));
}

TEST_CASE("a catalog entry missing a field is reported, not accepted", "[catalog]") {
  const Loaded l = load(R"({"gpus": {"ok": {)" + gpu_entry() + R"(},
                                      "no-tdp": {"bf16_dense": "989 TFLOP/s", "fp8_dense": 0, "fp4_dense": 0,
                                                 "hbm": "80 GB", "hbm_usable": "76 GB", "hbm_bandwidth": "3.35 TB/s",
                                                 "nvlink_bandwidth": "900 GB/s", "nic_bandwidth": "400 Gb/s",
                                                 "idle_power": "90 W"}}})");
  CHECK(joined(l.errors) == "test.json: /gpus/no-tdp/tdp: expected key \"tdp\" (power), found nothing\n");
  CHECK(l.catalog.gpu("no-tdp") == nullptr);
  REQUIRE(l.catalog.gpu("ok") != nullptr);
  CHECK(l.catalog.gpu("ok")->tdp_watts == Approx(700));
}

TEST_CASE("a catalog GPU with more usable than physical HBM is reported, not accepted", "[catalog]") {
  std::string entry = gpu_entry();
  entry.replace(entry.find("\"76 GB\""), 7, "\"90 GB\"");
  const Loaded over = load(R"({"gpus": {"big": {)" + entry + "}}}");
  CHECK(joined(over.errors) == "test.json: /gpus/big/hbm_usable: expected at most hbm (80 GB), found 90 GB\n");
  CHECK(over.catalog.gpu("big") == nullptr);
}

TEST_CASE("a catalog rack naming an unknown GPU is reported, not accepted", "[catalog]") {
  const Loaded l = load(R"({"gpus": {"h100-sxm": {)" + gpu_entry() + R"(}},
      "racks": {"node": {"gpu": "h10-sxm", "gpus": 8, "gpus_per_node": 8, "nvlink_domain_gpus": 8,
                         "power": "10.2 kW", "source": "test"}}})");
  const std::string e = joined(l.errors);
  CHECK(e.rfind("test.json: /racks/node/gpu: expected a gpu preset (one of h100-sxm), found \"h10-sxm\"", 0) == 0);
  CHECK(e.find("did you mean \"h100-sxm\"?") != std::string::npos);
  CHECK(l.catalog.rack("node") == nullptr);
  CHECK(l.catalog.gpu("h100-sxm") != nullptr);
}

TEST_CASE("a catalog rack drawing less than its GPUs' TDP is reported, not accepted", "[catalog]") {
  const Loaded l = load(R"({"gpus": {"h100-sxm": {)" + gpu_entry() + R"(}},
      "racks": {"node": {"gpu": "h100-sxm", "gpus": 8, "gpus_per_node": 8, "nvlink_domain_gpus": 8,
                         "power": "5 kW", "source": "test"}}})");
  CHECK(joined(l.errors) ==
        "test.json: /racks/node/power: expected at least the GPUs' TDP (8 x 700 W = 5.6 kW), found 5 kW\n");
  CHECK(l.catalog.rack("node") == nullptr);
}

TEST_CASE("a catalog file of the wrong shape is reported", "[catalog]") {
  SECTION("not an object") {
    const Loaded l = load("[]");
    CHECK(joined(l.errors) == "test.json: /: expected an object with \"gpus\" and/or \"racks\", found an empty list\n");
  }
  SECTION("an unknown top-level key") {
    const Loaded l = load(R"({"gpu": {}})");
    CHECK(joined(l.errors) == "test.json: /gpu: unknown key \"gpu\" in a catalog file; allowed keys: gpus, racks\n");
  }
  SECTION("entries in a list") {
    const Loaded l = load(R"({"gpus": []})");
    CHECK(joined(l.errors) == "test.json: /gpus: expected an object of GPU entries, found an empty list\n");
  }
  SECTION("not JSON") {
    const Loaded l = load(R"({"gpus": )");
    REQUIRE(l.errors.size() == 1);
    CHECK(l.errors[0].rfind("test.json: line 1, column ", 0) == 0);
  }
  SECTION("an unknown field in an entry") {
    const Loaded l = load(R"({"gpus": {"x": {)" + gpu_entry(R"(, "tdpp": "700 W")") + "}}}");
    CHECK(joined(l.errors) == "test.json: /gpus/x/tdpp: unknown key \"tdpp\" in gpu; did you mean \"tdp\"?\n");
    CHECK(l.catalog.gpu("x") == nullptr);
  }
}
