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
// device (highest mean).
struct TableMetric {
    std::string category, column, title;
    std::map<std::string, SeriesStats> hosts;
};

// The views of PLOT (planned for CATEGORY) from DATA (per host, what
// read_columns found for reduced_columns(CATEGORY), by device), and each of
// its series' figures added to TABLE.
Views plot_views(const PlannedPlot& plot, Category category, const std::map<std::string, std::vector<PlotColumns>>& data,
                 std::vector<TableMetric>& table);

}  // namespace clusterp
