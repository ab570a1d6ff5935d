// clusterp-compare's judgement (design.md, "Compare"): two runs in, what
// changed between them out, per phase, host and resource.
//
// Matching: phases by label, a repeated label by its order among the
// phases of that label; hosts by name, then by alias, then the rest by
// their order in each run (rank), which the comparison says in one line;
// devices by name, then the rest by order.  Time is elapsed seconds from
// each phase's start, so that runs started at different times compare.
//
// A measure's value is its mean over the phase.  It changed when the larger
// of a and b is at least `ratio` times the smaller and they differ by at
// least the measure's floor (key_measures()), so that 0.1 % -> 0.3 % busy is
// not news.  A phase's duration changed when it differs by at least
// `duration_pct` percent and one sample interval.
//
// Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report/rules.hpp"

namespace clusterp {

// A measure compare judges, with the smallest difference that is news.
struct KeyMeasure {
    const char* category;
    const char* column;
    double floor;
};
// In the order the page shows them.
const std::vector<KeyMeasure>& key_measures();

// A finding as findings.csv holds it: what compare needs to say that it
// appeared or disappeared.
struct FindingRow {
    std::string phase;
    std::string host;
    std::string alias;
    std::string resource;
    std::string device;
    std::string finding;   // "disk saturated"
    std::string severity;  // "critical", "warning", "notice"
    double share = 0;
    std::string evidence;
};
FindingRow finding_row(const Finding& finding);

// A run as compare sees it.
struct CompareRun {
    std::vector<HostData> hosts;  // in the run's order
    std::vector<Phase> phases;    // in order of start; at least one
    std::vector<FindingRow> findings;
};

struct CompareSettings {
    double ratio = 1.5;
    double duration_pct = 10;
};

enum class Verdict { longer, shorter, only_a, only_b, appeared, disappeared, higher, lower };
// "longer", "shorter", "only in A", ... as changes.csv and the lines say it.
const char* verdict_name(Verdict verdict);

struct Change {
    std::string phase;     // "" for a host only in one run
    std::string host;      // A's name (B's for a host only in B); "" for a phase's duration
    std::string alias;
    std::string resource;  // a category; "" for a duration or a host
    std::string device;
    std::string measure;   // a column, "duration_s", a finding's name, or ""
    std::optional<double> a;  // absent where the run has none
    std::optional<double> b;
    Verdict verdict = Verdict::higher;
    std::string evidence;  // a finding's evidence
    double weight = 0;     // how much it matters, within its kind

    // (b - a) / a in percent; absent when a or b is, or a is 0.
    std::optional<double> change_pct() const;
};

// Pairs of indexes into A and B; -1 where one side has none.
using Pairs = std::vector<std::pair<int, int>>;

// A's phases in order, each with B's of the same label and order among that
// label's phases (or -1); then B's unmatched ones.
Pairs match_phases(const std::vector<Phase>& a, const std::vector<Phase>& b);

struct HostMatch {
    Pairs pairs;         // A's hosts in order, then B's unmatched ones
    std::size_t by_rank = 0;  // pairs made by order alone
};
HostMatch match_hosts(const std::vector<HostData>& a, const std::vector<HostData>& b);

struct Comparison {
    Pairs phases;
    HostMatch hosts;
    // Durations and phases in one run, hosts in one run, findings that
    // appeared or disappeared, then measures: each kind by weight.
    std::vector<Change> changes;
};

Comparison compare_runs(const CompareRun& a, const CompareRun& b, const CompareSettings& settings);

// The one line (no LF) that says how hosts were matched by rank ("" when
// none was): `hosts matched by order, their names differ: n1 = m1, ...`.
std::string rank_match_line(const Comparison& comparison, const CompareRun& a, const CompareRun& b);

// One stdout line for CHANGE, LF included, e.g.
// `compute took 120 s -> 142 s (+18%)`, `+ run N1 disk sda saturated: ...`
// (the report's line of a finding that appeared, - for one that disappeared),
// `run N1 disk sda util_pct 2.0 -> 97.1 (+4755%)`.
std::string change_line(const Change& change);

}  // namespace clusterp
