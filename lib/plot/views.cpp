#include "plot/views.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "base/atomic_file.hpp"
#include "base/read_file.hpp"
#include "model/csv.hpp"
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
        rows.push_back(s.x && s.y ? column_max(*s.x, *s.y, grid, s.interval)
                                  : std::vector<double>(std::size_t(grid.columns), NAN));
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

SeriesIntervals series_intervals(const std::map<std::string, std::vector<PlotColumns>>& data) {
    SeriesIntervals intervals;
    for (const auto& entry : data)
        for (const PlotColumns& column : entry.second)
            if (!column.x.empty()) intervals.emplace(&column.x, typical_interval(column.x));
    return intervals;
}

Views plot_views(const PlannedPlot& plot, Category category, const std::map<std::string, std::vector<PlotColumns>>& data,
                 const SeriesIntervals& intervals, std::vector<HostFigures>& figures) {
    const PlotSpec& spec = plot.spec;
    const std::vector<std::string> columns = reduced_columns(category);
    const std::size_t y = std::size_t(std::find(columns.begin(), columns.end(), spec.column) - columns.begin());
    std::vector<ViewSeries> series;
    for (std::size_t i = 0; i < plot.refs.size(); ++i) {
        const SeriesRef& ref = plot.refs[i];
        ViewSeries view{spec.series[i].title, nullptr, nullptr, std::nullopt};
        if (const PlotColumns* column = columns_of(data, ref); column && y < column->y.size()) {
            view = {view.label, &column->x, &column->y[y], std::nullopt};
            if (auto known = intervals.find(&column->x); known != intervals.end()) view.interval = known->second;
        }
        series.push_back(view);
        if (view.y && !series_per_device(category)) figures.push_back({ref.file->host, stats_of(*view.y)});
    }
    // A host's GPUs together: its idle GPU among busy ones lowers its mean.
    if (series_per_device(category))
        for (std::size_t i = 0; i < plot.refs.size();) {
            std::vector<float> pooled;
            const std::string& host = plot.refs[i].file->host;
            for (; i < plot.refs.size() && plot.refs[i].file->host == host; ++i)
                if (series[i].y) pooled.insert(pooled.end(), series[i].y->begin(), series[i].y->end());
            if (!pooled.empty()) figures.push_back({host, stats_of(pooled)});
        }
    Views views = make_views(spec, series);
    if (series_per_device(category)) views.heatmap.plot.title = spec.title + " (per host:GPU)";
    return views;
}

void set_limit(PlannedPlot& plot, Category category, const std::map<std::string, std::vector<PlotColumns>>& data) {
    const MetricPlot* metric = nullptr;
    for (const MetricPlot* candidate : plots_of(category))
        if (plot.spec.column == candidate->column) metric = candidate;
    if (!metric || !metric->limit_column) return;
    const std::vector<std::string> columns = reduced_columns(category);
    const std::size_t y = std::size_t(std::find(columns.begin(), columns.end(), metric->limit_column) - columns.begin());
    float lowest = NAN, highest = NAN;
    for (const SeriesRef& ref : plot.refs)
        if (const PlotColumns* column = columns_of(data, ref); column && y < column->y.size())
            for (float value : column->y[y]) {
                if (std::isnan(value)) continue;  // not known in that sample
                if (!(value >= lowest)) lowest = value;
                if (!(value <= highest)) highest = value;
            }
    if (std::isnan(highest)) return;
    plot.spec.limit = highest;
    std::string figure;
    append_number(figure, highest, 4);
    const Column* limit = find_column(category, metric->limit_column);
    plot.spec.limit_label = std::string(lowest < highest ? "highest " : "") + metric->limit_title + " " + figure +
                            (limit && *limit->unit ? std::string(" ") + limit->unit : "");
}

void add_figures(std::vector<TableMetric>& table, Category category, const std::string& column,
                 const std::vector<HostFigures>& figures) {
    auto metric = std::find_if(table.begin(), table.end(), [&](const TableMetric& m) {
        return m.category == category_name(category) && m.column == column;
    });
    if (metric == table.end())
        metric = table.insert(table.end(), {category_name(category), column, label_for(category, column), {}});
    for (const HostFigures& figure : figures) {
        auto [at, added] = metric->hosts.emplace(figure.host, figure.stats);
        if (!added && !(at->second.mean >= figure.stats.mean)) at->second = figure.stats;
    }
}

void keep_hosts_csv_rows(const std::string& dir, unsigned drawn, std::vector<TableHost>& hosts,
                         std::vector<TableMetric>& table) {
    const std::string path = dir + "/" + k_hosts_csv;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return;
    const CsvTable old = read_csv_table(read_whole_file(path));
    for (std::size_t row = 0; row < old.rows.size(); ++row) {
        const std::optional<Category> category = category_from_name(old.get(row, "category"));
        const std::string& host = old.get(row, "host");
        const std::string& column = old.get(row, "metric");
        if (!category || (drawn & (1u << int(*category))) || host.empty() || column.empty()) continue;
        if (std::none_of(hosts.begin(), hosts.end(), [&](const TableHost& h) { return h.host == host; }))
            hosts.push_back({host, old.get(row, "alias").empty() ? host : old.get(row, "alias")});
        const SeriesStats stats{csv_number(old.get(row, "mean")), csv_number(old.get(row, "p95")),
                                csv_number(old.get(row, "max"))};
        // A host without figures still keeps the metric's column.
        add_figures(table, *category, column,
                    std::isnan(stats.mean) ? std::vector<HostFigures>{} : std::vector<HostFigures>{{host, stats}});
    }
    auto rank = [](const TableMetric& metric) { return int(category_from_name(metric.category).value_or(Category::processes)); };
    std::stable_sort(table.begin(), table.end(),
                     [&](const TableMetric& a, const TableMetric& b) { return rank(a) < rank(b); });
}

void write_hosts_csv(const std::string& dir, const std::vector<TableHost>& hosts, const std::vector<TableMetric>& table) {
    std::string text = "host,alias,category,metric,mean,p95,max\n";
    CsvWriter out([&](const char* data, std::size_t size) { text.append(data, size); });
    for (const TableHost& host : hosts)
        for (const TableMetric& metric : table) {
            auto found = metric.hosts.find(host.host);
            const SeriesStats stats = found != metric.hosts.end() ? found->second : SeriesStats{NAN, NAN, NAN};
            out.text(host.host);
            out.text(host.alias);
            out.text(metric.category);
            out.text(metric.column);
            out.number(stats.mean);
            out.number(stats.p95);
            out.number(stats.max);
            out.end_row();
        }
    out.flush();
    write_file_atomically(dir + "/" + k_hosts_csv, text);
}

}  // namespace clusterp
