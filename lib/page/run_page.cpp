#include "page/run_page.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/atomic_file.hpp"
#include "base/read_file.hpp"
#include "base/diag.hpp"
#include "model/config.hpp"
#include "model/contract.hpp"
#include "model/manifest.hpp"
#include "model/names.hpp"
#include "model/csv.hpp"
#include "model/markers.hpp"
#include "model/plot_catalogue.hpp"
#include "page/run_page_html.hpp"

namespace clusterp {

namespace fs = std::filesystem;

namespace {

// The time of the first and the last row of a contract CSV, without reading
// the rows between: the last line is found from the end of the file.
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
    const int time = column_number(csv_header(header), "time");
    auto time_of = [&](std::string_view line) {
        CsvLines row(line);
        return row.next() ? std::string(row.field(time)) : std::string();
    };
    return {time_of(first), time_of(std::string_view(end).substr(end.find_last_of('\n') + 1))};
}

// A small CSV file whole; an empty table when it is missing.
CsvTable table_of(const std::string& path) {
    std::error_code ec;
    return fs::exists(path, ec) ? read_csv_table(read_whole_file(path)) : CsvTable{};
}

// Whether time A is before time B (ISO 8601 UTC, with or without
// milliseconds: as text, `...:59.5Z` sorts before `...:59Z`).
bool earlier(const std::string& a, const std::string& b) {
    return parse_iso8601_ms(a).value_or(0) < parse_iso8601_ms(b).value_or(0);
}

// The plots of DIR/plot/<category>/ in EXT, in the plan's order: per device
// (disk, network; not gpu, whose devices are series), the catalogue's
// plots, each as heatmap, band, line.
std::vector<IndexPlot> plots_in(const std::string& dir, const std::string& ext) {
    std::vector<std::pair<std::tuple<std::size_t, std::string, std::size_t, int>, IndexPlot>> found;
    std::error_code ec;
    for (const CategoryInfo& info : categories()) {
        const std::vector<const MetricPlot*> plots = plots_of(info.category);
        for (const fs::directory_entry& entry : fs::directory_iterator(dir + "/plot/" + info.name, ec)) {
            const std::string file = entry.path().filename().string();
            if (entry.path().extension() != ext || !file_name_problem(file).empty()) continue;
            std::string name = file.substr(0, file.size() - ext.size());
            IndexPlot plot{info.name, name, std::string(info.name) + "/" + file, IndexPlotKind::line};
            int kind = 2;
            for (const auto& [suffix, k, rank] : {std::tuple{"_heatmap", IndexPlotKind::heatmap, 0},
                                                  std::tuple{"_band", IndexPlotKind::band, 1}}) {
                const std::string s = suffix;
                if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
                    name.erase(name.size() - s.size());
                    plot.kind = k;
                    kind = rank;
                    break;
                }
            }
            std::size_t index = plots.size();
            std::string device;
            const bool device_plots = per_device(info.category) && !series_per_device(info.category);
            for (std::size_t i = 0; i < plots.size() && index == plots.size(); ++i) {
                const std::string suffix = plots[i]->suffix;
                if (!device_plots && name == suffix) index = i;
                if (device_plots && name.size() > suffix.size() + 1 &&
                    name.compare(name.size() - suffix.size() - 1, std::string::npos, "_" + suffix) == 0) {
                    index = i;
                    device = name.substr(0, name.size() - suffix.size() - 1);
                }
            }
            if (index == plots.size()) continue;  // not one of ours
            found.push_back({{std::size_t(info.category), device, index, kind}, std::move(plot)});
        }
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<IndexPlot> plots;
    for (auto& entry : found) plots.push_back(std::move(entry.second));
    return plots;
}

// The plot that shows a finding best: a heatmap of its resource (the
// host's row is in it), of its device (named by its alias, as the plots
// are) when it names one, the plot its words point to (I/O wait for waiting
// on I/O; for a GPU, memory for memory nearly full and the SM clock for
// throttled), else utilization; "" when no plot of the resource exists.
std::string image_for(const std::vector<IndexPlot>& plots, const std::string& resource, const std::string& device,
                      const std::string& finding) {
    auto says = [&](const char* word) { return finding.find(word) != std::string::npos; };
    const std::string want = resource == "cpu" && (says("I/O") || says("iowait")) ? "iowait"
                             : resource == "gpu" && says("memory")               ? "memory"
                             : resource == "gpu" && says("throttled")            ? "sm_clock"
                                                                                 : "utilization";
    int best_score = -1;
    std::string best;
    for (const IndexPlot& plot : plots) {
        if (plot.category != resource) continue;
        const int score = (plot.kind == IndexPlotKind::heatmap ? 8 : 0) +
                          (!device.empty() && plot.title.rfind(device + "_", 0) == 0 ? 4 : 0) +
                          (plot.title.find(want) != std::string::npos ? 2 : 0);
        if (score > best_score) {
            best_score = score;
            best = plot.image;
        }
    }
    return best;
}

}  // namespace

