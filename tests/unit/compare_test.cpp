#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "report/compare.hpp"

using namespace clusterp;

namespace {

const double k_t0 = 1796000000;  // 2026-11-30T00:53:20Z

// A host with N samples every 10 s from START: cpu busy BUSY, and a disk
// DEVICE busy DISK.
HostData host(const std::string& name, const std::string& alias, double busy, double disk = 2, std::size_t n = 30,
              double start = k_t0, const std::string& device = "sda") {
    HostData h;
    h.host = name;
    h.alias = alias;
    SeriesData cpu, sd;
    sd.device = device;
    for (std::size_t i = 0; i < n; ++i) cpu.time.push_back(start + 10.0 * double(i));
    sd.time = cpu.time;
    cpu.columns["util_pct"] = std::vector<double>(n, busy);
    sd.columns["util_pct"] = std::vector<double>(n, disk);
    h.categories["cpu"].push_back(cpu);
    h.categories["disk"].push_back(sd);
    return h;
}

CompareRun run(std::vector<HostData> hosts, double start = k_t0, double seconds = 290) {
    CompareRun r;
    r.hosts = std::move(hosts);
    r.phases.push_back({"run", start, start + seconds});
    return r;
}

std::vector<std::string> lines(const Comparison& c) {
    std::vector<std::string> out;
    for (const Change& change : c.changes) out.push_back(change_line(change));
    return out;
}

Phase phase(const std::string& label, double start, double end) { return {label, start, end}; }

}  // namespace

