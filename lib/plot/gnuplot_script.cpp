#include "plot/gnuplot_script.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace clusterp {

namespace {

// matplotlib's tab10: ten hues that stay apart on white, none black or white.
const char* const k_colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
// Each round of ten colours gets the next dash pattern: 70 distinct styles.
const char* const k_dashes[] = {"1", "2", "4", "5", "(12,6)", "(2,3)", "(16,4,4,4,4,4)"};

const int k_px_per_inch = 100;

// The using and every clauses of one series.  Rows of other series become
// NaN, which `set datafile missing NaN` turns into a missing point rather
// than a break in the line.
std::string series_clauses(const SeriesSpec& series) {
    std::string y = std::to_string(series.y_column);
    if (series.stride == 0 && !series.match.empty()) {
        std::string condition;
        for (const auto& [column, value] : series.match) {
            if (!condition.empty()) condition += " && ";
            condition += "strcol(" + std::to_string(column) + ") eq " + gnuplot_quote(value);
        }
        y = "(" + condition + " ? column(" + y + ") : NaN)";
    }
    std::string out = " using " + std::to_string(series.x_column) + ":" + y + (series.header ? " skip 1" : "");
    if (series.stride > 0) out += " every " + std::to_string(series.stride) + "::" + std::to_string(series.offset);
    return out;
}

}  // namespace

std::string terminal_line(PlotFormat format, int width, int height) {
    std::ostringstream out;
    const double w = double(width) / k_px_per_inch, h = double(height) / k_px_per_inch;
    switch (format) {
    case PlotFormat::eps:
        out << "set terminal postscript eps color solid noenhanced size " << w << "in," << h
            << "in font 'Helvetica,12'";
        break;
    case PlotFormat::pdf:
        out << "set terminal pdfcairo color noenhanced size " << w << "in," << h << "in font 'sans,9'";
        break;
    case PlotFormat::png:
        out << "set terminal pngcairo color noenhanced size " << width << "," << height
            << " font 'sans,9' background rgb 'white'";
        break;
    case PlotFormat::svg:
        out << "set terminal svg noenhanced size " << width << "," << height
            << " font 'sans,10' background rgb 'white'";
        break;
    }
    return out.str();
}

std::optional<PlotFormat> parse_plot_format(const std::string& text) {
    for (PlotFormat f : {PlotFormat::eps, PlotFormat::pdf, PlotFormat::png, PlotFormat::svg})
        if (text == plot_format_name(f)) return f;
    return std::nullopt;
}

const char* plot_format_name(PlotFormat format) {
    switch (format) {
    case PlotFormat::eps: return "eps";
    case PlotFormat::pdf: return "pdf";
    case PlotFormat::png: return "png";
    case PlotFormat::svg: return "svg";
    }
    return "eps";
}

int default_plot_width(std::size_t series) { return series > 16 ? 1400 : 1000; }

int default_plot_height(std::size_t series) { return series > 16 ? 800 : 600; }

std::string gnuplot_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += "''";
        else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += '?';
        else out += c;
    }
    return out + "'";
}

std::string script_preamble(const PlotSpec& spec, const std::string& what) {
    std::ostringstream out;
    out << "# " << spec.title << ": " << what << ".  Written by clusterp-plot.\n";
    if (!spec.self_name.empty()) {
        out << "# Re-run with `gnuplot " << spec.self_name << "` from any directory: data and plot\n"
            << "# names are found from this script's own path (ARG0); read from stdin,\n"
            << "# it must run in the directory that holds parsed/ and plot/.\n"
            << "dir = " << gnuplot_quote(spec.self_dir) << "\n"
            << "if (ARG0 ne '') { dir = ''; s = ARG0; while (strstrt(s, '/') > 0) "
               "{ dir = dir.s[1:strstrt(s, '/')]; s = s[strstrt(s, '/') + 1:] } }\n"
            << "root = dir." << gnuplot_quote(spec.root_from_self) << "\n"
            << "if (!exists('suffix')) suffix = ''\n";
    }
    for (const Datablock& block : spec.datablocks)
        out << block.name << " << EOD\n" << block.content << "EOD\n";
    return out.str();
}

