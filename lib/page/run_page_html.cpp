#include "page/run_page_html.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "model/contract.hpp"
#include "model/plot_catalogue.hpp"
#include "page/html.hpp"

namespace clusterp {

namespace {

std::vector<std::string> category_order(const IndexPage& page) {
    std::vector<std::string> known;
    for (const CategoryInfo& info : categories()) known.push_back(info.name);
    std::set<std::string> present, others;
    for (const auto& plot : page.plots) present.insert(plot.category);
    for (const auto& metric : page.metrics) present.insert(metric.category);
    std::vector<std::string> order;
    for (const auto& category : known)
        if (present.count(category)) order.push_back(category);
    for (const auto& category : present)
        if (std::find(known.begin(), known.end(), category) == known.end()) others.insert(category);
    order.insert(order.end(), others.begin(), others.end());
    return order;
}

std::string figure(const IndexPlot& plot) {
    const std::string url = html_escaped(url_path(plot.image));
    return "<figure id=\"" + html_escaped(plot.image) + "\"><a href=\"" + url + "\"><img src=\"" + url + "\" alt=\"" +
           html_escaped(plot.title) + "\"></a><figcaption>" + html_escaped(plot.title) + "</figcaption></figure>\n";
}

// The id of HOST's block of top processes, escaped for an attribute.
std::string processes_anchor(const std::string& host) { return html_escaped("processes-" + host); }

// Each host's top processes over the run, by CPU, memory and disk.
std::string processes_section(const IndexPage& page) {
    std::string html = "<section id=\"processes\">\n<h2>Top processes</h2>\n<p class=\"note\">Over the whole run "
                       "(pidstat): cpu, the mean (100 % is one CPU); memory, the peak resident; disk, the mean read "
                       "and written.</p>\n";
    for (const IndexHostProcesses& host : page.processes) {
        html += "<div class=\"processes\" id=\"" + processes_anchor(host.host) + "\">\n<h3>" + html_escaped(host.alias);
        if (host.alias != host.host) html += " (" + html_escaped(host.host) + ")";
        html += "</h3>\n<table>\n<thead><tr><th>resource</th><th>rank</th><th>command</th><th>pid</th>"
                "<th>value</th></tr></thead>\n<tbody>\n";
        for (const IndexProcess& p : host.rows)
            html += "<tr><td>" + html_escaped(p.resource) + "</td><td>" + html_escaped(p.rank) + "</td><td>" +
                    html_escaped(p.command) + "</td><td>" + html_escaped(p.pid) + "</td><td>" + html_escaped(p.value) +
                    " " + html_escaped(p.unit) + "</td></tr>\n";
        html += "</tbody>\n</table>\n</div>\n";
    }
    return html + "</section>\n";
}

std::string host_table(const IndexPage& page) {
    std::string html = "<section id=\"hosts\">\n<h2>Hosts</h2>\n<p class=\"note\">Mean, 95th percentile and max "
                       "over the run; disk and network: the host's busiest device; gpu: all the host's GPUs together.  The worst value of each "
                       "column is marked where few hosts share it.  Click a column's name to sort by it.</p>\n"
                       "<div class=\"scroll\"><table class=\"hosts\">\n<thead>\n<tr><th rowspan=\"2\" data-col=\"0\" "
                       "title=\"sort\">host</th>";
    for (const IndexMetric& metric : page.metrics)
        html += "<th colspan=\"3\">" + html_escaped(metric.category) + ": " + html_escaped(metric.title) + "</th>";
    html += "</tr>\n<tr>";
    int col = 1;
    for (std::size_t m = 0; m < page.metrics.size(); ++m)
        for (const char* stat : {"mean", "p95", "max"})
            html += "<th data-col=\"" + std::to_string(col++) + "\" title=\"sort\">" + stat + "</th>";
    html += "</tr>\n</thead>\n<tbody>\n";
    // The worst (largest) value of each column, marked only where it stands
    // out: held by at most a quarter of the hosts (one of two or three).
    // When most hosts reach it (every CPU at 100 % at some point) it is the
    // norm, and marking them all would hide the one host that differs.
    auto stat_of = [](const IndexFigures& s, int k) { return k == 0 ? s.mean : k == 1 ? s.p95 : s.max; };
    std::vector<double> worst(page.metrics.size() * 3, NAN);
    for (std::size_t m = 0; m < page.metrics.size(); ++m)
        for (int k = 0; k < 3; ++k) {
            double& w = worst[m * 3 + std::size_t(k)];
            std::size_t known = 0, holders = 0;
            for (const IndexFigures& s : page.metrics[m].hosts) {
                const double v = stat_of(s, k);
                if (std::isnan(v)) continue;
                ++known;
                if (std::isnan(w) || v > w) w = v, holders = 0;
                if (v == w) ++holders;
            }
            if (holders > std::max<std::size_t>(1, known / 4)) w = NAN;
        }
    std::set<std::string> with_processes;
    for (const IndexHostProcesses& p : page.processes) with_processes.insert(p.host);
    for (std::size_t h = 0; h < page.hosts.size(); ++h) {
        const IndexHost& host = page.hosts[h];
        const std::string name = with_processes.count(host.host)
                                     ? "<a href=\"#" + processes_anchor(host.host) + "\" title=\"top processes\">" +
                                           html_escaped(host.alias) + "</a>"
                                     : html_escaped(host.alias);
        html += "<tr><th scope=\"row\" data-v=\"" + html_escaped(host.alias) + "\">" + name + "</th>";
        for (std::size_t m = 0; m < page.metrics.size(); ++m)
            for (int k = 0; k < 3; ++k) {
                const double v = h < page.metrics[m].hosts.size() ? stat_of(page.metrics[m].hosts[h], k) : NAN;
                const bool bad = !std::isnan(v) && v == worst[m * 3 + std::size_t(k)] && v > 0;
                html += std::string("<td") + (bad ? " class=\"worst\"" : "") + " data-v=\"" + shown_number(v) +
                        "\">" + shown_number(v) + "</td>";
            }
        html += "</tr>\n";
    }
    return html + "</tbody>\n</table></div>\n</section>\n";
}

std::string findings_section(const IndexPage& page) {
    std::string html = "<section id=\"findings\">\n<h2>Findings</h2>\n<div class=\"scroll\"><table class=\"findings\">\n"
                       "<thead><tr>";
    for (const auto& field : page.findings.front().fields) html += "<th>" + html_escaped(field.first) + "</th>";
    html += "<th>plot</th></tr></thead>\n<tbody>\n";
    for (const IndexFinding& finding : page.findings) {
        html += "<tr>";
        for (const auto& field : finding.fields) html += "<td>" + html_escaped(field.second) + "</td>";
        html += "<td>";
        if (!finding.image.empty()) html += "<a href=\"#" + html_escaped(finding.image) + "\">plot</a>";
        html += "</td></tr>\n";
    }
    return html + "</tbody>\n</table></div>\n</section>\n";
}

std::string marks_section(const IndexPage& page) {
    std::string html = "<section id=\"markers\">\n<h2>Markers and phases</h2>\n<ul>\n";
    for (const IndexMark& mark : page.marks) {
        html += "<li>" + html_escaped(mark.label) + ": <time>" + html_escaped(mark.begin) + "</time>";
        if (!mark.end.empty()) html += " to <time>" + html_escaped(mark.end) + "</time>";
        html += "</li>\n";
    }
    return html + "</ul>\n</section>\n";
}

}  // namespace

std::string render_run_page(const IndexPage& page) {
    std::string html = page_start("clusterp run" + (page.run_id.empty() ? "" : " " + page.run_id),
                                  ".span, .hosts { margin: 0.3em 0; }\n"
                                  "td.worst { background: #fdd; font-weight: bold; }\n"
                                  "#findings table { font-size: 0.9em; } #findings td { text-align: left; }\n"
                                  ".processes td:nth-child(3) { text-align: left; }\n");
    if (!page.findings.empty()) html += findings_section(page);
    if (!page.first_time.empty())
        html += "<p class=\"span\">From <time>" + html_escaped(page.first_time) + "</time> to <time>" +
                html_escaped(page.last_time) + "</time> (UTC)</p>\n";
    html += "<p class=\"hosts\">" + std::to_string(page.hosts.size()) + (page.hosts.size() == 1 ? " host" : " hosts");
    // Beyond a screenful of names the host table lists them.
    if (page.hosts.size() <= 64) {
        const char* separator = ": ";
        for (const auto& host : page.hosts) {
            html += separator + html_escaped(host.alias);
            if (host.alias != host.host) html += " (" + html_escaped(host.host) + ")";
            separator = ", ";
        }
    } else {
        html += ", listed in the <a href=\"#hosts\">host table</a>";
    }
    html += "</p>\n";
    if (!page.marks.empty()) html += marks_section(page);
    const std::vector<std::string> order = category_order(page);
    if (!order.empty()) {
        html += "<nav>";
        for (const auto& category : order) html += " <a href=\"#" + html_escaped(category) + "\">" + html_escaped(category) + "</a>";
        if (!page.metrics.empty()) html += " <a href=\"#hosts\">hosts</a>";
        html += page.processes.empty() ? "</nav>\n" : " <a href=\"#processes\">processes</a></nav>\n";
    }
    for (const auto& category : order) {
        html += "<section id=\"" + html_escaped(category) + "\">\n<h2>" + html_escaped(category) + "</h2>\n<div class=\"grid\">\n";
        std::size_t lines = 0;
        for (const auto& plot : page.plots)
            if (plot.category == category && plot.kind != IndexPlotKind::line) html += figure(plot);
            else if (plot.category == category) ++lines;
        html += "</div>\n";
        if (lines > 0) {
            // Beyond 16 hosts a line plot is a tangle: there, on request.
            const bool fold = page.hosts.size() > 16;
            const std::optional<Category> known = category_from_name(category);
            const char* per = known && series_per_device(*known) ? "per GPU" : "per host";
            html += fold ? "<details>\n<summary>Line plots, one line " + std::string(per) + " (" + std::to_string(lines) +
                               ")</summary>\n"
                         : "";
            html += "<div class=\"grid\">\n";
            for (const auto& plot : page.plots)
                if (plot.category == category && plot.kind == IndexPlotKind::line) html += figure(plot);
            html += "</div>\n";
            if (fold) html += "</details>\n";
        }
        html += "</section>\n";
    }
    if (page.plots.empty()) html += "<p>No plot was drawn.</p>\n";
    if (!page.metrics.empty()) html += host_table(page) + k_sortable_tables_script;
    if (!page.processes.empty()) html += processes_section(page);
    return html + page_end();
}

}  // namespace clusterp
