// Declarative field definitions for every scenario block, and the strict reader that applies them.
//
// A `Schema<T>` lists the keys a JSON object may hold, each bound to a member of the value struct
// `T` with its type, unit, bounds and doc line. One definition serves three purposes:
//   * reading: unknown keys (with a "did you mean"), wrong types, wrong units, out-of-range values
//     and missing keys are all reported in one pass, one line each, with the JSON pointer;
//   * presets: `{"preset": "gb300-nvl72", "racks": 10}` starts from a catalog entry, keys beside the
//     preset override it;
//   * docs: the scenario reference and JSON Schema are generated from the same field list.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/units/money.hpp"
#include "leasesim/units/quantity.hpp"

namespace leasesim::scenario {

using Json = nlohmann::json;

// The allowed range of a number, in SI (money in dollars).
struct Bounds {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;

  static Bounds positive(double max) { return {0.0, max, true}; }
  static Bounds at_least(double min, double max) { return {min, max, false}; }
  bool contains(double v) const { return (min_exclusive ? v > min : v >= min) && v <= max; }
};

enum class Need { optional, required };

struct SchemaInfo;

// What the docs generator knows of one field.
struct FieldDoc {
  std::string name;
  std::string type;           // "data rate", "integer", "one of", "block", "list of block", …
  std::string unit;           // SI unit when a number is given ("B/s"), empty for non-quantities
  std::string example;        // a valid value as JSON text
  std::string default_value;  // as text; empty when required or none
  std::string doc;
  bool required = false;
  std::vector<std::string> choices;  // for "one of"
  std::string block;                 // nested schema's name, for blocks and lists of blocks
  Bounds bounds;
  bool has_bounds = false;
  std::size_t max_items = 0;  // a list's bound on its length (0: none stated)
  // The schema of the block the field holds (blocks, lists of blocks, custom fields that read a
  // block; one per `type` for a type-tagged list such as `leases`): the docs generator walks them.
  std::vector<std::shared_ptr<const SchemaInfo>> schemas = {};
  // The field's own reader applied to `v` in a block of defaults: the docs test reads every example
  // with it (set by Schema<T> when the field is added).
  std::function<void(const Json& v, const std::string& path, Diagnostics& d)> try_read = {};
};

// A FieldDoc for a custom field.
inline FieldDoc field_doc(std::string name, std::string type, std::string example, std::string default_value,
                          std::string doc, bool required = false) {
  FieldDoc f;
  f.name = std::move(name);
  f.type = std::move(type);
  f.example = std::move(example);
  f.default_value = std::move(default_value);
  f.doc = std::move(doc);
  f.required = required;
  return f;
}

// "found …" text for a JSON value: `"5 min"`, `-3`, `an object`, `an array of 2`, `true`, `null`.
std::string describe_found(const Json& v);
// The candidates nearest to `given` by edit distance, when near enough to be a likely typo: every
// one at the least distance, in the candidates' order ("rackz": "rack" and "racks").
std::vector<std::string> closest_names(std::string_view given, const std::vector<std::string>& candidates);
// The first of them.
std::optional<std::string> closest_name(std::string_view given, const std::vector<std::string>& candidates);
// Them quoted for a "did you mean" hint: "\"racks\"", or "\"rack\" or \"racks\"".
std::optional<std::string> did_you_mean(std::string_view given, const std::vector<std::string>& candidates);
// "data rate" for a dimension (its description without the article).
std::string dimension_name(units::Dimension dim);
// "NOUN ≥ min and ≤ max" with the bounds in the dimension's units.
std::string describe_range(std::string noun, units::Dimension dim, const Bounds& b);
// "a data rate > 0 and ≤ 10 TB/s" for error messages.
std::string describe_bounds(units::Dimension dim, const Bounds& b);

// An example of a quantity for the docs that the field accepts: its default when that is within `b`
// and not zero (a zero default means "off" and shows nothing), else the dimension's usual one when
// within `b`, else the upper bound. A field's declaration may give one of its own (Schema::example).
inline std::string example_within(units::Dimension dim, const Bounds& b, std::optional<double> default_si) {
  const auto write = [dim](double v) {
    const std::string text = units::format_quantity(v, dim);
    return dim == units::Dimension::count ? text : "\"" + text + "\"";
  };
  if (default_si && *default_si != 0.0 && b.contains(*default_si)) return write(*default_si);
  const std::string usual(units::example(dim));
  const bool quoted = usual.size() > 1 && usual.front() == '"';
  const auto parsed = units::parse_quantity(quoted ? usual.substr(1, usual.find('"', 1) - 1) : usual, dim);
  if (!parsed.value || b.contains(*parsed.value)) return usual;
  if (default_si && b.contains(*default_si)) return write(*default_si);
  return std::isfinite(b.max) ? write(b.max) : usual;
}

// The size a value usually has. A valid value outside [low, high] is probably a unit slipped by a
// factor ("$9,900" per GPU-hour for "$9.90", `"lead_time": 90` — seconds — for 90 days): a warning
// names the usual range and, when one of the `slips` undone lands in it, the likely intended value.
// Zero is never warned about (it means "none" wherever a field allows it).
struct Plausible {
  struct Slip {
    double factor;      // the intended value is the value × factor
    std::string why;    // "dollars written for thousandths", shown after the suggestion
    bool bare = false;  // only when the value is a bare number (no unit written: SI seconds, bytes/s)
  };
  double low = 0, high = 0;  // SI; dollars for money
  double typical = 1;        // of two suggestions in range, the one nearer this (by ratio) is shown
  std::string what;          // "a price per GPU-hour"
  std::vector<Slip> slips;
};
// Warns at `path` when `value` (`raw` read in SI, dimension `dim`) lies outside `p`.
void warn_implausible(const Json& raw, const std::string& path, double value, units::Dimension dim, const Plausible& p,
                      Diagnostics& d);
// The dimension a field's documented type names (money for "money"; nullopt for integers and others).
std::optional<units::Dimension> field_dimension(const FieldDoc& f);

// Readers of single values; each reports into `d` and returns nullopt on a problem.
std::optional<double> read_quantity(const Json& v, const std::string& path, units::Dimension dim, const Bounds& b,
                                    Diagnostics& d);
std::optional<std::int64_t> read_integer(const Json& v, const std::string& path, const Bounds& b, Diagnostics& d);
std::optional<units::Money> read_money(const Json& v, const std::string& path, const Bounds& b, Diagnostics& d);
std::optional<std::string> read_choice(const Json& v, const std::string& path, const std::vector<std::string>& choices,
                                       Diagnostics& d);

// The reader of one field of a block of type T.
template <class T>
using ReadFnOf = std::function<void(T&, const Json&, const std::string&, Diagnostics&)>;

// The catalog of every schema by name, filled as schemas are built; the docs generator walks it.
struct SchemaInfo {
  std::string name;
  std::string doc;
  std::vector<FieldDoc> fields;
  std::vector<std::string> presets;
};

template <class T>
class Schema {
 public:
  using ReadFn = std::function<void(T&, const Json&, const std::string&, Diagnostics&)>;

