#include "plot/view_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace clusterp {

namespace {

const double k_nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

double typical_interval(const std::vector<double>& x) {
    if (x.size() < 2) return 0;
    std::vector<double> gaps(x.size() - 1);
    for (std::size_t i = 1; i < x.size(); ++i) gaps[i - 1] = x[i] - x[i - 1];
    auto middle = gaps.begin() + std::ptrdiff_t(gaps.size() / 2);
    std::nth_element(gaps.begin(), middle, gaps.end());
    return *middle;
}

int TimeGrid::column_of(double x) const {
    if (columns <= 0) return 0;
    const double at = (x - x0) / width();
    if (!(at > 0)) return 0;
    return at >= columns ? columns - 1 : int(at);
}

TimeGrid time_grid(const std::vector<ViewSeries>& series, int max_columns) {
    TimeGrid grid;
    bool any = false;
    std::size_t most = 0;
    for (const ViewSeries& s : series) {
        if (!s.x || s.x->empty()) continue;
        grid.x0 = any ? std::min(grid.x0, s.x->front()) : s.x->front();
        grid.x1 = any ? std::max(grid.x1, s.x->back()) : s.x->back();
        any = true;
        most = std::max(most, s.x->size());
    }
    if (!(grid.x1 > grid.x0)) grid.x1 = grid.x0 + 1;
    grid.columns = int(std::max<std::size_t>(1, std::min<std::size_t>(most, std::size_t(std::max(1, max_columns)))));
    return grid;
}

std::vector<double> column_max(const std::vector<double>& x, const std::vector<float>& y, const TimeGrid& grid,
                               std::optional<double> interval) {
    std::vector<double> cells(std::size_t(grid.columns), k_nan);
    const double hold = 2 * (interval ? *interval : typical_interval(x));
    const std::size_t n = std::min(x.size(), y.size());
    int last_column = -1;
    double last_x = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (std::isnan(y[i])) continue;
        const int column = grid.column_of(x[i]);
        double& cell = cells[std::size_t(column)];
        if (std::isnan(cell) || y[i] > cell) cell = y[i];
        if (last_column >= 0 && column > last_column + 1 && x[i] - last_x <= hold)
            for (int c = last_column + 1; c < column; ++c) cells[std::size_t(c)] = y[i];
        last_column = column;
        last_x = x[i];
    }
    return cells;
}

double quantile_of_sorted(const std::vector<double>& sorted, double q) {
    const double rank = q * double(sorted.size() - 1);
    const std::size_t below = std::size_t(rank);
    if (below + 1 >= sorted.size()) return sorted.back();
    return sorted[below] + (rank - double(below)) * (sorted[below + 1] - sorted[below]);
}

namespace {

// quantile_of_sorted of VALUES[from, end) as if sorted, without sorting:
// the two ranks it needs put in place (nth_element), FROM moved past the
// lower one, so that increasing Qs each search only what is left above.
double quantile_in_place(std::vector<double>& values, std::size_t& from, double q) {
    const double rank = q * double(values.size() - 1);
    const std::size_t below = std::size_t(rank);
    // A rank below FROM is the previous Q's, in place already.
    if (below >= from)
        std::nth_element(values.begin() + std::ptrdiff_t(from), values.begin() + std::ptrdiff_t(below), values.end());
    from = std::max(from, below + 1);
    if (below + 1 >= values.size()) return values[below];
    const double next = *std::min_element(values.begin() + std::ptrdiff_t(below + 1), values.end());
    return values[below] + (rank - double(below)) * (next - values[below]);
}

}  // namespace

Band column_band(const std::vector<std::vector<double>>& rows) {
    Band band;
    const std::size_t columns = rows.empty() ? 0 : rows.front().size();
    for (auto* v : {&band.min, &band.p10, &band.median, &band.p90, &band.max}) v->assign(columns, k_nan);
    std::vector<double> values;
    values.reserve(rows.size());
    for (std::size_t c = 0; c < columns; ++c) {
        values.clear();
        for (const std::vector<double>& row : rows)
            if (c < row.size() && !std::isnan(row[c])) values.push_back(row[c]);
        if (values.empty()) continue;
        // Five order statistics, not a sort (a sort per column was a fifth
        // of plot's time at 1024 hosts).
        const auto [low, high] = std::minmax_element(values.begin(), values.end());
        band.min[c] = *low;
        band.max[c] = *high;
        std::size_t from = 0;
        band.p10[c] = quantile_in_place(values, from, 0.1);
        band.median[c] = quantile_in_place(values, from, 0.5);
        band.p90[c] = quantile_in_place(values, from, 0.9);
    }
    return band;
}

std::vector<double> deviation_scores(const std::vector<std::vector<double>>& rows,
                                     const std::vector<double>& median) {
    std::vector<double> scores;
    scores.reserve(rows.size());
    for (const std::vector<double>& row : rows) {
        double sum = 0;
        std::size_t n = 0;
        for (std::size_t c = 0; c < row.size() && c < median.size(); ++c) {
            if (std::isnan(row[c]) || std::isnan(median[c])) continue;
            sum += std::fabs(row[c] - median[c]);
            ++n;
        }
        scores.push_back(n ? sum / double(n) : 0);
    }
    return scores;
}

SeriesStats stats_of(const std::vector<float>& y) {
    std::vector<double> values;
    values.reserve(y.size());
    for (double v : y)
        if (!std::isnan(v)) values.push_back(v);
    if (values.empty()) return {k_nan, k_nan, k_nan};
    double sum = 0, max = values.front();
    for (double v : values) sum += v, max = std::max(max, v);
    std::size_t from = 0;
    return {sum / double(values.size()), quantile_in_place(values, from, 0.95), max};
}

std::vector<std::size_t> outlier_order(const std::vector<double>& scores) {
    std::vector<std::size_t> order(scores.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    return order;
}

}  // namespace clusterp
