// lib/parse/sysstat_parse: SysstatParser fed lines of real sysstat output
// (taken from tests/fixtures/sysstat/12.6.1), one at a time.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "base/diag.hpp"
#include "parse/sysstat_parse.hpp"

using namespace clusterp;

namespace {

// A parser over lines that remembers its warnings and the rows it made.
struct Feeder {
    std::vector<std::string> warnings;
    SysstatParser parser;
    explicit Feeder(ParseOptions options = {})
        : parser("in", options, [this](const std::string& w) { warnings.push_back(w); }) {}
    // Feeds every line; returns how many made a row.
    int feed(std::initializer_list<const char*> lines) {
        int rows = 0;
        for (const char* line : lines) rows += parser.feed(line);
        return rows;
    }
};

// The value of a column of the last row, by its contract name.
double value(const SysstatParser& parser, const std::string& name) {
    const Row& row = parser.row();
    const CategoryInfo& info = category_info(row.category);
    for (int i = 0; i < info.value_count; ++i)
        if (info.values[i].name == name) {
            if (!row.text[i].empty()) return std::stod(std::string(row.text[i]));
            return row.values[i];
        }
    FAIL("no column " << name);
    return NAN;
}

const char* const k_cpu_header = "# hostname;interval;timestamp;CPU;%user;%nice;%system;%iowait;%steal;%idle";

}  // namespace

TEST_SUITE("sysstat_parse") {

TEST_CASE("sadf -d: a cpu row, its time, host and utilization") {
    Feeder f;
    CHECK(f.feed({k_cpu_header}) == 0);
    // Held back until its sample's single CPUs (-P ALL) are read: the end
    // of the input gives it.
    CHECK_FALSE(f.parser.feed("vm;1;1795576103;-1;34.34;0.00;52.53;3.03;0.00;10.10"));
    REQUIRE(f.parser.finish());
    const Row& row = f.parser.row();
    CHECK(row.category == Category::cpu);
    CHECK(row.time_ms == 1795576103000);
    CHECK(row.host == "vm");
    CHECK(row.key.empty());
    CHECK(value(f.parser, "user") == doctest::Approx(34.34));
    CHECK(value(f.parser, "idle") == doctest::Approx(10.10));
    CHECK(value(f.parser, "util_pct") == doctest::Approx(86.87));  // 100 - idle - iowait
    CHECK(f.parser.format() == Format::sadf);
    CHECK(f.warnings.empty());
}

TEST_CASE("sadf -d: a disk row is keyed by its device, in MiB/s") {
    Feeder f;
    f.feed({"# hostname;interval;timestamp;DEV;tps;rkB/s;wkB/s;dkB/s;areq-sz;aqu-sz;await;%util"});
    REQUIRE(f.parser.feed("vm;1;1795576103;vda;866.00;147456.00;147456.00;114688.00;472.98;0.34;0.40;25.60"));
    CHECK(f.parser.row().category == Category::disk);
    CHECK(f.parser.row().key == "vda");
    CHECK(value(f.parser, "tps") == doctest::Approx(866));
    CHECK(value(f.parser, "read_mibps") == doctest::Approx(144));
    CHECK(value(f.parser, "await_ms") == doctest::Approx(0.40));
}

TEST_CASE("ParseOptions::only drops the rows of other categories") {
    ParseOptions only_disk;
    only_disk.only = Category::disk;
    Feeder f(only_disk);
    CHECK(f.feed({k_cpu_header, "vm;1;1795576103;-1;34.34;0.00;52.53;3.03;0.00;10.10"}) == 0);
    CHECK(f.parser.categories_seen() == 1u << int(Category::cpu));
}

TEST_CASE("sar text: the date comes from the banner, the time of day from the row") {
    setenv("TZ", "UTC", 1);
    tzset();
    Feeder f;
    CHECK(f.feed({"Linux 6.18.44-fc-v595 (vm) \t11/25/26 \t_x86_64_\t(2 CPU)", "",
                  "03:08:22        CPU     %user     %nice   %system   %iowait    %steal     %idle"}) == 0);
    CHECK_FALSE(f.parser.feed("03:08:23        all     34.34      0.00     52.53      3.03      0.00     10.10"));
    REQUIRE(f.parser.finish());
    char iso[32];
    CHECK(std::string(iso, format_iso8601(f.parser.row().time_ms, iso)) == "2026-11-25T03:08:23Z");
    CHECK(f.parser.row().host == "vm");
    CHECK(f.parser.format() == Format::sar);
    CHECK(value(f.parser, "system") == doctest::Approx(52.53));
}

TEST_CASE("a line cut short is skipped with a warning naming file and line") {
    Feeder f;
    f.feed({k_cpu_header});
    CHECK_FALSE(f.parser.feed("vm;1;1795576103;-1;34.34;0.00;52", false));
    REQUIRE(f.warnings.size() == 1);
    CHECK(f.warnings[0].rfind("in:2: truncated line", 0) == 0);
}

TEST_CASE("input that is not sysstat output is refused (65)") {
    Feeder f;
    try {
        f.parser.feed("hello, world");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == k_exit_data);
    }
}

