#include "report/report_run.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <numeric>
#include <optional>
#include <sstream>

#include "base/atomic_file.hpp"
#include "base/read_file.hpp"
#include "base/thread_pool.hpp"
#include "base/diag.hpp"
#include "model/config.hpp"
#include "model/contract.hpp"
#include "model/csv.hpp"
#include "model/manifest.hpp"
#include "model/markers.hpp"
#include "model/names.hpp"
#include "report/report_write.hpp"
#include "report/rules.hpp"
#include "report/rules_common.hpp"
#include "report/top_processes.hpp"

namespace clusterp {

namespace fs = std::filesystem;

namespace {

// report/processes.csv: each host's top processes over the run, for the run
// page (design.md); a few per resource are enough to answer "which program".
constexpr const char* k_processes_csv = "report/processes.csv";
constexpr std::size_t k_page_top_processes = 5;

// What has been read so far: hosts in order of first appearance.
struct Inputs {
    std::vector<HostData> hosts;
    std::map<std::string, std::size_t> index;

    HostData& host(const std::string& name, const std::string& alias) {
        auto [it, added] = index.emplace(name, hosts.size());
        if (added) hosts.push_back({name, alias.empty() ? name : alias, 0, {}});
        return hosts[it->second];
    }
};

void add_series(HostData& host, const std::string& category, SeriesData series) {
    std::vector<SeriesData>& list = host.categories[category];
    auto same = std::find_if(list.begin(), list.end(), [&](const SeriesData& s) { return s.device == series.device; });
    if (same == list.end()) {
        list.push_back(std::move(series));
        same = list.end() - 1;
    } else {
        same->time.insert(same->time.end(), series.time.begin(), series.time.end());
        for (auto& [name, values] : same->columns) {
            const std::vector<double>* more = series.column(name);
            if (more) values.insert(values.end(), more->begin(), more->end());
            else values.resize(same->time.size(), std::nan(""));
        }
    }
    if (std::is_sorted(same->time.begin(), same->time.end())) return;
    std::vector<std::size_t> order(same->time.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return same->time[a] < same->time[b]; });
    auto permute = [&](std::vector<double>& v) {
        std::vector<double> sorted;
        for (std::size_t i : order) sorted.push_back(v[i]);
        v = std::move(sorted);
    };
    permute(same->time);
    for (auto& entry : same->columns) permute(entry.second);
}

// One host's series of one category, as read from a CSV.
struct ReadSeries {
    std::string host;
    std::string alias;
    std::string category;
    SeriesData series;
};

// The series of TEXT (one category's CSV, header first), or what is wrong
// with it.  EXPECTED is the category expected, or none to take the header's.
struct CsvRead {
    std::string problem;
    std::vector<ReadSeries> series;
};

CsvRead read_csv(const std::string& text, const std::string& name, std::optional<Category> expected,
                 const RunColumns& columns) {
    CsvRead out;
    const std::vector<std::string> header = csv_header(text);
    const std::optional<Category> category = category_of_header(header);
    if (!category || (expected && category != expected)) {
        out.problem = name + " is not " + (expected ? category_name(*expected) : "clusterp") + " CSV (no contract header)";
        return out;
    }
    const CategoryInfo& info = category_info(*category);
    ColumnPick pick;
    pick.x = column_number(header, "time");
    pick.x_is_time = true;
    pick.host = column_number(header, "host");
    pick.alias = column_number(header, "alias");
    if (!pick.x || !pick.host) {
        out.problem = name + " has no time or host column";
        return out;
    }
    if (info.key) {
        pick.key = column_number(header, info.key->name);
        pick.label = column_number(header, info.key_alias->name);
    }
    std::vector<std::string> names;
    const auto wanted = columns.find(info.name);
    if (wanted != columns.end())
        for (const std::string& column : wanted->second)
            if (int n = column_number(header, column)) {
                names.push_back(column);
                pick.y.push_back(n);
                // gpu's throttle is words: read as bits (model/contract).
                pick.y_number.push_back(*category == Category::gpu && column == "throttle" ? throttle_bits : nullptr);
            }
    std::size_t rows = 0;
    for (ColumnData& d : read_columns(text, pick)) {
        ReadSeries r;
        r.category = info.name;
        r.host = std::move(d.host);
        r.alias = std::move(d.alias);
        r.series.device = std::move(d.key);
        r.series.device_alias = std::move(d.label);
        rows += d.x.size();
        r.series.time = std::move(d.x);
        for (std::size_t j = 0; j < names.size(); ++j) r.series.columns[names[j]] = std::move(d.y[j]);
        out.series.push_back(std::move(r));
    }
    if (rows == 0) warn(name + " has no rows");
    return out;
}

// Adds the processes CSV TEXT (NAME in messages) to RUN; false (the
// problem reported) when it is not one.
bool add_processes(const std::string& text, const std::string& name, ParsedRun& run) {
    const std::string problem = read_processes_csv(text, name, run.processes);
    if (!problem.empty()) print_error(problem);
    return problem.empty();
}

// Adds what READ holds to INPUTS; false (the problem reported) when it is
// no contract CSV.
bool add_read(CsvRead read, Inputs& inputs) {
    if (!read.problem.empty()) {
        print_error(read.problem);
        return false;
    }
    for (ReadSeries& r : read.series) add_series(inputs.host(r.host, r.alias), r.category, std::move(r.series));
    return true;
}

// The phases of a markers.csv (`time,elapsed,kind,label`) as plot reads
// them (model/markers); a phase left open ends with the run's last sample.
std::vector<Phase> phases_of(const std::string& text, const std::string& name, double run_start, double run_end) {
    std::istringstream in(text);
    std::vector<Phase> phases;
    for (const MarkerSpan& span : read_marker_spans(in, name, MarkerClock::time, std::llround(run_start * 1000),
                                                    std::llround(run_end * 1000), [](const std::string& m) { warn(m); }))
        if (span.phase) phases.push_back({span.label, double(span.begin_ms) / 1000, double(span.end_ms) / 1000});
    return phases;
}

// The CPU count the rules use for HOST: --cpus, else what sysstat recorded
// (the cpu CSV's `cpus`: the percentages are of those CPUs), else run.json's
// RECORDED; a data count that run.json contradicts is said on stderr and in
// report.md.
int cpus_of(const HostData& host, int recorded, int given, std::vector<std::string>& notes) {
    if (given > 0) return given;
    const SeriesData* cpu = host.series("cpu");
    const std::vector<double>* column = cpu ? cpu->column("cpus") : nullptr;
    const double median = column ? median_of(*column) : std::nan("");
    const int data = median >= 1 ? int(std::lround(median)) : 0;
    if (data == 0) return recorded;
    if (recorded > 0 && recorded != data) {
        const std::string note = host.host + ": .clusterp/run.json says " + std::to_string(recorded) + " CPUs, sysstat saw " +
                                 std::to_string(data) + "; the report uses sysstat's " + std::to_string(data);
        warn(note);
        notes.push_back(note);
    }
    return data;
}

// The run INPUTS hold: hosts in the manifest's order, then the others as
// read, each with its CPU count (cpus_of); the phases of MARKERS_TEXT, or
// "run".  RUN may hold processes already.
void order_run(Inputs& inputs, const std::string& markers_text, const std::string& markers_name,
               const std::string& manifest_path, int cpus, ParsedRun& run) {
    if (inputs.hosts.empty()) throw Error(k_exit_data, "no rows to judge");
    const std::optional<Manifest> manifest = read_manifest(manifest_path);
    std::vector<HostData>& hosts = run.hosts;
    std::vector<int> recorded;  // each host's CPU count in run.json, 0 when none
    if (manifest)
        for (const HostRecord& record : manifest->hosts)
            if (auto it = inputs.index.find(record.host); it != inputs.index.end()) {
                hosts.push_back(std::move(inputs.hosts[it->second]));
                recorded.push_back(record.cpus);
                inputs.hosts[it->second].host.clear();
            }
    for (HostData& host : inputs.hosts)
        if (!host.host.empty()) hosts.push_back(std::move(host)), recorded.push_back(0);
    for (std::size_t h = 0; h < hosts.size(); ++h) hosts[h].cpus = cpus_of(hosts[h], recorded[h], cpus, run.notes);
    double first = INFINITY, last = -INFINITY;
    for (const HostData& host : hosts)
        for (const auto& entry : host.categories)
            for (const SeriesData& series : entry.second)
                if (!series.time.empty()) first = std::min(first, series.time.front()), last = std::max(last, series.time.back());
    if (!(first <= last)) throw Error(k_exit_data, "no rows to judge");
    if (manifest) run.run_id = manifest->run_id;
    if (!markers_text.empty()) run.phases = phases_of(markers_text, markers_name, first, last);
    if (run.phases.empty()) run.phases.push_back({"run", first, last});
}

// The findings of RUN, each naming the host's top processes by its
// resource (up to TOP); input bound by CPU, the data loader being the
// question it raises.
std::vector<Finding> judge(const ParsedRun& run, const RuleSettings& settings, std::size_t top) {
    std::vector<Finding> findings = find_bottlenecks(run.hosts, run.phases, settings);
    for (Finding& f : findings) {
        auto rows = run.processes.find(f.host);
        if (rows == run.processes.end()) continue;
        const auto host = std::find_if(run.hosts.begin(), run.hosts.end(), [&](const HostData& h) { return h.host == f.host; });
        const std::string& by = f.kind == FindingKind::input_bound ? std::string("cpu") : f.resource;
        f.processes = top_processes_text(rows->second, by, f.start, f.end, host == run.hosts.end() ? 0 : host->cpus, top);
    }
    return findings;
}

ReportSummary summary_of(const ParsedRun& run) {
    ReportSummary summary;
    summary.run_id = run.run_id;
    summary.hosts = run.hosts.size();
    summary.phases = run.phases;
    summary.notes = run.notes;
    return summary;
}

void print_lines(const std::vector<Finding>& findings, const ReportSummary& summary) {
    std::string out;
    for (const Finding& f : findings) out += finding_line(f);
    if (findings.empty()) out = no_finding_line(summary.hosts, summary.phases.size());
    std::cout << out << std::flush;
}

}  // namespace

