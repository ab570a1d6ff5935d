#include "plot/plot_marks.hpp"

#include <cmath>
#include <cstdlib>

#include "base/diag.hpp"
#include "model/contract.hpp"
#include "model/markers.hpp"
#include "plot/csv_read.hpp"

namespace clusterp {

namespace {

// Milliseconds of an `elapsed` field (seconds), or of a `time` field
// (`2026-11-25T02:40:56Z`, `.mmm` before the Z when not whole) since the
// epoch; false when the field is neither.
bool time_ms_of(const std::string& field, TimeAxis axis, std::int64_t& ms) {
    if (axis == TimeAxis::elapsed) {
        char* end = nullptr;
        const double seconds = std::strtod(field.c_str(), &end);
        if (field.empty() || *end != '\0' || !std::isfinite(seconds)) return false;
        ms = std::llround(seconds * 1000);
        return true;
    }
    std::string whole = field, fraction;
    if (field.size() == 24 && field[19] == '.' && field.back() == 'Z') {
        whole = field.substr(0, 19) + "Z";
        fraction = field.substr(20, 3);
    }
    const std::optional<std::int64_t> seconds = parse_iso8601(whole);
    if (!seconds) return false;
    ms = *seconds * 1000;
    for (std::size_t i = 0, scale = 100; i < fraction.size(); ++i, scale /= 10) {
        if (fraction[i] < '0' || fraction[i] > '9') return false;
        ms += std::int64_t(fraction[i] - '0') * std::int64_t(scale);
    }
    return true;
}

}  // namespace

std::vector<TimeMark> read_marks(std::istream& in, const std::string& name, TimeAxis axis,
                                 const std::function<void(const std::string&)>& warn) {
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    CsvSummary header;
    header.header = split_csv_line(line);
    const int time = header.column_number(axis == TimeAxis::clock ? "time" : "elapsed");
    const int kind = header.column_number("kind"), label = header.column_number("label");
    if (!time || !kind || !label)
        throw Error(k_exit_data, name + " is no markers CSV (" + k_markers_csv_header + ")");
    std::vector<Marker> markers;
    for (int number = 2; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        const std::vector<std::string> fields = split_csv_line(line);
        auto at = [&](int column) { return std::size_t(column) <= fields.size() ? fields[std::size_t(column - 1)] : ""; };
        const std::string where = name + ": line " + std::to_string(number) + ": ";
        Marker marker;
        const std::optional<MarkerKind> parsed_kind = marker_kind_from_name(at(kind));
        if (!time_ms_of(at(time), axis, marker.time_ms)) {
            warn(where + "no time, skipped");
        } else if (!parsed_kind) {
            warn(where + "kind " + quoted(at(kind)) + " is none of point, begin, end; skipped");
        } else if (std::string problem = label_problem(at(label)); !problem.empty()) {
            warn(where + problem + "; skipped");
        } else {
            marker.kind = *parsed_kind;
            marker.label = at(label);
            markers.push_back(std::move(marker));
        }
    }
    if (markers.empty()) return {};
    std::int64_t first = markers.front().time_ms, last = first;
    for (const Marker& marker : markers) {
        first = std::min(first, marker.time_ms);
        last = std::max(last, marker.time_ms);
    }
    markers = close_phases(std::move(markers), first, last, [&](const std::string& message) { warn(name + ": " + message); });
    std::vector<TimeMark> marks;
    for (const MarkerSpan& span : marker_spans(markers))
        marks.push_back({span.label, double(span.begin_ms) / 1000, double(span.end_ms) / 1000, span.phase});
    return marks;
}

}  // namespace clusterp
