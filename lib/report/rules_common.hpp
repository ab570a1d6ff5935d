// What the rules share; internal to lib/report.  rules.cpp judges, the host
// rules live in host_rules.cpp (a table of small functions, one per rule; a
// file of other rules, e.g. a GPU's, adds its own table to host_rules()),
// the rules that compare hosts in cluster_rules.cpp.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report/rules.hpp"

namespace clusterp {

// The median of the values that are not NaN; NaN when there is none.
double median_of(std::vector<double> values);
// The most frequent of the values that are not NaN (the smallest of a
// tie); NaN when there is none.
double mode_of(std::vector<double> values);

// The usual step between samples (the median step); 1 when fewer than two.
double sample_interval(const std::vector<double>& time);

// The indexes [first, last) of TIME (ascending) that fall within PHASE.
std::pair<std::size_t, std::size_t> phase_range(const std::vector<double>& time, const Phase& phase);

// VALUE printed with a printf FORMAT; "unknown" for a value that is not a
// number or infinite (a finding never prints inf or nan).
std::string number_text(double value, const char* format);

// "97.0 %", "7.2 requests": VALUE with one decimal and its UNIT.
std::string amount(double value, const char* unit);

// One series that a cluster rule compares with the others of its kind: a
// host's cpu, or one GPU (HOSTS[host]'s).
struct BusySeries {
    std::size_t host;
    const SeriesData* series;
};

// The cluster's median busy (util_pct of each host's cpu, or of every GPU
// with CATEGORY gpu, leaving out those never above UNUSED_PCT: NaN leaves
// none out) over time, on a grid of the run's usual sampling step from its
// first sample: each series' sample goes to the nearest step.
struct ClusterBusy {
    double t0 = 0;
    double step = 1;
    std::vector<double> median;  // per step; NaN where fewer than 2 series have a sample
    std::size_t hosts = 0;       // series with util_pct: hosts with a cpu series, or GPUs

    double at(double time) const;  // NaN off the grid
};
ClusterBusy cluster_busy(const std::vector<HostData>& hosts, const std::string& category = "cpu",
                         double unused_pct = std::numeric_limits<double>::quiet_NaN());

// The findings of the rules that compare hosts (stall, straggler,
// imbalance), and GPUs (stall, imbalance), phase by phase: stalls first
// (hosts', then GPUs'), then stragglers and imbalances.
std::vector<Finding> cluster_findings(const std::vector<HostData>& hosts, const std::vector<Phase>& phases,
                                      const ClusterBusy& cluster, const RuleSettings& settings);

// A sample's truth: unknown when a field it needs is empty.
enum Truth : signed char { k_unknown = -1, k_false = 0, k_true = 1 };

inline Truth truth(bool known, bool value) { return !known ? k_unknown : value ? k_true : k_false; }
// truth(X is a number, X compared): unknown when X is NaN.
template <class Compare>
Truth judged(double x, Compare compare) {
    return truth(x == x, x == x && compare(x));
}
Truth both(Truth a, Truth b);
Truth either(Truth a, Truth b);

// A host rule's condition over the samples of one series, and what a
// finding of it says: find_bottlenecks adds the share and the span (" in 100
// % of the samples (02:40:00-02:44:50)") to `says(value, extra)`, where
// value and extra are the medians of `value` and `extra` over the samples
// where the condition held (extra's most frequent value instead when it is
// a code, e.g. gpu's throttle bits).  A rule that judges only some samples
// (gpu throttled: the busy ones) names them in `samples`.
struct Condition {
    FindingKind kind;
    std::string resource;
    const SeriesData* series;
    std::vector<signed char> holds;
    std::vector<double> value;  // the measure findings.csv's `value` holds
    double threshold = 0;
    std::vector<double> extra;  // a second measure, may be empty
    std::function<std::string(double value, double extra)> says;
    bool extra_is_code = false;
    const char* samples = "samples";
};

// What a host rule sees: one host, its series of each host category (null
// when absent), the cluster's busy, the thresholds.
struct HostView {
    const HostData& host;
    const SeriesData* cpu;
    const SeriesData* load;
    const SeriesData* memory;
    const SeriesData* swap;
    const ClusterBusy& cluster;
    const RuleSettings& s;

    // Values of AUX's COLUMN at the times of BASE: the sample of AUX within
    // half an interval of each (NaN where none); nullopt when AUX or its
    // column is absent.
    static std::optional<std::vector<double>> aligned(const SeriesData& base, const SeriesData* aux,
                                                      const char* column);
};

// One host rule: adds its conditions for the host (none when it cannot be
// judged: a column or a count it needs is missing).
using HostRule = void (*)(const HostView& view, std::vector<Condition>& out);

// Every host rule, in the order their findings are listed at equal
// severity and share.
const std::vector<HostRule>& host_rules();
// The GPU's (gpu_rules.cpp), which host_rules() ends with.
const std::vector<HostRule>& gpu_rules();

// holds[i] = F(i) for i < N.
template <class F>
std::vector<signed char> each_sample(std::size_t n, F&& f) {
    std::vector<signed char> holds(n);
    for (std::size_t i = 0; i < n; ++i) holds[i] = f(i);
    return holds;
}

}  // namespace clusterp
