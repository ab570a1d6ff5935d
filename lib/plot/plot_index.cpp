#include "plot/plot_index.hpp"

#include <algorithm>
#include <cctype>
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

std::vector<std::string> category_order(const std::vector<IndexPlot>& plots) {
    std::vector<std::string> known;
    for (const CategoryInfo& info : categories()) known.push_back(info.name);
    std::vector<std::string> order;
    for (const auto& category : known)
        if (std::any_of(plots.begin(), plots.end(), [&](const IndexPlot& p) { return p.category == category; }))
            order.push_back(category);
    std::set<std::string> others;
    for (const auto& plot : plots)
        if (std::find(known.begin(), known.end(), plot.category) == known.end()) others.insert(plot.category);
    order.insert(order.end(), others.begin(), others.end());
    return order;
}

}  // namespace

std::string render_index_html(const IndexPage& page) {
    std::string title = "clusterp run" + (page.run_id.empty() ? "" : " " + page.run_id);
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escaped(title) +
        "</title>\n<style>\n"
        "body { font-family: sans-serif; margin: 1.5em; color: #222; }\n"
        "h1 { font-size: 1.4em; } h2 { border-bottom: 1px solid #ccc; margin-top: 1.5em; }\n"
        ".span, .hosts { margin: 0.3em 0; }\n"
        ".grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 1em; }\n"
        "figure { margin: 0; border: 1px solid #ddd; padding: 0.5em; background: #fff; }\n"
        "figure img { width: 100%; height: auto; }\n"
        "figcaption { font-size: 0.9em; color: #555; }\n"
        "</style>\n</head>\n<body>\n<h1>" + escaped(title) + "</h1>\n";
    if (!page.first_time.empty())
        html += "<p class=\"span\">From <time>" + escaped(page.first_time) + "</time> to <time>" +
                escaped(page.last_time) + "</time> (UTC)</p>\n";
    html += "<p class=\"hosts\">" + std::to_string(page.hosts.size()) + (page.hosts.size() == 1 ? " host" : " hosts");
    const char* separator = ": ";
    for (const auto& host : page.hosts) {
        html += separator + escaped(host.alias);
        if (host.alias != host.host) html += " (" + escaped(host.host) + ")";
        separator = ", ";
    }
    html += "</p>\n";
    for (const auto& category : category_order(page.plots)) {
        html += "<section id=\"" + escaped(category) + "\">\n<h2>" + escaped(category) + "</h2>\n<div class=\"grid\">\n";
        for (const auto& plot : page.plots) {
            if (plot.category != category) continue;
            html += "<figure><a href=\"" + escaped(url_path(plot.image)) + "\"><img src=\"" +
                    escaped(url_path(plot.image)) + "\" alt=\"" + escaped(plot.title) + "\"></a><figcaption>" +
                    escaped(plot.title) + "</figcaption></figure>\n";
        }
        html += "</div>\n</section>\n";
    }
    if (page.plots.empty()) html += "<p>No plot was drawn.</p>\n";
    return html + "</body>\n</html>\n";
}

}  // namespace clusterp
