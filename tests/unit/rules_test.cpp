#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "model/contract.hpp"
#include "report/report_write.hpp"
#include "report/rules.hpp"

using namespace clusterp;

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& v) {
        std::string text = "{";
        for (const std::string& s : v) text += (text.size() > 1 ? ", \"" : "\"") + s + "\"";
        return (text + "}").c_str();
    }
};
}  // namespace doctest

namespace {

const double k_t0 = 1796000000;  // 2026-11-30T00:53:20Z
const double k_nan = std::nan("");

// A series of N samples every 10 s from k_t0 with COLUMNS' values.
SeriesData series(std::size_t n, std::vector<std::pair<std::string, std::vector<double>>> columns,
                  const std::string& device = "") {
    SeriesData s;
    s.device = device;
    for (std::size_t i = 0; i < n; ++i) s.time.push_back(k_t0 + 10.0 * double(i));
    for (auto& [name, values] : columns) {
        values.resize(n, values.empty() ? 0 : values.back());
        s.columns[name] = values;
    }
    return s;
}

// N samples of VALUE, with the samples from FROM to TO (excluded) at OTHER.
std::vector<double> level(std::size_t n, double value, std::size_t from = 0, std::size_t to = 0, double other = 0) {
    std::vector<double> v(n, value);
    for (std::size_t i = from; i < to && i < n; ++i) v[i] = other;
    return v;
}

HostData host(const std::string& name, int cpus = 4) {
    HostData h;
    h.host = name;
    h.alias = name;
    h.cpus = cpus;
    return h;
}

// A host whose cpu busy is BUSY (the other columns quiet) and run queue RUNQ.
HostData cpu_host(const std::string& name, std::vector<double> busy, std::vector<double> runq = {}, int cpus = 4) {
    HostData h = host(name, cpus);
    const std::size_t n = busy.size();
    h.categories["cpu"].push_back(series(n, {{"util_pct", busy}, {"steal", {0}}, {"iowait", {0}}, {"busiest_core_pct", busy}}));
    h.categories["load"].push_back(series(n, {{"runq", runq.empty() ? level(n, 1) : runq}}));
    return h;
}

Phase whole(std::size_t n) { return {"run", k_t0, k_t0 + 10.0 * double(n - 1)}; }

// Words a user reads never hold a statistic's name, inf or nan.
void check_words(const std::vector<Finding>& findings) {
    for (const Finding& f : findings)
        for (const char* bad : {"inf", "nan", "robust", "z-score", "MAD"}) CHECK_MESSAGE(f.evidence.find(bad) == std::string::npos, f.evidence);
}

std::vector<Finding> judge(const std::vector<HostData>& hosts, std::size_t n, const RuleSettings& s = {}) {
    std::vector<Finding> found = find_bottlenecks(hosts, {whole(n)}, s);
    check_words(found);
    return found;
}

std::vector<std::string> names(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const Finding& f : findings) out.push_back(f.alias + " " + f.resource + (f.device.empty() ? "" : " " + f.device) + " " + finding_name(f.kind));
    return out;
}

using Names = std::vector<std::string>;

}  // namespace