TEST_CASE("cpu -u ALL -P ALL: user and nice as sar -u means them, the busiest core, interrupts") {
    Feeder f;
    f.feed({"# hostname;interval;timestamp;CPU;%usr;%nice;%sys;%iowait;%steal;%irq;%soft;%guest;%gnice;%idle"});
    CHECK(f.feed({"vm;1;1795576103;-1;30.00;1.00;20.00;3.00;0.00;2.00;5.00;4.00;0.50;34.50",
                  "vm;1;1795576103;0;50.00;0.00;10.00;6.00;0.00;0.00;1.00;0.00;0.00;33.00",
                  "vm;1;1795576103;1;10.00;2.00;30.00;0.00;0.00;4.00;9.00;8.00;1.00;36.00"}) == 0);
    // The next sample's "all" row completes the first.
    REQUIRE(f.parser.feed("vm;1;1795576104;-1;30.00;1.00;20.00;3.00;0.00;2.00;5.00;4.00;0.50;34.50"));
    CHECK(f.parser.row().time_ms == 1795576103000);
    CHECK(value(f.parser, "user") == doctest::Approx(34.0));   // %usr + %guest
    CHECK(value(f.parser, "nice") == doctest::Approx(1.5));    // %nice + %gnice
    CHECK(value(f.parser, "system") == doctest::Approx(27.0)); // %sys + %irq + %soft
    CHECK(value(f.parser, "irq_pct") == doctest::Approx(7.0));
    CHECK(value(f.parser, "busiest_core_pct") == doctest::Approx(64.0));  // max(100 - 33 - 6, 100 - 36)
    REQUIRE(f.parser.finish());
    CHECK(f.parser.row().time_ms == 1795576104000);
    CHECK(std::isnan(value(f.parser, "busiest_core_pct")));  // no single CPUs read
    CHECK(f.warnings.empty());
}

TEST_CASE("cpu -u: no interrupt or busiest-core columns are invented") {
    Feeder f;
    f.feed({k_cpu_header, "vm;1;1795576103;-1;34.34;0.00;52.53;3.03;0.00;10.10"});
    REQUIRE(f.parser.finish());
    CHECK(value(f.parser, "user") == doctest::Approx(34.34));
    CHECK(std::isnan(value(f.parser, "irq_pct")));
    CHECK(std::isnan(value(f.parser, "busiest_core_pct")));
}

TEST_CASE("memory: -B rows before -r rows are joined by time; a sample without them stays empty") {
    Feeder f;
    CHECK(f.parser.first_joined_ms() == INT64_MAX);
    f.feed({"# hostname;interval;timestamp;pgpgin/s;pgpgout/s;fault/s;majflt/s;pgfree/s;pgscank/s;pgscand/s;"
            "pgsteal/s;%vmeff",
            "vm;1;1795576105;87784.00;191100.00;70096.00;198.00;101464.00;300.00;50.00;24693.00;70.00"});
    // The first row's time, known before its row (parse's first pass).
    CHECK(f.parser.first_joined_ms() == 1795576105000);
    f.feed({"# hostname;interval;timestamp;kbmemfree;kbavail;kbmemused;%memused;kbbuffers;kbcached;kbcommit;"
            "%commit;kbactive;kbinact;kbdirty"});
    REQUIRE(f.parser.feed("vm;1;1795576105;23657172;24115968;531556;2.15;4372;256212;110584;0.45;193020;"
                          "267272;8"));
    CHECK(value(f.parser, "majflt_ps") == doctest::Approx(198));
    CHECK(value(f.parser, "pgscan_ps") == doctest::Approx(350));  // pgscank/s + pgscand/s
    CHECK(value(f.parser, "vmeff_pct") == doctest::Approx(70));
    REQUIRE(f.parser.feed("vm;1;1795576106;23657172;24115968;531556;2.15;4372;256212;110584;0.45;193020;"
                          "267272;8"));
    CHECK(std::isnan(value(f.parser, "majflt_ps")));
    CHECK_FALSE(f.parser.late_joins());
}

