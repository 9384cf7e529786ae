// The model of a `leasesim report` page (html_report.hpp) and its rendering: a title, a summary
// table, then sections, each an optional Vega-Lite chart followed by tables of the same numbers.
// The page builders (html_pages.hpp) fill a Page; render() writes it as one self-contained HTML
// document with vega, vega-lite and vega-embed inlined.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "leasesim/report/html_json.hpp"

namespace leasesim::report::html {

struct HtmlColumn {
  std::string header;  // with its unit: "productive (GPU-h)"
  bool numeric = true;
};

struct HtmlTable {
  std::string caption;
  std::vector<HtmlColumn> columns;
  std::vector<std::vector<std::string>> rows;  // plain text, escaped when written
};

struct Section {
  std::string chart_id;  // empty: a section of tables only
  std::string title;
  std::string caption;
  Json spec;
  std::vector<HtmlTable> tables;
};

struct Page {
  std::string title;
  std::string subtitle;
  HtmlTable summary;
  std::vector<Section> sections;
};

// The page as HTML: deterministic, no external resource; text from the input is escaped.
std::string render(const Page& p);

// `s` with & < > " ' written as entities.
std::string escape_html(std::string_view s);

// JSON for a <script> element: "<" written as \u003c, so no text can close the element.
std::string script_json(const Json& j);

}  // namespace leasesim::report::html
