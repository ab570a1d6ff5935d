// clusterp-report's work: parsed CSV -> findings (report/rules.hpp).
//
// Directory mode reads parsed/<category>/<host> (cpu load memory swap disk
// network), parsed/markers.csv when present (its phases; without one the
// whole run is one phase, "run") and .clusterp/run.json (CPU counts), and
// writes report/findings.csv and report/report.md atomically; stream mode
// reads the given CSV files (or stdin) and writes to stdout only.  Both
// print the findings on stdout, most severe first, one line each, or one
// line saying there is none (stream mode: or findings.csv or report.md,
// with `format`).
#pragma once

#include <string>
#include <vector>

namespace clusterp {

enum class ReportFormat { lines, csv, markdown };

struct ReportOptions {
    std::vector<std::string> inputs;  // stream mode when not empty; "-" is stdin
    std::string markers;              // stream mode: a markers.csv; empty: none
    int cpus = 0;                     // every host's CPU count; 0: from the data or the manifest
    bool processes = true;            // findings name the top processes (parsed/processes)
    ReportFormat format = ReportFormat::lines;  // stream mode
    std::string config_path = "config.yml";
    bool config_required = false;  // -c given: a missing file is an error
};

// Returns the exit status: 0, or 65 when some input was bad (each reported,
// the rest still judged).  Throws Error: 66 no parsed/ directory or input
// file, 65 no data at all, 78 a bad `report:` setting, 73/74 writing.
int report_directory(const ReportOptions& options);
int report_stream(const ReportOptions& options);

}  // namespace clusterp
