// The run page, plot/index.html (design.md), built from the files of a run
// directory alone, so that it can be rebuilt whenever one of them changes:
// clusterp-plot writes it after drawing, and clusterp-report rebuilds it
// after writing report/findings.csv, which then appears at the top.  Above
// plot and report (it reads their files, never their code), so neither
// reaches into the other.  Reads
//   .clusterp/run.json       the run id
//   parsed/cpu/*             the run's time span (first and last rows)
//   parsed/markers.csv       the markers and phases
//   plot/hosts.csv           the hosts, in plot's order, and the host table
//   plot/<category>/*.svg    the plots (png when no svg was drawn)
//   report/findings.csv      the findings, each linked to the heatmap that shows it
//   report/processes.csv     each host's top processes, linked from the host table
// any of which may be missing.
#pragma once

#include <string>
#include <vector>

namespace clusterp {

// Writes DIR/plot/index.html atomically from DIR's files as listed above.
// Returns false, writing nothing, when DIR holds no svg or png plot.
// Unreadable rows of the CSV files are left out (their tools report them).
// Throws Error 73, 74 when the page cannot be written.
bool write_run_page(const std::string& dir);

}  // namespace clusterp
