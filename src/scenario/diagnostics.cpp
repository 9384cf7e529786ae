// Collects loader problems and prints them as "FILE: /path: expected …, found …" lines.
#include "leasesim/scenario/diagnostics.hpp"

#include <fmt/format.h>

namespace leasesim::scenario {

void Diagnostics::expected(std::string path, std::string_view expected, std::string_view found) {
  problems_.push_back({std::move(path), fmt::format("expected {}, found {}", expected, found)});
}

void Diagnostics::error(std::string path, std::string message) {
  problems_.push_back({std::move(path), std::move(message)});
}

void Diagnostics::warn(std::string path, std::string message) {
  warnings_.push_back({std::move(path), std::move(message)});
}

void Diagnostics::warnings_as_problems() {
  for (auto& w : warnings_)
    problems_.push_back({std::move(w.path), "warning made an error by --strict: " + std::move(w.message)});
  warnings_.clear();
}

namespace {

// Control characters (a NUL or newline inside a key, say) would cut or split a line: show them as \xNN.
std::string printable(std::string_view s) {
  // A pointer through a 100,000-character key stays one readable line.
  constexpr std::size_t max_shown = 240;
  if (s.size() > max_shown) {
    std::size_t cut = max_shown;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
    return printable(s.substr(0, cut)) + "…";
  }
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F)
      out += fmt::format("\\x{:02X}", u);
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string Diagnostics::format() const {
  std::string out;
  for (const auto& p : problems_) {
    out +=
        fmt::format("{}: {}: {}\n", printable(file_), p.path.empty() ? "/" : printable(p.path), printable(p.message));
  }
  return out;
}

std::string Diagnostics::format_warnings() const {
  std::string out;
  for (const auto& p : warnings_) {
    out += fmt::format("{}: {}: warning: {}\n", printable(file_), p.path.empty() ? "/" : printable(p.path),
                       printable(p.message));
  }
  return out;
}

std::string pointer_join(const std::string& base, std::string_view key) {
  std::string out = base;
  out += '/';
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string pointer_join(const std::string& base, std::size_t index) { return base + "/" + std::to_string(index); }

}  // namespace leasesim::scenario
