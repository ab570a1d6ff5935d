#include "plot/plot_run.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "base/atomic_file.hpp"
#include "base/read_file.hpp"
#include "base/diag.hpp"
#include "base/thread_pool.hpp"
#include "model/config.hpp"
#include "model/names.hpp"
#include "model/csv.hpp"
#include "plot/csv_summary.hpp"
#include "plot/gnuplot_runner.hpp"
#include "model/plot_catalogue.hpp"
#include "plot/heatmap.hpp"
#include "plot/plot_marks.hpp"
#include "plot/plot_plan.hpp"
#include "plot/plot_reduce.hpp"
#include "plot/views.hpp"

namespace clusterp {

namespace fs = std::filesystem;

namespace {

const char* const k_markers_csv = "parsed/markers.csv";

std::optional<Config> config_for(const PlotOptions& options) {
    std::error_code ec;
    if (!options.config_required && !fs::exists(options.config_path, ec)) return std::nullopt;
    LoadOptions load;
    load.require_hosts = false;
    return load_config(options.config_path, load);
}

// A file that parse wrote: not one of our temporary files, and a name that
// may be a file name.
bool plausible_data_file(const fs::directory_entry& entry) {
    const std::string name = entry.path().filename().string();
    return entry.is_regular_file() && file_name_problem(name).empty();
}

// Reads PATH's columns (reduced_columns) per device, for the views and
// reduce_plots.
std::vector<PlotColumns> read_host_file(const std::string& path, const CsvSummary& summary,
                                       Category category, TimeAxis axis) {
    const std::string text = read_whole_file(path);
    ColumnPick pick;
    pick.x = summary.column_number(axis == TimeAxis::clock ? "time" : "elapsed");
    pick.x_is_time = axis == TimeAxis::clock;
    const CategoryInfo& info = category_info(category);
    if (info.key) {
        pick.key = summary.column_number(info.key->name);
        pick.label = summary.column_number(info.key_alias->name);
    }
    for (const std::string& column : reduced_columns(category)) pick.y.push_back(summary.column_number(column));
    return read_columns<float>(text, pick);
}

// The CSV files of one category, read several at a time: each summarized
// (csv_summary) and read whole (DATA, per host: the views need every value,
// long series are reduced from it), which also finds the devices.  Only
// the values that a plot may draw are kept (DATA is the largest thing plot
// holds): the devices of CONFIGURED when it lists some, else the active
// ones that are no pseudo devices, and not the columns read only to tell
// activity.  Problems are reported here; a file with no rows or of another
// category is left out.
std::vector<HostFile> load_category(Category category, const std::string& dir, const PlotOptions& options,
                                    const std::vector<NamedItem>& configured, bool& bad_input,
                                    std::map<std::string, std::vector<PlotColumns>>& data) {
    const std::string name = category_name(category);
    std::error_code ec;
    std::vector<std::string> names;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec))
        if (plausible_data_file(entry)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    const std::vector<std::string> reduced = reduced_columns(category);
    const std::size_t plots = drawn_column_count(category);  // reduced: these first
    // Several files at a time.
    std::vector<CsvSummary> summaries(names.size());
    std::vector<std::vector<PlotColumns>> columns(names.size());
    std::vector<std::string> problems(names.size());
    parallel_for(names.size(), options.jobs > 0 ? options.jobs : default_width(), [&](std::size_t i) {
        const std::string path = dir + "/" + names[i];
        std::ifstream in(path);
        if (!in) {
            problems[i] = "cannot open " + clusterp::quoted(path);
            return;
        }
        summaries[i] = summarize_csv(in, true);
        if (summaries[i].category != category || summaries[i].rows == 0) return;
        try {
            columns[i] = read_host_file(path, summaries[i], category, options.time_axis);
        } catch (const Error& e) {
            problems[i] = e.what();
            return;
        }
        CsvSummary& summary = summaries[i];
        // Whether a plotted column has a value, from every row (the summary
        // read the first only).
        auto mark_filled = [&](CsvSeries& series, const PlotColumns& data) {
            for (std::size_t j = 0; j < plots; ++j)
                if (const int column = summary.column_number(reduced[j]); column > 0)
                    series.filled[std::size_t(column - 1)] = std::any_of(
                        data.y[j].begin(), data.y[j].end(), [](float v) { return !std::isnan(v); });
        };
        if (!per_device(category)) {
            for (const PlotColumns& data : columns[i]) mark_filled(summary.series.front(), data);
            return;
        }
        const CsvSeries head = summary.series.front();
        summary.series.clear();
        summary.rows = 0;
        for (PlotColumns& data : columns[i]) {
            CsvSeries series = head;
            series.device = data.key;
            series.device_alias = data.label;
            series.active = false;
            // Every column read for disk and network tells activity.
            for (std::size_t j = 0; j < data.y.size() && !series.active; ++j)
                series.active = std::any_of(data.y[j].begin(), data.y[j].end(), [](double v) { return v > 0; });
            mark_filled(series, data);
            summary.rows += data.x.size();
            // Every GPU is plotted: an idle one is what its plots should show.
            const bool plotted =
                series_per_device(category) ||
                (configured.empty() ? series.active && !is_pseudo_device(data.key)
                                    : std::any_of(configured.begin(), configured.end(),
                                                  [&](const NamedItem& item) { return item.name == data.key; }));
            summary.series.push_back(std::move(series));
            for (std::size_t j = plotted ? plots : 0; j < data.y.size(); ++j) std::vector<float>().swap(data.y[j]);
            if (!plotted) std::vector<double>().swap(data.x);
        }
    });
    std::vector<HostFile> files;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string& host = names[i];
        HostFile file{host, dir + "/" + host, {}};
        if (!problems[i].empty()) {
            print_error(problems[i]);
            bad_input = true;
            continue;
        }
        file.summary = std::move(summaries[i]);
        data[host] = std::move(columns[i]);
        if (file.summary.category != category) {
            warn(clusterp::quoted(file.path) + " is not " + name + " CSV (no contract header), left out");
            bad_input = true;
            continue;
        }
        if (file.summary.rows == 0) {
            warn(clusterp::quoted(file.path) + " has no rows, left out");
            continue;
        }
        files.push_back(std::move(file));
    }
    return files;
}

