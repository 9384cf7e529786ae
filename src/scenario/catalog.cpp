// Loads the hardware catalog compiled in from data/catalog/*.json, with the same field definitions
// (and so the same checks) that read a scenario's hardware blocks.
#include "leasesim/scenario/catalog.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

#include "leasesim/scenario/hardware_schema.hpp"
#include "leasesim/scenario/json_text.hpp"

namespace leasesim::scenario {

// Defined in the generated catalog_data.cpp (cmake/embed_catalog.cmake).
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_catalog_files();

const hw::GpuSpec* Catalog::gpu(const std::string& name) const {
  auto it = gpus_.find(name);
  return it == gpus_.end() ? nullptr : &it->second;
}

const hw::RackSpec* Catalog::rack(const std::string& name) const {
  auto it = racks_.find(name);
  return it == racks_.end() ? nullptr : &it->second;
}

std::vector<std::string> Catalog::gpu_names() const {
  std::vector<std::string> names;
  for (const auto& [n, _] : gpus_) names.push_back(n);
  return names;
}

std::vector<std::string> Catalog::rack_names() const {
  std::vector<std::string> names;
  for (const auto& [n, _] : racks_) names.push_back(n);
  return names;
}

Catalog Catalog::from_json_files(const std::vector<std::pair<std::string, std::string>>& files,
                                 std::vector<std::string>& errors) {
  Catalog catalog;
  std::vector<std::pair<std::string, Json>> docs;
  for (const auto& [name, text] : files) {
    Diagnostics d(name);
    if (auto doc = parse_json_text(text, d)) {
      if (!doc->is_object())
        d.expected("", "an object with \"gpus\" and/or \"racks\"", describe_found(*doc));
      else
        docs.emplace_back(name, std::move(*doc));
    }
    if (!d.ok()) errors.push_back(d.format());
  }
  // GPUs first: rack entries name their GPU.
  const auto gpu_reader = gpu_schema(nullptr);
  for (const auto& [name, doc] : docs) {
    Diagnostics d(name);
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      if (it.key() != "gpus" && it.key() != "racks") {
        d.error("/" + it.key(), "unknown key \"" + it.key() + "\" in a catalog file; allowed keys: gpus, racks");
      }
    }
    if (auto g = doc.find("gpus"); g != doc.end()) {
      if (!g->is_object())
        d.expected("/gpus", "an object of GPU entries", describe_found(*g));
      else
        for (auto it = g->begin(); it != g->end(); ++it) {
          hw::GpuSpec spec;
          const std::size_t before = d.problems().size();
          gpu_reader.read(it.value(), pointer_join("/gpus", it.key()), spec, d);
          spec.name = it.key();
          if (d.problems().size() == before) catalog.gpus_[it.key()] = spec;
        }
    }
    if (!d.ok()) errors.push_back(d.format());
  }
  const auto rack_reader = rack_schema(catalog, nullptr);
  for (const auto& [name, doc] : docs) {
    Diagnostics d(name);
    if (auto r = doc.find("racks"); r != doc.end()) {
      if (!r->is_object())
        d.expected("/racks", "an object of rack entries", describe_found(*r));
      else
        for (auto it = r->begin(); it != r->end(); ++it) {
          hw::RackSpec spec;
          const std::size_t before = d.problems().size();
          rack_reader.read(it.value(), pointer_join("/racks", it.key()), spec, d);
          spec.name = it.key();
          if (d.problems().size() == before) catalog.racks_[it.key()] = spec;
        }
    }
    if (!d.ok()) errors.push_back(d.format());
  }
  return catalog;
}

const Catalog& Catalog::builtin() {
  static const Catalog catalog = [] {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& [name, text] : embedded_catalog_files())
      files.emplace_back("data/catalog/" + std::string(name), text);
    std::vector<std::string> errors;
    Catalog c = from_json_files(files, errors);
    if (!errors.empty()) {
      for (const auto& e : errors) std::fputs(e.c_str(), stderr);
      std::fputs("leasesim: the built-in hardware catalog is malformed (a build defect)\n", stderr);
      std::abort();
    }
    return c;
  }();
  return catalog;
}

}  // namespace leasesim::scenario
