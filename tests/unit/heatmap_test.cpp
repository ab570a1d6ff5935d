// lib/plot/heatmap: the heatmap's script and its svg made crisp.
#include <doctest/doctest.h>

#include <string>

#include "plot/heatmap.hpp"

using namespace clusterp;

namespace {

HeatmapSpec heatmap(std::size_t rows, int columns) {
    HeatmapSpec spec;
    spec.plot.title = "CPU utilization (per host)";
    spec.plot.ylabel = "CPU utilization (%)";
    spec.plot.percent = true;
    spec.plot.outputs.push_back({PlotFormat::svg, "utilization_heatmap.svg"});
    spec.grid.x0 = 0;
    spec.grid.x1 = 10.0 * columns;
    spec.grid.columns = columns;
    for (std::size_t r = 0; r < rows; ++r) {
        spec.rows.push_back("n" + std::to_string(r + 1));
        spec.cells.emplace_back(std::size_t(columns), 10.0 * double(r + 1));
    }
    return spec;
}

// The datablock's lines.
std::string cells_of(const std::string& script) {
    const std::size_t begin = script.find("$cells << EOD\n") + 14;
    return script.substr(begin, script.find("EOD\n", begin) - begin);
}

}  // namespace

TEST_SUITE("heatmap") {

TEST_CASE("rows and columns as a nonuniform matrix: column centres first, then one line per row") {
    CHECK(cells_of(heatmap_script(heatmap(2, 3))) == "3 5 15 25\n0 10 10 10\n1 20 20 20\n");
}

TEST_CASE("a lone row or column is given as two halves, which gnuplot can size") {
    CHECK(cells_of(heatmap_script(heatmap(1, 3))) == "3 5 15 25\n-0.25 10 10 10\n0.25 10 10 10\n");
    CHECK(cells_of(heatmap_script(heatmap(2, 1))) == "2 2.5 7.5\n0 10 10\n1 20 20\n");
    CHECK(cells_of(heatmap_script(heatmap(1, 1))) == "2 2.5 7.5\n-0.25 10 10\n0.25 10 10\n");
}

TEST_CASE("svg: every embedded image drawn pixelated, nothing else changed") {
    const std::string svg = "<svg>\n<image x='1' xlink:href='data:a'/>\n<path d='M0'/>\n<image x='2'/>\n</svg>\n";
    CHECK(crisp_svg_images(svg) ==
          "<svg>\n<image image-rendering='optimizeSpeed' style='image-rendering:pixelated' x='1' xlink:href='data:a'/>\n"
          "<path d='M0'/>\n<image image-rendering='optimizeSpeed' style='image-rendering:pixelated' x='2'/>\n</svg>\n");
    CHECK(crisp_svg_images("<svg><path d='M0'/></svg>") == "<svg><path d='M0'/></svg>");
}

}