std::string yrange_text(const PlotSpec& spec) {
    const std::string bottom = spec.percent ? "-3" : "0";
    if (std::isnan(spec.limit)) return spec.percent ? "set yrange [-3:105<*] noextend\n" : "set yrange [0:*]\n";
    // Some room above the limit's line for its label.
    std::string top, at;
    append_number(top, std::max(spec.percent ? 105.0 : 0.0, spec.limit * 1.08), 4);
    append_number(at, spec.limit);
    return "set yrange [" + bottom + ":" + top + "<*] noextend\n"
           "set arrow from graph 0, first " + at + " to graph 1, first " + at +
           " nohead front lc rgb '#555555' lw 1.5 dt 2\n"
           "set label " + gnuplot_quote(spec.limit_label) + " at graph 0.01, first " + at +
           " left offset 0,0.6 front font ',9'\n";
}

std::string time_axis_text(const PlotSpec& spec) {
    if (spec.time_axis == TimeAxis::clock)
        return std::string("set xlabel 'Time (UTC)'\nset xdata time\n") +
               (spec.epoch_time ? "set timefmt '%s'\n" : "set timefmt '%Y-%m-%dT%H:%M:%SZ'\n") +
               "set format x '%H:%M:%S'\nset xtics rotate by -30\nset autoscale xfix\n";
    return "set xlabel 'Elapsed time (s)'\nset xrange [0:*]\nset autoscale xfixmax\n";
}

std::string outputs_text(const PlotSpec& spec, int width, int height, const std::string& plot_command) {
    std::ostringstream out;
    const bool relative = !spec.self_name.empty();
    bool first = true;
    for (const PlotOutput& output : spec.outputs) {
        out << terminal_line(output.format, width, height) << "\n";
        if (!output.path.empty()) {
            out << "set output " << (relative ? "dir." : "") << gnuplot_quote(output.path)
                << (relative ? ".suffix" : "") << "\n";
        }
        out << (first ? plot_command : "replot\n");
        first = false;
    }
    out << "unset output\n";
    return out.str();
}

std::string gnuplot_script(const PlotSpec& spec) {
    std::ostringstream out;
    const bool relative = !spec.self_name.empty();
    const int width = spec.width > 0 ? spec.width : default_plot_width(spec.series.size());
    const int height = spec.height > 0 ? spec.height : default_plot_height(spec.series.size());
    const bool legend = spec.series.size() <= k_max_legend;
    const std::string title =
        legend ? spec.title
               : spec.title + " (" + std::to_string(spec.series.size()) + " series: the heatmap names them)";

    out << script_preamble(spec, std::to_string(spec.series.size()) + " series");
    out << "# x: " << (spec.time_axis == TimeAxis::clock ? "time" : "elapsed") << ", y: " << spec.column
        << " (columns by number, data rows after the header)\n"
        << "set datafile separator comma\n"
        << "set datafile missing NaN\n"
        << "set title " << gnuplot_quote(title) << "\n"
        << "set ylabel " << gnuplot_quote(spec.ylabel) << "\n"
        << yrange_text(spec) << time_axis_text(spec);
    // The legend outside on the right, one column per screenful of names:
    // with many hosts gnuplot adds columns rather than overprinting the
    // lines.  Beyond k_max_legend series the names would take most of the
    // width (and from about 1000 no longer fit): no legend, and the title
    // says where the hosts are named.  The series keep their titles.
    out << "set grid\n"
        << (legend ? "set key outside right top vertical Left reverse samplen 3 spacing 1\n" : "set key off\n");
    for (std::size_t i = 0; i < spec.series.size(); ++i) {
        const std::size_t n_colours = sizeof k_colours / sizeof *k_colours;
        const std::size_t n_dashes = sizeof k_dashes / sizeof *k_dashes;
        out << "set linetype " << i + 1 << " lc rgb '" << k_colours[i % n_colours] << "' lw 1.5 dt "
            << k_dashes[(i / n_colours) % n_dashes] << "\n";
    }

    if (!spec.marks.empty()) out << marks_text(spec.marks, false, height);

    std::string plot = "plot";
    for (std::size_t i = 0; i < spec.series.size(); ++i) {
        const SeriesSpec& series = spec.series[i];
        const bool block = !series.source.empty() && series.source[0] == '$';
        plot += i ? ", \\\n     " : " \\\n     ";
        if (block) plot += series.source;
        else plot += (relative ? "root." : "") + gnuplot_quote(series.source);
        plot += series_clauses(series) + " with lines lt " + std::to_string(i + 1) + " title " +
                gnuplot_quote(series.title);
    }
    out << outputs_text(spec, width, height, plot + "\n");
    return out.str();
}