// A view's script, written as soon as it is made (its data is too large to
// keep), and its spec without the data, for its gnuplot job.
struct ViewScript {
    std::string path;  // from the working directory
    PlotSpec spec;     // outputs and self_* only
};

}  // namespace

void parse_plot_size(const std::string& text, int& width, int& height) {
    auto x = text.find('x');
    char* end = nullptr;
    if (x != std::string::npos) {
        long w = std::strtol(text.c_str(), &end, 10);
        if (end == text.c_str() + x) {
            long h = std::strtol(text.c_str() + x + 1, &end, 10);
            if (*end == '\0' && w >= 100 && h >= 100 && w <= 20000 && h <= 20000) {
                width = int(w);
                height = int(h);
                return;
            }
        }
    }
    throw Error(k_exit_usage, "bad size " + clusterp::quoted(text) + ": want WIDTHxHEIGHT in pixels, 100 to 20000 each");
}

std::vector<PlotFormat> directory_formats(const PlotOptions& options) {
    // eps for the seed's users, svg for the run page (a browser shows no eps).
    return options.formats.empty() ? std::vector<PlotFormat>{PlotFormat::eps, PlotFormat::svg} : options.formats;
}

bool draws_page_plots(const PlotOptions& options) {
    const std::vector<PlotFormat> formats = directory_formats(options);
    return !options.script_only && (std::find(formats.begin(), formats.end(), PlotFormat::svg) != formats.end() ||
                                    std::find(formats.begin(), formats.end(), PlotFormat::png) != formats.end());
}

