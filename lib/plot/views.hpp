// From one line plot to its cluster views (design.md): the heatmap and the
// band of the same series, and each series' figures for the run page's host
// table.  Pure: the caller reads the CSV, writes and runs the scripts.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "plot/band.hpp"
#include "model/csv.hpp"
#include "plot/heatmap.hpp"
#include "plot/plot_plan.hpp"

namespace clusterp {

struct Views {
    HeatmapSpec heatmap;
    BandSpec band;
};

// The views of LINE (a line plot of a directory-mode run: its title, label,
// size, formats and file name `<name>.gp`) over SERIES, one per line of the
// plot in its order: the heatmap `<name>_heatmap` with the rows ordered by
// deviation_scores, highest first (the odd hosts at the top, whichever way
// they differ; equal ones in config order), and the band `<name>_band` with
// the k_band_hosts farthest hosts named.  Both use one grid of
// heatmap_columns(width) columns at most.  LINE's marks are drawn on both.
Views make_views(const PlotSpec& line, const std::vector<ViewSeries>& series);

// The run page's host table being filled: per metric (category and column)
// each host's figures; for disk and network those of the host's busiest
// device (highest mean), for gpu those of all its GPUs' samples together.
struct TableMetric {
    std::string category, column, title;
    std::map<std::string, SeriesStats> hosts;
};

// A host of the table, in the order plot draws them.
struct TableHost {
    std::string host;
    std::string alias;
};

// Writes DIR/plot/hosts.csv (k_hosts_csv): HOSTS in their order, each with
// its figures of every metric of TABLE.  Throws Error 73, 74 when it cannot
// be written.
void write_hosts_csv(const std::string& dir, const std::vector<TableHost>& hosts, const std::vector<TableMetric>& table);

// Adds to HOSTS and TABLE the rows of DIR/plot/hosts.csv (when it exists)
// of the categories not in DRAWN (bits 1 << Category), and orders TABLE by
// category as the contract does: a run that draws some categories keeps
// the others' figures.
void keep_hosts_csv_rows(const std::string& dir, unsigned drawn, std::vector<TableHost>& hosts,
                         std::vector<TableMetric>& table);

// One series' figures for the host table: its host and stats_of its values.
struct HostFigures {
    std::string host;
    SeriesStats stats;
};

// typical_interval of the x of DATA's series, by the x's address: worked
// out once, for the many plots that show a series.
using SeriesIntervals = std::map<const std::vector<double>*, double>;
SeriesIntervals series_intervals(const std::map<std::string, std::vector<PlotColumns>>& data);

// The views of PLOT (planned for CATEGORY) from DATA (per host, what
// read_columns found for reduced_columns(CATEGORY), by device), and in
// FIGURES those of each of its series that has values.  Reads only PLOT,
// DATA and INTERVALS: the plots of a category may be viewed at once, on
// several threads.  A plot's series of one host are next to each other.
Views plot_views(const PlannedPlot& plot, Category category, const std::map<std::string, std::vector<PlotColumns>>& data,
                 const SeriesIntervals& intervals, std::vector<HostFigures>& figures);

// Sets PLOT's limit (PlotSpec::limit, limit_label) when its metric has a
// limit column (MetricPlot::limit_column): the highest value of that column
// over its series in DATA, "highest" in the label when they differ.  Call
// before plot_views: the views draw it too.
void set_limit(PlannedPlot& plot, Category category, const std::map<std::string, std::vector<PlotColumns>>& data);

// Adds FIGURES (of a plot of CATEGORY and COLUMN) to TABLE.
void add_figures(std::vector<TableMetric>& table, Category category, const std::string& column,
                 const std::vector<HostFigures>& figures);

}  // namespace clusterp
