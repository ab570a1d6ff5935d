// The compare page, compare/index.html (design.md, "Compare"), built from
// the files clusterp-compare writes beside it, never from report's code:
//   changes.csv   the changes, shown first as a table, in compare's order
//   bands.csv     per phase and key measure, A's and B's band over the hosts
// Then one inline SVG per drawn measure (no script, no image file): A's and
// B's bands (min to max, and the median line) overlaid in two colours on
// the seconds from the phase's start.  At most k_compare_figures are drawn:
// first the phase x measure of each change in its order, then the other
// bands that are not flat at 0, in bands.csv's order.
#pragma once

#include <cstddef>
#include <string>

namespace clusterp {

inline constexpr std::size_t k_compare_figures = 12;
// The colours of A and B (the browser test looks for them).
inline constexpr const char* k_colour_a = "#1f77b4";
inline constexpr const char* k_colour_b = "#d62728";

// Writes DIR/index.html atomically from DIR/changes.csv and DIR/bands.csv
// (either may be missing: its part is then empty); A and B name the runs in
// the legend.  Throws Error 73, 74 when the page cannot be written.
void write_compare_page(const std::string& dir, const std::string& a, const std::string& b);

}  // namespace clusterp