TEST_SUITE("rules") {

TEST_CASE("balanced hosts, busy or idle, give no finding") {
    const std::size_t n = 30;
    CHECK(judge({cpu_host("a", level(n, 40)), cpu_host("b", level(n, 45)), cpu_host("c", level(n, 38)),
                 cpu_host("d", level(n, 42))}, n).empty());
    CHECK(judge({cpu_host("a", level(n, 0.2)), cpu_host("b", level(n, 0.3)), cpu_host("c", level(n, 0.1))}, n).empty());
}

TEST_CASE("cpu saturated needs busy and a run queue above the CPU count; fully busy is busy without it") {
    const std::size_t n = 20;
    auto f = judge({cpu_host("a", level(n, 97), level(n, 6))}, n);
    CHECK(names(f) == Names{"a cpu cpu saturated"});
    CHECK(finding_line(f[0]) == "run a cpu saturated: 6.0 runnable tasks for 4 CPUs, 97.0 % busy, in 100 % of the samples ("
                                "longest stretch 00:53:20-00:56:30)\n");
    f = judge({cpu_host("a", level(n, 97), level(n, 4))}, n);  // runq = CPUs: busy, not saturated
    CHECK(names(f) == Names{"a cpu cpu fully busy"});
    CHECK(f[0].evidence.rfind("all 4 CPUs 97.0 % busy (fully busy from 90 %), 4.0 runnable tasks, in 100 %", 0) == 0);
    // CPU count unknown: saturation cannot be judged, fully busy can.
    f = judge({cpu_host("a", level(n, 97), level(n, 6), 0)}, n);
    CHECK(names(f) == Names{"a cpu cpu fully busy"});
    CHECK(f[0].evidence.rfind("all CPUs 97.0 % busy", 0) == 0);
    CHECK(judge({cpu_host("a", level(n, 85), level(n, 6))}, n).empty());
}

TEST_CASE("a rule fires on half the samples and three in a row, not less") {
    const std::size_t n = 20;
    // 10 of 20 samples in one block: fires, share 0.5.
    auto f = judge({cpu_host("a", level(n, 10, 5, 15, 97), level(n, 6))}, n);
    REQUIRE(f.size() == 1);
    CHECK(f[0].share == doctest::Approx(0.5));
    CHECK(f[0].evidence.find("longest stretch 00:54:10-00:55:40)") != std::string::npos);
    // 9 of 20: too few.
    CHECK(judge({cpu_host("a", level(n, 10, 5, 14, 97), level(n, 6))}, n).empty());
    // Every other sample (10 of 20, never three in a row): too short.
    std::vector<double> alternating(n);
    for (std::size_t i = 0; i < n; ++i) alternating[i] = i % 2 ? 97 : 10;
    CHECK(judge({cpu_host("a", alternating, level(n, 6))}, n).empty());
}

TEST_CASE("a missing column or empty fields make a rule unjudged, never a finding") {
    const std::size_t n = 20;
    HostData no_load = cpu_host("a", level(n, 97), level(n, 6));
    no_load.categories.erase("load");
    CHECK(names(judge({no_load}, n)) == Names{"a cpu cpu fully busy"});  // saturation unjudged
    HostData empty = cpu_host("a", level(n, 97), level(n, k_nan));
    CHECK(names(judge({empty}, n)) == Names{"a cpu cpu fully busy"});
    HostData no_cpu = cpu_host("a", level(n, 97), level(n, 6));
    no_cpu.categories["cpu"][0].columns["util_pct"] = level(n, k_nan);
    CHECK(judge({no_cpu}, n).empty());
    // Unknown samples are left out of the share: 6 judged, all holding (and
    // the host, saturated, is not also said to be fully busy).
    HostData partly = cpu_host("a", level(n, 97), level(n, k_nan, 0, 6, 6));
    auto f = judge({partly}, n);
    REQUIRE(f.size() == 1);
    CHECK(f[0].kind == FindingKind::cpu_saturated);
    CHECK(f[0].share == 1.0);
}

TEST_CASE("single core bound: one core full while the host is not") {
    const std::size_t n = 20;
    HostData h = host("a", 4);
    h.categories["cpu"].push_back(series(n, {{"util_pct", level(n, 26)}, {"busiest_core_pct", level(n, 99)}}));
    auto f = judge({h}, n);
    CHECK(names(f) == Names{"a cpu single core bound"});
    CHECK(f[0].evidence.rfind("its busiest core 99.0 % busy while the host's 4 CPUs were 26.0 % busy, where one full core is 25.0 %", 0) == 0);
    h.categories["cpu"][0].columns["util_pct"] = level(n, 50);  // above 100/4 + 10
    CHECK(judge({h}, n).empty());
    HostData one = host("b", 1);  // one CPU: the host is the core, fully busy
    one.categories["cpu"].push_back(series(n, {{"util_pct", level(n, 99)}, {"busiest_core_pct", level(n, 99)}}));
    CHECK(names(judge({one}, n)) == Names{"b cpu cpu fully busy"});
}

TEST_CASE("cpu stolen, waiting on I/O") {
    const std::size_t n = 20;
    HostData h = host("a");
    h.categories["cpu"].push_back(series(n, {{"util_pct", level(n, 30)}, {"steal", level(n, 12)}, {"iowait", level(n, 25)}}));
    CHECK(names(judge({h}, n)) == Names{"a cpu waiting on I/O", "a cpu cpu stolen"});
    // I/O pressure alone is enough.
    HostData p = host("b");
    p.categories["cpu"].push_back(series(n, {{"util_pct", level(n, 80)}, {"iowait", level(n, 1)}}));
    p.categories["load"].push_back(series(n, {{"io_some_pct", level(n, 35)}}));
    CHECK(names(judge({p}, n)) == Names{"b cpu waiting on I/O"});
}

TEST_CASE("disk saturated: %util, or a queue with %util; pseudo devices left out") {
    const std::size_t n = 20;
    HostData h = host("a");
    h.categories["disk"].push_back(series(n, {{"util_pct", level(n, 95)}, {"aqu_sz", level(n, 0.5)}}, "sda"));
    h.categories["disk"].push_back(series(n, {{"util_pct", level(n, 70)}, {"aqu_sz", level(n, 3)}}, "sdb"));
    h.categories["disk"].push_back(series(n, {{"util_pct", level(n, 70)}, {"aqu_sz", level(n, 0.5)}}, "sdc"));
    h.categories["disk"].push_back(series(n, {{"util_pct", level(n, 100)}, {"aqu_sz", level(n, 9)}}, "loop0"));
    CHECK(names(judge({h}, n)) == Names{"a disk sda disk saturated", "a disk sdb disk saturated"});
}

TEST_CASE("memory pressure from swapping, scanning with major faults, or PSI; memory nearly full") {
    const std::size_t n = 20;
    HostData h = host("a");
    h.categories["memory"].push_back(series(n, {{"used_pct", level(n, 95)}, {"pgscan_ps", level(n, 0)}, {"majflt_ps", level(n, 0)}}));
    h.categories["swap"].push_back(series(n, {{"in_pps", level(n, 30)}, {"out_pps", level(n, 200)}}));
    CHECK(names(judge({h}, n)) == Names{"a memory memory pressure", "a memory memory nearly full"});
    HostData scan = host("b");  // kswapd scanning without faults is the page cache at work
    scan.categories["memory"].push_back(series(n, {{"used_pct", level(n, 40)}, {"pgscan_ps", level(n, 900)}, {"majflt_ps", level(n, 0)}}));
    CHECK(judge({scan}, n).empty());
    scan.categories["memory"][0].columns["majflt_ps"] = level(n, 50);
    CHECK(names(judge({scan}, n)) == Names{"b memory memory pressure"});
}

TEST_CASE("nic saturated and nic errors; lo and NICs of unknown speed left out") {
    const std::size_t n = 20;
    HostData h = host("a");
    h.categories["network"].push_back(series(n, {{"util_pct", level(n, 96)}, {"rxerr_ps", level(n, 0)}, {"rxdrop_ps", level(n, 0)}}, "eth0"));
    h.categories["network"].push_back(series(n, {{"util_pct", level(n, k_nan)}, {"rxerr_ps", level(n, 2)}, {"rxdrop_ps", level(n, 0)}}, "eth1"));
    h.categories["network"].push_back(series(n, {{"util_pct", level(n, 99)}, {"rxerr_ps", level(n, 5)}}, "lo"));
    CHECK(names(judge({h}, n)) == Names{"a network eth0 nic saturated", "a network eth1 nic errors"});
}

TEST_CASE("idle host: one host idle while the others work") {
    const std::size_t n = 20;
    auto f = judge({cpu_host("a", level(n, 70)), cpu_host("b", level(n, 75)), cpu_host("c", level(n, 0.4)),
                    cpu_host("d", level(n, 72))}, n);
    CHECK(names(f) == Names{"c cpu idle host"});
    CHECK(finding_severity(f[0].kind) == Severity::critical);
}

TEST_CASE("stall: one host stops mid-run while the others go on; not the end of the run") {
    const std::size_t n = 40;
    auto f = judge({cpu_host("a", level(n, 70)), cpu_host("b", level(n, 65)), cpu_host("c", level(n, 68, 15, n, 0.2)),
                    cpu_host("d", level(n, 72))}, n);
    CHECK(names(f) == Names{"c cpu stall", "c cpu idle host"});
    CHECK(f[0].evidence.find("at 00:55:50") != std::string::npos);
    // Every host stops together (the job ended before the collectors): no stall.
    CHECK(judge({cpu_host("a", level(n, 70, 30, n, 0)), cpu_host("b", level(n, 65, 30, n, 0)),
                 cpu_host("c", level(n, 68, 30, n, 0))}, n).empty());
    // Nor a host that stops a sample or two before the others, with an idle
    // tail after the job.
    CHECK(judge({cpu_host("a", level(n, 70, 24, n, 0)), cpu_host("b", level(n, 65, 26, n, 0)),
                 cpu_host("c", level(n, 68, 26, n, 0)), cpu_host("d", level(n, 66, 26, n, 0))}, n).empty());
}

TEST_CASE("stall: a host's collectors after its work stopped (2 % of 99 %) still make a stall; a fall to a quarter does not") {
    const std::size_t n = 40;
    auto f = judge({cpu_host("a", level(n, 70)), cpu_host("b", level(n, 65)), cpu_host("c", level(n, 99, 15, n, 2)),
                    cpu_host("d", level(n, 72))}, n);
    REQUIRE(names(f) == Names{"c cpu stall"});
    CHECK(f[0].evidence.find("busy fell from 99.0 % to 2.0 %") != std::string::npos);
    // 40 % to 10 %: less work (imbalance, perhaps), not work stopped.
    for (const std::string& name : names(judge({cpu_host("a", level(n, 70)), cpu_host("b", level(n, 65)),
                                                cpu_host("c", level(n, 40, 15, n, 10)), cpu_host("d", level(n, 72))}, n)))
        CHECK(name.find("stall") == std::string::npos);
}

TEST_CASE("straggler: busy far longer than the median host, or far from the median level") {
    const std::size_t n = 60;
    // Same work everywhere; d does it at a third of the speed.
    auto f = judge({cpu_host("a", level(n, 95, 15, n, 0.5)), cpu_host("b", level(n, 95, 16, n, 0.5)),
                    cpu_host("c", level(n, 95, 15, n, 0.5)), cpu_host("d", level(n, 33, 46, n, 0.5))}, n);
    CHECK(names(f) == Names{"d cpu straggler"});
    CHECK(f[0].value == doctest::Approx(3.0).epsilon(0.1));
    // A disk far busier than its peers' (below saturation).
    std::vector<HostData> hosts;
    for (const char* name : {"a", "b", "c", "d", "e"}) {
        HostData h = cpu_host(name, level(n, 40));
        h.categories["disk"].push_back(series(n, {{"util_pct", level(n, std::string(name) == "b" ? 75 : 10)}}, "sda"));
        hosts.push_back(h);
    }
    auto d = judge(hosts, n);
    CHECK(names(d) == Names{"b disk sda imbalance"});
    CHECK(d[0].evidence == "75.0 % utilized while the median host's busiest disk was 10.0 % (more work than the others)");
    // Below the gap that matters: nothing.
    hosts[1].categories["disk"][0].columns["util_pct"] = level(n, 25);
    CHECK(judge(hosts, n).empty());
}

TEST_CASE("imbalance: 32 identical idle hosts and one busy give one finding, in words") {
    const std::size_t n = 30;
    std::vector<HostData> hosts;
    for (int i = 0; i < 32; ++i) hosts.push_back(cpu_host("n" + std::to_string(i), level(n, 0.3)));
    hosts.push_back(cpu_host("busy", level(n, 78)));
    auto f = judge(hosts, n);
    CHECK(names(f) == Names{"busy cpu imbalance"});
    CHECK(f[0].evidence == "78.0 % busy while the median host was 0.3 % (more work than the others)");
    // Identical hosts and nothing else: no spread, no finding.
    hosts.pop_back();
    CHECK(judge(hosts, n).empty());
}

TEST_CASE("a straggler already named by another rule is not repeated") {
    const std::size_t n = 20;
    auto f = judge({cpu_host("a", level(n, 97), level(n, 9)), cpu_host("b", level(n, 5)), cpu_host("c", level(n, 4)),
                    cpu_host("d", level(n, 6))}, n);
    CHECK(names(f) == Names{"a cpu cpu saturated"});
}

TEST_CASE("phases are judged apart; samples outside every phase are not judged") {
    const std::size_t n = 40;
    HostData h = cpu_host("a", level(n, 10, 20, 40, 97), level(n, 6));
    const std::vector<Phase> phases = {{"load", k_t0, k_t0 + 190}, {"compute", k_t0 + 200, k_t0 + 390}};
    auto f = find_bottlenecks({h}, phases, {});
    REQUIRE(f.size() == 1);
    CHECK(f[0].phase == "compute");
    CHECK(f[0].share == 1.0);
    CHECK(find_bottlenecks({h}, {{"load", k_t0, k_t0 + 190}}, {}).empty());
}

TEST_CASE("most severe first, then the larger share") {
    const std::size_t n = 20;
    HostData a = cpu_host("a", level(n, 97, 0, 8, 10), level(n, 6));  // saturated 60 %
    HostData b = cpu_host("b", level(n, 97), level(n, 6));              // saturated 100 %
    b.categories["memory"].push_back(series(n, {{"used_pct", level(n, 95)}}));
    auto f = judge({a, b}, n);
    CHECK(names(f) == Names{"b cpu cpu saturated", "a cpu cpu saturated", "b memory memory nearly full"});
}

TEST_CASE("settings: known keys within range, others refused") {
    RuleSettings s;
    CHECK(set_rule_setting(s, "cpu_busy_pct", 80) == "");
    CHECK(s.cpu_busy_pct == 80);
    CHECK(set_rule_setting(s, "min_share", 1.5) == "must be a fraction from 0 to 1");
    CHECK(set_rule_setting(s, "min_consecutive", 2.5) == "must be a whole number of at least 1");
    CHECK(set_rule_setting(s, "disk_util_pct", -1) == "must be a number of at least 0");
    CHECK(set_rule_setting(s, "cpu_busy", 80) == "unknown key");
    const std::size_t n = 20;
    RuleSettings lower;
    set_rule_setting(lower, "cpu_busy_pct", 80);
    CHECK(judge({cpu_host("a", level(n, 85), level(n, 6))}, n).empty());
    CHECK(names(judge({cpu_host("a", level(n, 85), level(n, 6))}, n, lower)) == Names{"a cpu cpu saturated"});
}

TEST_CASE("the stdout line and the CSV row") {
    const std::size_t n = 20;
    HostData h = host("node17");
    h.alias = "n17";
    h.categories["disk"].push_back(series(n, {{"util_pct", level(n, 95)}, {"aqu_sz", level(n, 7.2)}}, "sdb"));
    auto f = judge({h}, n);
    REQUIRE(f.size() == 1);
    CHECK(finding_line(f[0]) ==
          "run n17 disk sdb saturated: 95.0 % utilized, 7.2 requests queued on average, in 100 % of the samples ("
          "longest stretch 00:53:20-00:56:30)\n");
    CHECK(findings_csv(f) ==
          std::string(k_findings_header) +
              "\nrun,2026-11-30T00:53:20Z,2026-11-30T00:56:30Z,node17,n17,disk,sdb,disk saturated,warning,95,90,1.00,"
              "\"95.0 % utilized, 7.2 requests queued on average, in 100 % of the samples (longest stretch "
              "00:53:20-00:56:30)\",\n");
    CHECK(no_finding_line(4, 1) == "no finding: no rule fired on 4 hosts in 1 phase\n");
}

}

