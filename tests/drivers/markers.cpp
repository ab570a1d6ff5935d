// markers records RUN FIRST_MS LAST_MS < RECORDS: the run's markers with
// phases closed, then the spans to draw, then each warning.
// markers lines < LINES: the marker each output line asks for, or `-`.
// For the bats tests of model/markers.
#include <iostream>
#include <string>

#include "model/markers.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    std::string line;
    if (mode == "lines") {
        while (std::getline(std::cin, line)) {
            auto marker = marker_from_output_line(line, 0);
            if (marker) std::cout << marker_kind_name(marker->kind) << " [" << marker->label << "]\n";
            else std::cout << "-\n";
        }
        return 0;
    }
    if (mode != "records" || argc != 5) {
        std::cerr << "usage: markers records RUN FIRST_MS LAST_MS | markers lines\n";
        return 64;
    }
    std::vector<std::string> warnings;
    auto note = [&](const std::string& message) { warnings.push_back(message); };
    auto markers = read_marker_records(std::cin, argv[2], note);
    markers = close_phases(std::move(markers), std::stoll(argv[3]), std::stoll(argv[4]), note);
    for (const Marker& m : markers) std::cout << m.time_ms << " " << marker_kind_name(m.kind) << " [" << m.label << "]\n";
    for (const MarkerSpan& s : marker_spans(markers))
        std::cout << (s.phase ? "phase " : "point ") << s.begin_ms << "-" << s.end_ms << " [" << s.label << "]\n";
    for (const auto& w : warnings) std::cout << "warning: " << w << "\n";
    return 0;
}
