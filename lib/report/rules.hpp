// The bottleneck rules of clusterp-report (design.md, "Markers, the
// report"; every rule and default is documented in clusterp-report(1)):
// series in, findings out.
//
// A host rule (cpu saturated ... nic errors) is judged per host, per device
// where it has one, and per phase: it fires when its condition holds in at
// least `min_share` of the phase's samples where it can be judged and in at
// least `min_consecutive` samples in a row.  A condition needs its columns:
// a column the input lacks, or leaves empty, makes a sample unjudged, and a
// rule with fewer than `min_consecutive` judged samples in a phase says
// nothing (never a false alarm).  The cluster rules (straggler, imbalance,
// idle host, stall) compare each host with the others in the same phase;
// imbalance and stall also each GPU with the run's other GPUs.
//
// Pure: no I/O.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clusterp {

// One series of one host's category: its samples, each column's values
// (NaN where the row leaves the field empty).  A column the input lacks is
// not in `columns`.
struct SeriesData {
    std::string device;        // disk: the device, network: the interface; else ""
    std::string device_alias;  // "" when the rows give none
    std::vector<double> time;  // seconds since the epoch, ascending
    std::map<std::string, std::vector<double>> columns;

    // NAME's values, or nullptr when the input has no such column.
    const std::vector<double>* column(const std::string& name) const;
};

struct HostData {
    std::string host;
    std::string alias;
    int cpus = 0;  // the CPU count the rules use; 0 when unknown
    // Category name (cpu, load, memory, swap, disk, network, gpu) -> its
    // series: one for a host category, one per device for disk and network,
    // one per GPU (device: its index) for gpu.
    std::map<std::string, std::vector<SeriesData>> categories;

    const SeriesData* series(const std::string& category) const;  // the first, or nullptr
};

// The columns the rules read, per category (cpu, load, memory, swap, disk,
// network, gpu; gpu's throttle as model/contract's throttle_bits): all a
// reader needs to load.
const std::map<std::string, std::vector<std::string>>& rule_columns();

// A span of the run's timeline that is judged on its own: a phase between
// markers, or the whole run.
struct Phase {
    std::string label;
    double start = 0;  // seconds since the epoch, both ends included
    double end = 0;
};

// The thresholds, as clusterp-report(1) lists them; each is a `report:` key
// of config.yml under the same name.
struct RuleSettings {
    double min_share = 0.5;
    double min_consecutive = 3;
    double cpu_busy_pct = 90;
    double single_core_pct = 95;
    double single_core_margin_pct = 10;
    double steal_pct = 10;
    double iowait_pct = 20;
    double iowait_busy_below_pct = 50;
    double io_pressure_pct = 20;
    double disk_util_pct = 90;
    double disk_queue = 1;
    double disk_queue_util_pct = 60;
    double memory_pressure_pct = 10;
    double memory_full_pct = 90;
    double nic_util_pct = 90;
    double nic_errors_ps = 0;
    double imbalance_z = 3.5;
    double imbalance_gap_pct = 20;
    double straggler_end_factor = 1.5;
    double straggler_busy_pct = 5;
    double idle_busy_pct = 1;
    double idle_cluster_pct = 50;
    double stall_ratio = 0.01;
    double stall_before_pct = 10;
    double stall_after_pct = 3;
    double top_processes = 2;
    double gpu_idle_pct = 1;
    double gpu_underused_pct = 15;
    double gpu_memory_full_pct = 95;
    double input_bound_gpu_pct = 15;
    double gpu_busy_pct = 50;
    double gpu_clock_pct = 70;
};

// One setting: its key, where it lives in RuleSettings, what it means.
struct RuleSetting {
    const char* key;
    double RuleSettings::*member;
    const char* meaning;
};
const std::vector<RuleSetting>& rule_settings();

// Sets KEY to VALUE (straggler_z and straggler_gap_pct, the names before
// issue 21, set imbalance_z and imbalance_gap_pct); returns what is wrong
// ("" when nothing): an unknown key, or a value out of its range (shares
// from 0 to 1, counts at least 1, the rest not negative).
std::string set_rule_setting(RuleSettings& settings, const std::string& key, double value);

// The fixed vocabulary of findings, most severe kinds first within a
// severity (clusterp-report(1)).
enum class FindingKind {
    stall,
    idle_host,
    straggler,
    imbalance,
    cpu_saturated,
    disk_saturated,
    memory_pressure,
    nic_saturated,
    waiting_on_io,
    single_core_bound,
    cpu_stolen,
    nic_errors,
    gpu_idle,
    input_bound,
    gpu_throttled,
    gpu_underused,
    memory_nearly_full,
    gpu_memory_nearly_full,
    cpu_fully_busy,
};

enum class Severity { critical, warning, notice };

// "cpu saturated", "single core bound", ...
const char* finding_name(FindingKind kind);
// The finding as the stdout line says it after the resource and device:
// the name without the resource's own word ("saturated" for disk saturated).
const char* finding_short_name(FindingKind kind);
// The kind finding_name calls NAME (findings.csv read back), or nullopt.
std::optional<FindingKind> finding_kind_from_name(std::string_view name);
Severity finding_severity(FindingKind kind);
// "critical", "warning", "notice".
const char* severity_name(Severity severity);

struct Finding {
    std::string phase;
    double start = 0;  // the phase's span, seconds since the epoch
    double end = 0;
    std::string host;
    std::string alias;
    std::string resource;  // a category name
    std::string device;    // disk or network: the device's name; else ""
    FindingKind kind = FindingKind::cpu_saturated;
    double value = 0;      // the rule's measure (see evidence for its unit)
    double threshold = 0;  // what value was held against
    double share = 0;      // fraction of the phase's judged samples where it held
    std::string evidence;
    std::string processes;  // cpu, memory, disk: the host's top processes in the phase ("" none known)
};

// Every finding of HOSTS over PHASES, most severe first (then the larger
// share, then in FindingKind's order, then phase, host and device order as
// given).  A straggler or an
// imbalance is not reported for a resource of a host that another finding
// of the same phase already names.
std::vector<Finding> find_bottlenecks(const std::vector<HostData>& hosts, const std::vector<Phase>& phases,
                                      const RuleSettings& settings);

// `HH:MM:SS` (UTC) of a time in seconds since the epoch: how evidence says
// when.
std::string clock_text(double time);

}  // namespace clusterp
