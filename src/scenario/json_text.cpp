// Strict JSON text reading: UTF-8, size, depth and duplicate-key checks around nlohmann::json.
#include "leasesim/scenario/json_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <vector>

namespace leasesim::scenario {

namespace {

struct Position {
  std::size_t line = 1, column = 1;
};

Position position_of(std::string_view text, std::size_t offset) {
  Position p;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

std::string at(std::string_view text, std::size_t offset) {
  const Position p = position_of(text, offset);
  return fmt::format("line {}, column {}", p.line, p.column);
}

// Offset of the first byte that breaks UTF-8 (overlongs, surrogates and > U+10FFFF included).
std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else
      return i;
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong = (n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n + 1;
  }
  return std::nullopt;
}

// Deepest nesting of [ and { outside strings, and where it first passes `limit`.
std::optional<std::size_t> too_deep_at(std::string_view s, int limit) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

// Tracks where the parser is, to name duplicate keys by JSON pointer.
struct Frame {
  bool is_object = false;
  std::set<std::string> keys;
  std::string key;        // current key (objects)
  std::size_t index = 0;  // current index (arrays)
};

std::string pointer_of(const std::vector<Frame>& stack, std::size_t depth) {
  std::string p;
  for (std::size_t i = 0; i < depth && i < stack.size(); ++i) {
    p = stack[i].is_object ? pointer_join(p, stack[i].key) : pointer_join(p, stack[i].index);
  }
  return p;
}

}  // namespace

std::optional<Json> parse_json_text(std::string_view text, Diagnostics& d) {
  if (text.size() > max_json_bytes) {
    d.expected("", fmt::format("an input of at most {} MiB", max_json_bytes >> 20),
               fmt::format("{} bytes", text.size()));
    return std::nullopt;
  }
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    d.expected("", "a JSON object", "an empty file");
    return std::nullopt;
  }
  if (auto bad = first_invalid_utf8(text)) {
    d.expected(at(text, *bad), "UTF-8 text", fmt::format("the byte 0x{:02X}", static_cast<unsigned char>(text[*bad])));
    return std::nullopt;
  }
  // nlohmann's lexer takes a NUL byte for the end of input; JSON never holds a raw NUL.
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    d.expected(at(text, nul), "JSON text", "the byte 0x00");
    return std::nullopt;
  }
  if (auto deep = too_deep_at(text, max_json_depth)) {
    d.expected(at(text, *deep), fmt::format("JSON nested at most {} levels deep", max_json_depth), "deeper nesting");
    return std::nullopt;
  }

  std::vector<Frame> stack;
  std::vector<std::string> duplicates;
  const auto advance_array = [&] {
    if (!stack.empty() && !stack.back().is_object) ++stack.back().index;
  };
  Json::parser_callback_t track = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        stack.push_back({true, {}, {}, 0});
        break;
      case Json::parse_event_t::array_start:
        stack.push_back({false, {}, {}, 0});
        break;
      case Json::parse_event_t::key: {
        const auto& key = parsed.get_ref<const std::string&>();
        if (!stack.empty()) {
          stack.back().key = key;
          if (!stack.back().keys.insert(key).second) duplicates.push_back(pointer_of(stack, stack.size()));
        }
        break;
      }
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        if (!stack.empty()) stack.pop_back();
        advance_array();
        break;
      case Json::parse_event_t::value:
        advance_array();
        break;
    }
    return true;
  };

  Json doc;
  try {
    doc = Json::parse(text.begin(), text.end(), track, /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    // nlohmann: "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error while
    // parsing value - invalid literal; last read: 'NaN'"; keep the part after the position.
    if (auto colon = what.find(": ", what.find("column")); colon != std::string::npos) what = what.substr(colon + 2);
    d.expected(at(text, e.byte > 0 ? e.byte - 1 : 0), "valid JSON", what);
    return std::nullopt;
  } catch (const Json::out_of_range& e) {
    // nlohmann: "[json.exception.out_of_range.406] number overflow parsing '1e999'" (no position).
    std::string what = e.what();
    if (auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
    std::size_t where = 0;
    if (auto q = what.find('\''); q != std::string::npos) {
      const std::string literal = what.substr(q + 1, what.rfind('\'') - q - 1);
      if (auto pos = text.find(literal); pos != std::string_view::npos) where = pos;
    }
    d.expected(at(text, where), "a number within ±1.8e308", what);
    return std::nullopt;
  } catch (const std::exception& e) {
    d.expected("", "valid JSON", e.what());
    return std::nullopt;
  }
  for (const auto& path : duplicates) d.error(path, "duplicate key: each key may appear once in an object");
  if (!d.ok()) return std::nullopt;
  return doc;
}

namespace {

std::string too_large() { return fmt::format("an input of at most {} MiB", max_json_bytes >> 20); }

// Reads `in` to its end or to one byte past the bound, whichever comes first.
std::optional<std::string> read_bounded(std::FILE* in, Diagnostics& d) {
  std::string text;
  char chunk[1 << 16];
  for (;;) {
    const std::size_t want = std::min(sizeof chunk, max_json_bytes + 1 - text.size());
    const std::size_t got = std::fread(chunk, 1, want, in);
    text.append(chunk, got);
    if (text.size() > max_json_bytes) {
      d.expected("", too_large(), fmt::format("more than {} MiB", max_json_bytes >> 20));
      return std::nullopt;
    }
    if (got < want) break;
  }
  if (std::ferror(in)) {
    d.expected("", "a readable file", "a read error");
    return std::nullopt;
  }
  return text;
}

}  // namespace

std::optional<std::string> read_input_text(const std::string& path, Diagnostics& d) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (std::filesystem::is_directory(status)) {
    d.expected("", "a JSON file", "a directory");
    return std::nullopt;
  }
  // A regular file's size is known before reading it.
  if (std::filesystem::is_regular_file(status)) {
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > max_json_bytes) {
      d.expected("", too_large(), fmt::format("{} bytes", size));
      return std::nullopt;
    }
  }
  std::FILE* in = std::fopen(path.c_str(), "rb");
  if (in == nullptr) {
    d.expected("", "a readable file", "no such file or no permission to read it");
    return std::nullopt;
  }
  auto text = read_bounded(in, d);
  std::fclose(in);
  return text;
}

std::optional<std::string> read_stdin_text(Diagnostics& d) { return read_bounded(stdin, d); }

std::optional<Json> read_json_file(const std::string& path, Diagnostics& d) {
  auto text = read_input_text(path, d);
  if (!text) return std::nullopt;
  return parse_json_text(*text, d);
}

}  // namespace leasesim::scenario