  Schema(std::string name, std::string doc) {
    info_.name = std::move(name);
    info_.doc = std::move(doc);
  }

  const SchemaInfo& info() const { return info_; }

  // A quantity with a unit (or a bare number in SI).
  Schema& quantity(std::string key, units::Dimension dim, double T::*member, Bounds b, std::string doc,
                   Need need = Need::optional) {
    FieldDoc f = base_doc(key, dimension_name(dim), doc, need);
    f.unit = std::string(units::si_unit(dim));
    f.bounds = b;
    f.has_bounds = true;
    if (need == Need::optional) f.default_value = units::format_quantity(T{}.*member, dim);
    f.example = example_within(dim, b, need == Need::optional ? std::optional<double>(T{}.*member) : std::nullopt);
    return add(std::move(f), [=](T& out, const Json& v, const std::string& path, Diagnostics& d) {
      if (auto x = read_quantity(v, path, dim, b, d)) out.*member = *x;
    });
  }

  // A whole number.
  template <class I>
  Schema& integer(std::string key, I T::*member, Bounds b, std::string doc, Need need = Need::optional) {
    FieldDoc f = base_doc(key, "integer", doc, need);
    f.bounds = b;
    f.has_bounds = true;
    const long long least = static_cast<long long>(std::isfinite(b.min) ? b.min + (b.min_exclusive ? 1 : 0) : 1);
    const long long dflt = static_cast<long long>(T{}.*member);
    f.example =
        std::to_string(need == Need::optional && dflt != 0 && b.contains(static_cast<double>(dflt)) ? dflt : least);
    if (need == Need::optional) f.default_value = std::to_string(T{}.*member);
    return add(std::move(f), [=](T& out, const Json& v, const std::string& path, Diagnostics& d) {
      if (auto x = read_integer(v, path, b, d)) out.*member = static_cast<I>(*x);
    });
  }