void append_number(std::string& out, double value, int digits) {
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    char text[32];
    const auto end = digits > 0 ? std::to_chars(text, text + sizeof text, value, std::chars_format::general, digits).ptr
                                : std::to_chars(text, text + sizeof text, value).ptr;
    out.append(text, end);
}

std::string marks_text(const std::vector<TimeMark>& marks, bool on_image, int height) {
    // Above the plot area, in pixels: one lane per phase overlapping an
    // earlier one (a job's phases within the job), then the points' labels.
    const int lane_pixels = 14, point_pixels = 45, char_pixels = 12;
    const double lane = double(lane_pixels) / std::max(100.0, 0.8 * height);  // in graph units
    std::vector<double> lane_ends;
    std::vector<std::size_t> lane_of(marks.size(), 0);
    bool points = false;
    for (std::size_t i = 0; i < marks.size(); ++i) {
        if (!marks[i].phase) {
            points = true;
            continue;
        }
        std::size_t k = 0;
        while (k < lane_ends.size() && lane_ends[k] > marks[i].begin) ++k;
        if (k == lane_ends.size()) lane_ends.push_back(0);
        lane_ends[k] = marks[i].end;
        lane_of[i] = k;
    }
    // A phase is shaded behind the data unless it holds another (the job
    // around its phases would shade the whole plot).
    auto holds_another = [&](std::size_t i) {
        for (std::size_t j = 0; j < marks.size(); ++j)
            if (j != i && marks[j].phase && marks[j].begin >= marks[i].begin && marks[j].end <= marks[i].end &&
                (marks[j].begin > marks[i].begin || marks[j].end < marks[i].end))
                return true;
        return false;
    };
    std::ostringstream out;
    const char* colour = on_image ? "white" : "#555555";
    int object = 1;
    for (std::size_t i = 0; i < marks.size(); ++i) {
        const TimeMark& mark = marks[i];
        std::string begin, end, low, middle, high;
        append_number(begin, mark.begin);
        append_number(end, mark.end);
        append_number(low, 1 + double(lane_of[i]) * lane, 4);
        append_number(middle, 1 + (double(lane_of[i]) + 0.5) * lane, 4);
        append_number(high, 1 + double(lane_of[i] + 1) * lane, 4);
        if (!mark.phase) {
            std::string above;
            append_number(above, 1 + double(lane_ends.size()) * lane + 0.01, 4);
            out << "set arrow from " << begin << ", graph 0 to " << begin << ", graph 1 nohead front lc rgb '" << colour
                << "' lw " << (on_image ? 2 : 1) << " dt 2\n"
                << "set label " << gnuplot_quote(mark.label) << " at " << begin << ", graph " << above
                << " left rotate by 30 front font ',8'\n";
            continue;
        }
        if (!on_image && !holds_another(i))
            out << "set object " << object++ << " rect from " << begin << ", graph 0 to " << end
                << ", graph 1 behind fillstyle solid 1.0 noborder fillcolor rgb '#ebebeb'\n";
        out << "set object " << object++ << " rect from " << begin << ", graph " << low << " to " << end << ", graph "
            << high << " front noclip fillstyle solid 1.0 border lc rgb '#555555' fillcolor rgb '#d9d9d9'\n"
            << "set label " << gnuplot_quote(mark.label) << " at " << begin << ", graph " << middle
            << " left offset 0.3,0 front font ',8'\n";
        for (const std::string& at : {begin, end})
            out << "set arrow from " << at << ", graph 0 to " << at << ", graph 1 nohead front lc rgb '" << colour
                << "' lw " << (on_image ? 2 : 1) << "\n";
    }
    const int above = int(lane_ends.size()) * lane_pixels + (points ? point_pixels : 0);
    out << "set title offset 0," << (above + char_pixels - 1) / char_pixels << "\n"
        << "set tmargin " << 3 + (above + char_pixels - 1) / char_pixels << "\n";
    return out.str();
}

}  // namespace clusterp
