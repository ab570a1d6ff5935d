#include "plot/plot_index.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "model/contract.hpp"

namespace clusterp {

namespace {

std::string escaped(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

// A relative URL for a file name that may hold any character but '/'.
std::string url_path(const std::string& path) {
    static const char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 15];
        }
    }
    return out;
}

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

// A number for the table: three significant digits are enough to compare.
std::string shown_number(double value) {
    if (std::isnan(value)) return "";
    char text[32];
    const double size = std::fabs(value);
    const int decimals = size >= 100 ? 0 : size >= 10 ? 1 : 2;
    const auto end = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, decimals).ptr;
    return std::string(text, end);
}

std::string figure(const IndexPlot& plot) {
    const std::string url = escaped(url_path(plot.image));
    return "<figure id=\"" + escaped(plot.image) + "\"><a href=\"" + url + "\"><img src=\"" + url + "\" alt=\"" +
           escaped(plot.title) + "\"></a><figcaption>" + escaped(plot.title) + "</figcaption></figure>\n";
}

// Sorts the table by the clicked column: numbers by value, empty cells last,
// a second click reverses.  Cells carry their value in data-v.
const char* const k_sort_script = R"(<script>
function sortBy(th) {
  var table = th.closest('table'), body = table.tBodies[0], col = +th.dataset.col;
  var down = th.getAttribute('aria-sort') !== 'descending';
  table.querySelectorAll('th[aria-sort]').forEach(function (h) { h.removeAttribute('aria-sort'); });
  th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
  var rows = Array.prototype.slice.call(body.rows);
  rows.sort(function (a, b) {
    var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
    if (x === '' || y === '') return (x === '') - (y === '');
    var c = isNaN(x) || isNaN(y) ? x.localeCompare(y) : x - y;
    return down ? -c : c;
  });
  rows.forEach(function (r) { body.appendChild(r); });
}
document.querySelectorAll('th[data-col]').forEach(function (th) {
  th.addEventListener('click', function () { sortBy(th); });
});
</script>
)";

std::string host_table(const IndexPage& page) {
    std::string html = "<section id=\"hosts\">\n<h2>Hosts</h2>\n<p class=\"note\">Mean, 95th percentile and max "
                       "over the run; disk and network: the host's busiest device.  The worst value of each "
                       "column is marked where few hosts share it.  Click a column's name to sort by it.</p>\n"
                       "<div class=\"scroll\"><table class=\"hosts\">\n<thead>\n<tr><th rowspan=\"2\" data-col=\"0\" "
                       "title=\"sort\">host</th>";
    for (const IndexMetric& metric : page.metrics)
        html += "<th colspan=\"3\">" + escaped(metric.category) + ": " + escaped(metric.title) + "</th>";
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
    auto stat_of = [](const SeriesStats& s, int k) { return k == 0 ? s.mean : k == 1 ? s.p95 : s.max; };
    std::vector<double> worst(page.metrics.size() * 3, NAN);
    for (std::size_t m = 0; m < page.metrics.size(); ++m)
        for (int k = 0; k < 3; ++k) {
            double& w = worst[m * 3 + std::size_t(k)];
            std::size_t known = 0, holders = 0;
            for (const SeriesStats& s : page.metrics[m].hosts) {
                const double v = stat_of(s, k);
                if (std::isnan(v)) continue;
                ++known;
                if (std::isnan(w) || v > w) w = v, holders = 0;
                if (v == w) ++holders;
            }
            if (holders > std::max<std::size_t>(1, known / 4)) w = NAN;
        }
    for (std::size_t h = 0; h < page.hosts.size(); ++h) {
        const IndexHost& host = page.hosts[h];
        html += "<tr><th scope=\"row\" data-v=\"" + escaped(host.alias) + "\">" + escaped(host.alias) + "</th>";
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
    for (const auto& field : page.findings.front().fields) html += "<th>" + escaped(field.first) + "</th>";
    html += "<th>plot</th></tr></thead>\n<tbody>\n";
    for (const IndexFinding& finding : page.findings) {
        html += "<tr>";
        for (const auto& field : finding.fields) html += "<td>" + escaped(field.second) + "</td>";
        html += "<td>";
        if (!finding.image.empty()) html += "<a href=\"#" + escaped(finding.image) + "\">plot</a>";
        html += "</td></tr>\n";
    }
    return html + "</tbody>\n</table></div>\n</section>\n";
}

std::string marks_section(const IndexPage& page) {
    std::string html = "<section id=\"markers\">\n<h2>Markers and phases</h2>\n<ul>\n";
    for (const IndexMark& mark : page.marks) {
        html += "<li>" + escaped(mark.label) + ": <time>" + escaped(mark.begin) + "</time>";
        if (!mark.end.empty()) html += " to <time>" + escaped(mark.end) + "</time>";
        html += "</li>\n";
    }
    return html + "</ul>\n</section>\n";
}

}  // namespace