TEST_SUITE("rules") {

// A host with CPU busy 40 % (busiest core CORE) and one GPU per value of
// UTIL (its util_pct), memory MEM % used.
HostData gpu_host(const std::string& name, std::size_t n, std::vector<double> util, double core = 40, double mem = 50) {
    HostData h = host(name, 8);
    h.categories["cpu"].push_back(series(n, {{"util_pct", level(n, 40)}, {"busiest_core_pct", level(n, core)}}));
    for (std::size_t g = 0; g < util.size(); ++g)
        h.categories["gpu"].push_back(series(n, {{"util_pct", level(n, util[g])}, {"mem_used_pct", level(n, mem)}},
                                             std::to_string(g)));
    return h;
}

TEST_CASE("gpu idle, gpu underused, input bound, gpu memory nearly full: host, GPU index, phase; busy GPUs say nothing") {
    const std::size_t n = 20;
    auto f = judge({gpu_host("busy", n, {97, 99}), gpu_host("idle", n, {0, 98}, 100), gpu_host("under", n, {95, 8}),
                    gpu_host("starved", n, {6}, 100), gpu_host("full", n, {90}, 40, 97)},
                   n);
    CHECK(names(f) == Names{"idle gpu 0 gpu idle", "starved gpu 0 input bound", "under gpu 1 gpu underused",
                            "full gpu 0 gpu memory nearly full"});
    CHECK(f[0].phase == "run");
    CHECK(f[0].evidence.rfind("a kernel running 0.0 % of the time (idle up to 1 %)", 0) == 0);
    CHECK(f[1].evidence.rfind("a kernel running 6.0 % of the time while the busiest CPU core is 100.0 % busy", 0) == 0);
    CHECK(f[2].evidence.rfind("a kernel running 8.0 % of the time (below 15 %)", 0) == 0);
    CHECK(f[3].evidence.rfind("97.0 % of the GPU's memory used (at least 95 %)", 0) == 0);
    for (const Finding& x : f) CHECK(x.evidence.find("efficien") == std::string::npos);
}

// A host with one busy GPU (a kernel running UTIL % of the time) whose SM
// clock is CLOCK MHz of 1980 and whose clock-event reasons are BITS
// (model/contract's throttle bits; NaN: not collected).
HostData clocked_host(const std::string& name, std::size_t n, double clock, double bits, double util = 100) {
    HostData h = gpu_host(name, n, {util});
    SeriesData& gpu = h.categories["gpu"].front();
    gpu.columns["sm_clock_mhz"] = level(n, clock);
    gpu.columns["sm_clock_max_mhz"] = level(n, 1980);
    if (bits == bits) gpu.columns["throttle"] = level(n, bits);
    return h;
}

TEST_CASE("gpu throttled: a power or thermal reason, or the SM clock far below its maximum, while busy; names the reason") {
    const std::size_t n = 20;
    auto f = judge({clocked_host("fast", n, 1980, 0), clocked_host("capped", n, 1750, k_throttle_power),
                    clocked_host("hot", n, 1200, k_throttle_thermal), clocked_host("slow", n, 990, k_nan),
                    clocked_host("waiting", n, 210, 0, 30)},
                   n);
    // The GPU that is not busy is not judged (its clock is down by design);
    // beside four busy ones it is an imbalance.
    CHECK(names(f) == Names{"waiting gpu 0 imbalance", "capped gpu 0 gpu throttled", "hot gpu 0 gpu throttled",
                            "slow gpu 0 gpu throttled"});
    REQUIRE(f.size() == 4);
    f.erase(f.begin());
    CHECK(f[0].evidence.rfind("its SM clock at 88.4 % of its maximum, slowed by its power limit (nvidia-smi's clock-event "
                              "reasons), while busy (a kernel running at least 50 % of the time), in 100 % of the busy samples",
                              0) == 0);
    CHECK(f[1].evidence.find("60.6 % of its maximum, slowed by heat") != std::string::npos);
    CHECK(f[2].evidence.rfind("its SM clock at 50.0 % of its maximum (slow below 70 %), no clock-event reason given", 0) == 0);
    CHECK(f[2].value == doctest::Approx(50));
    CHECK(f[2].threshold == 70);
    for (const Finding& x : f) CHECK(x.evidence.find("efficien") == std::string::npos);
}

TEST_CASE("gpu throttled: only busy samples count; the share is of them; both reasons are named") {
    const std::size_t n = 20;
    // Busy for the first 8 samples only, power and heat throughout.
    HostData h = clocked_host("burst", n, 1100, k_throttle_power | k_throttle_thermal, 0);
    h.categories["gpu"].front().columns["util_pct"] = level(n, 0, 0, 8, 97);
    auto f = judge({h}, n);
    REQUIRE(names(f) == Names{"burst gpu 0 gpu throttled", "burst gpu 0 gpu idle"});
    CHECK(f[0].share == 1);
    CHECK(f[0].evidence.find("slowed by its power limit and heat") != std::string::npos);
    RuleSettings stricter;
    CHECK(set_rule_setting(stricter, "gpu_busy_pct", 98) == "");
    CHECK(names(judge({h}, n, stricter)) == Names{"burst gpu 0 gpu idle"});
    RuleSettings lower;
    CHECK(set_rule_setting(lower, "gpu_clock_pct", 50) == "");
    CHECK(names(judge({clocked_host("slow", n, 990, k_nan)}, n, lower)).empty());
}

// HOSTS hosts of two GPUs each, a kernel running UTIL % of the time.
std::vector<HostData> gpu_hosts(std::size_t hosts, std::size_t n, double util) {
    std::vector<HostData> out;
    for (std::size_t h = 0; h < hosts; ++h) out.push_back(gpu_host("h" + std::to_string(h), n, {util, util}));
    return out;
}

TEST_CASE("gpu imbalance: one GPU of the run far less busy than the median GPU, whichever host it is on") {
    const std::size_t n = 30;
    std::vector<HostData> hosts = gpu_hosts(4, n, 91);
    hosts[2].categories["gpu"][1].columns["util_pct"] = level(n, 60);
    auto f = judge(hosts, n);
    REQUIRE(names(f) == Names{"h2 gpu 1 imbalance"});
    CHECK(f[0].evidence == "a kernel running 60.0 % of the time against 91.0 % on the median GPU (less work than the others)");
    CHECK(f[0].value == 60);
    CHECK(f[0].threshold == 91);
    // Within the gap that matters: nothing.
    hosts[2].categories["gpu"][1].columns["util_pct"] = level(n, 75);
    CHECK(judge(hosts, n).empty());
    // An idle GPU is named by gpu idle alone, not also as an imbalance.
    hosts[2].categories["gpu"][1].columns["util_pct"] = level(n, 0);
    CHECK(names(judge(hosts, n)) == Names{"h2 gpu 1 gpu idle"});
}

TEST_CASE("gpu stall: one GPU stops mid-run while the run's other GPUs go on; not when all stop together") {
    const std::size_t n = 40;
    std::vector<HostData> hosts = gpu_hosts(3, n, 95);
    hosts[1].categories["gpu"][0].columns["util_pct"] = level(n, 95, 25, n, 0);
    auto f = judge(hosts, n);
    REQUIRE(names(f) == Names{"h1 gpu 0 stall"});
    CHECK(f[0].evidence == "a kernel running 95.0 % of the time, then 0.0 % from 00:57:30, while the median GPU went on, "
                           "a kernel running 95.0 % of the time before and 95.0 % after, until 00:59:50");
    CHECK(f[0].share == doctest::Approx(15.0 / 40));
    // GPUs the job never used (two more on each host) are not among the
    // others that go on: the median of those at work is.
    std::vector<HostData> more = hosts;
    for (HostData& h : more)
        for (const char* g : {"2", "3"}) h.categories["gpu"].push_back(series(n, {{"util_pct", level(n, 0)}}, g));
    auto g = judge(more, n);
    REQUIRE(g.size() == 7);
    CHECK(g[0].evidence == f[0].evidence);
    for (HostData& h : hosts)
        for (SeriesData& gpu : h.categories["gpu"]) gpu.columns["util_pct"] = level(n, 95, 25, n, 0);
    CHECK(judge(hosts, n).empty());
}

}  // TEST_SUITE