bool write_run_page(const std::string& dir) {
    IndexPage page;
    page.plots = plots_in(dir, ".svg");
    if (page.plots.empty()) page.plots = plots_in(dir, ".png");
    if (page.plots.empty()) return false;
    if (auto manifest = read_manifest(dir + "/" + k_manifest_path)) page.run_id = manifest->run_id;

    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir + "/parsed/cpu", ec)) {
        if (!entry.is_regular_file() || !file_name_problem(entry.path().filename().string()).empty()) continue;
        auto [first, last] = time_span_of(entry.path().string());
        if (first.empty()) continue;
        if (page.first_time.empty() || earlier(first, page.first_time)) page.first_time = first;
        if (page.last_time.empty() || earlier(page.last_time, last)) page.last_time = last;
    }

    // The host table: hosts and metrics in order of first appearance.
    std::map<std::string, std::size_t> host_index, metric_index;
    const CsvTable hosts = table_of(dir + "/" + k_hosts_csv);
    for (std::size_t row = 0; row < hosts.rows.size(); ++row) {
        auto field = [&](const char* name) { return hosts.get(row, name); };
        const std::string host = field("host"), category = field("category"), metric = field("metric");
        if (host.empty() || category.empty() || metric.empty()) continue;
        auto [h, new_host] = host_index.emplace(host, page.hosts.size());
        if (new_host) page.hosts.push_back({host, field("alias").empty() ? host : field("alias")});
        auto [m, new_metric] = metric_index.emplace(category + "," + metric, page.metrics.size());
        if (new_metric) {
            const std::optional<Category> known = category_from_name(category);
            page.metrics.push_back({category, known ? label_for(*known, metric) : metric, {}});
        }
        std::vector<IndexFigures>& stats = page.metrics[m->second].hosts;
        if (stats.size() <= h->second) stats.resize(h->second + 1, IndexFigures{NAN, NAN, NAN});
        stats[h->second] = {csv_number(field("mean")), csv_number(field("p95")), csv_number(field("max"))};
    }
    for (IndexMetric& metric : page.metrics) metric.hosts.resize(page.hosts.size(), IndexFigures{NAN, NAN, NAN});

    if (std::ifstream in(dir + "/parsed/markers.csv"); in) {
        try {
            for (const MarkerSpan& span : read_marker_spans(in, "markers", MarkerClock::time, std::nullopt, std::nullopt,
                                                            [](const std::string&) {})) {
                char begin[32], end[32];
                const std::size_t b = format_iso8601(span.begin_ms, begin);
                const std::size_t e = format_iso8601(span.end_ms, end);
                page.marks.push_back({span.label, std::string(begin, b), span.phase ? std::string(end, e) : ""});
            }
        } catch (const Error&) {
            // No markers header: plot and parse report it.
        }
    }

    std::optional<Config> config;
    try {
        LoadOptions load;
        load.require_hosts = false;
        if (fs::exists(dir + "/config.yml", ec)) config = load_config(dir + "/config.yml", load);
    } catch (const Error&) {
        // plot has reported it.
    }
    const CsvTable findings = table_of(dir + "/report/findings.csv");
    for (std::size_t row = 0; row < findings.rows.size(); ++row) {
        const std::string& device = findings.get(row, "device");
        IndexFinding finding{{}, image_for(page.plots, findings.get(row, "resource"),
                                           config && !device.empty() ? config->device_alias(device) : device,
                                           findings.get(row, "finding"))};
        for (std::size_t i = 0; i < findings.header.size(); ++i)
            finding.fields.emplace_back(findings.header[i], findings.rows[row][i]);
        page.findings.push_back(std::move(finding));
    }
    const CsvTable processes = table_of(dir + "/report/processes.csv");
    for (std::size_t row = 0; row < processes.rows.size(); ++row) {
        auto field = [&](const char* name) { return processes.get(row, name); };
        if (field("host").empty() || field("resource").empty()) continue;
        if (page.processes.empty() || page.processes.back().host != field("host"))
            page.processes.push_back({field("host"), field("alias").empty() ? field("host") : field("alias"), {}});
        page.processes.back().rows.push_back(
            {field("resource"), field("rank"), field("pid"), field("command"), field("value"), field("unit")});
    }
    write_file_atomically(dir + "/plot/index.html", render_run_page(page));
    return true;
}

}  // namespace clusterp
