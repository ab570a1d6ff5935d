// The marks that plot draws, from a markers CSV (design.md:
// parsed/markers.csv, `time,elapsed,kind,label`): the points and phases of
// model/markers on a plot's time axis.  Pure: reads a stream it is given.
#pragma once

#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "plot/gnuplot_script.hpp"

namespace clusterp {

// The marks of IN (NAME says which file in messages) on AXIS: elapsed
// seconds from the `elapsed` column, or seconds since the epoch from `time`
// on the clock axis, as model/markers' read_marker_spans reads them (the
// report's reading too); an open begin ends at the last marker (plot reads
// the markers before the samples).  Throws Error 65 when IN has no markers
// header.
std::vector<TimeMark> read_marks(std::istream& in, const std::string& name, TimeAxis axis,
                                 const std::function<void(const std::string&)>& warn);

}  // namespace clusterp
