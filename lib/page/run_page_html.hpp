// plot/index.html, the run page, as text (page/run_page gathers it from the
// run's files).  At the top the report's findings (when
// report/findings.csv exists), each linked to its plot; the run's span,
// hosts, markers and phases; per category the heatmaps and bands first,
// then the line plots (folded away beyond 16 hosts); last a table of every
// host's mean, 95th percentile and max of each metric, the worst value of
// each column marked, that sorts by any column (a few lines of plain
// JavaScript: page/html), each host's name linking to its top processes
// when report/processes.csv has them, in a section after it.  Pure: builds the text, writes nothing.
#pragma once

#include <string>
#include <vector>


namespace clusterp {

enum class IndexPlotKind { heatmap, band, line };

struct IndexPlot {
    std::string category;  // a name of the contract (model/contract.hpp)
    std::string title;     // e.g. "sda_write"
    std::string image;     // path relative to plot/, e.g. "disk/sda_write.svg"
    IndexPlotKind kind = IndexPlotKind::line;
};

struct IndexHost {
    std::string host;
    std::string alias;
};

// A host's figures of one metric over the run (plot/hosts.csv).
struct IndexFigures {
    double mean = 0, p95 = 0, max = 0;
};

// One metric of the host table: its figures per host of IndexPage::hosts
// (NaN where the host has none).
struct IndexMetric {
    std::string category;
    std::string title;  // with the unit: "CPU utilization (%)"
    std::vector<IndexFigures> hosts;
};

// A row of parsed/markers.csv paired up: a point or a phase.
struct IndexMark {
    std::string label;
    std::string begin;  // ISO 8601 UTC as the CSV has it
    std::string end;    // empty for a point
};

// A row of report/findings.csv (design.md), by field name, and the plot
// (relative to plot/, an image of `plots`) that shows it best, if any.
struct IndexFinding {
    std::vector<std::pair<std::string, std::string>> fields;
    std::string image;
};

// A row of report/processes.csv: one of a host's top processes over the run.
struct IndexProcess {
    std::string resource;  // cpu, memory, disk
    std::string rank, pid, command, value, unit;
};

// A host's top processes, shown in its own block (anchor "processes-HOST")
// that its row of the host table links to.
struct IndexHostProcesses {
    std::string host;
    std::string alias;
    std::vector<IndexProcess> rows;
};

struct IndexPage {
    std::string run_id;      // may be empty
    std::string first_time;  // ISO 8601 UTC of the first sample, may be empty
    std::string last_time;   // ISO 8601 UTC of the last sample, may be empty
    std::vector<IndexHost> hosts;
    std::vector<IndexPlot> plots;  // in the order they are shown within a kind and category
    std::vector<IndexMetric> metrics;
    std::vector<IndexMark> marks;
    std::vector<IndexFinding> findings;
    std::vector<IndexHostProcesses> processes;  // in the file's order of hosts
};

// The HTML text of the page: categories in the contract's order (others
// after, by name); every value HTML-escaped.
std::string render_run_page(const IndexPage& page);

}  // namespace clusterp
