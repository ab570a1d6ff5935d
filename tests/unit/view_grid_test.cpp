// lib/plot/view_grid: the numbers behind the heatmaps and bands (time
// columns by max, the held gap and the silent host, quantiles, the order of
// the rows).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "plot/view_grid.hpp"

using namespace clusterp;

namespace {

const double k_nan = std::numeric_limits<double>::quiet_NaN();

TimeGrid grid_of(double x0, double x1, int columns) {
    TimeGrid grid;
    grid.x0 = x0;
    grid.x1 = x1;
    grid.columns = columns;
    return grid;
}

}  // namespace

TEST_SUITE("view_grid") {

TEST_CASE("the grid spans every series, one column per sample up to the pixels across") {
    const std::vector<double> a{10, 20, 30}, b{0, 10, 20, 30, 40};
    const std::vector<float> y(5, 1);
    std::vector<ViewSeries> series{{"a", &a, &y, {}}, {"b", &b, &y, {}}, {"none", nullptr, nullptr, {}}};
    TimeGrid grid = time_grid(series, 1000);
    CHECK(grid.x0 == 0);
    CHECK(grid.x1 == 40);
    CHECK(grid.columns == 5);
    CHECK(time_grid(series, 2).columns == 2);
    CHECK(grid.column_of(-5) == 0);
    CHECK(grid.column_of(40) == 4);
    CHECK(grid.column_of(17) == 2);
}

TEST_CASE("a column holds the largest of its samples: a one-sample spike survives") {
    std::vector<double> x;
    std::vector<float> y;
    for (int i = 0; i < 100; ++i) {
        x.push_back(i);
        y.push_back(i == 37 ? 99 : 1);
    }
    const std::vector<double> cells = column_max(x, y, grid_of(0, 100, 10));
    REQUIRE(cells.size() == 10);
    CHECK(cells[3] == 99);
    CHECK(cells[2] == 1);
    CHECK(cells[4] == 1);
}

TEST_CASE("an empty column takes the next sample's value within two intervals, else stays NaN") {
    // Samples every 10 s, one missing (gap 20 s: held), then a gap of 60 s
    // (the host was silent).
    const std::vector<double> x{0, 10, 20, 40, 100, 110};
    const std::vector<float> y{1, 2, 3, 5, 7, 8};
    const std::vector<double> cells = column_max(x, y, grid_of(0, 120, 12));
    CHECK(cells[3] == 5);  // 30 s: no sample, held from the one at 40 s
    CHECK(cells[4] == 5);
    CHECK(std::isnan(cells[5]));
    CHECK(std::isnan(cells[9]));
    CHECK(cells[10] == 7);
    CHECK(cells[0] == 1);
}

TEST_CASE("an empty value (NaN) is no sample") {
    const std::vector<double> cells = column_max({0, 1, 2}, {k_nan, 4, k_nan}, grid_of(0, 3, 3));
    CHECK(std::isnan(cells[0]));
    CHECK(cells[1] == 4);
    CHECK(std::isnan(cells[2]));
}

TEST_CASE("quantiles interpolate linearly between ranks, as numpy does") {
    const std::vector<double> sorted{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    CHECK(quantile_of_sorted(sorted, 0.5) == doctest::Approx(5.5));
    CHECK(quantile_of_sorted(sorted, 0.1) == doctest::Approx(1.9));
    CHECK(quantile_of_sorted(sorted, 0.9) == doctest::Approx(9.1));
    CHECK(quantile_of_sorted(sorted, 1.0) == 10);
    CHECK(quantile_of_sorted({7}, 0.9) == 7);
}

TEST_CASE("the band per column counts only the rows with a value there") {
    const Band band = column_band({{1, k_nan, 3}, {5, k_nan, k_nan}, {3, k_nan, 9}});
    CHECK(band.min[0] == 1);
    CHECK(band.median[0] == 3);
    CHECK(band.max[0] == 5);
    CHECK(band.p10[0] == doctest::Approx(1.4));
    CHECK(band.p90[0] == doctest::Approx(4.6));
    CHECK(std::isnan(band.median[1]));
    CHECK(band.median[2] == 6);
}

TEST_CASE("the band's quantiles are exactly those of the sorted column, for any number of rows and ties") {
    unsigned seed = 7;
    auto next = [&] { return (seed = seed * 1103515245u + 12345u) >> 16; };
    for (std::size_t n = 1; n <= 40; ++n) {
        std::vector<std::vector<double>> rows;
        std::vector<float> y;
        for (std::size_t i = 0; i < n; ++i) {
            rows.push_back({double(next() % 9)});
            y.push_back(float(next() % 1000) / 8);
        }
        std::vector<double> sorted;
        for (const auto& row : rows) sorted.push_back(row[0]);
        std::sort(sorted.begin(), sorted.end());
        const Band band = column_band(rows);
        CHECK(band.min[0] == sorted.front());
        CHECK(band.p10[0] == quantile_of_sorted(sorted, 0.1));
        CHECK(band.median[0] == quantile_of_sorted(sorted, 0.5));
        CHECK(band.p90[0] == quantile_of_sorted(sorted, 0.9));
        CHECK(band.max[0] == sorted.back());
        std::vector<double> values(y.begin(), y.end());
        std::sort(values.begin(), values.end());
        CHECK(stats_of(y).p95 == quantile_of_sorted(values, 0.95));
        CHECK(stats_of(y).max == values.back());
    }
}

TEST_CASE("the odd host comes first whichever way it differs; ties keep their order") {
    // Busy cluster: the idle host and one that stalls half the time.
    const std::vector<std::vector<double>> rows{
        {90, 90, 90, 90}, {90, 90, 90, 90}, {0, 0, 0, 0}, {90, 90, 0, 0}, {90, 90, 90, 90}, {k_nan, k_nan, k_nan, k_nan}};
    const Band band = column_band(rows);
    const std::vector<double> scores = deviation_scores(rows, band.median);
    CHECK(scores[0] == 0);
    CHECK(scores[2] == 90);
    CHECK(scores[3] == 45);
    CHECK(scores[5] == 0);
    const std::vector<std::size_t> order = outlier_order(scores);
    CHECK(order == std::vector<std::size_t>{2, 3, 0, 1, 4, 5});
}

TEST_CASE("a host's figures over all its samples: mean, 95th percentile, max; NaN without values") {
    std::vector<float> y;
    for (int i = 1; i <= 100; ++i) y.push_back(float(i));
    y.push_back(float(k_nan));
    const SeriesStats stats = stats_of(y);
    CHECK(stats.mean == doctest::Approx(50.5));
    CHECK(stats.p95 == doctest::Approx(95.05));
    CHECK(stats.max == 100);
    CHECK(std::isnan(stats_of({k_nan}).mean));
    CHECK(std::isnan(stats_of({}).max));
}

}  // TEST_SUITE
