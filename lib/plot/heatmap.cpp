#include "plot/heatmap.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace clusterp {

namespace {

const int k_label_pixels = 12;
const int k_row_pixels = 14;
// Room around the plot area: title and mark labels above, time axis below;
// host labels left, colour bar right.
const int k_margin_y = 170;
const int k_margin_x = 260;

}  // namespace

int default_heatmap_height(std::size_t rows) {
    const std::size_t area = rows <= 64 ? std::max<std::size_t>(rows * k_row_pixels, 300) : std::max<std::size_t>(rows, 900);
    return int(area) + k_margin_y;
}

int heatmap_columns(int width) { return std::max(100, width - k_margin_x); }

std::vector<std::size_t> labelled_rows(std::size_t n, double row_pixels) {
    std::size_t step = 1;
    if (row_pixels > 0 && row_pixels < k_label_pixels) step = std::size_t(std::ceil(k_label_pixels / row_pixels));
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < n; i += step) rows.push_back(i);
    return rows;
}

std::string crisp_svg_images(std::string svg) {
    // optimizeSpeed for SVG 1.1 renderers (rsvg, Inkscape), pixelated for
    // browsers (CSS, which wins where both are known).
    static const std::string tag = "<image ";
    static const std::string crisp = "<image image-rendering='optimizeSpeed' style='image-rendering:pixelated' ";
    for (std::size_t at = svg.find(tag); at != std::string::npos; at = svg.find(tag, at + crisp.size()))
        svg.replace(at, tag.size(), crisp);
    return svg;
}

std::string viridis_palette() {
    // matplotlib's viridis at nine evenly spaced points; gnuplot
    // interpolates between them in RGB, close enough to the 256-entry table.
    return "set palette defined (0 '#440154', 1 '#472d7b', 2 '#3b528b', 3 '#2c728e', 4 '#21918c', "
           "5 '#28ae80', 6 '#5ec962', 7 '#addc30', 8 '#fde725')\n";
}

std::string heatmap_script(const HeatmapSpec& spec) {
    const PlotSpec& plot = spec.plot;
    const std::size_t n = spec.rows.size();
    const int width = plot.width > 0 ? plot.width : default_plot_width(0);
    const int height = plot.height > 0 ? plot.height : default_heatmap_height(n);
    // gnuplot sizes a cell of a nonuniform matrix from the distance to its
    // neighbour: a lone row or column has none and is not drawn at all.  It
    // is then given as two halves of the same values.
    const int halves_x = spec.grid.columns == 1 ? 2 : 1;
    const std::size_t halves_y = n == 1 ? 2 : 1;
    // The column centres are written from the grid's start and moved back
    // in `using`: gnuplot keeps a matrix's coordinates in single precision,
    // which at epoch seconds (-t clock, 1.8e9) step by 128 s and drew the
    // last columns of a short run as nothing.
    std::string cells;
    cells.reserve((n * halves_y + 1) * std::size_t(spec.grid.columns * halves_x) * 6);
    cells += std::to_string(spec.grid.columns * halves_x);
    for (int c = 0; c < spec.grid.columns * halves_x; ++c) {
        cells += ' ';
        append_number(cells, (c + 0.5) * spec.grid.width() / halves_x);
    }
    cells += '\n';
    double top = 0;
    for (std::size_t r = 0; r < n * halves_y; ++r) {
        if (halves_y == 1) cells += std::to_string(r);
        else cells += r == 0 ? "-0.25" : "0.25";
        for (double value : spec.cells[r / halves_y]) {
            for (int half = 0; half < halves_x; ++half) {
                cells += ' ';
                append_number(cells, value, 4);
            }
            if (value > top) top = value;
        }
        cells += '\n';
    }
    PlotSpec with_cells = plot;
    with_cells.datablocks = {{"$cells", std::move(cells)}};

    std::ostringstream out;
    out << script_preamble(with_cells, std::to_string(n) + " rows by " + std::to_string(spec.grid.columns) +
                                           " columns, each the max of its samples");
    out << "set title " << gnuplot_quote(plot.title) << "\n"
        << "set ylabel ''\n"
        << "set cblabel "
        << gnuplot_quote(plot.ylabel + (std::isnan(plot.limit) ? "" : ", 0 to the " + plot.limit_label)) << "\n"
        << viridis_palette();
    // Percentages on a fixed scale, so that heatmaps compare; a bounded
    // value up to its limit (colour then says how near the limit it ran);
    // others from 0 to the largest cell.  A flat zero (and a limit of 0:
    // a GPU whose power nvidia-smi reads as 0 W) still gets a scale, 0 to 1,
    // where gnuplot would refuse an empty one.
    double cb = plot.percent ? 100 : !std::isnan(plot.limit) ? std::max(plot.limit, top) : top;
    if (!(cb > 0)) cb = 1;
    std::string cbmax;
    append_number(cbmax, cb);
    out << "set cbrange [0:" << cbmax << "]\n";
    PlotSpec axis = plot;
    axis.epoch_time = true;
    out << time_axis_text(axis);
    std::string x0, x1;
    append_number(x0, spec.grid.x0);
    append_number(x1, spec.grid.x1);
    out << "set xrange [" << x0 << ":" << x1 << "]\n"
        << "set yrange [" << double(n) - 0.5 << ":-0.5]\n"
        << "set tics out nomirror\nset ytics scale 0 font ',8' (";
    const double row_pixels = double(height - k_margin_y) / double(std::max<std::size_t>(n, 1));
    const char* separator = "";
    for (std::size_t r : labelled_rows(n, row_pixels)) {
        out << separator << gnuplot_quote(spec.rows[r]) << " " << r;
        separator = ", ";
    }
    out << ")\n"
        << (plot.marks.empty() ? "set tmargin 5\n" : marks_text(plot.marks, true, height));
    out << outputs_text(plot, width, height, "plot $cells nonuniform matrix using ($1 + " + x0 + "):2:3 with image notitle\n");
    return out.str();
}

}  // namespace clusterp
