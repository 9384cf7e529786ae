// `leasesim report` (html_report.hpp): the page of a result, built by the page of its kind
// (html_pages.hpp) and rendered as one self-contained HTML document (html_page.hpp). Reading the
// input is html_input.cpp.
#include "leasesim/report/html_report.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "leasesim/report/html_json.hpp"
#include "leasesim/report/html_pages.hpp"

namespace leasesim::report {

std::string_view kind_name(ResultKind kind) {
  switch (kind) {
    case ResultKind::run:
      return "run";
    case ResultKind::compare:
      return "compare";
    case ResultKind::sweep:
      return "sweep";
    case ResultKind::plan:
      return "plan";
    case ResultKind::sensitivity:
      return "sensitivity";
  }
  return "run";
}

ReportPage html_report_checked(const ReportInput& input) {
  ReportPage page;
  std::vector<std::string> pointers;
  {
    html::MissingKeys missing(input.doc);
    page.html = html_report(input);
    pointers = missing.pointers();
  }
  for (const auto& pointer : pointers) {
    const auto slash = pointer.rfind('/');
    std::string where = pointer;
    if (input.kind == ResultKind::sweep) {  // "/3/row/x" is line L of the JSONL, at /row/x
      const auto end = pointer.find('/', 1);
      const auto row = static_cast<std::size_t>(std::stoul(pointer.substr(1, end - 1)));
      where = fmt::format("line {}: {}", row < input.lines.size() ? input.lines[row] : row + 1, pointer.substr(end));
    }
    page.missing.push_back(fmt::format("{}: {}: expected key \"{}\" (the report reads it), found nothing", input.source,
                                       where, pointer.substr(slash + 1)));
  }
  return page;
}

std::string html_report(const ReportInput& input) {
  switch (input.kind) {
    case ResultKind::run:
      return html::render(html::run_page(input.doc, input.source));
    case ResultKind::compare:
      return html::render(html::compare_page(input.doc, input.source));
    case ResultKind::sweep:
      return html::render(html::sweep_page(input.doc, input.source));
    case ResultKind::plan:
      return html::render(html::plan_page(input.doc, input.source));
    case ResultKind::sensitivity:
      return html::render(html::sensitivity_page(input.doc, input.source));
  }
  return {};
}

}  // namespace leasesim::report
