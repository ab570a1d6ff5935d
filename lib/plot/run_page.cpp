#include "plot/run_page.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/atomic_file.hpp"
#include "base/diag.hpp"
#include "model/config.hpp"
#include "model/contract.hpp"
#include "model/manifest.hpp"
#include "model/names.hpp"
#include "parse/csv_write.hpp"
#include "plot/csv_read.hpp"
#include "plot/plot_catalogue.hpp"
#include "plot/plot_marks.hpp"

namespace clusterp {

namespace fs = std::filesystem;

namespace {

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

// The rows of a CSV file with a header, each by field name; none when the
// file is missing.
std::vector<std::vector<std::pair<std::string, std::string>>> csv_rows(const std::string& path) {
    std::vector<std::vector<std::pair<std::string, std::string>>> rows;
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line)) return rows;
    const std::vector<std::string> header = split_csv_line(line);
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const std::vector<std::string> fields = split_csv_line(line);
        std::vector<std::pair<std::string, std::string>> row;
        for (std::size_t i = 0; i < header.size(); ++i) row.emplace_back(header[i], i < fields.size() ? fields[i] : "");
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string field(const std::vector<std::pair<std::string, std::string>>& row, const std::string& name) {
    for (const auto& [key, value] : row)
        if (key == name) return value;
    return "";
}

double number_of(const std::string& text) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    return text.empty() || *end != '\0' ? NAN : value;
}

// The plots of DIR/plot/<category>/ in EXT, in the plan's order: per device
// (disk, network), the catalogue's plots, each as heatmap, band, line.
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
            for (std::size_t i = 0; i < plots.size() && index == plots.size(); ++i) {
                const std::string suffix = plots[i]->suffix;
                if (!per_device(info.category) && name == suffix) index = i;
                if (per_device(info.category) && name.size() > suffix.size() + 1 &&
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
// are) when it names one, I/O wait for a finding about waiting on I/O, else
// utilization; "" when no plot of the resource exists.
std::string image_for(const std::vector<IndexPlot>& plots, const std::string& resource, const std::string& device,
                      const std::string& finding) {
    const bool io = resource == "cpu" && (finding.find("I/O") != std::string::npos ||
                                          finding.find("iowait") != std::string::npos);
    int best_score = -1;
    std::string best;
    for (const IndexPlot& plot : plots) {
        if (plot.category != resource) continue;
        const bool iowait = plot.title.find("iowait") != std::string::npos;
        const int score = (plot.kind == IndexPlotKind::heatmap ? 8 : 0) +
                          (!device.empty() && plot.title.rfind(device + "_", 0) == 0 ? 4 : 0) +
                          (io == iowait ? 2 : 0) + (plot.title.find("utilization") != std::string::npos ? 1 : 0);
        if (score > best_score) {
            best_score = score;
            best = plot.image;
        }
    }
    return best;
}

}  // namespace

void write_hosts_csv(const std::string& dir, const std::vector<IndexHost>& hosts, const std::vector<TableMetric>& table) {
    std::string text = "host,alias,category,metric,mean,p95,max\n";
    CsvWriter out([&](const char* data, std::size_t size) { text.append(data, size); });
    for (const IndexHost& host : hosts)
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
        if (page.first_time.empty() || first < page.first_time) page.first_time = first;
        if (last > page.last_time) page.last_time = last;
    }

    // The host table: hosts and metrics in order of first appearance.
    std::map<std::string, std::size_t> host_index, metric_index;
    for (const auto& row : csv_rows(dir + "/" + k_hosts_csv)) {
        const std::string host = field(row, "host"), category = field(row, "category"), metric = field(row, "metric");
        if (host.empty() || category.empty() || metric.empty()) continue;
        auto [h, new_host] = host_index.emplace(host, page.hosts.size());
        if (new_host) page.hosts.push_back({host, field(row, "alias").empty() ? host : field(row, "alias")});
        auto [m, new_metric] = metric_index.emplace(category + "," + metric, page.metrics.size());
        if (new_metric) {
            const std::optional<Category> known = category_from_name(category);
            page.metrics.push_back({category, known ? label_for(*known, metric) : metric, {}});
        }
        std::vector<SeriesStats>& stats = page.metrics[m->second].hosts;
        if (stats.size() <= h->second) stats.resize(h->second + 1, SeriesStats{NAN, NAN, NAN});
        stats[h->second] = {number_of(field(row, "mean")), number_of(field(row, "p95")), number_of(field(row, "max"))};
    }
    for (IndexMetric& metric : page.metrics) metric.hosts.resize(page.hosts.size(), SeriesStats{NAN, NAN, NAN});

    if (std::ifstream in(dir + "/parsed/markers.csv"); in) {
        try {
            for (const TimeMark& mark : read_marks(in, "markers", TimeAxis::clock, [](const std::string&) {})) {
                char begin[32], end[32];
                const std::size_t b = format_iso8601(std::llround(mark.begin * 1000), begin);
                const std::size_t e = format_iso8601(std::llround(mark.end * 1000), end);
                page.marks.push_back({mark.label, std::string(begin, b), mark.phase ? std::string(end, e) : ""});
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
    for (const auto& row : csv_rows(dir + "/report/findings.csv")) {
        const std::string device = field(row, "device");
        IndexFinding finding{row, image_for(page.plots, field(row, "resource"),
                                            config && !device.empty() ? config->device_alias(device) : device,
                                            field(row, "finding"))};
        page.findings.push_back(std::move(finding));
    }
    write_file_atomically(dir + "/plot/index.html", render_index_html(page));
    return true;
}

}  // namespace clusterp
