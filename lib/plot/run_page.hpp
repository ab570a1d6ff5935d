// The run page, plot/index.html (design.md), built from the files of a run
// directory alone, so that it can be rebuilt whenever one of them changes:
// plot writes it after drawing, and the report rebuilds it after writing
// report/findings.csv, which then appears at the top.  Reads
//   .clusterp/run.json       the run id
//   parsed/cpu/*             the run's time span (first and last rows)
//   parsed/markers.csv       the markers and phases
//   plot/hosts.csv           the hosts, in plot's order, and the host table
//   plot/<category>/*.svg    the plots (png when no svg was drawn)
//   report/findings.csv      the findings, each linked to the heatmap that shows it
// any of which may be missing.
#pragma once

#include <string>
#include <vector>

#include "plot/plot_index.hpp"
#include "plot/views.hpp"

namespace clusterp {

// Where plot keeps the host table: `host,alias,category,metric,mean,p95,max`,
// one row per host and metric of the table (metric: the contract's column,
// figures empty where the host has none).
inline constexpr const char* k_hosts_csv = "plot/hosts.csv";

// Writes DIR/plot/hosts.csv: HOSTS in their order, each with its figures
// of every metric of TABLE.  Throws Error 73, 74 when it cannot be written.
void write_hosts_csv(const std::string& dir, const std::vector<IndexHost>& hosts, const std::vector<TableMetric>& table);

// Writes DIR/plot/index.html atomically from DIR's files as listed above.
// Returns false, writing nothing, when DIR holds no svg or png plot.
// Unreadable rows of the CSV files are left out (their tools report them).
// Throws Error 73, 74 when the page cannot be written.
bool write_run_page(const std::string& dir);

}  // namespace clusterp
