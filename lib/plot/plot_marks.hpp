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
// on the clock axis.  Phases are paired and closed as model/markers'
// close_phases says (an open begin ends at the last marker's time; each
// repair reported through WARN), in order of their start.  A row without a
// usable time, kind or label is reported through WARN ("NAME: line N: why")
// and skipped.  Throws Error 65 when IN has no markers header.
std::vector<TimeMark> read_marks(std::istream& in, const std::string& name, TimeAxis axis,
                                 const std::function<void(const std::string&)>& warn);

}  // namespace clusterp
