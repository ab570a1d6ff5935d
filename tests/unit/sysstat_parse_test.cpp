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
    REQUIRE(f.parser.feed("vm;1;1795576103;-1;34.34;0.00;52.53;3.03;0.00;10.10"));
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
    REQUIRE(f.parser.feed("03:08:23        all     34.34      0.00     52.53      3.03      0.00     10.10"));
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

}