RuleSettings rule_settings_from(const std::string& config_path, bool required) {
    RuleSettings settings;
    std::error_code ec;
    if (!required && !fs::exists(config_path, ec)) return settings;
    LoadOptions load;
    load.require_hosts = false;
    const Config config = load_config(config_path, load);
    for (const ConfigNumber& n : config.report)
        if (std::string problem = set_rule_setting(settings, n.key, n.value); !problem.empty())
            throw Error(k_exit_config, n.where + ": report: " + n.key + ": " + problem);
    return settings;
}

ParsedRun read_parsed_run(const std::string& dir, const RunColumns& columns, int cpus) {
    auto path = [&](const std::string& name) { return dir == "." ? name : dir + "/" + name; };
    std::error_code ec;
    if (!fs::is_directory(path("parsed"), ec)) {
        if (dir == ".") throw Error(k_exit_no_input, "no 'parsed' directory here; run clusterp-parse first");
        throw Error(k_exit_no_input, "no " + quoted(path("parsed")) + " directory; run clusterp-parse there first");
    }
    std::vector<std::pair<Category, std::string>> files;  // category, path
    for (const CategoryInfo& info : categories()) {
        // processes: no rule judges them, findings name them.
        if (!columns.count(info.name) && info.category != Category::processes) continue;
        const std::string sub = path(std::string("parsed/") + info.name);
        if (!fs::is_directory(sub, ec)) continue;
        std::vector<std::string> names;
        for (const fs::directory_entry& entry : fs::directory_iterator(sub, ec))
            if (entry.is_regular_file() && file_name_problem(entry.path().filename().string()).empty())
                names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        for (const std::string& name : names) files.emplace_back(info.category, sub + "/" + name);
    }
    std::vector<CsvRead> reads(files.size());
    std::vector<std::string> process_texts(files.size());
    parallel_for(files.size(), default_width(), [&](std::size_t i) {
        if (files[i].first == Category::processes) process_texts[i] = read_whole_file(files[i].second);
        else reads[i] = read_csv(read_whole_file(files[i].second), clusterp::quoted(files[i].second), files[i].first, columns);
    });
    ParsedRun run;
    Inputs inputs;
    bool bad = false;
    for (std::size_t i = 0; i < files.size(); ++i)
        if (files[i].first == Category::processes) {
            bad = !add_processes(process_texts[i], clusterp::quoted(files[i].second), run) || bad;
            reads[i].series.clear();
        }
    reads.erase(std::remove_if(reads.begin(), reads.end(), [](const CsvRead& r) { return r.problem.empty() && r.series.empty(); }),
                reads.end());
    for (CsvRead& read : reads) bad = !add_read(std::move(read), inputs) || bad;
    const std::string markers_path = path("parsed/markers.csv");
    std::string markers;
    if (fs::exists(markers_path, ec)) markers = read_whole_file(markers_path);
    order_run(inputs, markers, quoted(markers_path), path(k_manifest_path), cpus, run);
    run.bad = bad;
    return run;
}

