// Reading the input of `leasesim report` (html_report.hpp): a run, compare, plan or sensitivity document, or the
// JSONL rows of a sweep, its kind told from its shape and the fields the charts need checked; every
// problem is one line naming the file.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <vector>

#include "leasesim/report/html_json.hpp"
#include "leasesim/report/html_report.hpp"
#include "leasesim/scenario/diagnostics.hpp"
#include "leasesim/scenario/json_text.hpp"

namespace leasesim::report {

namespace {

using html::get;
using html::Json;

std::string found_text(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    case Json::value_t::array:
      return v.empty() ? "an empty list" : fmt::format("a list of {}", v.size());
    case Json::value_t::object: {
      if (v.empty()) return "an empty object";
      std::vector<std::string> keys;
      for (auto it = v.begin(); it != v.end() && keys.size() < 5; ++it) keys.push_back("\"" + it.key() + "\"");
      return fmt::format("an object with keys {}{}", fmt::join(keys, ", "), v.size() > keys.size() ? ", …" : "");
    }
    default:
      return "an unsupported value";
  }
}

constexpr const char* expected_kinds =
    "the JSON of leasesim run, compare, plan or sensitivity, or the JSONL rows of leasesim sweep";

// The first problem of a failed parse, as "FILE: PATH: MESSAGE" with `line` replacing a one-line
// document's "line 1".
std::string first_problem(const scenario::Diagnostics& d, std::size_t line = 0) {
  if (d.problems().empty()) return d.file() + ": expected JSON, found unreadable text";
  const auto& p = d.problems().front();
  std::string where = p.path;
  if (line > 0 && where.rfind("line 1,", 0) == 0)
    where = fmt::format("line {},{}", line, where.substr(7));
  else if (line > 0)
    where = fmt::format("line {}{}", line, where.empty() ? "" : ": " + where);
  return d.file() + ": " + (where.empty() ? "" : where + ": ") + p.message;
}

// Checks `doc[key]` is of the type the charts need; returns "FILE: /key: expected …" if not.
std::string require(const Json& doc, const std::string& pointer, bool want_array, const std::string& source) {
  const Json* v = &doc;
  std::string key;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      v = &get(*v, key);
      key.clear();
    } else {
      key += pointer[i];
    }
  }
  if (want_array ? v->is_array() : v->is_object()) return {};
  return fmt::format("{}: {}: expected {}, found {}", source, pointer, want_array ? "a list" : "an object",
                     v->is_null() ? "nothing" : found_text(*v));
}

ReportInputLoad with_kind(ResultKind kind, Json doc, const std::string& source) {
  std::vector<std::pair<std::string, bool>> needed;  // pointer, is a list
  switch (kind) {
    case ResultKind::run:
      needed = {{"/jobs", true}, {"/cluster", false}, {"/cluster/months", true}, {"/cluster/gpu_hours", false}};
      break;
    case ResultKind::compare:
      needed = {{"/alternatives", true}};
      break;
    case ResultKind::plan:
      if (doc.is_object() && doc.contains("kind") && doc["kind"] == "levers")
        needed = {{"/candidates", true}, {"/levers", false}};  // a plan over lease terms
      else
        needed = {{"/curve", true}};
      break;
    case ResultKind::sensitivity:
      needed = {{"/base", false}, {"/inputs", true}};
      break;
    case ResultKind::sweep:
      break;
  }
  for (const auto& [pointer, list] : needed) {
    if (auto problem = require(doc, pointer, list, source); !problem.empty()) return {std::nullopt, problem};
  }
  return {ReportInput{kind, std::move(doc), source, {}}, {}};
}

bool is_sweep_row(const Json& v) { return v.is_object() && v.contains("point") && v.contains("seed"); }

// The non-blank lines of `text` with their numbers.
std::vector<std::pair<std::size_t, std::string_view>> text_lines(std::string_view text) {
  std::vector<std::pair<std::size_t, std::string_view>> lines;
  std::size_t number = 0;
  for (std::size_t begin = 0; begin <= text.size();) {
    auto end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    ++number;
    const auto line = text.substr(begin, end - begin);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) lines.emplace_back(number, line);
    begin = end + 1;
  }
  return lines;
}