int plot_directory(const PlotOptions& options) {
    std::error_code ec;
    if (!fs::is_directory("parsed", ec))
        throw Error(k_exit_no_input, "no 'parsed' directory here; run clusterp-parse first");
    const std::optional<Config> config = config_for(options);
    PlanOptions plan_options;
    plan_options.time_axis = options.time_axis;
    plan_options.width = options.width;
    plan_options.height = options.height;
    plan_options.formats = directory_formats(options);
    bool bad_input = false;
    std::vector<std::pair<std::string, PlotSpec>> scripts;  // path from the working directory
    std::vector<TableHost> index_hosts;                     // every host plotted, for the run page
    std::vector<ViewScript> views;                          // heatmaps and bands, already written
    std::vector<TableMetric> table;                         // the host table of index.html
    std::vector<TimeMark> marks;                            // drawn on every plot
    if (std::ifstream in(k_markers_csv); in)
        marks = read_marks(in, clusterp::quoted(k_markers_csv), options.time_axis, [&](const std::string& message) {
            warn(message);
            bad_input = true;
        });

    for (const CategoryInfo& info : categories()) {
        const std::string dir = std::string("parsed/") + info.name;
        const bool asked = options.categories & (1u << int(info.category));
        if (options.categories && !asked) continue;
        if (plots_of(info.category).empty()) {  // processes: named by the report, not drawn
            if (asked) warn(std::string(info.name) + " has no plots (clusterp-report names the top processes)");
            continue;
        }
        if (!fs::is_directory(dir, ec)) {
            if (asked) warn("no " + clusterp::quoted(dir) + ", no " + info.name + " plots");
            else debug("no " + clusterp::quoted(dir) + ", no " + info.name + " plots");
            continue;
        }
        std::map<std::string, std::vector<PlotColumns>> data;
        const std::vector<NamedItem>& configured = configured_devices(config, info.category);
        const std::vector<HostFile> files = load_category(info.category, dir, options, configured, bad_input, data);
        CategoryPlan plan = plan_category(info.category, files, config, plan_options);
        for (const std::string& host : plan.hosts) {
            const HostFile& file = *std::find_if(files.begin(), files.end(), [&](const HostFile& f) { return f.host == host; });
            if (std::none_of(index_hosts.begin(), index_hosts.end(), [&](const TableHost& h) { return h.host == host; }))
                index_hosts.push_back({host, host_title(host, file.summary.series.front().alias, config)});
        }
        for (const std::string& warning : plan.warnings) warn(warning);
        bad_input = bad_input || plan.bad_input;
        // The views of the category's plots at once (their numbers are a
        // good part of plot's work at many hosts), each script written as
        // soon as it is made.
        const SeriesIntervals intervals = series_intervals(data);
        std::vector<std::vector<HostFigures>> figures(plan.plots.size());
        std::vector<ViewScript> made(2 * plan.plots.size());
        parallel_for(plan.plots.size(), options.jobs > 0 ? options.jobs : default_width(), [&](std::size_t i) {
            PlannedPlot& plot = plan.plots[i];
            plot.spec.marks = marks;
            set_limit(plot, info.category, data);
            const Views view = plot_views(plot, info.category, data, intervals, figures[i]);
            const std::string& dir = plot.spec.self_dir;
            made[2 * i] = {dir + view.heatmap.plot.self_name, view.heatmap.plot};
            write_file_atomically(made[2 * i].path, heatmap_script(view.heatmap));
            made[2 * i + 1] = {dir + view.band.plot.self_name, view.band.plot};
            write_file_atomically(made[2 * i + 1].path, band_script(view.band));
        });
        for (std::size_t i = 0; i < plan.plots.size(); ++i)
            add_figures(table, info.category, plan.plots[i].spec.column, figures[i]);
        views.insert(views.end(), std::make_move_iterator(made.begin()), std::make_move_iterator(made.end()));
        if (!options.all_points) reduce_plots(plan.plots, info.category, data);
        for (PlannedPlot& plot : plan.plots) scripts.emplace_back(std::move(plot.path), std::move(plot.spec));
    }

    if (scripts.empty()) {
        warn("nothing to plot under 'parsed'");
        return bad_input ? k_exit_data : k_exit_ok;
    }
    if (!options.script_only) require_gnuplot();
    const std::string suffix = ".tmp." + std::to_string(::getpid());
    std::vector<GnuplotJob> jobs;
    // The heatmaps first: the longest jobs, started early, end the run sooner.
    std::vector<std::pair<std::string, const PlotSpec*>> all;
    for (const ViewScript& view : views) all.emplace_back(view.path, &view.spec);
    for (const auto& [path, spec] : scripts) {
        write_file_atomically(path, gnuplot_script(spec));
        all.emplace_back(path, &spec);
    }
    for (const auto& [path, spec_ref] : all) {
        const PlotSpec& spec = *spec_ref;
        GnuplotJob job;
        job.args = {"-e", "suffix=" + gnuplot_quote(suffix), path};
        job.what = clusterp::quoted(path);
        for (const PlotOutput& output : spec.outputs) {
            const std::string final_path = spec.self_dir + output.path;
            job.outputs.emplace_back(final_path + suffix, final_path);
        }
        jobs.push_back(std::move(job));
    }
    if (options.script_only) {
        inform("wrote " + std::to_string(all.size()) + " scripts under 'plot'");
        return bad_input ? k_exit_data : k_exit_ok;
    }
    const int failed = run_jobs(jobs, options.jobs > 0 ? options.jobs : default_width());
    for (const ViewScript& view : views)
        for (const PlotOutput& output : view.spec.outputs) {
            const std::string path = view.spec.self_dir + output.path;
            if (output.format != PlotFormat::svg || !fs::is_regular_file(path, ec)) continue;
            const std::string svg = read_whole_file(path);
            if (std::string crisp = crisp_svg_images(svg); crisp != svg) write_file_atomically(path, crisp);
        }
    if (options.categories) keep_hosts_csv_rows(".", options.categories, index_hosts, table);
    write_hosts_csv(".", index_hosts, table);
    if (!draws_page_plots(options))
        inform("no run page 'plot/index.html': it shows svg or png plots (-f eps,svg draws both)");
    inform("made " + std::to_string(jobs.size() - std::size_t(failed)) + " of " + std::to_string(jobs.size()) +
           " plots under 'plot'");
    if (failed) return k_exit_partial;
    return bad_input ? k_exit_data : k_exit_ok;
}