  Schema& boolean(std::string key, bool T::*member, std::string doc) {
    FieldDoc f = base_doc(key, "boolean", doc, Need::optional);
    f.example = "true";
    f.default_value = (T{}.*member) ? "true" : "false";
    return add(std::move(f), [=](T& out, const Json& v, const std::string& path, Diagnostics& d) {
      if (v.is_boolean())
        out.*member = v.get<bool>();
      else
        d.expected(path, "true or false", describe_found(v));
    });
  }

  // Free text (names, descriptions, sources). At most 10,000 characters.
  Schema& text(std::string key, std::string T::*member, std::string doc, Need need = Need::optional) {
    FieldDoc f = base_doc(key, "string", doc, need);
    f.example = "\"…\"";
    return add(std::move(f), [=](T& out, const Json& v, const std::string& path, Diagnostics& d) {
      if (!v.is_string()) return d.expected(path, "a string", describe_found(v));
      const auto& s = v.get_ref<const std::string&>();
      if (s.size() > 10'000) return d.expected(path, "a string of at most 10000 characters", fmt_size(s.size()));
      out.*member = s;
    });
  }

  // One of a fixed set of names, stored as an enum.
  template <class E>
  Schema& choice(std::string key, E T::*member, std::vector<std::pair<std::string, E>> table, std::string doc,
                 Need need = Need::optional) {
    FieldDoc f = base_doc(key, "one of", doc, need);
    for (const auto& [name, value] : table) {
      f.choices.push_back(name);
      if (need == Need::optional && value == T{}.*member) f.default_value = "\"" + name + "\"";
    }
    f.example = "\"" + f.choices.front() + "\"";
    return add(std::move(f), [=, names = f.choices](T& out, const Json& v, const std::string& path, Diagnostics& d) {
      if (auto s = read_choice(v, path, names, d)) {
        for (const auto& [name, value] : table)
          if (name == *s) out.*member = value;
      }
    });
  }

  // An amount of money; bounds in dollars.
  Schema& money(std::string key, units::Money T::*member, Bounds b, std::string doc, Need need = Need::optional) {
    FieldDoc f = base_doc(key, "money", doc, need);
    f.unit = "$";
    const units::Money dflt = need == Need::optional ? T{}.*member : units::Money{};
    if (dflt != units::Money{} && b.contains(dflt.dollars()))
      f.example = "\"" + units::format_money(dflt, true) + "\"";
    else
      f.example = b.contains(150e6) ? "\"$150M\"" : "\"$2.65\"";
    f.bounds = b;
    f.has_bounds = true;
    if (need == Need::optional) f.default_value = "\"" + units::format_money(T{}.*member, true) + "\"";
    return add(std::move(f), [=](T& out, const Json& v, const std::string& path, Diagnostics& d) {
      if (auto m = read_money(v, path, b, d)) out.*member = *m;
    });
  }

  // A UTC date (seconds since the epoch).
  Schema& date(std::string key, std::int64_t T::*member, std::string doc, Need need = Need::optional) {
    FieldDoc f = base_doc(key, "date", doc, need);
    f.example = "\"2026-07-01\"";
    const Bounds b{0.0, 7'258'118'400.0, false};  // 1970-01-01 .. 2200-01-01
    return add(std::move(f), [=](T& out, const Json& v, const std::string& path, Diagnostics& d) {
      if (auto x = read_quantity(v, path, units::Dimension::date, b, d)) out.*member = static_cast<std::int64_t>(*x);
    });
  }

  // A nested block read with its own schema.
  template <class U>
  Schema& block(std::string key, U T::*member, const Schema<U>& sub, std::string doc, Need need = Need::optional) {
    FieldDoc f = base_doc(key, "block", doc, need);
    f.block = sub.info().name;
    f.schemas = {std::make_shared<const SchemaInfo>(sub.info())};
    f.example = "{…}";
    return add(std::move(f), [member, sub](T& out, const Json& v, const std::string& path, Diagnostics& d) {
      sub.read(v, path, out.*member, d);
    });
  }

  // A list of blocks, each read with `sub`. At most `max_items`.
  template <class U>
  Schema& list(std::string key, std::vector<U> T::*member, const Schema<U>& sub, std::size_t max_items, std::string doc,
               Need need = Need::optional) {
    FieldDoc f = base_doc(key, "list of block", doc, need);
    f.block = sub.info().name;
    f.schemas = {std::make_shared<const SchemaInfo>(sub.info())};
    f.example = "[{…}]";
    f.max_items = max_items;
    return add(std::move(f), [member, sub, max_items](T& out, const Json& v, const std::string& path, Diagnostics& d) {
      if (!v.is_array()) return d.expected(path, "a list", describe_found(v));
      if (v.size() > max_items) {
        return d.expected(path, "a list of at most " + std::to_string(max_items) + " items", describe_found(v));
      }
      out.*member = {};
      for (std::size_t i = 0; i < v.size(); ++i) {
        U item{};
        sub.read(v[i], pointer_join(path, i), item, d);
        (out.*member).push_back(std::move(item));
      }
    });
  }

  // Every field (and check) of `sub`, at this block's level, reading into `member`: a job entry in
  // a scenario is a training-job block plus scheduling keys, in one flat object.
  template <class U>
  Schema& embed(U T::*member, const Schema<U>& sub) {
    return embed_via([member](T& out) -> U& { return out.*member; }, sub);
  }

  // As embed(), reading into the U that `access(out)` returns (U& from T&): a value held behind an
  // accessor, such as a lease's type-erased contract terms.
  template <class U, class Access>
  Schema& embed_via(Access access, const Schema<U>& sub) {
    for (const auto& f : sub.fields_) {
      add(f.doc, [access, fn = f.read](T& out, const Json& v, const std::string& path, Diagnostics& d) {
        fn(access(out), v, path, d);
      });
    }
    for (const auto& c : sub.checks_) {
      checks_.push_back(
          [access, c](T& out, const Json& v, const std::string& path, Diagnostics& d) { c(access(out), v, path, d); });
    }
    return *this;
  }

  // The example the docs show for the field just added or replaced (JSON text, as a user writes it:
  // "\"$3.1M\""), in place of the one its type and default give. tests/schema_export_test.cpp reads
  // every example with its field's reader.
  Schema& example(std::string json) {
    info_.fields.at(last_).example = json;
    fields_.at(last_).doc.example = std::move(json);
    return *this;
  }

  // A plausible size for the field just added (a quantity or money): a valid value outside it is a
  // warning (see Plausible); `--strict` makes it an error.
  Schema& plausible(Plausible p) {
    const FieldDoc& f = fields_.at(last_).doc;
    const auto dim =
        f.type == "integer" ? std::optional<units::Dimension>(units::Dimension::count) : field_dimension(f);
    if (!dim) throw std::logic_error("Schema::plausible: field \"" + f.name + "\" holds no quantity");
    ReadFn inner = fields_.at(last_).read;
    fields_.at(last_).read = [inner, p, dim = *dim](T& out, const Json& v, const std::string& path, Diagnostics& d) {
      const std::size_t before = d.problems().size();
      inner(out, v, path, d);
      if (d.problems().size() != before) return;
      Diagnostics scratch(d.file());
      if (dim == units::Dimension::money) {
        if (auto m = read_money(v, path, Bounds{}, scratch)) warn_implausible(v, path, m->dollars(), dim, p, d);
      } else if (auto x = read_quantity(v, path, dim, Bounds{}, scratch)) {
        warn_implausible(v, path, *x, dim, p, d);
      }
    };
    return *this;
  }

  // Any other field: the reader is given whole; `f` documents it.
  Schema& custom(FieldDoc f, ReadFn fn) { return add(std::move(f), std::move(fn)); }
  // A field already defined (say by an embedded block) read and documented anew, in its place: a
  // scenario job's `tokens` may be a distribution where a step file's is a count.
  Schema& replace(FieldDoc f, ReadFn fn) {
    const auto it = index_.find(f.name);
    if (it == index_.end()) return add(std::move(f), std::move(fn));
    bind_reader(f, fn);
    last_ = it->second;
    info_.fields[it->second] = f;
    fields_[it->second] = {std::move(f), std::move(fn)};
    return *this;
  }

  // A check over the whole block once its keys are read without problems: cross-field rules and
  // derived defaults.
  // `v` is the block's JSON (an object, or the preset name).
  Schema& check(ReadFn fn) {
    checks_.push_back(std::move(fn));
    return *this;
  }

  // Presets: a block may be `"NAME"` or `{"preset": "NAME", …overrides}`.
  Schema& presets(std::function<const T*(const std::string&)> lookup, std::vector<std::string> names) {
    preset_lookup_ = std::move(lookup);
    info_.presets = std::move(names);
    return *this;
  }

  // Reads `v` into `out`, which holds the defaults. Every problem goes to `d`.
  void read(const Json& v, const std::string& path, T& out, Diagnostics& d) const {
    if (preset_lookup_ && v.is_string()) {
      if (apply_preset(v, path, out, d)) run_checks(out, v, path, d);
      return;
    }
    if (!v.is_object()) {
      return d.expected(path, preset_lookup_ ? "an object or a preset name" : "an object", describe_found(v));
    }
    const std::size_t problems_before = d.problems().size();
    if (preset_lookup_) {
      if (auto it = v.find("preset"); it != v.end()) apply_preset(*it, pointer_join(path, "preset"), out, d);
    }
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (preset_lookup_ && it.key() == "preset") continue;
      auto field = index_.find(it.key());
      if (field == index_.end()) {
        unknown_key(it.key(), path, d);
        continue;
      }
      fields_[field->second].read(out, it.value(), pointer_join(path, it.key()), d);
    }
    // A block naming a preset — even one that does not resolve, already reported — owes no keys.
    const bool names_preset = preset_lookup_ && v.contains("preset");
    for (const auto& f : fields_) {
      if (!names_preset && f.doc.required && !v.contains(f.doc.name)) {
        d.expected(pointer_join(path, f.doc.name),
                   "key \"" + f.doc.name + "\" (" + f.doc.type + ")" + (preset_lookup_ ? " or a \"preset\"" : ""),
                   "nothing");
      }
    }
    // Cross-field checks see only blocks that read cleanly (a check may divide by a field).
    if (d.problems().size() == problems_before) run_checks(out, v, path, d);
  }

 private:
  template <class>
  friend class Schema;

  struct Field {
    FieldDoc doc;
    ReadFn read;
  };

  void run_checks(T& out, const Json& v, const std::string& path, Diagnostics& d) const {
    for (const auto& c : checks_) c(out, v, path, d);
  }

  static std::string fmt_size(std::size_t n) { return "a string of " + std::to_string(n) + " characters"; }

  FieldDoc base_doc(std::string key, std::string type, std::string doc, Need need) const {
    FieldDoc f;
    f.name = std::move(key);
    f.type = std::move(type);
    f.doc = std::move(doc);
    f.required = need == Need::required;
    return f;
  }

  static void bind_reader(FieldDoc& f, const ReadFn& fn) {
    if (f.try_read) return;  // an embedded field keeps its own block's reader
    f.try_read = [fn](const Json& v, const std::string& path, Diagnostics& d) {
      T scratch{};
      fn(scratch, v, path, d);
    };
  }

  Schema& add(FieldDoc f, ReadFn fn) {
    bind_reader(f, fn);
    last_ = fields_.size();
    index_[f.name] = fields_.size();
    info_.fields.push_back(f);
    fields_.push_back({std::move(f), std::move(fn)});
    return *this;
  }

  bool apply_preset(const Json& name, const std::string& path, T& out, Diagnostics& d) const {
    if (!name.is_string()) {
      d.expected(path, "a preset name (one of " + join_names(info_.presets) + ")", describe_found(name));
      return false;
    }
    const auto& s = name.get_ref<const std::string&>();
    if (const T* p = preset_lookup_(s)) {
      out = *p;
      return true;
    }
    std::string expected = "a " + info_.name + " preset (one of " + join_names(info_.presets) + ")";
    std::string found = describe_found(name);
    if (auto near = did_you_mean(s, info_.presets)) found += " — did you mean " + *near + "?";
    d.expected(path, expected, found);
    return false;
  }

  void unknown_key(const std::string& key, const std::string& path, Diagnostics& d) const {
    std::vector<std::string> names;
    for (const auto& f : fields_) names.push_back(f.doc.name);
    if (preset_lookup_) names.push_back("preset");
    std::string msg = "unknown key " + describe_found(Json(key)) + " in " + info_.name;
    if (auto near = did_you_mean(key, names))
      msg += "; did you mean " + *near + "?";
    else
      msg += "; allowed keys: " + join_names(names);
    d.error(pointer_join(path, key), msg);
  }

  static std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  }

  SchemaInfo info_;
  std::vector<Field> fields_;
  std::map<std::string, std::size_t> index_;
  std::function<const T*(const std::string&)> preset_lookup_;
  std::vector<ReadFn> checks_;
  std::size_t last_ = 0;  // the field example() applies to
};

// `f` documented as holding a block read with `sub`: for custom fields that read one.
template <class U>
FieldDoc holding(FieldDoc f, const Schema<U>& sub) {
  if (f.block.empty()) f.block = sub.info().name;
  f.schemas.push_back(std::make_shared<const SchemaInfo>(sub.info()));
  return f;
}

}  // namespace leasesim::scenario