TEST_CASE("memory: joins found whatever order the rows come in (the search starts where the last ended)") {
    Feeder f;
    f.feed({"# hostname;interval;timestamp;pgpgin/s;pgpgout/s;fault/s;majflt/s;pgfree/s;pgscank/s;pgscand/s;"
            "pgsteal/s;%vmeff"});
    // Forty samples, majflt/s = the sample's number: more than the few
    // entries the search looks at beyond where it ended.
    for (int i = 0; i < 40; ++i)
        f.parser.feed("vm;1;" + std::to_string(1795576100 + i) + ";1;1;1;" + std::to_string(i) + ";1;0;0;0;0");
    f.feed({"# hostname;interval;timestamp;kbmemfree;kbavail;kbmemused;%memused;kbbuffers;kbcached;kbcommit;"
            "%commit;kbactive;kbinact;kbdirty"});
    for (int i : {0, 1, 2, 39, 20, 3, 3, 38, 0, 25}) {
        CAPTURE(i);
        REQUIRE(f.parser.feed("vm;1;" + std::to_string(1795576100 + i) +
                              ";23657172;24115968;531556;2.15;4372;256212;110584;0.45;193020;267272;8"));
        CHECK(value(f.parser, "majflt_ps") == i);
    }
    REQUIRE(f.parser.feed("vm;1;1795576099;23657172;24115968;531556;2.15;4372;256212;110584;0.45;193020;267272;8"));
    CHECK(std::isnan(value(f.parser, "majflt_ps")));
}

TEST_CASE("network: -n EDEV after -n DEV is a late join, which a second pass fills") {
    const char* lines[] = {
        "# hostname;interval;timestamp;IFACE;rxpck/s;txpck/s;rxkB/s;txkB/s;rxcmp/s;txcmp/s;rxmcst/s;%ifutil",
        "vm;1;1795576103;eth0;10.00;20.00;1.00;2.00;0.00;0.00;0.00;0.00",
        "# hostname;interval;timestamp;IFACE;rxerr/s;txerr/s;coll/s;rxdrop/s;txdrop/s;txcarr/s;rxfram/s;"
        "rxfifo/s;txfifo/s",
        "vm;1;1795576103;eth0;1.00;2.00;0.00;3.00;4.00;0.00;0.00;0.00;0.00",
    };
    Feeder first;
    int rows = 0;
    for (const char* line : lines) rows += first.parser.feed(line);
    CHECK(rows == 1);
    CHECK(first.parser.late_joins());
    Feeder second;
    second.parser.preload_joined(first.parser);
    REQUIRE(second.parser.feed(lines[0]) == false);
    REQUIRE(second.parser.feed(lines[1]));
    CHECK(second.parser.row().key == "eth0");
    CHECK(value(second.parser, "rxerr_ps") == doctest::Approx(1));
    CHECK(value(second.parser, "txdrop_ps") == doctest::Approx(4));
    CHECK_FALSE(second.parser.feed(lines[2]));
    CHECK_FALSE(second.parser.feed(lines[3]));
    CHECK_FALSE(second.parser.late_joins());
}

TEST_CASE("load: -q with PSI joined; without PSI the pressure columns stay empty") {
    Feeder f;
    f.feed({"# hostname;interval;timestamp;%scpu-10;%scpu-60;%scpu-300;%scpu",
            "vm;1;1796152693;93.98;94.43;88.88;98.97",
            "# hostname;interval;timestamp;%sio-10;%sio-60;%sio-300;%sio;%fio-10;%fio-60;%fio-300;%fio",
            "vm;1;1796152693;0.42;0.67;0.76;0.34;0.10;0.00;0.00;0.00",
            "# hostname;interval;timestamp;runq-sz;plist-sz;ldavg-1;ldavg-5;ldavg-15;blocked"});
    REQUIRE(f.parser.feed("vm;1;1796152693;10;205;8.06;7.92;5.75;1"));
    CHECK(f.parser.row().category == Category::load);
    CHECK(value(f.parser, "runq") == doctest::Approx(10));
    CHECK(value(f.parser, "blocked") == doctest::Approx(1));
    CHECK(value(f.parser, "cpu_some_pct") == doctest::Approx(93.98));
    CHECK(value(f.parser, "io_full_pct") == doctest::Approx(0.10));
    CHECK(std::isnan(value(f.parser, "mem_some_pct")));  // no PSI memory block
}

TEST_CASE("sadf -d: a LINUX-RESTART record as the first line is a restart") {
    Feeder f;
    CHECK(f.feed({"vm;-1;1795576259;LINUX-RESTART\t(2 CPU)", k_cpu_header,
                  "vm;1;1795576261;-1;28.79;0.00;68.69;2.53;0.00;0.00"}) == 0);
    REQUIRE(f.parser.finish());
    CHECK(f.parser.row().time_ms == 1795576261000);
    CHECK(f.warnings.empty());
}

TEST_CASE("activities outside the contract are skipped silently; broken lines are warned once") {
    Feeder f;
    f.feed({"# hostname;interval;timestamp;INTR;intr/s", "vm;1;1795576103;-1;5.00;6.00;7.00", k_cpu_header,
            "vm;1;1795576103;-1;34.34", "vm;1;1795576104;-1;34.34", "vm;1;1795576105;-1;34.34"});
    f.parser.finish();
    REQUIRE(f.warnings.size() == 3);
    CHECK(f.warnings[0] == "in:4: too few fields, line skipped");
    CHECK(f.warnings[1] == "in: 2 more bad lines skipped after line 4");
}

}