ReportInputLoad parse_sweep_rows(const std::vector<std::pair<std::size_t, std::string_view>>& lines,
                                 const std::string& source) {
  Json rows = Json::array();
  for (const auto& [line_number, line] : lines) {
    scenario::Diagnostics d(source);
    if (!scenario::parse_json_text(line, d)) return {std::nullopt, first_problem(d, line_number)};
    Json row = Json::parse(std::string(line));
    if (!is_sweep_row(row)) {
      return {std::nullopt, fmt::format("{}: line {}: expected {} (a sweep row has \"point\" and \"seed\"), found {}",
                                        source, line_number, expected_kinds, found_text(row))};
    }
    rows.push_back(std::move(row));
  }
  auto load = with_kind(ResultKind::sweep, std::move(rows), source);
  if (load.input) {
    for (const auto& [line_number, line] : lines) load.input->lines.push_back(line_number);
  }
  return load;
}

ReportInputLoad parse_document(std::string_view text, const std::string& source) {
  scenario::Diagnostics d(source);
  if (!scenario::parse_json_text(text, d)) return {std::nullopt, first_problem(d)};
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  Json doc = Json::parse(std::string(text));
  const auto has = [&doc](const char* key) { return doc.is_object() && doc.contains(key); };
  if (has("alternatives") && has("ranked_by")) return with_kind(ResultKind::compare, std::move(doc), source);
  if (has("curve") && has("capacity_unit")) return with_kind(ResultKind::plan, std::move(doc), source);
  if (has("kind") && get(doc, "kind") == Json("sensitivity"))
    return with_kind(ResultKind::sensitivity, std::move(doc), source);
  if (has("candidates") && has("levers") && doc["kind"] == "levers")
    return with_kind(ResultKind::plan, std::move(doc), source);  // a plan over lease terms
  if (has("jobs") && get(get(doc, "cluster"), "gpu_hours").is_object())
    return with_kind(ResultKind::run, std::move(doc), source);
  if (is_sweep_row(doc)) return with_kind(ResultKind::sweep, Json::array({std::move(doc)}), source);
  // An input file where its result was meant: say which command makes the result.
  const char* input = has("alternatives") ? "a compare file (its result: leasesim compare FILE --format json)"
                      : has("axes")       ? "a sweep file (its result: leasesim sweep FILE --format jsonl)"
                      : has("capacity")   ? "a plan file (its result: leasesim plan FILE --format json)"
                      : has("cluster")    ? "a scenario (its result: leasesim run FILE --format json)"
                                          : nullptr;
  return {std::nullopt,
          fmt::format("{}: expected {}, found {}", source, expected_kinds, input ? input : found_text(doc))};
}

// The text of FILE, or of a sweep folder's results.jsonl; `source` becomes the file read.
std::optional<std::string> read_input(const std::string& path, std::string& source, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string file = path;
  if (fs::is_directory(path, ec)) {
    file = (fs::path(path) / "results.jsonl").string();
    if (!fs::is_regular_file(file, ec)) {
      error = fmt::format(
          "{}: expected a result file or a sweep --out folder holding results.jsonl, "
          "found a folder without results.jsonl",
          path);
      return std::nullopt;
    }
    source = file;
  }
  // The bounded reader every input goes through (scenario/json_text.hpp).
  scenario::Diagnostics d(source);
  auto text = scenario::read_input_text(file, d);
  if (!text) error = fmt::format("{}: {}", path, d.problems().front().message);
  return text;
}

}  // namespace

ReportInputLoad parse_report_input(std::string_view text, const std::string& source) {
  // JSONL when the first non-blank line is a whole JSON object by itself (a pretty-printed document's
  // first line is just "{").
  const auto lines = text_lines(text);
  const std::string first = lines.empty() ? std::string() : std::string(lines.front().second);
  const bool jsonl = !lines.empty() && Json::accept(first) && (lines.size() > 1 || is_sweep_row(Json::parse(first)));
  return jsonl ? parse_sweep_rows(lines, source) : parse_document(text, source);
}

ReportInputLoad load_report_input(const std::string& path) {
  std::string text;
  std::string source = path;
  if (path == "-") {
    source = "stdin";
    scenario::Diagnostics d(source);
    auto read = scenario::read_stdin_text(d);
    if (!read) return {std::nullopt, fmt::format("{}: {}", source, d.problems().front().message)};
    text = std::move(*read);
  } else {
    std::string error;
    auto read = read_input(path, source, error);
    if (!read) return {std::nullopt, error};
    text = std::move(*read);
  }
  return parse_report_input(text, source);
}

}  // namespace leasesim::report
