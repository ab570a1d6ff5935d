// lib/parse/pidstat_parse: PidstatParser fed lines of pidstat -h output
// (headers as sysstat 10.2 and 12.6 print them; rows from
// tests/fixtures/pidstat/12.6.1), one at a time.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "base/diag.hpp"
#include "parse/pidstat_parse.hpp"

using namespace clusterp;

namespace {

const char* const k_banner = "Linux 6.18.44 (vm) \t12/08/26 \t_x86_64_\t(2 CPU)";
const char* const k_header =
    "# Time        UID       PID    %usr %system  %guest   %wait    %CPU   CPU  minflt/s  majflt/s     VSZ     RSS   "
    "%MEM   kB_rd/s   kB_wr/s kB_ccwr/s iodelay  Command";

struct Feeder {
    std::vector<std::string> warnings;
    std::vector<ProcessRow> rows;
    std::vector<std::string> commands;
    PidstatParser parser{"in", [this](const std::string& w) { warnings.push_back(w); }};
    void feed(std::initializer_list<std::string> lines) {
        for (const std::string& line : lines)
            if (parser.feed(line)) {
                rows.push_back(parser.row());
                commands.emplace_back(parser.row().command);
            }
    }
};

}  // namespace

TEST_SUITE("pidstat_parse") {

TEST_CASE("epoch rows: columns by name, RSS in MiB, the command kept whole") {
    Feeder f;
    f.feed({k_banner, "", k_header,
            "1796695965      0      6721   11.61    0.00    0.00   80.70   11.61     0      0.00      0.00    2592    1548   "
            "0.01      0.00      0.00      0.00       0  spin, the loop -c while :; do :; done",
            "1796695965      0      6723    0.00   12.50    0.00   76.32   12.50     0      0.00      0.00    2968    1796   "
            "0.01     -1.00  44342.86      0.00       0  writ\xe9r"});
    REQUIRE(f.rows.size() == 2);
    CHECK(f.rows[0].time_ms == 1796695965000LL);
    CHECK(f.rows[0].pid == 6721);
    CHECK(f.commands[0] == "spin, the loop -c while :; do :; done");
    CHECK(f.rows[0].cpu_pct == doctest::Approx(11.61));
    CHECK(f.rows[0].rss_mib == doctest::Approx(1548.0 / 1024));
    CHECK(f.commands[1] == "writ\xe9r");
    CHECK(std::isnan(f.rows[1].read_kibps));  // -1: pidstat could not read it
    CHECK(f.rows[1].write_kibps == doctest::Approx(44342.86));
    CHECK(f.warnings.empty());
}

TEST_CASE("sysstat 10.2's header (no %wait), -u alone: what is absent is NaN") {
    Feeder f;
    f.feed({k_banner, "#      Time       PID    %usr %system  %guest    %CPU   CPU  Command",
            " 1796695965      4242  197.00    0.00    0.00  197.00     1  stress-ng"});
    REQUIRE(f.rows.size() == 1);
    CHECK(f.rows[0].pid == 4242);
    CHECK(f.rows[0].cpu_pct == 197);
    CHECK(std::isnan(f.rows[0].rss_mib));
    CHECK(std::isnan(f.rows[0].write_kibps));
}

TEST_CASE("times of day: the banner's date, 12-hour clocks, the midnight roll-over; averages skipped") {
    Feeder f;
    f.feed({"Linux 6.1 (n1) \t12/31/2026 \t_x86_64_\t(4 CPU)", "# Time   UID  PID  %CPU  RSS  Command",
            "11:59:59 PM  0  7  50,5  2048  a b", "12:00:00 AM  0  7  50.00  2048  a b", "Average:  0  7  50.00  2048  a b",
            "00:00:01  0  8  1  1024  c"});
    REQUIRE(f.rows.size() == 3);
    CHECK(f.rows[0].time_ms == 1798761599000LL);  // 2026-12-31T23:59:59Z
    CHECK(f.rows[0].cpu_pct == doctest::Approx(50.5));
    CHECK(f.commands[0] == "a b");
    CHECK(f.rows[1].time_ms == 1798761600000LL);  // the next day
    CHECK(f.rows[2].time_ms == 1798761601000LL);
}

TEST_CASE("repeated headers; a command line's later lines (pidstat -l prints line feeds as they are) skipped") {
    Feeder f;
    f.feed({k_banner, k_header,
            "1796695965      0      6722    0.89    0.00    0.00   12.50    0.89     0      0.00      0.00  112396  107108   "
            "0.43      0.00      0.00      0.00       0  memhog -c ",
            "import time", "while True:", "", k_header,
            "1796695966      0      6722    0.91    0.91    0.00   14.55    1.82     1      0.00      0.00  112396  107108   "
            "0.43      0.00      0.00      0.00       0  memhog -c "});
    REQUIRE(f.rows.size() == 2);
    CHECK(f.commands[0] == "memhog -c ");
    CHECK(f.rows[1].rss_mib == doctest::Approx(107108.0 / 1024));
    CHECK(f.warnings.empty());
}

TEST_CASE("bad input: a truncated last line and a short row warn; text that is not pidstat's is an error") {
    Feeder f;
    f.feed({k_banner, k_header, "1796695965      0      6721   11.61"});
    CHECK(f.parser.feed("1796695966      0      6721   11.61    0.00    0.00   80.70   11.61     0", false) == false);
    f.parser.finish();
    CHECK(f.rows.empty());
    REQUIRE(f.warnings.size() == 3);
    CHECK(f.warnings[0] == "in:3: too few fields, line skipped");
    CHECK(f.warnings[1] == "in: 1 more bad lines skipped");
    CHECK(f.warnings[2] == "in: no process rows");
    PidstatParser other("notes", [](const std::string&) {});
    CHECK_THROWS_AS(other.feed("hello world"), Error);
    PidstatParser sar("sar", [](const std::string&) {});
    CHECK_THROWS_AS(sar.feed("# hostname;interval;timestamp;CPU;%user"), Error);
}

}
