#include "model/markers.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>

#include "base/diag.hpp"
#include "model/contract.hpp"
#include "model/csv.hpp"
#include "model/manifest.hpp"

namespace clusterp {

namespace {

constexpr std::size_t k_label_max = 200;
constexpr std::string_view k_line_prefix = "clusterp-mark: ";

std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    while (true) {
        std::size_t tab = line.find('\t', start);
        fields.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
        if (tab == std::string_view::npos) return fields;
        start = tab + 1;
    }
}

}  // namespace

const char* marker_kind_name(MarkerKind kind) {
    switch (kind) {
    case MarkerKind::begin: return "begin";
    case MarkerKind::end: return "end";
    case MarkerKind::point: break;
    }
    return "point";
}

std::optional<MarkerKind> marker_kind_from_name(std::string_view name) {
    for (MarkerKind kind : {MarkerKind::point, MarkerKind::begin, MarkerKind::end})
        if (name == marker_kind_name(kind)) return kind;
    return std::nullopt;
}

std::string label_problem(std::string_view label) {
    if (label.empty()) return "the label is empty";
    if (label.size() > k_label_max) return "the label is longer than " + std::to_string(k_label_max) + " bytes";
    for (unsigned char c : label)
        if (c < 0x20 || c == 0x7f) return "the label holds a control character";
    return "";
}

std::optional<Marker> marker_from_output_line(std::string_view line, std::int64_t time_ms) {
    if (line.substr(0, k_line_prefix.size()) != k_line_prefix) return std::nullopt;
    line.remove_prefix(k_line_prefix.size());
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    Marker marker;
    marker.time_ms = time_ms;
    for (MarkerKind kind : {MarkerKind::begin, MarkerKind::end}) {
        std::string word = std::string(marker_kind_name(kind)) + " ";
        if (line.substr(0, word.size()) == word) {
            marker.kind = kind;
            line.remove_prefix(word.size());
            break;
        }
    }
    if (!label_problem(line).empty()) return std::nullopt;
    marker.label.assign(line);
    return marker;
}

std::string marker_record(const std::string& run_id, const Marker& marker) {
    return run_id + '\t' + std::to_string(marker.time_ms) + '\t' + marker_kind_name(marker.kind) + '\t' +
           marker.label + '\n';
}

void append_marker(const std::string& path, const std::string& run_id, const Marker& marker) {
    const std::string record = marker_record(run_id, marker);
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(k_exit_cant_create, "cannot open " + quoted(path) + ": " + errno_text(errno));
    ssize_t written;
    do written = ::write(fd, record.data(), record.size());
    while (written < 0 && errno == EINTR);
    int error = written < 0 ? errno : ENOSPC;
    bool closed = ::close(fd) == 0;
    if (written != static_cast<ssize_t>(record.size()) || !closed)
        throw Error(k_exit_io, "cannot write " + quoted(path) + ": " + errno_text(closed ? error : errno));
}

std::int64_t marker_clock_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string marker_run_directory() {
    const char* dir = std::getenv("CLUSTERP_DIR");
    return dir && *dir ? dir : ".";
}

void record_marker(const std::string& dir, const Marker& marker) {
    auto manifest = read_manifest(dir + "/" + k_manifest_path);
    if (!manifest)
        throw Error(k_exit_no_input, "no run in " + quoted(dir) + " (start one with clusterp start or clusterp run)");
    bool active = std::any_of(manifest->hosts.begin(), manifest->hosts.end(),
                              [](const HostRecord& record) { return record.status == HostState::started; });
    if (!active) warn("run " + manifest->run_id + " has no active collector");
    append_marker(dir + "/" + k_markers_path, manifest->run_id, marker);
}

std::vector<Marker> read_marker_records(std::istream& in, const std::string& run_id,
                                        const std::function<void(const std::string&)>& warn) {
    std::vector<Marker> markers;
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        auto fields = split_tabs(line);
        if (fields.size() == 4 && fields[0] != run_id) continue;
        auto bad = [&](const std::string& why) { warn("line " + std::to_string(number) + ": " + why); };
        if (fields.size() != 4) {
            bad("not a marker record (run, time, kind, label)");
            continue;
        }
        Marker marker;
        std::string time(fields[1]);
        char* end = nullptr;
        errno = 0;
        marker.time_ms = std::strtoll(time.c_str(), &end, 10);
        if (time.empty() || *end != '\0' || errno != 0) {
            bad("bad time " + quoted(time));
            continue;
        }
        auto kind = marker_kind_from_name(fields[2]);
        if (!kind) {
            bad("unknown kind " + quoted(std::string(fields[2])));
            continue;
        }
        marker.kind = *kind;
        std::string problem = label_problem(fields[3]);
        if (!problem.empty()) {
            bad(problem);
            continue;
        }
        marker.label.assign(fields[3]);
        markers.push_back(std::move(marker));
    }
    return markers;
}

