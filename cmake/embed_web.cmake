# Turns the minified builds of the charting libraries in web/node_modules (vega, vega-lite,
# vega-embed) into a C++ source, so `leasesim report` writes HTML that needs no network and no files
# beside it. Run by CMakeLists.txt at build time with -DOUT=<generated .cpp> -DDIR=<web/node_modules>.
#
# Each file becomes an array of bytes rather than a string literal: JavaScript holds every sequence a
# raw string's delimiter could be, and some compilers cap the length of a literal.
set(packages vega vega-lite vega-embed)
set(body "// Generated from web/node_modules by cmake/embed_web.cmake. Do not edit.\n")
string(APPEND body "#include <array>\n#include <string_view>\n#include <vector>\n")
string(APPEND body "namespace leasesim::report {\nnamespace {\n")
set(entries "")
foreach(package ${packages})
  set(js ${DIR}/${package}/build/${package}.min.js)
  if(NOT EXISTS ${js})
    message(FATAL_ERROR "embed_web: ${js} is missing: run tools/install-deps (npm ci --prefix web)")
  endif()
  file(READ ${DIR}/${package}/package.json manifest)
  string(JSON version GET "${manifest}" version)
  string(JSON license GET "${manifest}" license)
  file(READ ${DIR}/${package}/LICENSE license_text)

  # The page inlines the code in a <script> element: the HTML parser would end it at "</script" and
  # treat "<!--" specially. Refuse a build that holds either rather than emit a broken page.
  file(READ ${js} text)
  string(TOLOWER "${text}" lower)
  foreach(bad "</script" "<!--")
    string(FIND "${lower}" "${bad}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "embed_web: ${js} contains \"${bad}\" and cannot be inlined in a <script> element")
    endif()
  endforeach()

  file(READ ${js} hex HEX)
  # Drop the trailing "//# sourceMappingURL=…" comment: the .map file is not in the page.
  string(FIND "${hex}" "2f2f2320736f757263654d617070696e6755524c3d" map_at REVERSE)  # "//# sourceMappingURL="
  if(NOT map_at EQUAL -1)
    math(EXPR odd "${map_at} % 2")
    if(odd EQUAL 0)
      string(SUBSTRING "${hex}" 0 ${map_at} hex)
    endif()
  endif()
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REPEAT "0x..," 24 line_of_bytes)
  string(REGEX REPLACE "(${line_of_bytes})" "\\1\n" bytes "${bytes}")
  string(MAKE_C_IDENTIFIER ${package} id)
  string(LENGTH "${hex}" hex_length)
  math(EXPR length "${hex_length} / 2")
  string(APPEND body "const unsigned char ${id}_js[${length}] = {\n${bytes}};\n")

  file(READ ${DIR}/${package}/LICENSE license_hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," license_bytes "${license_hex}")
  string(LENGTH "${license_hex}" license_hex_length)
  math(EXPR license_length "${license_hex_length} / 2")
  string(APPEND body "const unsigned char ${id}_license[${license_length}] = {\n${license_bytes}};\n")
  string(APPEND entries "      {\"${package}\", \"${version}\", \"${license}\",\n"
         "       {reinterpret_cast<const char*>(${id}_license), sizeof ${id}_license},\n"
         "       {reinterpret_cast<const char*>(${id}_js), sizeof ${id}_js}},\n")
endforeach()
string(APPEND body "}  // namespace\n\n")
string(APPEND body "// {package, version, SPDX license, license text, minified code}, in the order a page loads them.\n")
string(APPEND body "const std::vector<std::array<std::string_view, 5>>& embedded_chart_libraries() {\n")
string(APPEND body "  static const std::vector<std::array<std::string_view, 5>> libraries = {\n${entries}  };\n")
string(APPEND body "  return libraries;\n}\n}  // namespace leasesim::report\n")
file(WRITE ${OUT}.tmp "${body}")
file(RENAME ${OUT}.tmp ${OUT})
