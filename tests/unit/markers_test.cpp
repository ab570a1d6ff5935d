// lib/model/markers: the one reading of a markers CSV that plot and report
// share (read_marker_spans), and plot's read_marks on top of it.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "base/diag.hpp"
#include "model/markers.hpp"
#include "plot/plot_marks.hpp"

using namespace clusterp;

namespace {

std::vector<MarkerSpan> spans(const std::string& text, MarkerClock clock, std::optional<std::int64_t> first,
                              std::optional<std::int64_t> last, std::vector<std::string>* warnings = nullptr) {
    std::istringstream in(text);
    return read_marker_spans(in, "m.csv", clock, first, last, [&](const std::string& message) {
        if (warnings) warnings->push_back(message);
    });
}

const char* k_header = "time,elapsed,kind,label\n";

}  // namespace

TEST_SUITE("markers") {

TEST_CASE("read_marker_spans: begin and end paired by label, points kept, in order of start") {
    const std::string text = std::string(k_header) +
                             "2026-11-25T02:40:10Z,10,begin,load\n"
                             "2026-11-25T02:40:12.500Z,12.5,point,\"ckpt, 1\"\n"
                             "2026-11-25T02:40:20Z,20,begin,shuffle\n"
                             "2026-11-25T02:40:30Z,30,end,load\n"
                             "2026-11-25T02:40:40Z,40,end,shuffle\n";
    const std::vector<MarkerSpan> s = spans(text, MarkerClock::time, std::nullopt, std::nullopt);
    REQUIRE(s.size() == 3);
    CHECK(s[0].label == "load");
    CHECK(s[0].phase);
    CHECK(s[0].end_ms - s[0].begin_ms == 20000);
    CHECK(s[1].label == "ckpt, 1");
    CHECK_FALSE(s[1].phase);
    CHECK(s[1].begin_ms % 1000 == 500);
    CHECK(s[2].label == "shuffle");
    CHECK(s[2].end_ms - s[2].begin_ms == 20000);
    const std::vector<MarkerSpan> e = spans(text, MarkerClock::elapsed, std::nullopt, std::nullopt);
    REQUIRE(e.size() == 3);
    CHECK(e[0].begin_ms == 10000);
    CHECK(e[1].begin_ms == 12500);
}

TEST_CASE("read_marker_spans: an open begin ends at the run's last sample, an end alone begins at its first") {
    const std::string text = std::string(k_header) + "0,5,end,setup\n0,20,begin,compute\n";
    std::vector<std::string> warnings;
    const std::vector<MarkerSpan> s = spans(text, MarkerClock::elapsed, 0, 60000, &warnings);
    REQUIRE(s.size() == 2);
    CHECK(s[0].label == "setup");
    CHECK(s[0].begin_ms == 0);
    CHECK(s[0].end_ms == 5000);
    CHECK(s[1].label == "compute");
    CHECK(s[1].begin_ms == 20000);
    CHECK(s[1].end_ms == 60000);
    CHECK(warnings.size() == 2);
    // Without the run's bounds (plot): the markers' own.
    const std::vector<MarkerSpan> own = spans(text, MarkerClock::elapsed, std::nullopt, std::nullopt);
    REQUIRE(own.size() == 2);
    CHECK(own[0].begin_ms == 5000);
    CHECK(own[1].end_ms == 20000);
}

TEST_CASE("read_marker_spans: a second begin of an open phase is dropped; bad rows are skipped with a warning") {
    const std::string text = std::string(k_header) +
                             "0,1,begin,a\n0,2,begin,a\n0,3,end,a\n0,x,point,p\n0,4,pause,p\n0,5,point,\n";
    std::vector<std::string> warnings;
    const std::vector<MarkerSpan> s = spans(text, MarkerClock::elapsed, 0, 10000, &warnings);
    REQUIRE(s.size() == 1);
    CHECK(s[0].begin_ms == 1000);
    CHECK(s[0].end_ms == 3000);
    REQUIRE(warnings.size() == 4);
    CHECK(warnings[0] == "m.csv: line 5: no time, skipped");
    CHECK(warnings[1].rfind("m.csv: line 6: kind 'pause' is none of point, begin, end", 0) == 0);
}

TEST_CASE("read_marker_spans: no markers header is an error (65)") {
    std::istringstream in("time,kind\n");
    CHECK_THROWS_AS(read_marker_spans(in, "m.csv", MarkerClock::time, std::nullopt, std::nullopt, [](const std::string&) {}),
                    Error);
}

TEST_CASE("plot's read_marks is the same reading, in seconds") {
    const std::string text = std::string(k_header) + "2026-11-25T02:40:10Z,10,begin,load\n2026-11-25T02:40:30.250Z,30.25,end,load\n";
    std::istringstream in(text);
    const std::vector<TimeMark> marks = read_marks(in, "m.csv", TimeAxis::elapsed, [](const std::string&) {});
    const std::vector<MarkerSpan> s = spans(text, MarkerClock::elapsed, std::nullopt, std::nullopt);
    REQUIRE(marks.size() == 1);
    REQUIRE(s.size() == 1);
    CHECK(marks[0].begin == doctest::Approx(double(s[0].begin_ms) / 1000));
    CHECK(marks[0].end == doctest::Approx(30.25));
    CHECK(marks[0].phase);
}

}
