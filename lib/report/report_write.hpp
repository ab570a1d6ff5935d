// How clusterp-report writes its findings (design.md, "Markers, the
// report"): report/findings.csv, report/report.md and the stdout lines.
// Pure: findings in, text out.
#pragma once

#include <string>
#include <vector>

#include "report/rules.hpp"

namespace clusterp {

// The header of report/findings.csv.
inline constexpr const char* k_findings_header =
    "phase,start,end,host,alias,resource,device,finding,severity,value,threshold,share,evidence,processes";

// The whole of findings.csv: the header, then one row per finding in the
// order given; start and end in ISO 8601 UTC, share with two decimals.
std::string findings_csv(const std::vector<Finding>& findings);

// One stdout line, LF included: `PHASE ALIAS RESOURCE[ DEVICE] FINDING:
// EVIDENCE`, the finding's short name after the resource, then `; top:
// PROCESSES` when the finding names them.
std::string finding_line(const Finding& finding);

// The line that says there is nothing to report, LF included.
std::string no_finding_line(std::size_t hosts, std::size_t phases);

// report/report.md: the run, its phases, and the findings as a table (or a
// sentence saying there is none).
struct ReportSummary {
    std::string run_id;  // may be empty
    std::size_t hosts = 0;
    std::vector<Phase> phases;
    // Where the CPU counts came from, when it needs saying (a host whose
    // run.json and data disagree): one sentence each.
    std::vector<std::string> notes;
};
std::string report_markdown(const ReportSummary& summary, const std::vector<Finding>& findings);

}  // namespace clusterp
