#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "report/top_processes.hpp"

using namespace clusterp;

namespace {

ProcessSample sample(double time, long long pid, const std::string& command, double cpu, double rss = 1, double io = 0) {
    return {time, pid, command, cpu, rss, io};
}

}  // namespace

TEST_SUITE("top_processes") {

TEST_CASE("cpu: the mean over the span's samples (absent counts 0), of 100 x CPUs, most first") {
    std::vector<ProcessSample> rows;
    for (int t = 0; t < 4; ++t) {
        rows.push_back(sample(100 + t, 4242, "stress-ng", 197));
        if (t < 2) rows.push_back(sample(100 + t, 7, "sshd", 10));
    }
    rows.push_back(sample(200, 9, "later", 100));  // outside the span
    CHECK(top_processes_text(rows, "cpu", 100, 103, 2, 2) == "stress-ng (pid 4242) 197.0 % of 200 %; sshd (pid 7) 5.0 % of 200 %");
    CHECK(top_processes_text(rows, "cpu", 100, 103, 0, 1) == "stress-ng (pid 4242) 197.0 % CPU");
    CHECK(top_processes_text(rows, "cpu", 100, 103, 2, 0).empty());
    CHECK(top_processes_text(rows, "network", 100, 103, 2, 2).empty());
    CHECK(top_processes_text(rows, "cpu", 300, 400, 2, 2).empty());
}

TEST_CASE("memory: the peak resident memory; disk: the mean read and written; none used names none") {
    std::vector<ProcessSample> rows = {sample(1, 7, "memhog", 1, 100), sample(2, 7, "memhog", 1, 104.6),
                                       sample(1, 9, "dd", 10, 2, 40960), sample(2, 9, "dd", 10, 2, 47923.2)};
    CHECK(top_processes_text(rows, "memory", 0, 10, 2, 1) == "memhog (pid 7) 104.6 MiB resident");
    CHECK(top_processes_text(rows, "disk", 0, 10, 2, 2) == "dd (pid 9) 43.4 MiB/s read and written");
}

TEST_CASE("command names are made printable and cut short") {
    CHECK(printable_command("spin, the loop") == "spin, the loop");
    CHECK(printable_command("writ\xe9r") == "writ\\xE9r");
    CHECK(printable_command("caf\xc3\xa9\x07") == "caf\xc3\xa9\\x07");
    CHECK(printable_command(std::string(50, 'a')) == std::string(40, 'a') + "...");
    CHECK(printable_command("disk-writer if=/dev/zero of=/var/tmp/w1 bs=1M") == "disk-writer if=/dev/zero of=/var/tmp/w1...");
}

TEST_CASE("a processes CSV read by host, quoted commands whole") {
    std::map<std::string, std::vector<ProcessSample>> by_host;
    CHECK(read_processes_csv("time,elapsed,host,alias,pid,command,cpu_pct,rss_mib,read_kibps,write_kibps\n"
                             "2026-12-08T02:12:45Z,0,vm,vm,6721,\"spin, the loop\",11.61,1.4,0,\n"
                             "2026-12-08T02:12:45Z,0,n2,n2,6723,writ\xe9r,12.5,1.8,,44342.86\n",
                             "f", by_host) == "");
    REQUIRE(by_host["vm"].size() == 1);
    CHECK(by_host["vm"][0].command == "spin, the loop");
    CHECK(by_host["vm"][0].io_kibps == 0);
    CHECK(by_host["n2"][0].io_kibps == doctest::Approx(44342.86));
    CHECK(read_processes_csv("time,host\n", "f", by_host) == "f has no time, host, pid or command column");
}

}
