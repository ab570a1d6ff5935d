#include "parse/parse_markers.hpp"

#include <unistd.h>

#include <fstream>

#include "base/atomic_file.hpp"
#include "base/diag.hpp"
#include "model/markers.hpp"
#include "model/csv.hpp"
#include "model/contract.hpp"

namespace clusterp {

void write_parsed_markers(const std::string& run_id, std::int64_t t0_ms, std::int64_t last_ms) {
    std::vector<Marker> markers;
    if (std::ifstream in(k_markers_path); in)
        markers = read_marker_records(in, run_id, [](const std::string& message) {
            warn(std::string(k_markers_path) + ": " + message);
        });
    if (markers.empty()) {
        ::unlink(k_parsed_markers_path);
        return;
    }
    markers = close_phases(std::move(markers), t0_ms, last_ms,
                           [](const std::string& message) { warn(message); });

    std::string text = std::string(k_markers_csv_header) + "\n";
    CsvWriter out([&](const char* data, std::size_t size) { text.append(data, size); });
    char stamp[32];
    for (const Marker& marker : markers) {
        out.raw(std::string_view(stamp, format_iso8601(marker.time_ms, stamp)));
        out.number(static_cast<double>(marker.time_ms - t0_ms) / 1000.0);
        out.raw(marker_kind_name(marker.kind));
        out.text(marker.label);
        out.end_row();
    }
    out.flush();
    write_file_atomically(k_parsed_markers_path, text);
    debug("wrote " + quoted(k_parsed_markers_path) + " (" + std::to_string(markers.size()) + " markers)");
}

}  // namespace clusterp
