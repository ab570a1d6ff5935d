#include "plot/plot_plan.hpp"

#include <algorithm>
#include <map>

#include "base/diag.hpp"
#include "model/names.hpp"

namespace clusterp {

namespace {

// Devices to plot: those configured, else those that show activity.
std::vector<NamedItem> chosen_devices(Category category, const std::vector<HostFile>& files,
                                      const std::optional<Config>& config) {
    if (const std::vector<NamedItem>& configured = configured_devices(config, category); !configured.empty())
        return configured;
    std::map<std::string, std::string> active;  // name -> alias
    for (const HostFile& file : files)
        for (const CsvSeries& series : file.summary.series)
            if (series.active && !is_pseudo_device(series.device) && !series.device.empty()) {
                std::string& alias = active[series.device];
                if (alias.empty()) alias = series.device_alias;
            }
    std::vector<NamedItem> devices;
    for (const auto& [name, alias] : active) devices.push_back({name, alias.empty() ? name : alias});
    return devices;
}

// "n1", "n1, n2 and n3", "n1, n2, n3 and 5 more hosts": names for a message.
std::string some_of(const std::vector<std::string>& hosts) {
    const std::size_t shown = hosts.size() <= 4 ? hosts.size() : 3;
    std::string text;
    for (std::size_t i = 0; i < shown; ++i)
        text += (i == 0 ? "" : i + 1 == hosts.size() ? " and " : ", ") + hosts[i];
    if (shown < hosts.size()) text += " and " + std::to_string(hosts.size() - shown) + " more hosts";
    return text;
}

// Device names in index order: "2" before "10", names by text.
bool by_index(const std::string& a, const std::string& b) {
    const bool a_number = !a.empty() && a.find_first_not_of("0123456789") == std::string::npos;
    const bool b_number = !b.empty() && b.find_first_not_of("0123456789") == std::string::npos;
    if (a_number && b_number && a.size() != b.size()) return a.size() < b.size();
    return a < b;
}

}  // namespace

std::vector<std::string> ordered_hosts(std::vector<std::string> hosts, const std::optional<Config>& config) {
    std::sort(hosts.begin(), hosts.end());
    hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
    if (!config) return hosts;
    std::vector<std::string> ordered;
    for (const NamedItem& item : config->hosts)
        if (std::binary_search(hosts.begin(), hosts.end(), item.name)) ordered.push_back(item.name);
    for (const std::string& host : hosts)
        if (std::find(ordered.begin(), ordered.end(), host) == ordered.end()) ordered.push_back(host);
    return ordered;
}

std::string host_title(const std::string& host, const std::string& csv_alias, const std::optional<Config>& config) {
    const std::string otherwise = csv_alias.empty() ? host : csv_alias;
    return config ? config->host_alias(host, otherwise) : otherwise;
}

PlotSpec spec_for(const MetricPlot& plot, const std::string& title) {
    PlotSpec spec;
    spec.title = title;
    spec.ylabel = plot.ylabel;
    spec.column = plot.column;
    spec.percent = plot.percent;
    return spec;
}

SeriesSpec make_series(const std::string& source, const std::string& title, const CsvSummary& summary,
                       const CsvSeries& series, const std::string& column, TimeAxis axis) {
    SeriesSpec spec;
    spec.source = source;
    spec.title = title;
    spec.x_column = summary.column_number(axis == TimeAxis::clock ? "time" : "elapsed");
    spec.y_column = summary.column_number(column);
    if (summary.series.size() < 2) return spec;
    if (series.regular && series.stride > 0) {
        spec.stride = series.stride;
        spec.offset = series.first_row;
        return spec;
    }
    spec.match.emplace_back(summary.column_number("host"), series.host);
    if (summary.category && per_device(*summary.category))
        spec.match.emplace_back(summary.column_number(category_info(*summary.category).key->name), series.device);
    return spec;
}

CategoryPlan plan_category(Category category, const std::vector<HostFile>& files,
                           const std::optional<Config>& config, const PlanOptions& options) {
    CategoryPlan plan;
    const std::string name = category_name(category);
    std::vector<std::string> hosts;
    for (const HostFile& file : files) hosts.push_back(file.host);
    plan.hosts = ordered_hosts(hosts, config);
    std::vector<const HostFile*> ordered;
    for (const std::string& host : plan.hosts)
        ordered.push_back(&*std::find_if(files.begin(), files.end(), [&](const HostFile& f) { return f.host == host; }));

    auto add_plot = [&](const std::string& file_name, PlotSpec spec, std::vector<SeriesRef> refs) {
        spec.time_axis = options.time_axis;
        spec.width = options.width;
        spec.height = options.height;
        spec.self_name = file_name + ".gp";
        spec.self_dir = "plot/" + name + "/";
        spec.root_from_self = "../../";
        for (PlotFormat format : options.formats)
            spec.outputs.push_back({format, file_name + "." + plot_format_name(format)});
        std::string path = spec.self_dir + spec.self_name;
        plan.plots.push_back({std::move(path), std::move(spec), std::move(refs)});
    };

    if (!per_device(category)) {
        // A host whose CSV lacks a plot's column (an older clusterp) or has
        // it empty (its sysstat cannot record it) is left out of that plot,
        // silently but for the category's first plot (what the category is
        // for): that is said once, with what to do.
        const MetricPlot& headline = *plots_of(category).front();
        std::vector<std::string> unknown;  // hosts left out of the first plot
        for (const MetricPlot* plot : plots_of(category)) {
            PlotSpec spec = spec_for(*plot, plot->title);
            std::vector<SeriesRef> refs;
            for (const HostFile* file : ordered) {
                const CsvSeries& row = file->summary.series.front();
                if (!file->summary.has_value(row, plot->column)) {
                    if (plot == &headline) unknown.push_back(file->host);
                    continue;
                }
                spec.series.push_back(make_series(file->path, host_title(file->host, row.alias, config), file->summary,
                                                  row, plot->column, options.time_axis));
                refs.push_back({file, ""});
            }
            if (spec.series.empty()) continue;
            add_plot(plot->suffix, std::move(spec), std::move(refs));
        }
        if (unknown.empty()) return plan;
        const bool every = unknown.size() == ordered.size();
        const std::string what = std::string(headline.column) + " is unknown" +
                                 (every ? " on every host" : " for " + some_of(unknown));
        const std::string remedy = category == Category::memory
                                       ? "re-parse with --mem-total KIB (clusterp-parse(1) says when it is needed)"
                                       : "clusterp-parse's warnings say why";
        if (plan.plots.empty()) plan.warnings.push_back(name + ": no plot: " + what + "; " + remedy);
        else plan.warnings.push_back(name + "/" + headline.suffix + ": " + what + (every ? ", not drawn; " : ", left out; ") +
                                     remedy);
        return plan;
    }

    if (series_per_device(category)) {
        // A plot per metric, a series per host's device in index order.
        for (const MetricPlot* plot : plots_of(category)) {
            PlotSpec spec = spec_for(*plot, plot->title);
            std::vector<SeriesRef> refs;
            for (const HostFile* file : ordered) {
                std::vector<const CsvSeries*> devices;
                for (const CsvSeries& series : file->summary.series)
                    if (file->summary.has_value(series, plot->column)) devices.push_back(&series);
                std::sort(devices.begin(), devices.end(), [](const CsvSeries* a, const CsvSeries* b) {
                    return by_index(a->device, b->device);
                });
                for (const CsvSeries* series : devices) {
                    const std::string title =
                        device_series_title(host_title(file->host, series->alias, config), file->host, series->device, config);
                    spec.series.push_back(
                        make_series(file->path, title, file->summary, *series, plot->column, options.time_axis));
                    refs.push_back({file, series->device});
                }
            }
            if (!spec.series.empty()) add_plot(plot->suffix, std::move(spec), std::move(refs));
        }
        return plan;
    }

    const std::vector<NamedItem> devices = chosen_devices(category, files, config);
    for (const NamedItem& device : devices) {
        if (std::string problem = file_name_problem(device.alias); !problem.empty()) {
            plan.warnings.push_back(name + " " + quoted(device.name) + ": alias " + quoted(device.alias) + " " + problem +
                                    ", not plotted");
            plan.bad_input = true;
            continue;
        }
        std::vector<std::pair<const CsvSeries*, const HostFile*>> with;
        for (const HostFile* file : ordered)
            for (const CsvSeries& series : file->summary.series)
                if (series.device == device.name) {
                    with.emplace_back(&series, file);
                    break;
                }
        if (with.empty()) {
            plan.warnings.push_back(name + ": no host has " + quoted(device.name) + ", not plotted");
            continue;
        }
        for (const MetricPlot* plot : plots_of(category)) {
            PlotSpec spec = spec_for(*plot, device_title(*plot, device.alias));
            std::vector<SeriesRef> refs;
            for (const auto& [series, file] : with) {
                if (!file->summary.has_value(*series, plot->column)) continue;
                spec.series.push_back(make_series(file->path, host_title(file->host, series->alias, config),
                                                  file->summary, *series, plot->column, options.time_axis));
                refs.push_back({file, series->device});
            }
            if (spec.series.empty()) continue;
            add_plot(device.alias + "_" + plot->suffix, std::move(spec), std::move(refs));
        }
    }
    // None configured and none active: say so (once) rather than draw nothing.
    if (devices.empty() && !files.empty()) {
        const bool disk = category == Category::disk;
        plan.warnings.push_back(name + ": no plot: no " + (disk ? "device" : "interface") + " shows activity (" +
                                (disk ? "loop* and ram*" : "lo") + " aside); list those to plot under " +
                                (disk ? "filesystem_names" : "net_interfaces") + " in the config");
    }
    return plan;
}

}  // namespace clusterp
