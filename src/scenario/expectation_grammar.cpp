// Parsing "PATH OP VALUE" expectations (see expectation_grammar.hpp).
#include "leasesim/scenario/expectation_grammar.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>
#include <utility>

namespace leasesim::scenario {

using nlohmann::json;

namespace {

constexpr std::array<std::pair<const char*, CompareOp>, 6> ops = {{{"==", CompareOp::eq},
                                                                   {"!=", CompareOp::ne},
                                                                   {"<=", CompareOp::le},
                                                                   {">=", CompareOp::ge},
                                                                   {"<", CompareOp::lt},
                                                                   {">", CompareOp::gt}}};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

const char* op_text(CompareOp op) {
  for (const auto& [t, o] : ops) {
    if (o == op) return t;
  }
  return "?";
}

std::optional<Expectation> parse_expectation(const std::string& text, std::string& error) {
  // The first operator outside the path (paths hold no '<', '>', '=', '!').
  const auto at = text.find_first_of("<>=!");
  if (at == std::string::npos) {
    error = fmt::format("expected \"PATH OP VALUE\" with OP one of == != < <= > >=, found \"{}\"", text);
    return std::nullopt;
  }
  Expectation e;
  e.text = text;
  e.path = trim(text.substr(0, at));
  std::size_t op_len = 0;
  for (const auto& [t, o] : ops) {
    const std::string_view sv(t);
    if (text.compare(at, sv.size(), sv) == 0) {
      e.op = o;
      op_len = sv.size();
      break;
    }
  }
  if (op_len == 0 || e.path.empty()) {
    error = fmt::format("expected \"PATH OP VALUE\" with OP one of == != < <= > >=, found \"{}\"", text);
    return std::nullopt;
  }
  const std::string value = trim(text.substr(at + op_len));
  if (value.empty()) {
    error = fmt::format("expected a value after \"{}\" in \"{}\"", op_text(e.op), text);
    return std::nullopt;
  }
  e.value = json::parse(value, nullptr, false);
  if (e.value.is_discarded()) e.value = value;  // bare text: a date, a name
  if (e.path[0] == '/') {
    try {
      const json::json_pointer p(e.path);
    } catch (const json::exception&) {
      error = fmt::format("expected a JSON pointer or dotted keys, found \"{}\"", e.path);
      return std::nullopt;
    }
  }
  return e;
}

}  // namespace leasesim::scenario
