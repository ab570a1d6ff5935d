// Point reduction: a plot whose series have far more points than it has
// pixels across gets them reduced to what would be drawn at that width
// (M4: per pixel column the first, lowest, highest and last point), handed
// to gnuplot in datablocks instead of the whole CSV to read.  Long runs then
// plot many times faster and look the same.  Pure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/csv.hpp"
#include "plot/plot_plan.hpp"

namespace clusterp {

// The columns the reduction reads from a category's files (read_columns):
// those its plots draw, then their limits (MetricPlot::limit_column), then
// those that tell whether a device shows activity.
std::vector<std::string> reduced_columns(Category category);
// How many of reduced_columns come before those read only for activity.
std::size_t drawn_column_count(Category category);

// The columns of REF's series in DATA (per host, what read_columns found
// for reduced_columns, by device); nullptr when it has none.
const PlotColumns* columns_of(const std::map<std::string, std::vector<PlotColumns>>& data, const SeriesRef& ref);

// Appends `x,y` rows (one per line) for the series X, Y reduced for a plot
// `buckets` pixels wide over [x0, x1]: in each bucket, its first, lowest,
// highest and last point in x order (M4 aggregation), so that the lines
// drawn are those of every point at that width, peaks included.  A series of
// at most 4 * buckets points is kept whole.  Points whose y is NaN are left
// out (gnuplot would draw across them anyway).
void append_reduced(const std::vector<double>& x, const std::vector<float>& y, double x0, double x1, int buckets,
                    std::string& out);

// For each plot of PLOTS (all of CATEGORY) where gnuplot would read more
// than four rows per pixel across for a series (its points, or for gpu its
// host file's rows, every GPU's), or for gpu more than a million rows for
// all its series: every series replaced by a datablock of
// the reduced points (x: seconds, elapsed or since the epoch), and the spec
// set to read it.  DATA: per host, what read_columns found for
// reduced_columns(CATEGORY), keyed by device.
void reduce_plots(std::vector<PlannedPlot>& plots, Category category,
                  const std::map<std::string, std::vector<PlotColumns>>& data);

}  // namespace clusterp
