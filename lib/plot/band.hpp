// The band of one metric (design.md: plot/<category>/<name>_band): the
// cluster's median over time, its min-max and 10-90 % bands, and the hosts
// farthest from the median as named lines.  Pure: builds gnuplot text;
// plot/view_grid computes the band and the distances.
#pragma once

#include <string>
#include <vector>

#include "plot/gnuplot_script.hpp"
#include "plot/view_grid.hpp"

namespace clusterp {

// A host drawn as its own line over the band.
struct BandHost {
    std::string label;
    std::vector<double> cells;  // on the band's grid
};

// The band shows at most this many hosts by name.
inline constexpr std::size_t k_band_hosts = 3;

struct BandSpec {
    // title, ylabel, percent, time_axis (x is seconds since the epoch on the
    // clock axis), width, height, outputs and the self_* paths as for a
    // line plot; its series and datablocks are unused.
    PlotSpec plot;
    TimeGrid grid;
    Band band;
    std::vector<BandHost> hosts;  // the farthest first
};

// The script: the band as a datablock (one line per column, a blank line
// where no host has a value, so that a gap stays a gap), the two bands as
// filled curves, the median and the hosts as lines.  Deterministic.
std::string band_script(const BandSpec& spec);

}  // namespace clusterp
