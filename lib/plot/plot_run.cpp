#include "plot/plot_run.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "base/atomic_file.hpp"
#include "model/config.hpp"
#include "plot/csv_read.hpp"
#include "base/diag.hpp"
#include "model/manifest.hpp"
#include "plot/plot_catalogue.hpp"
#include "plot/plot_index.hpp"

extern char** environ;

namespace clusterp {

namespace fs = std::filesystem;

namespace {

PlotSpec spec_for(const MetricPlot& plot, const std::string& title) {
    PlotSpec spec;
    spec.title = title;
    spec.ylabel = plot.ylabel;
    spec.column = plot.column;
    spec.percent = plot.percent;
    return spec;
}

std::optional<Config> config_for(const PlotOptions& options) {
    std::error_code ec;
    if (!options.config_required && !fs::exists(options.config_path, ec)) return std::nullopt;
    return load_config(options.config_path, LoadOptions{{}, false});
}

// Config order first, then the others by name.
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
    if (config)
        for (const NamedItem& item : config->hosts)
            if (item.name == host) return item.alias;
    return csv_alias.empty() ? host : csv_alias;
}

bool gnuplot_available() {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) dir = ".";
        if (::access((dir + "/gnuplot").c_str(), X_OK) == 0) return true;
    }
    return false;
}

void require_gnuplot() {
    if (!gnuplot_available())
        throw Error(k_exit_unavailable, "gnuplot not found in PATH; install it (Debian: apt-get install gnuplot-nox)");
}

// One gnuplot run: its arguments, what it reads on stdin, where its outputs
// go once it succeeds.
struct GnuplotJob {
    std::vector<std::string> args;
    std::string input;  // written to its stdin when not empty
    std::string what;   // how messages name the script
    std::vector<std::pair<std::string, std::string>> outputs;  // temporary -> final
    pid_t pid = -1;
    std::FILE* errors = nullptr;  // its stderr
};

pid_t spawn_gnuplot(GnuplotJob& job, int stdin_fd) {
    job.errors = std::tmpfile();
    if (!job.errors) throw Error(k_exit_io, std::string("cannot create a temporary file: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (stdin_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    else posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fileno(job.errors), 2);
    std::vector<std::string> argv_text{"gnuplot"};
    argv_text.insert(argv_text.end(), job.args.begin(), job.args.end());
    std::vector<char*> argv;
    for (std::string& arg : argv_text) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    int rc = posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc == ENOENT) require_gnuplot();
    if (rc != 0) throw Error(k_exit_unavailable, std::string("cannot run gnuplot: ") + std::strerror(rc));
    return pid;
}

// gnuplot's messages, one line each, empty lines and carets dropped.
std::vector<std::string> error_lines(std::FILE* file) {
    std::vector<std::string> lines;
    std::rewind(file);
    std::string line;
    int c;
    while ((c = std::fgetc(file)) != EOF) {
        if (c != '\n') { line += char(c); continue; }
        auto first = line.find_first_not_of(" \t");
        if (first != std::string::npos && line[first] != '^') lines.push_back(line.substr(first));
        line.clear();
    }
    if (!line.empty()) lines.push_back(line);
    std::fclose(file);
    return lines;
}

// Ends one job: moves its outputs into place, or reports and removes them.
bool finish_job(GnuplotJob& job, int status) {
    std::vector<std::string> lines = error_lines(job.errors);
    job.errors = nullptr;
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) {
        std::string cause = lines.empty() ? (WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                                                  : "exit status " + std::to_string(WEXITSTATUS(status)))
                                          : lines.back();
        print_error("gnuplot failed on " + job.what + ": " + cause);
        for (const auto& output : job.outputs) ::unlink(output.first.c_str());
        return false;
    }
    for (const std::string& line : lines) debug(job.what + ": gnuplot: " + line);
    for (const auto& output : job.outputs) {
        std::error_code ec;
        if (!fs::exists(output.first, ec)) continue;  // stdout
        commit_file(output.first, output.second);
    }
    return true;
}

