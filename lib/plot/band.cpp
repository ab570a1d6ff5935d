#include "plot/band.hpp"

#include <cmath>
#include <sstream>

#include "plot/heatmap.hpp"

namespace clusterp {

namespace {

// Hues apart from the band's blues (matplotlib's tab10 red, orange, purple).
const char* const k_host_colours[k_band_hosts] = {"#d62728", "#ff7f0e", "#9467bd"};

}  // namespace

std::string band_script(const BandSpec& spec) {
    const PlotSpec& plot = spec.plot;
    PlotSpec with_data = plot;
    with_data.datablocks.clear();
    std::string band;
    bool gap = false;
    for (int c = 0; c < spec.grid.columns; ++c) {
        const std::size_t i = std::size_t(c);
        if (i >= spec.band.median.size() || std::isnan(spec.band.median[i])) {
            if (!gap && !band.empty()) band += '\n';
            gap = true;
            continue;
        }
        gap = false;
        append_number(band, spec.grid.centre(c));
        for (const auto* v : {&spec.band.min, &spec.band.p10, &spec.band.median, &spec.band.p90, &spec.band.max}) {
            band += ' ';
            append_number(band, (*v)[i], 4);
        }
        band += '\n';
    }
    with_data.datablocks.push_back({"$band", std::move(band)});
    for (std::size_t h = 0; h < spec.hosts.size() && h < k_band_hosts; ++h) {
        std::string line;
        for (int c = 0; c < spec.grid.columns; ++c) {
            const double value = std::size_t(c) < spec.hosts[h].cells.size() ? spec.hosts[h].cells[std::size_t(c)] : NAN;
            if (std::isnan(value)) continue;
            append_number(line, spec.grid.centre(c));
            line += ' ';
            append_number(line, value, 4);
            line += '\n';
        }
        with_data.datablocks.push_back({"$host" + std::to_string(h + 1), std::move(line)});
    }

    const int width = plot.width > 0 ? plot.width : default_plot_width(0);
    const int height = plot.height > 0 ? plot.height : default_plot_height(0);
    std::ostringstream out;
    out << script_preamble(with_data, "the cluster's median, min-max and 10-90 % bands over " +
                                          std::to_string(spec.grid.columns) + " columns");
    PlotSpec axis = plot;
    axis.epoch_time = true;
    std::string x0, x1;
    append_number(x0, spec.grid.x0);
    append_number(x1, spec.grid.x1);
    out << "set title " << gnuplot_quote(plot.title) << "\n"
        << "set ylabel " << gnuplot_quote(plot.ylabel) << "\n"
        << yrange_text(plot)
        << time_axis_text(axis)
        << "set xrange [" << x0 << ":" << x1 << "]\n"
        << "set grid front\n"
        << "set key outside right top vertical Left reverse samplen 3 spacing 1\n"
        << (plot.marks.empty() ? "set tmargin 5\n" : marks_text(plot.marks, false, height));
    std::string command = "plot $band using 1:2:6 with filledcurves fillcolor rgb '#c6dbef' title 'min-max', \\\n"
                          "     $band using 1:3:5 with filledcurves fillcolor rgb '#6baed6' title '10-90 %', \\\n"
                          "     $band using 1:4 with lines lw 2 lc rgb '#08306b' title 'median'";
    for (std::size_t h = 0; h < spec.hosts.size() && h < k_band_hosts; ++h)
        command += ", \\\n     $host" + std::to_string(h + 1) + " using 1:2 with lines lw 1.5 lc rgb '" +
                   k_host_colours[h] + "' title " + gnuplot_quote(spec.hosts[h].label);
    out << outputs_text(plot, width, height, command + "\n");
    return out.str();
}

}  // namespace clusterp
