// `leasesim report` (html_report.hpp): the page of a result, built by the page of its kind
// (html_pages.hpp) and rendered as one self-contained HTML document (html_page.hpp). Reading the
// input is html_input.cpp.
#include "leasesim/report/html_report.hpp"

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
  }
  return "run";
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
  }
  return {};
}

}  // namespace leasesim::report
