// What the host rules (rules.cpp) and the cluster rules (cluster_rules.cpp)
// share; internal to lib/report.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "report/rules.hpp"

namespace clusterp {

// The median of the values that are not NaN; NaN when there is none.
double median_of(std::vector<double> values);

// The usual step between samples (the median step); 1 when fewer than two.
double sample_interval(const std::vector<double>& time);

// The indexes [first, last) of TIME (ascending) that fall within PHASE.
std::pair<std::size_t, std::size_t> phase_range(const std::vector<double>& time, const Phase& phase);

// VALUE printed with a printf FORMAT.
std::string number_text(double value, const char* format);

// The cluster's median busy (cpu util_pct) over time, on a grid of the
// run's usual sampling step from its first sample: each host's sample goes
// to the nearest step.
struct ClusterBusy {
    double t0 = 0;
    double step = 1;
    std::vector<double> median;  // per step; NaN where fewer than 2 hosts have a sample
    std::size_t hosts = 0;       // hosts with a cpu series

    double at(double time) const;  // NaN off the grid
};
ClusterBusy cluster_busy(const std::vector<HostData>& hosts);

// The findings of the rules that compare hosts (straggler, stall), phase by
// phase: stalls first, then stragglers.
std::vector<Finding> cluster_findings(const std::vector<HostData>& hosts, const std::vector<Phase>& phases,
                                      const ClusterBusy& cluster, const RuleSettings& settings);

}  // namespace clusterp