std::string render_index_html(const IndexPage& page) {
    std::string title = "clusterp run" + (page.run_id.empty() ? "" : " " + page.run_id);
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escaped(title) +
        "</title>\n<style>\n"
        "body { font-family: sans-serif; margin: 1.5em; color: #222; }\n"
        "h1 { font-size: 1.4em; } h2 { border-bottom: 1px solid #ccc; margin-top: 1.5em; }\n"
        ".span, .hosts, .note { margin: 0.3em 0; }\n"
        ".grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 1em; }\n"
        "figure { margin: 0; border: 1px solid #ddd; padding: 0.5em; background: #fff; }\n"
        "figure img { width: 100%; height: auto; }\n"
        "figcaption { font-size: 0.9em; color: #555; }\n"
        ".scroll { overflow: auto; max-height: 40em; }\n"
        "table { border-collapse: collapse; font-size: 0.85em; }\n"
        "th, td { border: 1px solid #ddd; padding: 0.2em 0.4em; }\n"
        "td { text-align: right; font-variant-numeric: tabular-nums; }\n"
        "thead th { position: sticky; top: 0; background: #f4f4f4; }\n"
        "th[data-col] { cursor: pointer; }\n"
        "th[aria-sort=descending]::after { content: ' \\25BC'; } th[aria-sort=ascending]::after { content: ' \\25B2'; }\n"
        "td.worst { background: #fdd; font-weight: bold; }\n"
        "#findings table { font-size: 0.9em; } #findings td { text-align: left; }\n"
        "</style>\n</head>\n<body>\n<h1>" + escaped(title) + "</h1>\n";
    if (!page.findings.empty()) html += findings_section(page);
    if (!page.first_time.empty())
        html += "<p class=\"span\">From <time>" + escaped(page.first_time) + "</time> to <time>" +
                escaped(page.last_time) + "</time> (UTC)</p>\n";
    html += "<p class=\"hosts\">" + std::to_string(page.hosts.size()) + (page.hosts.size() == 1 ? " host" : " hosts");
    // Beyond a screenful of names the host table lists them.
    if (page.hosts.size() <= 64) {
        const char* separator = ": ";
        for (const auto& host : page.hosts) {
            html += separator + escaped(host.alias);
            if (host.alias != host.host) html += " (" + escaped(host.host) + ")";
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
        for (const auto& category : order) html += " <a href=\"#" + escaped(category) + "\">" + escaped(category) + "</a>";
        html += page.metrics.empty() ? "</nav>\n" : " <a href=\"#hosts\">hosts</a></nav>\n";
    }
    for (const auto& category : order) {
        html += "<section id=\"" + escaped(category) + "\">\n<h2>" + escaped(category) + "</h2>\n<div class=\"grid\">\n";
        std::size_t lines = 0;
        for (const auto& plot : page.plots)
            if (plot.category == category && plot.kind != IndexPlotKind::line) html += figure(plot);
            else if (plot.category == category) ++lines;
        html += "</div>\n";
        if (lines > 0) {
            // Beyond 16 hosts a line plot is a tangle: there, on request.
            const bool fold = page.hosts.size() > 16;
            html += fold ? "<details>\n<summary>Line plots, one line per host (" + std::to_string(lines) + ")</summary>\n"
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
    if (!page.metrics.empty()) html += host_table(page) + k_sort_script;
    return html + "</body>\n</html>\n";
}

}  // namespace clusterp
