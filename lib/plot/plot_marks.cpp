#include "plot/plot_marks.hpp"

#include "model/markers.hpp"

namespace clusterp {

std::vector<TimeMark> read_marks(std::istream& in, const std::string& name, TimeAxis axis,
                                 const std::function<void(const std::string&)>& warn) {
    std::vector<TimeMark> marks;
    for (const MarkerSpan& span : read_marker_spans(in, name, axis == TimeAxis::clock ? MarkerClock::time : MarkerClock::elapsed,
                                                    std::nullopt, std::nullopt, warn))
        marks.push_back({span.label, double(span.begin_ms) / 1000, double(span.end_ms) / 1000, span.phase});
    return marks;
}

}  // namespace clusterp
