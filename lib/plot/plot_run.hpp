// clusterp-plot's work: parsed CSV -> gnuplot scripts -> plots.
//
// Directory mode reads parsed/<category>/<host> and writes, for every plot of
// the seed's tree, plot/<category>/<name>.gp and plot/<category>/<name>.<fmt>
// for each format, and beside each its heatmap and band (plot/views); the
// markers of parsed/markers.csv are drawn on every plot.  gnuplot reads the
// CSV files directly (no copy of the
// data), up to `jobs` gnuplot processes at once, and plot/hosts.csv, the
// host table of the run page (which clusterp-plot then writes: page/).
// Every output appears whole or not at all (temporary name, then rename).  Stream mode plots the given
// files (or stdin) into one plot.
#pragma once

#include <string>
#include <vector>

#include "plot/gnuplot_script.hpp"

namespace clusterp {

struct PlotOptions {
    std::vector<std::string> inputs;  // stream mode when not empty; "-" is stdin
    std::string output;               // stream mode: the plot file; empty: stdout
    std::vector<PlotFormat> formats;  // empty: eps and svg; stream mode: eps (or the -o extension)
    std::string metric;               // stream mode: the column; empty: per category
    std::string markers;              // stream mode: a markers CSV to draw; empty: none
    int width = 0, height = 0;        // pixels; 0: by the number of series
    TimeAxis time_axis = TimeAxis::elapsed;
    bool script_only = false;  // stream: print the script; directory: write only .gp files
    int jobs = 0;              // gnuplot processes at once; 0: one per core
    // Directory mode: always let gnuplot read every point of the CSV, even
    // when the plot has far fewer pixels across than a series has points.
    bool all_points = false;
    // Directory mode: the categories to draw (bits 1 << Category), 0: all.
    // plot/hosts.csv keeps the other categories' rows.
    unsigned categories = 0;
    std::string config_path = "config.yml";
    bool config_required = false;  // -c given: a missing file is an error
};

// Returns the exit status: 0, or 65 when some input was bad (each reported,
// every good plot still made), 1 when some gnuplot run failed.  Throws Error:
// 66 no parsed/ directory or input file, 69 gnuplot missing, 64 usage.
int plot_directory(const PlotOptions& options);
int plot_stream(const PlotOptions& options);

// The formats a directory-mode run draws: OPTIONS', else the default.
std::vector<PlotFormat> directory_formats(const PlotOptions& options);
// Whether a directory-mode run draws plots that a browser shows (svg or
// png), of which the run page (page/run_page) is made.
bool draws_page_plots(const PlotOptions& options);

// Parses "WxH" (pixels); throws Error (64) otherwise.
void parse_plot_size(const std::string& text, int& width, int& height);

}  // namespace clusterp