ParsedRun read_parsed_files(const std::vector<std::string>& paths, const std::string& markers_path,
                            const RunColumns& columns, int cpus) {
    ParsedRun run;
    Inputs inputs;
    bool stdin_used = false, bad = false;
    for (const std::string& path : paths) {
        std::string text;
        if (path == "-") {
            if (stdin_used) throw Error(k_exit_usage, "'-' (stdin) given twice");
            stdin_used = true;
            std::ostringstream in;
            in << std::cin.rdbuf();
            text = in.str();
        } else {
            text = read_whole_file(path);
        }
        const std::string name = path == "-" ? "stdin" : quoted(path);
        if (category_of_header(csv_header(text)) == Category::processes) bad = !add_processes(text, name, run) || bad;
        else bad = !add_read(read_csv(text, name, std::nullopt, columns), inputs) || bad;
    }
    const std::string markers = markers_path.empty() ? "" : read_whole_file(markers_path);
    order_run(inputs, markers, quoted(markers_path), k_manifest_path, cpus, run);
    run.bad = bad;
    return run;
}

int report_directory(const ReportOptions& options) {
    const RuleSettings settings = rule_settings_from(options.config_path, options.config_required);  // before any reading
    const ParsedRun run = read_parsed_run(".", rule_columns(), options.cpus);
    const std::vector<Finding> findings = judge(run, settings, options.processes ? std::size_t(settings.top_processes) : 0);
    const ReportSummary summary = summary_of(run);
    write_file_atomically("report/findings.csv", findings_csv(findings));
    write_file_atomically("report/report.md", report_markdown(summary, findings));
    // The run page's table of each host's top processes (page reads files,
    // not this code); none, and no stale one, when processes are off.
    const std::size_t top = options.processes && settings.top_processes > 0 ? k_page_top_processes : 0;
    if (top > 0 && !run.processes.empty()) {
        std::vector<std::pair<std::string, std::string>> aliases;
        for (const HostData& host : run.hosts) aliases.emplace_back(host.host, host.alias);
        write_file_atomically(k_processes_csv, processes_csv(run.processes, aliases, top));
    } else {
        std::error_code ec;
        fs::remove(k_processes_csv, ec);
    }
    print_lines(findings, summary);
    return run.bad ? k_exit_data : k_exit_ok;
}

int report_stream(const ReportOptions& options) {
    const RuleSettings settings = rule_settings_from(options.config_path, options.config_required);
    const ParsedRun run = read_parsed_files(options.inputs, options.markers, rule_columns(), options.cpus);
    const std::vector<Finding> findings = judge(run, settings, options.processes ? std::size_t(settings.top_processes) : 0);
    const ReportSummary summary = summary_of(run);
    if (options.format == ReportFormat::csv) std::cout << findings_csv(findings) << std::flush;
    else if (options.format == ReportFormat::markdown) std::cout << report_markdown(summary, findings) << std::flush;
    else print_lines(findings, summary);
    return run.bad ? k_exit_data : k_exit_ok;
}

}  // namespace clusterp