int plot_stream(const PlotOptions& options) {
    const std::optional<Config> config = config_for(options);
    // Format: --format, else the -o extension, else eps.
    if (options.formats.size() > 1) throw Error(k_exit_usage, "stream mode makes one plot: give one --format");
    PlotFormat format = PlotFormat::eps;
    if (!options.formats.empty()) {
        format = options.formats.front();
    } else if (!options.output.empty()) {
        const std::string ext = fs::path(options.output).extension().string();
        auto from_ext = parse_plot_format(ext.empty() ? ext : ext.substr(1));
        if (!from_ext)
            throw Error(k_exit_usage, "cannot tell the format of " + clusterp::quoted(options.output) + "; give --format");
        format = *from_ext;
    }

    struct Input {
        std::string source;  // file name as gnuplot sees it, or the datablock
        std::string name;    // for messages
        CsvSummary summary;
    };
    std::vector<Input> inputs;
    std::vector<Datablock> blocks;
    bool stdin_used = false;
    for (const std::string& path : options.inputs) {
        Input input;
        if (path == "-") {
            if (stdin_used) throw Error(k_exit_usage, "'-' (stdin) given twice");
            stdin_used = true;
            std::ostringstream text;
            text << std::cin.rdbuf();
            std::string content = text.str();
            if (!content.empty() && content.back() != '\n') content += '\n';
            // A line "EOD" would end the datablock early; the contract
            // never writes one.
            std::istringstream in(content);
            input = {"$stdin", "stdin", summarize_csv(in)};
            blocks.push_back({"$stdin", std::move(content)});
        } else {
            std::ifstream in(path);
            if (!in) throw Error(k_exit_no_input, "cannot open " + clusterp::quoted(path) + ": " + errno_text(errno));
            // gnuplot runs a file name starting with '<' as a command.
            const bool command_like = !path.empty() && (path[0] == '<' || path[0] == '|');
            input = {command_like ? "./" + path : path, clusterp::quoted(path), summarize_csv(in)};
        }
        if (!input.summary.category)
            throw Error(k_exit_data, input.name + " has no clusterp CSV header");
        if (!inputs.empty() && input.summary.category != inputs.front().summary.category)
            throw Error(k_exit_data, input.name + " holds " + category_name(*input.summary.category) + " rows, " +
                                         inputs.front().name + " " + category_name(*inputs.front().summary.category) +
                                         " rows");
        if (input.summary.rows == 0) warn(input.name + " has no rows, left out");
        inputs.push_back(std::move(input));
    }
    const Category category = *inputs.front().summary.category;

    const MetricPlot* known = nullptr;
    for (const MetricPlot* plot : plots_of(category))
        if (options.metric.empty() ? !known : options.metric == plot->column) {
            known = plot;
            if (!options.metric.empty()) break;
        }
    const std::string metric = options.metric.empty() ? known->column : options.metric;
    for (const Input& input : inputs)
        if (!input.summary.has_column(metric))
            throw Error(k_exit_usage, input.name + " has no column " + clusterp::quoted(metric));

    PlotSpec spec;
    spec.column = metric;
    spec.percent = known && known->percent;
    spec.ylabel = known ? known->ylabel : label_for(category, metric);
    if (!known) spec.title = category_name(category) + std::string(": ") + metric;
    else if (per_device(category) && !series_per_device(category))
        spec.title = std::string(category == Category::disk ? "Disk " : "Network ") + known->title;
    else spec.title = known->title;
    spec.time_axis = options.time_axis;
    spec.width = options.width;
    spec.height = options.height;
    spec.datablocks = std::move(blocks);
    if (!options.markers.empty()) {
        std::ifstream in(options.markers);
        if (!in)
            throw Error(k_exit_no_input, "cannot open " + clusterp::quoted(options.markers) + ": " + errno_text(errno));
        spec.marks = read_marks(in, clusterp::quoted(options.markers), options.time_axis,
                                [](const std::string& message) { warn(message); });
    }

    const std::vector<NamedItem>& configured = configured_devices(config, category);
    auto wanted = [&](const CsvSeries& series) {
        if (!per_device(category) || series_per_device(category)) return true;
        if (!configured.empty())
            return std::any_of(configured.begin(), configured.end(),
                               [&](const NamedItem& item) { return item.name == series.device; });
        return series.active && !is_pseudo_device(series.device);
    };
    std::vector<std::string> hosts;
    for (const Input& input : inputs)
        for (const CsvSeries& series : input.summary.series) hosts.push_back(series.host);
    bool any_wanted = false;  // with or without a value of METRIC
    for (const std::string& host : ordered_hosts(hosts, config))
        for (const Input& input : inputs) {
            for (const CsvSeries& series : input.summary.series) {
                if (series.host != host || !wanted(series)) continue;
                any_wanted = true;
                if (!input.summary.has_value(series, metric)) continue;
                std::string title = host_title(host, series.alias, config);
                if (series_per_device(category)) {
                    title = device_series_title(title, host, series.device, config);
                } else if (per_device(category)) {
                    std::string alias = config ? config->device_alias(series.device) : series.device;
                    if (alias == series.device && !series.device_alias.empty()) alias = series.device_alias;
                    title += " " + alias;
                }
                spec.series.push_back(
                    make_series(input.source, title, input.summary, series, metric, options.time_axis));
            }
        }
    if (spec.series.empty() && any_wanted) throw Error(k_exit_data, "nothing to plot: " + metric + " is empty in every row");
    if (spec.series.empty()) throw Error(k_exit_data, "nothing to plot: no rows" +
                                                          std::string(per_device(category) ? " with activity" : ""));

    if (options.script_only) {
        spec.outputs.push_back({format, options.output});
        std::cout << gnuplot_script(spec) << std::flush;
        return k_exit_ok;
    }
    require_gnuplot();
    GnuplotJob job;
    job.what = options.output.empty() ? "the script for stdout" : "the script for " + clusterp::quoted(options.output);
    std::string tmp;
    if (!options.output.empty()) {
        fs::path parent = fs::path(options.output).parent_path();
        std::error_code ec;
        if (!parent.empty() && !fs::is_directory(parent, ec))
            throw Error(k_exit_cant_create, "cannot create " + clusterp::quoted(options.output) + ": no directory " +
                                                clusterp::quoted(parent.string()));
        tmp = temporary_path_for(options.output);
        job.outputs.emplace_back(tmp, options.output);
    }
    spec.outputs.push_back({format, tmp});
    job.input = gnuplot_script(spec);
    std::cout << std::flush;
    return run_piped(job) ? k_exit_ok : k_exit_partial;
}

}  // namespace clusterp
