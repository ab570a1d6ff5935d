#include "plot/views.hpp"

#include <algorithm>
#include <cmath>

#include "plot/plot_reduce.hpp"

namespace clusterp {

namespace {

// LINE's spec for a sibling `<name>_<kind>`: the same title, label and
// formats, its own script and output names.
PlotSpec sibling(const PlotSpec& line, const std::string& kind) {
    PlotSpec spec = line;
    spec.series.clear();
    spec.datablocks.clear();
    spec.title = line.title + (kind == "heatmap" ? " (per host)" : " (cluster)");
    const std::string name = line.self_name.substr(0, line.self_name.size() - 3);  // less ".gp"
    spec.self_name = name + "_" + kind + ".gp";
    spec.outputs.clear();
    for (const PlotOutput& output : line.outputs)
        spec.outputs.push_back({output.format, name + "_" + kind + "." + plot_format_name(output.format)});
    return spec;
}

}  // namespace

Views make_views(const PlotSpec& line, const std::vector<ViewSeries>& series) {
    Views views;
    views.heatmap.plot = sibling(line, "heatmap");
    views.band.plot = sibling(line, "band");
    const int width = line.width > 0 ? line.width : default_plot_width(0);
    views.band.plot.width = width;
    views.heatmap.plot.width = width;
    const TimeGrid grid = time_grid(series, heatmap_columns(width));
    std::vector<std::vector<double>> rows;
    rows.reserve(series.size());
    for (const ViewSeries& s : series)
        rows.push_back(s.x && s.y ? column_max(*s.x, *s.y, grid) : std::vector<double>(std::size_t(grid.columns), NAN));
    Band band = column_band(rows);
    const std::vector<double> scores = deviation_scores(rows, band.median);
    const std::vector<std::size_t> order = outlier_order(scores);

    views.band.grid = grid;
    for (std::size_t i = 0; i < order.size() && i < k_band_hosts && series.size() > 1; ++i)
        if (scores[order[i]] > 0) views.band.hosts.push_back({series[order[i]].label, rows[order[i]]});
    views.band.band = std::move(band);

    views.heatmap.grid = grid;
    for (std::size_t i : order) {
        views.heatmap.rows.push_back(series[i].label);
        views.heatmap.cells.push_back(std::move(rows[i]));
    }
    return views;
}

Views plot_views(const PlannedPlot& plot, Category category, const std::map<std::string, std::vector<PlotColumns>>& data,
                 std::vector<TableMetric>& table) {
    const PlotSpec& spec = plot.spec;
    const std::vector<std::string> columns = reduced_columns(category);
    const std::size_t y = std::size_t(std::find(columns.begin(), columns.end(), spec.column) - columns.begin());
    auto metric = std::find_if(table.begin(), table.end(), [&](const TableMetric& m) {
        return m.category == category_name(category) && m.column == spec.column;
    });
    if (metric == table.end())
        metric = table.insert(table.end(), {category_name(category), spec.column, label_for(category, spec.column), {}});
    std::vector<ViewSeries> series;
    for (std::size_t i = 0; i < plot.refs.size(); ++i) {
        const SeriesRef& ref = plot.refs[i];
        ViewSeries view{spec.series[i].title, nullptr, nullptr};
        auto host = data.find(ref.file->host);
        if (host != data.end())
            for (const PlotColumns& column : host->second)
                if (column.key == ref.device && y < column.y.size()) view = {view.label, &column.x, &column.y[y]};
        series.push_back(view);
        if (!view.y) continue;
        const SeriesStats stats = stats_of(*view.y);
        auto [at, added] = metric->hosts.emplace(ref.file->host, stats);
        if (!added && !(at->second.mean >= stats.mean)) at->second = stats;
    }
    return make_views(spec, series);
}

}  // namespace clusterp
