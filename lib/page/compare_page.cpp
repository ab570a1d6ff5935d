#include "page/compare_page.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "base/atomic_file.hpp"
#include "base/read_file.hpp"
#include "model/csv.hpp"
#include "page/html.hpp"

namespace clusterp {

namespace fs = std::filesystem;

namespace {

CsvTable table_of(const std::string& path) {
    std::error_code ec;
    return fs::exists(path, ec) ? read_csv_table(read_whole_file(path)) : CsvTable{};
}

struct BandPoint {
    double elapsed, min, median, max;
};
// phase, resource, measure
using BandKey = std::tuple<std::string, std::string, std::string>;
struct Band {
    std::vector<BandPoint> a, b;  // by elapsed, as bands.csv lists them
};

std::string changes_table(const CsvTable& changes) {
    if (changes.rows.empty()) return "<p class=\"note\">No change past the thresholds.</p>\n";
    std::string out = "<div class=\"scroll\"><table class=\"changes\">\n<thead><tr>";
    for (const std::string& name : changes.header) out += "<th>" + html_escaped(name) + "</th>";
    out += "</tr></thead>\n<tbody>\n";
    for (const std::vector<std::string>& row : changes.rows) {
        out += "<tr>";
        for (const std::string& field : row) out += "<td>" + html_escaped(field) + "</td>";
        out += "</tr>\n";
    }
    return out + "</tbody></table></div>\n";
}

std::string fixed(double v) { return shown_number(std::round(v * 10) / 10); }

// One run's band as SVG: the min..max area and the median line.
std::string band_svg(const std::vector<BandPoint>& points, const char* colour, double x_max, double y_max) {
    if (points.empty()) return "";
    const double left = 50, top = 24, width = 500, height = 130;
    auto x = [&](double e) { return fixed(left + width * e / x_max); };
    auto y = [&](double v) { return fixed(top + height * (1 - std::clamp(v / y_max, 0.0, 1.0))); };
    std::string area, line;
    for (const BandPoint& p : points) area += x(p.elapsed) + "," + y(p.max) + " ";
    for (auto p = points.rbegin(); p != points.rend(); ++p) area += x(p->elapsed) + "," + y(p->min) + " ";
    for (const BandPoint& p : points) line += x(p.elapsed) + "," + y(p.median) + " ";
    return "<polygon points=\"" + area + "\" fill=\"" + colour + "\" fill-opacity=\"0.25\" stroke=\"none\"/>\n"
           "<polyline points=\"" + line + "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\"/>\n";
}

std::string figure(const BandKey& key, const Band& band, const std::string& a, const std::string& b) {
    double x_max = 1, y_max = 0;
    for (const auto* points : {&band.a, &band.b})
        for (const BandPoint& p : *points) {
            x_max = std::max(x_max, p.elapsed);
            y_max = std::max(y_max, p.max);
        }
    if (!(y_max > 0)) y_max = 1;
    const auto& [phase, resource, measure] = key;
    std::string svg = "<svg class=\"band\" viewBox=\"0 0 560 180\" width=\"560\" height=\"180\" role=\"img\">\n"
                      "<rect x=\"50\" y=\"24\" width=\"500\" height=\"130\" fill=\"none\" stroke=\"#999\"/>\n";
    svg += "<text x=\"46\" y=\"30\" text-anchor=\"end\" font-size=\"11\">" + shown_number(y_max) + "</text>\n";
    svg += "<text x=\"46\" y=\"154\" text-anchor=\"end\" font-size=\"11\">0</text>\n";
    svg += "<text x=\"50\" y=\"170\" font-size=\"11\">0 s</text>\n";
    svg += "<text x=\"550\" y=\"170\" text-anchor=\"end\" font-size=\"11\">" + shown_number(x_max) +
           " s from the phase's start</text>\n";
    svg += band_svg(band.a, k_colour_a, x_max, y_max) + band_svg(band.b, k_colour_b, x_max, y_max);
    // The legend: a swatch and the run's directory for each.
    svg += std::string("<rect x=\"50\" y=\"6\" width=\"12\" height=\"12\" fill=\"") + k_colour_a + "\"/>\n" +
           "<text x=\"66\" y=\"16\" font-size=\"11\">A: " + html_escaped(a) + "</text>\n" +
           "<rect x=\"300\" y=\"6\" width=\"12\" height=\"12\" fill=\"" + k_colour_b + "\"/>\n" +
           "<text x=\"316\" y=\"16\" font-size=\"11\">B: " + html_escaped(b) + "</text>\n</svg>\n";
    return "<figure>\n" + svg + "<figcaption>" + html_escaped(phase) + ": " + html_escaped(resource) + " " +
           html_escaped(measure) + " (min to max over the hosts, line: median)</figcaption>\n</figure>\n";
}

}  // namespace

void write_compare_page(const std::string& dir, const std::string& a, const std::string& b) {
    const CsvTable changes = table_of(dir + "/changes.csv");
    const CsvTable bands_table = table_of(dir + "/bands.csv");
    std::map<BandKey, Band> bands;
    std::vector<BandKey> order;  // bands.csv's
    for (std::size_t i = 0; i < bands_table.rows.size(); ++i) {
        auto at = [&](const char* name) { return bands_table.get(i, name); };
        const BandPoint p{csv_number(at("elapsed")), csv_number(at("min")), csv_number(at("median")),
                          csv_number(at("max"))};
        if (std::isnan(p.elapsed) || std::isnan(p.min) || std::isnan(p.median) || std::isnan(p.max)) continue;
        const BandKey key{at("phase"), at("resource"), at("measure")};
        auto [it, added] = bands.try_emplace(key);
        if (added) order.push_back(key);
        (at("run") == "B" ? it->second.b : it->second.a).push_back(p);
    }
    // The changes' measures first, then the bands with something to show.
    std::vector<BandKey> drawn;
    std::set<BandKey> seen;
    auto draw = [&](const BandKey& key) {
        if (drawn.size() < k_compare_figures && bands.count(key) && seen.insert(key).second) drawn.push_back(key);
    };
    for (std::size_t i = 0; i < changes.rows.size(); ++i)
        draw({changes.get(i, "phase"), changes.get(i, "resource"), changes.get(i, "measure")});
    for (const BandKey& key : order) {
        const Band& band = bands[key];
        bool flat = true;
        for (const auto* points : {&band.a, &band.b})
            for (const BandPoint& p : *points) flat = flat && p.max == 0 && p.min == 0;
        if (!flat) draw(key);
    }
    std::string html = page_start("clusterp compare", ".band { width: 100%; height: auto; max-width: 560px; }\n");
    html += "<p class=\"note\">A: " + html_escaped(a) + "<br>B: " + html_escaped(b) + "</p>\n";
    html += "<h2>Changes</h2>\n" + changes_table(changes);
    html += "<h2>Bands</h2>\n<p class=\"note\">" + std::to_string(drawn.size()) + " of " +
            std::to_string(bands.size()) +
            " phase and measure bands, those that changed first (compare.md says it in words).</p>\n"
            "<div class=\"grid\">\n";
    for (const BandKey& key : drawn) html += figure(key, bands[key], a, b);
    html += "</div>\n" + page_end();
    write_file_atomically(dir + "/index.html", html);
}

}  // namespace clusterp
