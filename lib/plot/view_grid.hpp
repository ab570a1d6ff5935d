// The numbers behind the cluster views of one metric (design.md:
// plot/<category>/<name>_heatmap and _band): every series put on one grid of
// time columns, the cluster's quantiles per column, and how far each host
// lies from the cluster.  Pure: no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace clusterp {

// Columns of equal width over [x0, x1] (seconds: elapsed, or since the
// epoch on the clock axis).
struct TimeGrid {
    double x0 = 0, x1 = 0;
    int columns = 0;
    double width() const { return columns > 0 ? (x1 - x0) / columns : 0; }
    // The column of time X, clamped to the grid.
    int column_of(double x) const;
    double centre(int column) const { return x0 + (column + 0.5) * width(); }
};

// One row of a view: a host (or a host's device) and its samples in time
// order; y is NaN where the CSV left the value empty.
struct ViewSeries {
    std::string label;  // the host's alias
    const std::vector<double>* x = nullptr;
    const std::vector<float>* y = nullptr;
    std::optional<double> interval;  // typical_interval(*x) when known already
};

// The grid for SERIES: their whole span, as many columns as the longest
// series has samples but at most MAX_COLUMNS (the plot's pixels across), so
// that a short run keeps one column per sample and a long one one per pixel.
TimeGrid time_grid(const std::vector<ViewSeries>& series, int max_columns);

// One series on GRID: each column holds the largest value sampled in it (the
// max, not the mean, so that a one-sample spike stays visible however long
// the run).  A column without a sample takes the value of the next sample
// (sysstat's value is the mean over the interval that ends at its time)
// when that sample is at most twice the series' typical interval after the
// one before; otherwise it is NaN (the host was silent).  INTERVAL is
// typical_interval(X) when the caller has it (a host's series is on several
// plots), else it is computed.
std::vector<double> column_max(const std::vector<double>& x, const std::vector<float>& y, const TimeGrid& grid,
                               std::optional<double> interval = std::nullopt);

// The median spacing of X's samples (0 with fewer than two).
double typical_interval(const std::vector<double>& x);

// The cluster per column, over the rows that have a value there (NaN where
// none has): min, 10th percentile, median, 90th percentile, max; the
// percentiles interpolate linearly between ranks (numpy's default).
struct Band {
    std::vector<double> min, p10, median, p90, max;
};
Band column_band(const std::vector<std::vector<double>>& rows);

// The Q-quantile (0..1) of SORTED (ascending, not empty), interpolated.
double quantile_of_sorted(const std::vector<double>& sorted, double q);

// How far each row lies from the cluster: the mean over its columns of
// |value - the column's median|, in the metric's unit (0 for a row without
// values).  An idle host among busy ones, a hog among idle ones and a host
// that stalls for a while all score high, whichever direction they differ.
std::vector<double> deviation_scores(const std::vector<std::vector<double>>& rows,
                                     const std::vector<double>& median);

// Row indices by score, highest first; equal scores keep their order.
std::vector<std::size_t> outlier_order(const std::vector<double>& scores);

// One series' figures over all its samples (not the grid), for the run
// page's host table: NaN without any value.
struct SeriesStats {
    double mean = 0, p95 = 0, max = 0;
};
SeriesStats stats_of(const std::vector<float>& y);

}  // namespace clusterp