// Runs the jobs, at most `parallel` at once; returns how many failed.
int run_jobs(std::vector<GnuplotJob>& jobs, int parallel) {
    std::map<pid_t, GnuplotJob*> running;
    std::size_t next = 0;
    int failed = 0;
    while (next < jobs.size() || !running.empty()) {
        while (next < jobs.size() && int(running.size()) < parallel) {
            GnuplotJob& job = jobs[next++];
            debug("running gnuplot on " + job.what);
            job.pid = spawn_gnuplot(job, -1);
            running[job.pid] = &job;
        }
        int status = 0;
        pid_t pid = ::waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            throw Error(k_exit_software, std::string("waitpid: ") + std::strerror(errno));
        }
        auto it = running.find(pid);
        if (it == running.end()) continue;
        if (!finish_job(*it->second, status)) ++failed;
        running.erase(it);
    }
    return failed;
}

// One job fed through a pipe (stream mode, whose script may hold the data).
bool run_piped(GnuplotJob& job) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(k_exit_io, std::string("pipe: ") + std::strerror(errno));
    pid_t pid = spawn_gnuplot(job, fds[0]);
    ::close(fds[0]);
    std::signal(SIGPIPE, SIG_IGN);
    const char* data = job.input.data();
    std::size_t left = job.input.size();
    while (left > 0) {
        ssize_t n = ::write(fds[1], data, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // gnuplot stopped reading: its status says why
        data += n;
        left -= std::size_t(n);
    }
    ::close(fds[1]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return finish_job(job, status);
}

int default_jobs() {
    long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? int(cores) : 1;
}

// A file that parse wrote: not one of our temporary files, and a name that
// may be a file name.
bool plausible_data_file(const fs::directory_entry& entry) {
    const std::string name = entry.path().filename().string();
    return entry.is_regular_file() && file_name_problem(name).empty();
}

// One series of SUMMARY's file: its columns by number, and how gnuplot picks
// its rows when the file holds others too (every Nth row when they are
// regular, else a test on host and device).
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

struct HostFile {
    std::string host;
    std::string path;  // from the working directory
    CsvSummary summary;
};

// A series of a plot: the host file and the device ("" for cpu, memory,
// swap) whose rows it draws.
struct SeriesRef {
    const HostFile* file;
    std::string device;
};

// Calls body(i) for i in [0, n) on up to `threads` threads.
template <typename Body>
void parallel_for(std::size_t n, int threads, Body body) {
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i; (i = next++) < n;) body(i);
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads && std::size_t(t) < n; ++t) pool.emplace_back(work);
    work();
    for (std::thread& thread : pool) thread.join();
}

// The columns plot reads from a category's files: those of its plots, then
// those that tell whether a device shows activity.
std::vector<std::string> category_columns(Category category) {
    std::vector<std::string> columns;
    for (const MetricPlot* plot : plots_of(category)) columns.push_back(plot->column);
    for (const std::string& column : activity_columns(category))
        if (std::find(columns.begin(), columns.end(), column) == columns.end()) columns.push_back(column);
    return columns;
}

// Reads PATH's columns (category_columns) per device, for reduce_plots.
std::vector<ColumnData> read_host_file(const std::string& path, const CsvSummary& summary,
                                       Category category, TimeAxis axis) {
    std::error_code ec;
    std::string text(std::size_t(fs::file_size(path, ec)), '\0');
    std::ifstream in(path, std::ios::binary);
    if (ec || !in.read(text.data(), std::streamsize(text.size())))
        throw Error(k_exit_io, "cannot read " + clusterp::quoted(path));
    std::vector<int> y_columns;
    for (const std::string& column : category_columns(category)) y_columns.push_back(summary.column_number(column));
    const CategoryInfo& info = category_info(category);
    return read_columns(text, summary.column_number(axis == TimeAxis::clock ? "time" : "elapsed"),
                        axis == TimeAxis::clock, info.key ? summary.column_number(info.key->name) : 0,
                        info.key ? summary.column_number(info.key_alias->name) : 0, y_columns);
}

