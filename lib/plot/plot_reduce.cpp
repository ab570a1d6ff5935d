#include "plot/plot_reduce.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace clusterp {

std::vector<std::string> reduced_columns(Category category) {
    std::vector<std::string> columns;
    for (const MetricPlot* plot : plots_of(category)) columns.push_back(plot->column);
    for (const MetricPlot* plot : plots_of(category))
        if (plot->limit_column) columns.push_back(plot->limit_column);
    for (const std::string& column : activity_columns(category))
        if (std::find(columns.begin(), columns.end(), column) == columns.end()) columns.push_back(column);
    return columns;
}

std::size_t drawn_column_count(Category category) {
    const std::vector<const MetricPlot*> plots = plots_of(category);
    return plots.size() + std::size_t(std::count_if(plots.begin(), plots.end(),
                                                    [](const MetricPlot* plot) { return plot->limit_column; }));
}

const PlotColumns* columns_of(const std::map<std::string, std::vector<PlotColumns>>& data, const SeriesRef& ref) {
    const PlotColumns* found = nullptr;
    auto host = data.find(ref.file->host);
    if (host != data.end())
        for (const PlotColumns& column : host->second)
            if (column.key == ref.device) found = &column;
    return found;
}

void append_reduced(const std::vector<double>& x, const std::vector<float>& y, double x0, double x1, int buckets,
                    std::string& out) {
    char text[64];
    auto emit = [&](std::size_t i) {
        auto end = std::to_chars(text, text + sizeof text, x[i]).ptr;
        *end++ = ',';
        end = std::to_chars(end, text + sizeof text, y[i]).ptr;
        *end++ = '\n';
        out.append(text, end);
    };
    const std::size_t n = std::min(x.size(), y.size());
    if (n <= 4 * std::size_t(buckets > 0 ? buckets : 1) || !(x1 > x0)) {
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isnan(y[i])) emit(i);
        return;
    }
    const double scale = buckets / (x1 - x0);
    std::size_t i = 0;
    while (i < n) {
        if (std::isnan(y[i])) { ++i; continue; }
        const long bucket = long((x[i] - x0) * scale);
        std::size_t first = i, low = i, high = i, last = i;
        for (++i; i < n && long((x[i] - x0) * scale) == bucket; ++i) {
            if (std::isnan(y[i])) continue;
            if (y[i] < y[low]) low = i;
            if (y[i] > y[high]) high = i;
            last = i;
        }
        std::size_t picks[] = {first, std::min(low, high), std::max(low, high), last};
        for (std::size_t k = 0; k < 4; ++k)
            if (k == 0 || picks[k] != picks[k - 1]) emit(picks[k]);
    }
}

// gnuplot reads about a million CSV rows a second here (5.9 million, 1024
// GPUs' series of 720 samples in files of 8 GPUs each, took 21 s for one
// plot in eps and svg, each format reading them again): beyond this many
// for a plot, the points go into the script, which it reads once.
constexpr std::size_t k_max_csv_reads = 1000000;

void reduce_plots(std::vector<PlannedPlot>& plots, Category category,
                  const std::map<std::string, std::vector<PlotColumns>>& data) {
    const std::vector<std::string> columns = reduced_columns(category);
    for (PlannedPlot& plot : plots) {
        PlotSpec& spec = plot.spec;
        const std::size_t y = std::size_t(std::find(columns.begin(), columns.end(), spec.column) - columns.begin());
        std::vector<const PlotColumns*> series;
        double x0 = 0, x1 = 0;
        bool any = false;
        std::size_t most = 0;   // rows gnuplot reads for a series
        std::size_t reads = 0;  // for all of them
        for (const SeriesRef& ref : plot.refs) {
            const PlotColumns* found = columns_of(data, ref);
            series.push_back(found);
            if (!found || found->x.empty()) continue;
            x0 = any ? std::min(x0, found->x.front()) : found->x.front();
            x1 = any ? std::max(x1, found->x.back()) : found->x.back();
            any = true;
            // A GPU's series reads its host's whole file, every GPU's rows
            // (8 GPUs: 8 times its own).  A disk's or NIC's file holds a
            // few devices, which gnuplot reads faster than the controller
            // writes their points into scripts: counted like that, 1024
            // hosts x 8 h made 298 MB of disk and network scripts and a
            // controller of 550 MiB, against 53 MB and 198 MiB (bench/40).
            const bool whole_file = category == Category::gpu;
            const std::size_t rows = whole_file ? ref.file->summary.rows : found->x.size();
            most = std::max(most, rows);
            reads += rows;
        }
        const int width = spec.width > 0 ? spec.width : default_plot_width(spec.series.size());
        if (most <= 4 * std::size_t(width) && (category != Category::gpu || reads <= k_max_csv_reads)) continue;
        for (std::size_t i = 0; i < series.size(); ++i) {
            Datablock block{"$host" + std::to_string(i + 1), ""};
            if (series[i] && y < series[i]->y.size())
                append_reduced(series[i]->x, series[i]->y[y], x0, x1, width, block.content);
            SeriesSpec& s = spec.series[i];
            s.source = block.name;
            s.x_column = 1;
            s.y_column = 2;
            s.header = false;
            s.stride = 0;
            s.match.clear();
            spec.datablocks.push_back(std::move(block));
        }
        spec.epoch_time = true;
    }
}

}  // namespace clusterp
