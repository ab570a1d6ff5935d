// clusterp-compare's work (design.md, "Compare"): two runs in, what changed
// between them out (report/compare.hpp judges).
//
// Directory mode: A and B are run directories, each read as the report
// reads one (parsed/, parsed/markers.csv, .clusterp/run.json), with its
// findings from report/findings.csv, or from the report's rules (its
// config.yml's `report:` settings) where there is none.  Writes, in the
// output directory, changes.csv (k_changes_header, the changes in
// compare_runs' order), compare.md and bands.csv (k_bands_header: what
// the compare page, page/compare_page, draws), and prints one line per
// change.
//
// Stream mode: A and B are CSV files of one category (a host's or several),
// each one phase "run"; the findings are the rules'; prints the lines only.
#pragma once

#include <string>

#include "report/compare.hpp"

namespace clusterp {

inline constexpr const char* k_changes_header = "phase,host,alias,resource,device,measure,a,b,change_pct,verdict";
// bands.csv: per phase, key measure (resource = category, measure = column)
// and run (A or B), the band over its hosts and devices: at each elapsed
// second from the phase's start, the min, median and max of the series'
// means over a bucket of the phase's length / k_band_points (at least 1 s).
inline constexpr const char* k_bands_header = "phase,resource,measure,run,elapsed,min,median,max";
inline constexpr double k_band_points = 300;

struct CompareOptions {
    std::string a;  // a run directory, or a CSV file (both the same kind)
    std::string b;
    std::string output = "compare";  // directory mode
    bool quiet = false;              // print only whether they differ, write nothing
    CompareSettings settings;
};

// Returns 0 when nothing changed past the thresholds, 1 when something
// did, 2 when some input file was bad (reported; the rest compared).
// Throws Error on trouble that ends the comparison (its one line names the
// file): 64 usage (a file and a directory), 65/66 unreadable or empty input,
// 73/74 writing.
int compare_two(const CompareOptions& options);

}  // namespace clusterp
