#include "report/report_write.hpp"

#include <cmath>
#include <cstdint>

#include "model/contract.hpp"
#include "model/csv.hpp"
#include "report/rules_common.hpp"

namespace clusterp {

namespace {

std::string iso_text(double time) {
    char text[32];
    return std::string(text, format_iso8601(std::int64_t(std::llround(time * 1000)), text));
}

// Markdown table cells: a '|' would end the cell, and '<', '>', '&' start
// HTML (a command name is anything its author chose).
std::string cell(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else {
            if (c == '|') out += '\\';
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string findings_csv(const std::vector<Finding>& findings) {
    std::string out;
    CsvWriter csv([&](const char* data, std::size_t size) { out.append(data, size); });
    csv.raw(k_findings_header);
    csv.end_row();
    for (const Finding& f : findings) {
        csv.text(f.phase);
        csv.raw(iso_text(f.start));
        csv.raw(iso_text(f.end));
        csv.text(f.host);
        csv.text(f.alias);
        csv.text(f.resource);
        csv.text(f.device);
        csv.text(finding_name(f.kind));
        csv.raw(severity_name(finding_severity(f.kind)));
        csv.number(f.value);
        csv.number(f.threshold);
        csv.raw(number_text(f.share, "%.2f"));
        csv.text(f.evidence);
        csv.text(f.processes);
        csv.end_row();
    }
    csv.flush();
    return out;
}

std::string finding_line(const Finding& f) {
    return f.phase + " " + (f.alias.empty() ? f.host : f.alias) + " " + f.resource + (f.device.empty() ? "" : " " + f.device) +
           " " + finding_short_name(f.kind) + ": " + f.evidence + (f.processes.empty() ? "" : "; top: " + f.processes) +
           "\n";
}

std::string no_finding_line(std::size_t hosts, std::size_t phases) {
    return "no finding: no rule fired on " + std::to_string(hosts) + (hosts == 1 ? " host" : " hosts") + " in " +
           std::to_string(phases) + (phases == 1 ? " phase" : " phases") + "\n";
}

std::string report_markdown(const ReportSummary& summary, const std::vector<Finding>& findings) {
    std::string md = "# clusterp report" + (summary.run_id.empty() ? std::string() : " for run " + summary.run_id) + "\n\n";
    md += std::to_string(summary.hosts) + (summary.hosts == 1 ? " host" : " hosts") + ", " +
          std::to_string(summary.phases.size()) + (summary.phases.size() == 1 ? " phase" : " phases") +
          "; the rules and their thresholds are in clusterp-report(1).\n\n";
    for (const std::string& note : summary.notes) md += note + "\n\n";
    md += "| phase | start (UTC) | end (UTC) |\n|---|---|---|\n";
    for (const Phase& p : summary.phases) md += "| " + cell(p.label) + " | " + iso_text(p.start) + " | " + iso_text(p.end) + " |\n";
    md += "\n## Findings\n\n";
    if (findings.empty()) return md + "No finding: no rule fired.\n";
    md += "| severity | phase | host | resource | finding | share | evidence | top processes |\n"
          "|---|---|---|---|---|---|---|---|\n";
    for (const Finding& f : findings)
        md += "| " + std::string(severity_name(finding_severity(f.kind))) + " | " + cell(f.phase) + " | " +
              cell(f.alias.empty() ? f.host : f.alias) + " | " + cell(f.resource + (f.device.empty() ? "" : " " + f.device)) +
              " | " + finding_name(f.kind) + " | " + number_text(100 * f.share, "%.0f") + "% | " + cell(f.evidence) +
              " | " + cell(f.processes) + " |\n";
    return md;
}

}  // namespace clusterp