TEST_SUITE("compare") {

TEST_CASE("a run against itself has no change") {
    const CompareRun a = run({host("n1", "N1", 40), host("n2", "N2", 60, 30)});
    const Comparison c = compare_runs(a, a, {});
    CHECK(c.changes.empty());
    CHECK(c.hosts.by_rank == 0);
    CHECK(rank_match_line(c, a, a).empty());
}

TEST_CASE("a saturated disk is named, with its values and change") {
    const CompareRun a = run({host("n1", "N1", 40), host("n2", "N2", 40)});
    const CompareRun b = run({host("n1", "N1", 40), host("n2", "N2", 40, 96)});
    const Comparison c = compare_runs(a, b, {});
    REQUIRE(c.changes.size() == 1);
    const Change& change = c.changes[0];
    CHECK(change.host == "n2");
    CHECK(change.resource == "disk");
    CHECK(change.device == "sda");
    CHECK(change.measure == "util_pct");
    CHECK(*change.a == 2);
    CHECK(*change.b == 96);
    CHECK(change.verdict == Verdict::higher);
    CHECK(*change.change_pct() == 4700);
    CHECK(change_line(change) == "run N2 disk sda util_pct 2.0 -> 96.0 (+4700%)\n");
}

TEST_CASE("a small change is not news: under the ratio, or under the measure's floor") {
    const CompareRun a = run({host("n1", "N1", 0.1), host("n2", "N2", 60)});
    // 0.1 -> 0.3 % busy: three times as much, but 0.2 points; 60 -> 80 %:
    // 20 points, but 1.33 times.
    const CompareRun b = run({host("n1", "N1", 0.3), host("n2", "N2", 80)});
    CHECK(compare_runs(a, b, {}).changes.empty());
    CompareSettings lower;
    lower.ratio = 1.3;
    const Comparison c = compare_runs(a, b, lower);
    REQUIRE(c.changes.size() == 1);
    CHECK(c.changes[0].host == "n2");
}

TEST_CASE("a measure at 0 in A: the change has no percentage, the line says from 0") {
    const CompareRun a = run({host("n1", "N1", 0)});
    const CompareRun b = run({host("n1", "N1", 50)});
    const Comparison c = compare_runs(a, b, {});
    REQUIRE(c.changes.size() == 1);
    CHECK_FALSE(c.changes[0].change_pct());
    CHECK(change_line(c.changes[0]) == "run N1 cpu util_pct 0.00 -> 50.0 (from 0)\n");
}

TEST_CASE("changes are ordered by how much they matter: the larger difference over the floor first") {
    const CompareRun a = run({host("n1", "N1", 10), host("n2", "N2", 10)});
    const CompareRun b = run({host("n1", "N1", 30), host("n2", "N2", 10, 90)});
    const Comparison c = compare_runs(a, b, {});
    REQUIRE(c.changes.size() == 2);
    CHECK(c.changes[0].host == "n2");  // disk +88 points, 8.8 floors
    CHECK(c.changes[1].host == "n1");  // cpu +20 points, 4 floors
}

TEST_CASE("runs started at different times compare by the time from each phase's start") {
    const double later = k_t0 + 86400;
    const CompareRun a = run({host("n1", "N1", 40)});
    const CompareRun b = run({host("n1", "N1", 40, 2, 30, later)}, later);
    CHECK(compare_runs(a, b, {}).changes.empty());
}

TEST_CASE("phases match by label, a repeated label by its order; a phase in one run is said") {
    const std::vector<Phase> a = {phase("load", 0, 10), phase("step", 10, 20), phase("step", 20, 30), phase("save", 30, 40)};
    const std::vector<Phase> b = {phase("step", 0, 10), phase("load", 10, 20), phase("step", 20, 30), phase("check", 30, 40)};
    CHECK(match_phases(a, b) == Pairs{{0, 1}, {1, 0}, {2, 2}, {3, -1}, {-1, 3}});

    CompareRun ra = run({host("n1", "N1", 40)});
    CompareRun rb = ra;
    ra.phases = {phase("load", k_t0, k_t0 + 100), phase("save", k_t0 + 100, k_t0 + 200)};
    rb.phases = {phase("load", k_t0, k_t0 + 150), phase("check", k_t0 + 150, k_t0 + 200)};
    const Comparison c = compare_runs(ra, rb, {});
    REQUIRE(c.changes.size() == 3);
    CHECK(lines(c) == std::vector<std::string>{"load took 100 s -> 150 s (+50%)\n", "save only in A (100 s)\n",
                                                "check only in B (50 s)\n"});
}

TEST_CASE("a duration changes when it differs by 10 % and a sample interval") {
    CompareRun a = run({host("n1", "N1", 40)});
    CompareRun b = a;
    a.phases = {phase("compute", k_t0, k_t0 + 100)};
    b.phases = {phase("compute", k_t0, k_t0 + 109)};
    CHECK(compare_runs(a, b, {}).changes.empty());  // 9 %
    b.phases = {phase("compute", k_t0, k_t0 + 118)};
    const Comparison c = compare_runs(a, b, {});
    REQUIRE(c.changes.size() == 1);
    CHECK(change_line(c.changes[0]) == "compute took 100 s -> 118 s (+18%)\n");
    CHECK(c.changes[0].verdict == Verdict::longer);
    // 5 s -> 7 s is 40 %, but less than one 10 s sample.
    a.phases = {phase("short", k_t0, k_t0 + 5)};
    b.phases = {phase("short", k_t0, k_t0 + 7)};
    CHECK(compare_runs(a, b, {}).changes.empty());
}

TEST_CASE("hosts match by name, then by alias, then by order, which one line says") {
    const std::vector<HostData> a = {host("n1", "N1", 0), host("n2", "compute-2", 0), host("n3", "N3", 0),
                                      host("n4", "N4", 0)};
    const std::vector<HostData> b = {host("m9", "compute-2", 0), host("m3", "M3", 0), host("n1", "N1", 0),
                                      host("m4", "M4", 0)};
    const HostMatch m = match_hosts(a, b);
    CHECK(m.pairs == Pairs{{0, 2}, {1, 0}, {2, 1}, {3, 3}});
    CHECK(m.by_rank == 2);
    const CompareRun ra = run(a), rb = run(b);
    const Comparison c = compare_runs(ra, rb, {});
    CHECK(rank_match_line(c, ra, rb) == "2 hosts matched by order, as names and aliases differ: n3 = m3, n4 = m4");
}

TEST_CASE("hosts in one run only are said after the durations, their findings not") {
    CompareRun a = run({host("n1", "N1", 40), host("n2", "N2", 40)});
    a.findings.push_back({"run", "n2", "N2", "cpu", "", "cpu saturated", "warning", 1, "busy"});
    const CompareRun b = run({host("n1", "N1", 40)});
    const Comparison c = compare_runs(a, b, {});
    CHECK(lines(c) == std::vector<std::string>{"host N2 only in A\n"});
    CHECK(lines(compare_runs(b, a, {})) == std::vector<std::string>{"host N2 only in B\n"});
}

TEST_CASE("devices match by name, then by order") {
    const CompareRun a = run({host("n1", "N1", 40, 2, 30, k_t0, "sda")});
    const CompareRun b = run({host("n1", "N1", 40, 80, 30, k_t0, "vda")});
    const Comparison c = compare_runs(a, b, {});
    REQUIRE(c.changes.size() == 1);
    CHECK(c.changes[0].device == "sda");
}

TEST_CASE("findings that appeared come before those that disappeared, then the measures; hosts as A names them") {
    CompareRun a = run({host("n1", "N1", 40), host("n2", "N2", 40)});
    CompareRun b = run({host("m1", "N1", 40), host("m2", "N2", 40, 96)});
    a.findings.push_back({"run", "n1", "N1", "network", "eth0", "nic errors", "notice", 0.6, "errors 3.0/s"});
    b.findings.push_back({"run", "m2", "N2", "disk", "sda", "disk saturated", "critical", 0.9, "%util 96.0"});
    b.findings.push_back({"run", "m1", "N1", "memory", "", "memory nearly full", "notice", 0.5, "used 95.0%"});
    const Comparison c = compare_runs(a, b, {});
    CHECK(lines(c) == std::vector<std::string>{
                          "+ run N2 disk sda saturated: %util 96.0\n",
                          "+ run N1 memory nearly full: used 95.0%\n",
                          "- run N1 network eth0 errors: errors 3.0/s\n",
                          "run N2 disk sda util_pct 2.0 -> 96.0 (+4700%)\n",
                      });
    CHECK(c.changes[0].host == "n2");
    CHECK(*c.changes[0].b == 0.9);
    CHECK_FALSE(c.changes[0].a);
    // The same finding on both sides is no change.
    b.findings = a.findings;
    b.findings[0].host = "m1";
    CHECK(compare_runs(a, b, {}).changes.size() == 1);
}

TEST_CASE("a finding of the report's rules becomes a row") {
    Finding f;
    f.phase = "run";
    f.host = "n1";
    f.resource = "disk";
    f.device = "sda";
    f.kind = FindingKind::disk_saturated;
    f.share = 0.8;
    const FindingRow row = finding_row(f);
    CHECK(row.finding == "disk saturated");
    CHECK(row.severity == "warning");
    CHECK(row.share == 0.8);
}

}  // TEST_SUITE
