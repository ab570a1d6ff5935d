// clusterp-report's work: parsed CSV -> findings (report/rules.hpp).
//
// Directory mode reads parsed/<category>/<host> (cpu load memory swap disk
// network gpu, and processes for the findings' top processes),
// parsed/markers.csv when present (its phases; without one the
// whole run is one phase, "run") and .clusterp/run.json (CPU counts), and
// writes report/findings.csv and report/report.md atomically; stream mode
// reads the given CSV files (or stdin) and writes to stdout only.  Both
// print the findings on stdout, most severe first, one line each, or one
// line saying there is none (stream mode: or findings.csv or report.md,
// with `format`).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "report/rules.hpp"
#include "report/top_processes.hpp"

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

// Category -> the columns to read of it (rule_columns(), or more).
using RunColumns = std::map<std::string, std::vector<std::string>>;

// A run's parsed data as the rules judge it: hosts in the manifest's order
// (with their CPU counts: CPUS when above 0, else what sysstat recorded,
// else run.json's), then the others as read;
// the phases of its markers, or one phase "run" over every sample.
struct ParsedRun {
    std::vector<HostData> hosts;
    std::vector<Phase> phases;
    std::string run_id;  // the manifest's; may be empty
    bool bad = false;    // some input file was bad (each reported, the rest read)
    std::vector<std::string> notes;  // CPU counts run.json and the data disagree on (said on stderr)
    std::map<std::string, std::vector<ProcessSample>> processes;  // by host (parsed/processes)
};

// Reads DIR's parsed/<category>/<host> files, parsed/markers.csv and
// .clusterp/run.json where present.  Throws Error: 66 no DIR/parsed, 65 no
// rows at all.
ParsedRun read_parsed_run(const std::string& dir, const RunColumns& columns, int cpus);
// Stream mode: the CSV files PATHS ("-" is stdin), the markers of
// MARKERS_PATH ("" for none), ./.clusterp/run.json where present.
ParsedRun read_parsed_files(const std::vector<std::string>& paths, const std::string& markers_path,
                            const RunColumns& columns, int cpus);

// The rules' defaults overridden by the `report:` key of CONFIG_PATH (a
// missing file is an error only when REQUIRED).  Throws Error 78 on a bad
// setting.
RuleSettings rule_settings_from(const std::string& config_path, bool required);

}  // namespace clusterp