std::vector<Marker> close_phases(std::vector<Marker> markers, std::int64_t first_ms, std::int64_t last_ms,
                                 const std::function<void(const std::string&)>& warn) {
    std::stable_sort(markers.begin(), markers.end(),
                     [](const Marker& a, const Marker& b) { return a.time_ms < b.time_ms; });
    std::vector<Marker> closed;
    std::map<std::string, bool> open;
    for (Marker& marker : markers) {
        if (marker.kind == MarkerKind::begin) {
            if (open[marker.label]) {
                warn("phase " + quoted(marker.label) + " begins again before it ends; the second begin is ignored");
                continue;
            }
            open[marker.label] = true;
        } else if (marker.kind == MarkerKind::end) {
            if (!open[marker.label]) {
                warn("phase " + quoted(marker.label) + " ends without a begin; it begins at the first sample");
                closed.insert(closed.begin(), Marker{std::min(first_ms, marker.time_ms), MarkerKind::begin, marker.label});
            }
            open[marker.label] = false;
        }
        closed.push_back(std::move(marker));
    }
    for (const auto& [label, is_open] : open) {
        if (!is_open) continue;
        std::int64_t begin = 0;
        for (const Marker& marker : closed)
            if (marker.kind == MarkerKind::begin && marker.label == label) begin = marker.time_ms;
        warn("phase " + quoted(label) + " was left open; it ends at the last sample");
        closed.push_back(Marker{std::max(last_ms, begin), MarkerKind::end, label});
    }
    std::stable_sort(closed.begin(), closed.end(),
                     [](const Marker& a, const Marker& b) { return a.time_ms < b.time_ms; });
    return closed;
}

std::vector<MarkerSpan> marker_spans(const std::vector<Marker>& markers) {
    std::vector<MarkerSpan> spans;
    std::map<std::string, std::size_t> open;  // label -> index in spans
    for (const Marker& marker : markers) {
        switch (marker.kind) {
        case MarkerKind::point:
            spans.push_back({marker.label, marker.time_ms, marker.time_ms, false});
            break;
        case MarkerKind::begin:
            if (open.count(marker.label)) break;
            open[marker.label] = spans.size();
            spans.push_back({marker.label, marker.time_ms, marker.time_ms, true});
            break;
        case MarkerKind::end:
            if (auto it = open.find(marker.label); it != open.end()) {
                spans[it->second].end_ms = marker.time_ms;
                open.erase(it);
            }
            break;
        }
    }
    return spans;
}

namespace {

// Milliseconds of a `time` field since the epoch, or of an `elapsed` field
// (seconds); false when the field is neither.
bool marker_time_ms(std::string_view field, MarkerClock clock, std::int64_t& ms) {
    if (clock == MarkerClock::elapsed) {
        const double seconds = csv_number(field);
        if (!std::isfinite(seconds)) return false;
        ms = std::llround(seconds * 1000);
        return true;
    }
    const std::optional<std::int64_t> time = parse_iso8601_ms(field);
    if (!time) return false;
    ms = *time;
    return true;
}

}  // namespace

std::vector<MarkerSpan> read_marker_spans(std::istream& in, const std::string& name, MarkerClock clock,
                                          std::optional<std::int64_t> first_ms, std::optional<std::int64_t> last_ms,
                                          const std::function<void(const std::string&)>& warn) {
    std::string text;
    char chunk[1 << 12];
    for (std::streamsize n; (n = in.rdbuf()->sgetn(chunk, sizeof chunk)) > 0;) text.append(chunk, std::size_t(n));
    CsvLines lines(text);
    std::vector<std::string> header;
    if (lines.next()) header.assign(lines.fields().begin(), lines.fields().end());
    const int time = column_number(header, clock == MarkerClock::time ? "time" : "elapsed"),
              kind = column_number(header, "kind"), label = column_number(header, "label");
    if (!time || !kind || !label)
        throw Error(k_exit_data, name + " is no markers CSV (" + k_markers_csv_header + ")");
    std::vector<Marker> markers;
    while (lines.next()) {
        const std::string where = name + ": line " + std::to_string(lines.line_number()) + ": ";
        Marker marker;
        const std::optional<MarkerKind> parsed_kind = marker_kind_from_name(lines.field(kind));
        if (!marker_time_ms(lines.field(time), clock, marker.time_ms)) {
            warn(where + "no time, skipped");
        } else if (!parsed_kind) {
            warn(where + "kind " + quoted(std::string(lines.field(kind))) + " is none of point, begin, end; skipped");
        } else if (std::string problem = label_problem(lines.field(label)); !problem.empty()) {
            warn(where + problem + "; skipped");
        } else {
            marker.kind = *parsed_kind;
            marker.label = std::string(lines.field(label));
            markers.push_back(std::move(marker));
        }
    }
    if (markers.empty()) return {};
    std::int64_t first = markers.front().time_ms, last = first;
    for (const Marker& marker : markers) {
        first = std::min(first, marker.time_ms);
        last = std::max(last, marker.time_ms);
    }
    markers = close_phases(std::move(markers), first_ms.value_or(first), last_ms.value_or(last),
                           [&](const std::string& message) { warn(name + ": " + message); });
    return marker_spans(markers);
}

}  // namespace clusterp
