// parsed/markers.csv: a run's markers (model/markers) on the timeline of its
// samples, written by directory-mode parse.
#pragma once

#include <cstdint>
#include <string>

namespace clusterp {

inline constexpr const char* k_parsed_markers_path = "parsed/markers.csv";

// Reads the records of RUN_ID from .clusterp/markers and writes
// parsed/markers.csv atomically (`time,elapsed,kind,label`, sorted by time,
// elapsed counted from T0_MS, phases closed between T0_MS and LAST_MS as
// close_phases says, each repair a warning).  Without records of the run it
// writes nothing and removes a parsed/markers.csv left by another run.
// Throws Error: 73, 74 when the file cannot be written.
void write_parsed_markers(const std::string& run_id, std::int64_t t0_ms, std::int64_t last_ms);

}  // namespace clusterp
