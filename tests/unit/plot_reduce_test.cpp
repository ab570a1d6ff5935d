// lib/plot/plot_reduce: M4 point reduction and the rewriting of a plan's
// specs to read reduced datablocks.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "plot/plot_reduce.hpp"

using namespace clusterp;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::string::size_type start = 0, end;
    while ((end = text.find('\n', start)) != std::string::npos) {
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

}  // namespace

TEST_SUITE("plot_reduce") {

TEST_CASE("a series of at most 4 points per bucket is kept whole, NaN left out") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::string out;
    append_reduced({0, 1, 2, 3}, {5, nan, 7.5, 0}, 0, 3, 1, out);
    CHECK(out == "0,5\n2,7.5\n3,0\n");
}

TEST_CASE("per bucket: first, lowest, highest, last in x order, peaks kept") {
    std::vector<double> x;
    std::vector<float> y;
    for (int i = 0; i < 100; ++i) {
        x.push_back(i);
        y.push_back(i == 37 ? 1000 : i == 62 ? -5 : 1);
    }
    std::string out;
    append_reduced(x, y, 0, 100, 2, out);  // buckets [0, 50) and [50, 100)
    const std::vector<std::string> lines = lines_of(out);
    // Bucket 1: first 0, low 0 (first of the ties), high 37, last 49.
    // Bucket 2: first 50, low 62, high 50 (first of the ties): in x order.
    CHECK(lines == std::vector<std::string>{"0,1", "37,1000", "49,1", "50,1", "62,-5", "99,1"});
}

TEST_CASE("at most 4 points per bucket whatever the length") {
    std::vector<double> x;
    std::vector<float> y;
    for (int i = 0; i < 100000; ++i) {
        x.push_back(i * 0.5);
        y.push_back(float(std::sin(i * 0.01)));
    }
    std::string out;
    append_reduced(x, y, x.front(), x.back(), 100, out);
    CHECK(lines_of(out).size() <= 4 * 101);
    CHECK(lines_of(out).size() >= 2 * 100);
}

TEST_CASE("reduced_columns: plotted columns first, then the activity ones") {
    CHECK(reduced_columns(Category::cpu) == std::vector<std::string>{"util_pct", "iowait", "busiest_core_pct"});
    CHECK(reduced_columns(Category::disk) ==
          std::vector<std::string>{"read_mibps", "write_mibps", "util_pct", "aqu_sz", "tps"});
}

TEST_CASE("reduce_plots: long series go to datablocks, short plots stay on the CSV") {
    HostFile file{"n1", "parsed/cpu/n1", {}};
    PlotColumns data{"", "", "", "", {}, {{}, {}}};
    for (int i = 0; i < 10000; ++i) {
        data.x.push_back(1795576103.0 + i);
        data.y[0].push_back(i % 7);
        data.y[1].push_back(0);
    }
    std::map<std::string, std::vector<PlotColumns>> by_host{{"n1", {data}}};

    PlannedPlot plot;
    plot.spec.column = "iowait";
    plot.spec.width = 100;
    plot.spec.series.push_back({"parsed/cpu/n1", "n1", 2, true, 10, 0, 0, {}});
    plot.refs.push_back({&file, ""});
    std::vector<PlannedPlot> plots{plot};
    reduce_plots(plots, Category::cpu, by_host);
    const PlotSpec& spec = plots[0].spec;
    REQUIRE(spec.datablocks.size() == 1);
    CHECK(spec.datablocks[0].name == "$host1");
    CHECK(spec.datablocks[0].content.rfind("1795576103,0\n", 0) == 0);
    CHECK(spec.series[0].source == "$host1");
    CHECK(spec.series[0].x_column == 1);
    CHECK(spec.series[0].y_column == 2);
    CHECK_FALSE(spec.series[0].header);
    CHECK(spec.epoch_time);

    plots[0] = plot;
    plots[0].spec.width = 5000;  // 10000 points are not more than 4 per pixel
    reduce_plots(plots, Category::cpu, by_host);
    CHECK(plots[0].spec.datablocks.empty());
    CHECK(plots[0].spec.series[0].source == "parsed/cpu/n1");
}

}
