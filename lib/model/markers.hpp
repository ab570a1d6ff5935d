// Markers: points in time (`clusterp mark LABEL`) and phases (`--begin` and
// `--end LABEL`) on a run's timeline.
//
// While a run is active, markers are appended to .clusterp/markers, one
// record per line:
//
//     RUN_ID TAB EPOCH_MS TAB KIND TAB LABEL LF
//
// EPOCH_MS is the controller's clock (milliseconds since 1970, UTC), the
// clock that the samples are corrected to.  Each record is one write(2) on a
// descriptor opened O_APPEND, so records of concurrent writers (a Makefile's
// parallel recipes, the ranks of a job) never interleave on a local file
// system.  The run id ties a record to its run: records of an earlier run in
// the same directory are skipped, so no tool has to empty the file.
//
// parse turns a run's records into parsed/markers.csv (design.md:
// `time,elapsed,kind,label`); plot draws them.  Everything here but
// append_marker is pure.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clusterp {

enum class MarkerKind { point, begin, end };

// "point", "begin", "end".
const char* marker_kind_name(MarkerKind kind);
std::optional<MarkerKind> marker_kind_from_name(std::string_view name);

struct Marker {
    std::int64_t time_ms = 0;  // controller clock, or elapsed ms once read back from CSV
    MarkerKind kind = MarkerKind::point;
    std::string label;
};

// Why LABEL cannot be a marker's label ("" when it can): it must not be
// empty, longer than 200 bytes, or hold a control character (a tab or a
// line break would break the record).
std::string label_problem(std::string_view label);

// The marker a line of the job's output asks for, stamped TIME_MS, or
// nullopt: `clusterp-mark: LABEL`, `clusterp-mark: begin LABEL` or
// `clusterp-mark: end LABEL`, at the very start of the line (a trailing CR
// is ignored), with a label that label_problem accepts.
std::optional<Marker> marker_from_output_line(std::string_view line, std::int64_t time_ms);

inline constexpr const char* k_markers_path = ".clusterp/markers";

// One record of .clusterp/markers, LF included.
std::string marker_record(const std::string& run_id, const Marker& marker);

// Now on the controller's clock, as markers record it: milliseconds since
// 1970, UTC.
std::int64_t marker_clock_ms();

// Where `clusterp mark` records: $CLUSTERP_DIR (set by `clusterp run` for its
// job) when set and not empty, else the current directory.
std::string marker_run_directory();

// Appends MARKER to the run recorded in DIR/.clusterp/run.json.  Throws
// Error 66 when DIR holds no run; warns when the run has no active collector
// (the marker is still recorded, so that a job's script does not fail).
void record_marker(const std::string& dir, const Marker& marker);

// Appends MARKER's record to PATH (created 0644 if need be) in one write.
// Throws Error: 73 when PATH cannot be opened, 74 when the write fails.
void append_marker(const std::string& path, const std::string& run_id, const Marker& marker);

// The records of RUN_ID in IN, in file order.  A line that is not a record
// is reported through WARN ("line N: why") and skipped.
std::vector<Marker> read_marker_records(std::istream& in, const std::string& run_id,
                                        const std::function<void(const std::string&)>& warn);

// MARKERS sorted by time (stable: equal times keep their order) with every
// phase closed: a begin whose label is still open at the end gets an end at
// LAST_MS, an end without an open begin of its label a begin at FIRST_MS (the
// run's first and last samples), a second begin of a label already open is
// dropped; each repair is reported through WARN.
std::vector<Marker> close_phases(std::vector<Marker> markers, std::int64_t first_ms, std::int64_t last_ms,
                                 const std::function<void(const std::string&)>& warn);

// A phase (begin to end) or a point (begin == end) to draw.
struct MarkerSpan {
    std::string label;
    std::int64_t begin_ms = 0;
    std::int64_t end_ms = 0;
    bool phase = false;
};

// The points and phases of MARKERS, which close_phases has made whole, in
// order of their start: each end is paired with the open begin of
// its label.
std::vector<MarkerSpan> marker_spans(const std::vector<Marker>& markers);

// The header of parsed/markers.csv.
inline constexpr const char* k_markers_csv_header = "time,elapsed,kind,label";

// Which column of a markers CSV times a marker: `time` (ms since the epoch;
// `2026-11-25T02:40:56Z`, `.mmm` before the Z when not whole) or `elapsed`
// (seconds, read as ms since the run's start).
enum class MarkerClock { time, elapsed };

// The one reading of a markers CSV (design.md: parsed/markers.csv), shared
// by plot and report: its rows as markers, phases closed by close_phases
// between FIRST_MS and LAST_MS (the run's first and last samples on CLOCK;
// when not given, the first and last marker), as marker_spans pairs them.
// A row without a usable time, kind or label is reported through WARN
// ("NAME: line N: why") and skipped, as is each repair ("NAME: why").
// Throws Error 65 when IN has no markers header.
std::vector<MarkerSpan> read_marker_spans(std::istream& in, const std::string& name, MarkerClock clock,
                                          std::optional<std::int64_t> first_ms, std::optional<std::int64_t> last_ms,
                                          const std::function<void(const std::string&)>& warn);

}  // namespace clusterp
