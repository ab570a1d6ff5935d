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
#include "model/manifest.hpp"
#include "model/markers.hpp"
#include "model/names.hpp"
#include "plot/csv_read.hpp"
#include "report/report_write.hpp"
#include "report/rules.hpp"

namespace clusterp {

namespace fs = std::filesystem;

namespace {

const char* const k_categories[] = {"cpu", "load", "memory", "swap", "disk", "network"};

bool per_device(const std::string& category) { return category == "disk" || category == "network"; }

// The category of a contract CSV's header, by name ("" when none).  The
// load category is recognised by its run queue until the contract lists it.
std::string category_of(const std::vector<std::string>& header) {
    if (auto category = category_of_header(header)) return category_name(*category);
    if (std::find(header.begin(), header.end(), "runq") != header.end()) return "load";
    return "";
}

int column_number(const std::vector<std::string>& header, const std::string& name) {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? 0 : int(it - header.begin()) + 1;
}

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

// The field NUMBER (1-based) of LINE, for the leading columns (never quoted).
std::string_view field_of(std::string_view line, int number) {
    for (int i = 1; i < number; ++i) {
        const std::size_t comma = line.find(',');
        if (comma == std::string_view::npos) return {};
        line.remove_prefix(comma + 1);
    }
    return line.substr(0, line.find(','));
}

// TEXT (a whole CSV, header first) cut into one text per host (each with
// the header), in order of first appearance; nothing when TEXT holds one
// host (the caller reads TEXT itself: no copy).
std::vector<std::string> texts_by_host(const std::string& text, int host_column) {
    const std::size_t body = std::min(text.size(), text.find('\n') + 1);
    std::vector<std::pair<std::string, std::string>> parts;  // host -> its text
    std::string_view first_host;
    bool several = false;
    for (std::size_t pos = body; pos < text.size();) {
        std::size_t end = text.find('\n', pos);
        end = end == std::string::npos ? text.size() : end + 1;
        const std::string_view line(text.data() + pos, end - pos);
        const std::string_view host = field_of(line, host_column);
        if (first_host.empty()) first_host = host;
        else if (host != first_host) several = true;
        pos = end;
    }
    if (!several) return {};
    for (std::size_t pos = body; pos < text.size();) {
        std::size_t end = text.find('\n', pos);
        end = end == std::string::npos ? text.size() : end + 1;
        const std::string_view line(text.data() + pos, end - pos);
        const std::string host(field_of(line, host_column));
        auto it = std::find_if(parts.begin(), parts.end(), [&](const auto& p) { return p.first == host; });
        if (it == parts.end()) {
            parts.emplace_back(host, text.substr(0, body));
            it = parts.end() - 1;
        }
        it->second.append(line);
        pos = end;
    }
    std::vector<std::string> out;
    for (auto& part : parts) out.push_back(std::move(part.second));
    return out;
}

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

// An ISO 8601 UTC time as parse writes it (`2026-11-25T02:40:56Z`, or with
// `.mmm` before the Z once clock offsets are removed) -> seconds since the
// epoch; nullopt for other text.
std::optional<double> time_of(std::string_view text) {
    if (text.size() > 21 && text[19] == '.' && text.back() == 'Z') {
        const std::string digits(text.substr(20, text.size() - 21));
        if (digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
        const std::optional<std::int64_t> whole = parse_iso8601(std::string(text.substr(0, 19)) + "Z");
        if (!whole) return std::nullopt;
        return double(*whole) + std::stod("0." + digits);
    }
    const std::optional<std::int64_t> whole = parse_iso8601(text);
    return whole ? std::optional<double>(double(*whole)) : std::nullopt;
}

// One host's series of one category, as read from a CSV.
struct ReadSeries {
    std::string host;
    std::string alias;
    std::string category;
    SeriesData series;
};

// The series of TEXT (one category's CSV, header first), or what is wrong
// with it.  CATEGORY is the one expected, or "" to take the header's.
struct CsvRead {
    std::string problem;
    std::vector<ReadSeries> series;
};

CsvRead read_csv(const std::string& text, const std::string& name, std::string category) {
    CsvRead out;
    const std::vector<std::string> header = split_csv_line(text.substr(0, text.find('\n')));
    const std::string found = category_of(header);
    if (found.empty() || (!category.empty() && found != category)) {
        out.problem = name + " is not " + (category.empty() ? "clusterp" : category) + " CSV (no contract header)";
        return out;
    }
    category = found;
    const int time = column_number(header, "time"), elapsed = column_number(header, "elapsed"),
              host = column_number(header, "host"), alias = column_number(header, "alias");
    if (!time || !elapsed || !host) {
        out.problem = name + " has no time, elapsed or host column";
        return out;
    }
    const std::string key = category == "disk" ? "device" : category == "network" ? "iface" : "";
    std::vector<std::string> names;
    std::vector<int> numbers;
    for (const std::string& column : rule_columns().at(category))
        if (int n = column_number(header, column)) names.push_back(column), numbers.push_back(n);
    std::size_t rows = 0;
    const std::vector<std::string> parts = per_device(category) ? texts_by_host(text, host) : std::vector<std::string>{};
    const std::size_t count = std::max<std::size_t>(parts.size(), 1);
    for (std::size_t p = 0; p < count; ++p) {
        const std::string& part = parts.empty() ? text : parts[p];
        const std::size_t body = part.find('\n') + 1;
        const std::string_view first_row = std::string_view(part).substr(std::min(part.size(), body));
        // The times by `elapsed` (a plain number, read fast) from the
        // first row's time: the same instants, fractions of seconds kept.
        const std::optional<double> t0 = time_of(field_of(first_row, time));
        if (!t0) continue;
        const double origin = *t0 - std::strtod(std::string(field_of(first_row, elapsed)).c_str(), nullptr);
        std::vector<ColumnData> data =
            per_device(category) ? read_columns(part, elapsed, false, column_number(header, key), column_number(header, key + "_alias"), numbers)
                                 : read_columns(part, elapsed, false, host, alias, numbers);
        for (ColumnData& d : data)
            for (double& x : d.x) x += origin;
        for (ColumnData& d : data) {
            ReadSeries r;
            r.category = category;
            if (per_device(category)) {
                r.host = std::string(field_of(first_row, host));
                r.alias = std::string(alias ? field_of(first_row, alias) : std::string_view());
                r.series.device = d.key;
                r.series.device_alias = d.label;
            } else {
                r.host = d.key;
                r.alias = d.label;
            }
            rows += d.x.size();
            r.series.time = std::move(d.x);
            for (std::size_t j = 0; j < names.size(); ++j) r.series.columns[names[j]] = std::move(d.y[j]);
            out.series.push_back(std::move(r));
        }
    }
    if (rows == 0) warn(name + " has no rows");
    return out;
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

RuleSettings settings_for(const ReportOptions& options) {
    RuleSettings settings;
    std::error_code ec;
    if (!options.config_required && !fs::exists(options.config_path, ec)) return settings;
    LoadOptions load;
    load.require_hosts = false;
    const Config config = load_config(options.config_path, load);
    for (const ConfigNumber& n : config.report)
        if (std::string problem = set_rule_setting(settings, n.key, n.value); !problem.empty())
            throw Error(k_exit_config, n.where + ": report: " + n.key + ": " + problem);
    return settings;
}

// Judges INPUTS and writes what the mode asks for; returns the findings.
std::vector<Finding> judge(Inputs& inputs, const std::string& markers_text, const std::string& markers_name,
                           const ReportOptions& options, const RuleSettings& settings, ReportSummary& summary) {
    if (inputs.hosts.empty()) throw Error(k_exit_data, "no rows to judge");
    const std::optional<Manifest> manifest = read_manifest(k_manifest_path);
    // Hosts in the manifest's order, then the others as read.
    std::vector<HostData> hosts;
    if (manifest)
        for (const HostRecord& record : manifest->hosts)
            if (auto it = inputs.index.find(record.host); it != inputs.index.end()) {
                hosts.push_back(std::move(inputs.hosts[it->second]));
                hosts.back().cpus = record.cpus;
                inputs.hosts[it->second].host.clear();
            }
    for (HostData& host : inputs.hosts)
        if (!host.host.empty()) hosts.push_back(std::move(host));
    if (options.cpus > 0)
        for (HostData& host : hosts) host.cpus = options.cpus;
    double first = INFINITY, last = -INFINITY;
    for (const HostData& host : hosts)
        for (const auto& entry : host.categories)
            for (const SeriesData& series : entry.second)
                if (!series.time.empty()) first = std::min(first, series.time.front()), last = std::max(last, series.time.back());
    if (!(first <= last)) throw Error(k_exit_data, "no rows to judge");
    summary.hosts = hosts.size();
    if (manifest) summary.run_id = manifest->run_id;
    if (!markers_text.empty()) summary.phases = phases_of(markers_text, markers_name, first, last);
    if (summary.phases.empty()) summary.phases.push_back({"run", first, last});
    return find_bottlenecks(hosts, summary.phases, settings);
}

void print_lines(const std::vector<Finding>& findings, const ReportSummary& summary) {
    std::string out;
    for (const Finding& f : findings) out += finding_line(f);
    if (findings.empty()) out = no_finding_line(summary.hosts, summary.phases.size());
    std::cout << out << std::flush;
}

}  // namespace

int report_directory(const ReportOptions& options) {
    std::error_code ec;
    if (!fs::is_directory("parsed", ec)) throw Error(k_exit_no_input, "no 'parsed' directory here; run clusterp-parse first");
    const RuleSettings settings = settings_for(options);  // a bad setting before any reading
    std::vector<std::pair<std::string, std::string>> files;  // category, path
    for (const std::string category : k_categories) {
        const std::string dir = "parsed/" + category;
        if (!fs::is_directory(dir, ec)) continue;
        std::vector<std::string> names;
        for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec))
            if (entry.is_regular_file() && file_name_problem(entry.path().filename().string()).empty())
                names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        for (const std::string& name : names) files.emplace_back(category, dir + "/" + name);
    }
    std::vector<CsvRead> reads(files.size());
    parallel_for(files.size(), default_width(), [&](std::size_t i) {
        reads[i] = read_csv(read_whole_file(files[i].second), clusterp::quoted(files[i].second), files[i].first);
    });
    Inputs inputs;
    bool bad = false;
    for (CsvRead& read : reads) bad = !add_read(std::move(read), inputs) || bad;
    std::string markers;
    if (fs::exists("parsed/markers.csv", ec)) markers = read_whole_file("parsed/markers.csv");
    ReportSummary summary;
    const std::vector<Finding> findings = judge(inputs, markers, "'parsed/markers.csv'", options, settings, summary);
    write_file_atomically("report/findings.csv", findings_csv(findings));
    write_file_atomically("report/report.md", report_markdown(summary, findings));
    print_lines(findings, summary);
    return bad ? k_exit_data : k_exit_ok;
}

int report_stream(const ReportOptions& options) {
    const RuleSettings settings = settings_for(options);
    Inputs inputs;
    bool stdin_used = false, bad = false;
    for (const std::string& path : options.inputs) {
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
        bad = !add_read(read_csv(text, path == "-" ? "stdin" : quoted(path), ""), inputs) || bad;
    }
    const std::string markers = options.markers.empty() ? "" : read_whole_file(options.markers);
    ReportSummary summary;
    const std::vector<Finding> findings = judge(inputs, markers, quoted(options.markers), options, settings, summary);
    if (options.format == ReportFormat::csv) std::cout << findings_csv(findings) << std::flush;
    else if (options.format == ReportFormat::markdown) std::cout << report_markdown(summary, findings) << std::flush;
    else print_lines(findings, summary);
    return bad ? k_exit_data : k_exit_ok;
}

}  // namespace clusterp
