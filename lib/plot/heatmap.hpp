// The heatmap of one metric (design.md: plot/<category>/<name>_heatmap):
// time across, one row per host (per host's device for disk and network),
// colour = value.  Pure: builds gnuplot text; plot/view_grid computes the
// cells and the order of the rows.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "plot/gnuplot_script.hpp"
#include "plot/view_grid.hpp"

namespace clusterp {

struct HeatmapSpec {
    // title, ylabel (the colour bar's label, with the unit), percent (colour
    // bar from 0 to 100, else from 0 to the largest cell), time_axis (x is
    // seconds since the epoch on the clock axis), width, height (0: chosen
    // from the rows), outputs and the self_* paths as for a line plot; its
    // series and datablocks are unused.
    PlotSpec plot;
    TimeGrid grid;
    std::vector<std::string> rows;           // labels, top to bottom
    std::vector<std::vector<double>> cells;  // per row, grid.columns values
};

// The size of the plot area's rows: a heatmap's default height gives each
// of up to 64 rows room for its label (14 px) and beyond that at least one
// pixel per row, so that no host is dropped.
int default_heatmap_height(std::size_t rows);
// Pixels across for the cells, given the plot's width (the rest holds the
// labels and the colour bar).
int heatmap_columns(int width);

// Which of N rows get a label when each row is ROW_PIXELS high: all while
// a label (12 px) fits its row, else every k-th from the first (the most
// different), so that labels never overlap.
std::vector<std::size_t> labelled_rows(std::size_t n, double row_pixels);

// The script: the cells as a datablock (a nonuniform matrix, column centres
// on its first line, so that gnuplot's own time axis applies and no
// expression runs per cell; a lone row or column given as two halves, which
// gnuplot can size), drawn `with image` on viridis (pixel-exact in eps, pdf
// and png; svg needs crisp_svg_images), the colour bar
// labelled with the unit, plot.marks drawn across it.  Deterministic.
std::string heatmap_script(const HeatmapSpec& spec);

// SVG, as gnuplot writes it, with every embedded image (a heatmap's cells:
// gnuplot's svg terminal embeds `with image` as a PNG of one pixel per
// cell) drawn pixelated: a browser otherwise smooths the image as it scales
// it, and the cells become smears.  Other SVG comes back unchanged.
std::string crisp_svg_images(std::string svg);

// The viridis palette as a gnuplot `set palette defined` line: perceptually
// uniform, readable in grey and by the colour-blind.
std::string viridis_palette();

}  // namespace clusterp