// For the plots of one category from index `first` on: where a series has
// more points than the plot has pixels across (times four), gives gnuplot
// the series reduced to what it would draw (append_reduced) in a datablock
// of the script, instead of the whole CSV to read: long runs then plot many
// times faster, and the plots look the same.  DATA: what read_host_file
// found, per host.
void reduce_plots(std::vector<std::pair<std::string, PlotSpec>>& scripts,
                  const std::vector<std::vector<SeriesRef>>& refs, std::size_t first, Category category,
                  const std::map<std::string, std::vector<ColumnData>>& data) {
    const std::vector<std::string> columns = category_columns(category);
    for (std::size_t p = first; p < scripts.size(); ++p) {
        PlotSpec& spec = scripts[p].second;
        const std::size_t y = std::size_t(std::find(columns.begin(), columns.end(), spec.column) - columns.begin());
        std::vector<const ColumnData*> series;
        double x0 = 0, x1 = 0;
        bool any = false;
        std::size_t most = 0;
        for (const SeriesRef& ref : refs[p]) {
            const ColumnData* found = nullptr;
            auto host = data.find(ref.file->host);
            if (host != data.end())
                for (const ColumnData& column : host->second)
                    if (column.key == ref.device) found = &column;
            series.push_back(found);
            if (!found || found->x.empty()) continue;
            x0 = any ? std::min(x0, found->x.front()) : found->x.front();
            x1 = any ? std::max(x1, found->x.back()) : found->x.back();
            any = true;
            most = std::max(most, found->x.size());
        }
        const int width = spec.width > 0 ? spec.width : default_plot_width(spec.series.size());
        if (most <= 4 * std::size_t(width)) continue;
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


// The time of the first and the last row of a contract CSV (its first
// column), without reading the rows between: the last line is found from the
// end of the file.
std::pair<std::string, std::string> time_span_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string header, first;
    if (!std::getline(in, header) || !std::getline(in, first)) return {};
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    const std::streamoff tail = std::min<std::streamoff>(size, 4096);
    std::string end(static_cast<std::size_t>(tail), '\0');
    in.seekg(size - tail);
    in.read(&end[0], tail);
    while (!end.empty() && (end.back() == '\n' || end.back() == '\r')) end.pop_back();
    const std::string last = end.substr(end.find_last_of('\n') + 1);
    return {first.substr(0, first.find(',')), last.substr(0, last.find(','))};
}

// plot/index.html, when a format that a browser shows (svg, else png) was
// drawn: every plot made, the hosts and the run's time span.
void write_index(const std::vector<std::pair<std::string, PlotSpec>>& scripts, const std::vector<PlotFormat>& formats,
                 const std::vector<IndexHost>& hosts, const std::vector<std::string>& csv_paths) {
    const bool svg = std::find(formats.begin(), formats.end(), PlotFormat::svg) != formats.end();
    const bool png = std::find(formats.begin(), formats.end(), PlotFormat::png) != formats.end();
    if (!svg && !png) return;
    IndexPage page;
    if (auto manifest = read_manifest(k_manifest_path)) page.run_id = manifest->run_id;
    page.hosts = hosts;
    for (const std::string& path : csv_paths) {
        auto [first, last] = time_span_of(path);
        if (first.empty()) continue;
        if (page.first_time.empty() || first < page.first_time) page.first_time = first;
        if (last > page.last_time) page.last_time = last;
    }
    std::error_code ec;
    for (const auto& [path, spec] : scripts) {
        const std::string name = spec.self_name.substr(0, spec.self_name.size() - 3);  // less ".gp"
        const std::string category = spec.self_dir.substr(5, spec.self_dir.size() - 6);  // "plot/X/" -> X
        const std::string image = category + "/" + name + (svg ? ".svg" : ".png");
        if (fs::exists("plot/" + image, ec)) page.plots.push_back({category, name, image});
    }
    write_file_atomically("plot/index.html", render_index_html(page));
}
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

int plot_directory(const PlotOptions& options) {
    std::error_code ec;
    if (!fs::is_directory("parsed", ec))
        throw Error(k_exit_no_input, "no 'parsed' directory here; run clusterp-parse first");
    const std::optional<Config> config = config_for(options);
    const std::vector<PlotFormat> formats = options.formats.empty() ? std::vector<PlotFormat>{PlotFormat::eps}
                                                                    : options.formats;
    bool bad_input = false;
    std::vector<std::pair<std::string, PlotSpec>> scripts;  // path from the working directory
    std::vector<std::vector<SeriesRef>> script_refs;        // where each series comes from
    std::vector<IndexHost> index_hosts;                     // every host plotted, for index.html
    std::vector<std::string> cpu_csvs;                      // their time span, for index.html

    auto add_plot = [&](const std::string& category, const std::string& name, PlotSpec spec,
                        std::vector<SeriesRef> refs) {
        script_refs.push_back(std::move(refs));
        spec.time_axis = options.time_axis;
        spec.width = options.width;
        spec.height = options.height;
        spec.self_name = name + ".gp";
        spec.self_dir = "plot/" + category + "/";
        spec.root_from_self = "../../";
        for (PlotFormat format : formats) spec.outputs.push_back({format, name + "." + plot_format_name(format)});
        scripts.emplace_back(spec.self_dir + spec.self_name, std::move(spec));
    };

    for (const CategoryInfo& info : categories()) {
        const Category category = info.category;
        const std::string name = info.name;
        const std::size_t category_start = scripts.size();
        const std::string dir = "parsed/" + name;
        if (!fs::is_directory(dir, ec)) {
            debug("no " + clusterp::quoted(dir) + ", no " + name + " plots");
            continue;
        }
        std::vector<std::string> names;
        for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec))
            if (plausible_data_file(entry)) names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        std::map<std::string, HostFile> files;
        const std::vector<const MetricPlot*> plots = plots_of(category);
        const MetricPlot* first = plots.front();
        // Long series will be reduced (reduce_plots): then each file is read
        // whole once, by read_host_file, which also finds the devices.
        // Rows are more than 40 bytes: a bound on their number from the size.
        bool reduce = false;
        const int width = options.width > 0 ? options.width : default_plot_width(names.size());
        for (const std::string& file : names) {
            const std::uintmax_t size = fs::file_size(dir + "/" + file, ec);
            reduce = reduce || (!ec && size / 40 > 4 * std::uintmax_t(width));
        }
        reduce = reduce && !options.all_points;
        // Several files at a time.
        std::vector<CsvSummary> summaries(names.size());
        std::vector<std::vector<ColumnData>> columns(names.size());
        std::vector<std::string> problems(names.size());
        parallel_for(names.size(), options.jobs > 0 ? options.jobs : default_jobs(), [&](std::size_t i) {
            const std::string path = dir + "/" + names[i];
            std::ifstream in(path);
            if (!in) {
                problems[i] = "cannot open " + clusterp::quoted(path);
                return;
            }
            summaries[i] = summarize_csv(in, first->column, !per_device(category) || reduce);
            if (!reduce || summaries[i].category != category || summaries[i].rows == 0) return;
            try {
                columns[i] = read_host_file(path, summaries[i], category, options.time_axis);
            } catch (const Error& e) {
                problems[i] = e.what();
                return;
            }
            if (!per_device(category)) return;
            CsvSummary& summary = summaries[i];
            const CsvSeries head = summary.series.front();
            summary.series.clear();
            summary.rows = 0;
            for (const ColumnData& data : columns[i]) {
                CsvSeries series = head;
                series.device = data.key;
                series.device_alias = data.label;
                series.active = false;
                // Every column read for disk and network tells activity.
                for (std::size_t j = 0; j < data.y.size() && !series.active; ++j)
                    series.active = std::any_of(data.y[j].begin(), data.y[j].end(), [](double v) { return v > 0; });
                summary.rows += data.x.size();
                summary.series.push_back(std::move(series));
            }
        });
        std::map<std::string, std::vector<ColumnData>> data_by_host;
        for (std::size_t i = 0; i < names.size(); ++i) {
            const std::string& host = names[i];
            HostFile file{host, dir + "/" + host, {}};
            if (!problems[i].empty()) {
                print_error(problems[i]);
                bad_input = true;
                continue;
            }
            file.summary = std::move(summaries[i]);
            if (reduce) data_by_host[host] = std::move(columns[i]);
            if (file.summary.category != category) {
                warn(clusterp::quoted(file.path) + " is not " + name + " CSV (no contract header), left out");
                bad_input = true;
                continue;
            }
            if (file.summary.rows == 0) {
                warn(clusterp::quoted(file.path) + " has no rows, left out");
                continue;
            }
            files.emplace(host, std::move(file));
        }
        std::vector<std::string> hosts;
        for (const auto& entry : files) hosts.push_back(entry.first);
        hosts = ordered_hosts(hosts, config);
        for (const std::string& host : hosts) {
            const HostFile& file = files.at(host);
            if (category == Category::cpu) cpu_csvs.push_back(file.path);
            if (std::none_of(index_hosts.begin(), index_hosts.end(), [&](const IndexHost& h) { return h.host == host; }))
                index_hosts.push_back({host, host_title(host, file.summary.series.front().alias, config)});
        }

        if (!per_device(category)) {
            for (const MetricPlot* entry : plots) {
                const MetricPlot& plot = *entry;
                PlotSpec spec = spec_for(plot, plot.title);
                std::vector<SeriesRef> refs;
                for (const std::string& host : hosts) {
                    const HostFile& file = files.at(host);
                    const CsvSeries& row = file.summary.series.front();
                    if (!file.summary.has_column(plot.column)) {
                        warn(clusterp::quoted(file.path) + " has no column " + clusterp::quoted(plot.column) + ", left out");
                        bad_input = true;
                        continue;
                    }
                    if (plot.column == file.summary.value_column && !row.has_value) {
                        warn(clusterp::quoted(file.path) + ": " + plot.column + " is unknown, left out of " + name + "/" +
                             plot.suffix);
                        continue;
                    }
                    spec.series.push_back(make_series(file.path, host_title(host, row.alias, config), file.summary,
                                                      row, plot.column, options.time_axis));
                    refs.push_back({&file, ""});
                }
                if (spec.series.empty()) continue;
                add_plot(name, plot.suffix, std::move(spec), std::move(refs));
            }
            if (reduce) reduce_plots(scripts, script_refs, category_start, category, data_by_host);
            continue;
        }

        // Devices: those configured, else those that show activity.
        std::vector<NamedItem> devices;
        const std::vector<NamedItem> none;
        const std::vector<NamedItem>& configured =
            !config ? none : category == Category::disk ? config->filesystem_names : config->net_interfaces;
        if (!configured.empty()) {
            devices = configured;
        } else {
            std::map<std::string, std::string> active;  // name -> alias
            for (const auto& entry : files)
                for (const CsvSeries& series : entry.second.summary.series)
                    if (series.active && !is_pseudo_device(series.device) && !series.device.empty()) {
                        std::string& alias = active[series.device];
                        if (alias.empty()) alias = series.device_alias;
                    }
            for (const auto& [name, alias] : active) devices.push_back({name, alias.empty() ? name : alias});
        }
        for (const NamedItem& device : devices) {
            if (std::string problem = file_name_problem(device.alias); !problem.empty()) {
                warn(name + " " + clusterp::quoted(device.name) + ": alias " + clusterp::quoted(device.alias) + " " + problem +
                     ", not plotted");
                bad_input = true;
                continue;
            }
            std::vector<std::pair<const CsvSeries*, const HostFile*>> with;
            for (const std::string& host : hosts) {
                const HostFile& file = files.at(host);
                for (const CsvSeries& series : file.summary.series)
                    if (series.device == device.name) {
                        with.emplace_back(&series, &file);
                        break;
                    }
            }
            if (with.empty()) {
                warn(name + ": no host has " + clusterp::quoted(device.name) + ", not plotted");
                continue;
            }
            for (const MetricPlot* entry : plots) {
                const MetricPlot& plot = *entry;
                PlotSpec spec = spec_for(plot, device_title(plot, device.alias));
                std::vector<SeriesRef> refs;
                for (const auto& [series, file] : with) {
                    spec.series.push_back(make_series(file->path, host_title(file->host, series->alias, config),
                                                      file->summary, *series, plot.column, options.time_axis));
                    refs.push_back({file, series->device});
                }
                add_plot(name, device.alias + "_" + plot.suffix, std::move(spec), std::move(refs));
            }
        }
        if (reduce) reduce_plots(scripts, script_refs, category_start, category, data_by_host);
    }

    if (scripts.empty()) {
        warn("nothing to plot under 'parsed'");
        return bad_input ? k_exit_data : k_exit_ok;
    }
    if (!options.script_only) require_gnuplot();
    const std::string suffix = ".tmp." + std::to_string(::getpid());
    std::vector<GnuplotJob> jobs;
    for (const auto& [path, spec] : scripts) {
        write_file_atomically(path, gnuplot_script(spec));
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
        inform("wrote " + std::to_string(scripts.size()) + " scripts under 'plot'");
        return bad_input ? k_exit_data : k_exit_ok;
    }
    const int failed = run_jobs(jobs, options.jobs > 0 ? options.jobs : default_jobs());
    write_index(scripts, formats, index_hosts, cpu_csvs);
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
            input = {"$stdin", "stdin", summarize_csv(in, options.metric)};
            blocks.push_back({"$stdin", std::move(content)});
        } else {
            std::ifstream in(path);
            if (!in) throw Error(k_exit_no_input, "cannot open " + clusterp::quoted(path) + ": " + std::strerror(errno));
            // gnuplot runs a file name starting with '<' as a command.
            const bool command_like = !path.empty() && (path[0] == '<' || path[0] == '|');
            input = {command_like ? "./" + path : path, clusterp::quoted(path), summarize_csv(in, options.metric)};
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
    else if (per_device(category)) spec.title = std::string(category == Category::disk ? "Disk " : "Network ") + known->title;
    else spec.title = known->title;
    spec.time_axis = options.time_axis;
    spec.width = options.width;
    spec.height = options.height;
    spec.datablocks = std::move(blocks);

    const std::vector<NamedItem> none;
    const std::vector<NamedItem>& configured =
        !config ? none : category == Category::disk ? config->filesystem_names : config->net_interfaces;
    auto wanted = [&](const CsvSeries& series) {
        if (!per_device(category)) return true;
        if (!configured.empty())
            return std::any_of(configured.begin(), configured.end(),
                               [&](const NamedItem& item) { return item.name == series.device; });
        return series.active && !is_pseudo_device(series.device);
    };
    std::vector<std::string> hosts;
    for (const Input& input : inputs)
        for (const CsvSeries& series : input.summary.series) hosts.push_back(series.host);
    for (const std::string& host : ordered_hosts(hosts, config))
        for (const Input& input : inputs) {
            for (const CsvSeries& series : input.summary.series) {
                if (series.host != host || !wanted(series)) continue;
                std::string title = host_title(host, series.alias, config);
                if (per_device(category)) {
                    std::string alias = config ? config->device_alias(series.device) : series.device;
                    if (alias == series.device && !series.device_alias.empty()) alias = series.device_alias;
                    title += " " + alias;
                }
                spec.series.push_back(
                    make_series(input.source, title, input.summary, series, metric, options.time_axis));
            }
        }
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
