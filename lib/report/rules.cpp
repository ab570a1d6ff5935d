#include "report/rules.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <set>
#include <tuple>

#include "model/contract.hpp"
#include "report/rules_common.hpp"

namespace clusterp {

const std::vector<double>* SeriesData::column(const std::string& name) const {
    auto it = columns.find(name);
    return it == columns.end() ? nullptr : &it->second;
}

const SeriesData* HostData::series(const std::string& category) const {
    auto it = categories.find(category);
    return it == categories.end() || it->second.empty() ? nullptr : &it->second.front();
}

const std::map<std::string, std::vector<std::string>>& rule_columns() {
    static const std::map<std::string, std::vector<std::string>> columns = {
        {"cpu", {"util_pct", "steal", "iowait", "busiest_core_pct", "cpus"}},
        {"load", {"runq", "io_some_pct", "mem_some_pct"}},
        {"memory", {"used_pct", "pgscan_ps", "majflt_ps"}},
        {"swap", {"in_pps", "out_pps"}},
        {"disk", {"util_pct", "aqu_sz"}},
        {"network", {"util_pct", "rxerr_ps", "txerr_ps", "rxdrop_ps", "txdrop_ps"}},
        {"gpu", {"util_pct", "mem_used_pct", "sm_clock_mhz", "sm_clock_max_mhz", "throttle"}},
    };
    return columns;
}

const std::vector<RuleSetting>& rule_settings() {
    using S = RuleSettings;
    static const std::vector<RuleSetting> settings = {
        {"min_share", &S::min_share, "fraction of a phase's samples in which a host rule must hold"},
        {"min_consecutive", &S::min_consecutive, "samples in a row in which a host rule must hold"},
        {"cpu_busy_pct", &S::cpu_busy_pct, "cpu saturated: busy at least this, with a run queue above the CPU count"},
        {"single_core_pct", &S::single_core_pct, "single core bound: the busiest core at least this"},
        {"single_core_margin_pct", &S::single_core_margin_pct,
         "single core bound: while busy is at most 100/CPUs plus this"},
        {"steal_pct", &S::steal_pct, "cpu stolen: steal at least this"},
        {"iowait_pct", &S::iowait_pct, "waiting on I/O: iowait at least this"},
        {"iowait_busy_below_pct", &S::iowait_busy_below_pct, "waiting on I/O: with busy below this"},
        {"io_pressure_pct", &S::io_pressure_pct, "waiting on I/O: or I/O pressure (some) at least this"},
        {"disk_util_pct", &S::disk_util_pct, "disk saturated: utilization at least this"},
        {"disk_queue", &S::disk_queue, "disk saturated: or a queue above this"},
        {"disk_queue_util_pct", &S::disk_queue_util_pct, "disk saturated: with utilization at least this"},
        {"memory_pressure_pct", &S::memory_pressure_pct, "memory pressure: or memory pressure (some) at least this"},
        {"memory_full_pct", &S::memory_full_pct, "memory nearly full: used at least this share of MemTotal"},
        {"nic_util_pct", &S::nic_util_pct, "nic saturated: utilization at least this"},
        {"nic_errors_ps", &S::nic_errors_ps, "nic errors: errors plus drops per second above this"},
        {"imbalance_z", &S::imbalance_z, "imbalance: modified z-score (0.6745 x gap / MAD) at least this"},
        {"imbalance_gap_pct", &S::imbalance_gap_pct, "imbalance: and at least this far from the median host, in points"},
        {"straggler_end_factor", &S::straggler_end_factor,
         "straggler: or busy until at least this times the median host's time into the phase"},
        {"straggler_busy_pct", &S::straggler_busy_pct,
         "straggler: busy means at least this, and a quarter of the host's 95th percentile"},
        {"idle_busy_pct", &S::idle_busy_pct, "idle host: busy at most this"},
        {"idle_cluster_pct", &S::idle_cluster_pct, "idle host: while the cluster's median busy is at least this"},
        {"stall_ratio", &S::stall_ratio, "stall: busy after a point below this fraction of busy before it"},
        {"stall_before_pct", &S::stall_before_pct, "stall: busy before the point at least this"},
        {"stall_after_pct", &S::stall_after_pct,
         "stall: busy after the point may also be this much above stall_ratio of busy before it (what the collectors and "
         "the system use on an idle node)"},
        {"gpu_idle_pct", &S::gpu_idle_pct, "gpu idle: a kernel running at most this share of the time"},
        {"gpu_underused_pct", &S::gpu_underused_pct, "gpu underused: a kernel running less than this share of the time"},
        {"gpu_memory_full_pct", &S::gpu_memory_full_pct, "gpu memory nearly full: at least this share of its memory used"},
        {"gpu_busy_pct", &S::gpu_busy_pct, "gpu throttled: a kernel running at least this share of the time counts as busy"},
        {"gpu_clock_pct", &S::gpu_clock_pct,
         "gpu throttled: or, while busy, its SM clock below this share of its maximum"},
        {"input_bound_gpu_pct", &S::input_bound_gpu_pct,
         "input bound: a kernel running less than this share of the time while a core is single core bound busy"},
        {"top_processes", &S::top_processes,
         "findings on cpu, memory and disk name up to this many of the host's top processes (0: none)"},
    };
    return settings;
}

namespace {

// The level outlier was called a straggler until issue 21 gave that word to
// the host still busy after the others finished; config.yml files written
// before still say straggler_z and straggler_gap_pct, and the rule they set
// is the same, so those names set the new keys rather than fail.
std::string current_key(const std::string& key) {
    if (key == "straggler_z") return "imbalance_z";
    if (key == "straggler_gap_pct") return "imbalance_gap_pct";
    return key;
}

}  // namespace

std::string set_rule_setting(RuleSettings& settings, const std::string& old_or_new_key, double value) {
    const std::string key = current_key(old_or_new_key);
    for (const RuleSetting& setting : rule_settings()) {
        if (key != setting.key) continue;
        if (!std::isfinite(value) || value < 0) return "must be a number of at least 0";
        if (key == "min_share" && value > 1) return "must be a fraction from 0 to 1";
        if (key == "min_consecutive" && (value < 1 || value != std::floor(value)))
            return "must be a whole number of at least 1";
        if (key == "top_processes" && value != std::floor(value)) return "must be a whole number of at least 0";
        settings.*setting.member = value;
        return "";
    }
    return "unknown key";
}

namespace {

struct KindInfo {
    FindingKind kind;
    const char* name;
    const char* short_name;
    Severity severity;
};

const KindInfo k_kinds[] = {
    {FindingKind::stall, "stall", "stall", Severity::critical},
    {FindingKind::idle_host, "idle host", "idle host", Severity::critical},
    {FindingKind::straggler, "straggler", "straggler", Severity::critical},
    {FindingKind::imbalance, "imbalance", "imbalance", Severity::warning},
    {FindingKind::cpu_saturated, "cpu saturated", "saturated", Severity::warning},
    {FindingKind::disk_saturated, "disk saturated", "saturated", Severity::warning},
    {FindingKind::memory_pressure, "memory pressure", "pressure", Severity::warning},
    {FindingKind::nic_saturated, "nic saturated", "saturated", Severity::warning},
    {FindingKind::waiting_on_io, "waiting on I/O", "waiting on I/O", Severity::warning},
    {FindingKind::single_core_bound, "single core bound", "single core bound", Severity::warning},
    {FindingKind::cpu_stolen, "cpu stolen", "stolen", Severity::warning},
    {FindingKind::nic_errors, "nic errors", "errors", Severity::warning},
    {FindingKind::gpu_idle, "gpu idle", "idle", Severity::warning},
    {FindingKind::input_bound, "input bound", "input bound", Severity::warning},
    {FindingKind::gpu_throttled, "gpu throttled", "throttled", Severity::warning},
    {FindingKind::gpu_underused, "gpu underused", "underused", Severity::notice},
    {FindingKind::memory_nearly_full, "memory nearly full", "nearly full", Severity::notice},
    {FindingKind::gpu_memory_nearly_full, "gpu memory nearly full", "memory nearly full", Severity::notice},
    {FindingKind::cpu_fully_busy, "cpu fully busy", "fully busy", Severity::notice},
};
static_assert(sizeof k_kinds / sizeof *k_kinds == std::size_t(FindingKind::cpu_fully_busy) + 1, "a kind without words");

const KindInfo& info(FindingKind kind) { return k_kinds[int(kind)]; }

}  // namespace

const char* finding_name(FindingKind kind) { return info(kind).name; }
const char* finding_short_name(FindingKind kind) { return info(kind).short_name; }
std::optional<FindingKind> finding_kind_from_name(std::string_view name) {
    for (const KindInfo& k : k_kinds)
        if (name == k.name) return k.kind;
    return std::nullopt;
}
Severity finding_severity(FindingKind kind) { return info(kind).severity; }
const char* severity_name(Severity severity) {
    return severity == Severity::critical ? "critical" : severity == Severity::warning ? "warning" : "notice";
}

std::string clock_text(double time) {
    const long long t = (long long)std::floor(time);
    const long long day = ((t % 86400) + 86400) % 86400;
    char text[16];
    std::snprintf(text, sizeof text, "%02lld:%02lld:%02lld", day / 3600, day / 60 % 60, day % 60);
    return text;
}

Truth both(Truth a, Truth b) {
    return a == k_false || b == k_false ? k_false : a == k_unknown || b == k_unknown ? k_unknown : k_true;
}
Truth either(Truth a, Truth b) {
    return a == k_true || b == k_true ? k_true : a == k_unknown || b == k_unknown ? k_unknown : k_false;
}

std::string amount(double value, const char* unit) { return number_text(value, "%.1f") + " " + unit; }

std::string number_text(double value, const char* format) {
    if (!std::isfinite(value)) return "unknown";
    char text[64];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

double sample_interval(const std::vector<double>& time) {
    if (time.size() < 2) return 1;
    std::vector<double> steps;
    steps.reserve(time.size() - 1);
    for (std::size_t i = 1; i < time.size(); ++i) steps.push_back(time[i] - time[i - 1]);
    const double step = median_of(steps);
    return step > 0 ? step : 1;
}

double median_of(std::vector<double> values) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    const std::size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(mid), values.end());
    double m = values[mid];
    if (values.size() % 2 == 0) m = (m + *std::max_element(values.begin(), values.begin() + std::ptrdiff_t(mid))) / 2;
    return m;
}

double mode_of(std::vector<double> values) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
    std::sort(values.begin(), values.end());
    double best = std::numeric_limits<double>::quiet_NaN();
    std::size_t best_count = 0;
    for (std::size_t i = 0, j; i < values.size(); i = j) {
        for (j = i; j < values.size() && values[j] == values[i]; ++j) {}
        if (j - i > best_count) best = values[i], best_count = j - i;
    }
    return best;
}

std::pair<std::size_t, std::size_t> phase_range(const std::vector<double>& time, const Phase& phase) {
    const auto first = std::lower_bound(time.begin(), time.end(), phase.start);
    const auto last = std::upper_bound(first, time.end(), phase.end);
    return {std::size_t(first - time.begin()), std::size_t(last - time.begin())};
}

std::vector<Finding> find_bottlenecks(const std::vector<HostData>& hosts, const std::vector<Phase>& phases,
                                      const RuleSettings& s) {
    // (phase, host, device) order as given, kept through the sort.
    std::vector<std::tuple<std::size_t, std::size_t, Finding>> found;
    const std::size_t run = std::size_t(s.min_consecutive);
    const ClusterBusy cluster = cluster_busy(hosts);
    for (std::size_t h = 0; h < hosts.size(); ++h) {
        const HostData& host = hosts[h];
        const HostView view{host, host.series("cpu"), host.series("load"), host.series("memory"), host.series("swap"),
                            cluster, s};
        std::vector<Condition> conditions;
        for (HostRule rule : host_rules()) rule(view, conditions);
        for (Condition& c : conditions)
            for (std::size_t p = 0; p < phases.size(); ++p) {
                const auto [first, last] = phase_range(c.series->time, phases[p]);
                std::size_t judged = 0, held = 0, streak = 0, best = 0, best_end = 0;
                std::vector<double> when_held, extra_held;
                for (std::size_t i = first; i < last; ++i) {
                    if (c.holds[i] == k_unknown) {
                        streak = 0;
                        continue;
                    }
                    ++judged;
                    if (c.holds[i] == k_false) {
                        streak = 0;
                        continue;
                    }
                    ++held;
                    when_held.push_back(c.value[i]);
                    if (!c.extra.empty()) extra_held.push_back(c.extra[i]);
                    if (++streak > best) {
                        best = streak;
                        best_end = i;
                    }
                }
                if (judged < run || best < run) continue;
                const double share = double(held) / double(judged);
                if (share < s.min_share) continue;
                Finding f;
                f.phase = phases[p].label;
                f.start = phases[p].start;
                f.end = phases[p].end;
                f.host = host.host;
                f.alias = host.alias;
                f.resource = c.resource;
                f.device = c.series->device;
                f.kind = c.kind;
                f.value = median_of(when_held);
                f.threshold = c.threshold;
                f.share = share;
                const double extra = extra_held.empty() ? std::nan("")
                                     : c.extra_is_code    ? mode_of(std::move(extra_held))
                                                          : median_of(std::move(extra_held));
                f.evidence = c.says(f.value, extra) + ", in " + number_text(100 * share, "%.0f") + " % of the " +
                             c.samples + " (longest stretch " +
                             clock_text(c.series->time[best_end + 1 - best]) + "-" + clock_text(c.series->time[best_end]) + ")";
                found.emplace_back(p, h, std::move(f));
            }
    }
    // A host saturated in a phase is not also said to be fully busy in it.
    auto named = [&](const Finding& f, FindingKind kind) {
        return std::any_of(found.begin(), found.end(), [&](const auto& other) {
            const Finding& g = std::get<2>(other);
            return g.kind == kind && g.phase == f.phase && g.host == f.host;
        });
    };
    // A GPU found input bound is not also said to be underused.
    auto named_device = [&](const Finding& f, FindingKind kind) {
        return std::any_of(found.begin(), found.end(), [&](const auto& other) {
            const Finding& g = std::get<2>(other);
            return g.kind == kind && g.phase == f.phase && g.host == f.host && g.device == f.device;
        });
    };
    found.erase(std::remove_if(found.begin(), found.end(),
                               [&](const auto& e) {
                                   const Finding& f = std::get<2>(e);
                                   return (f.kind == FindingKind::cpu_fully_busy && named(f, FindingKind::cpu_saturated)) ||
                                          (f.kind == FindingKind::gpu_underused &&
                                           named_device(f, FindingKind::input_bound));
                               }),
                found.end());
    for (Finding& f : cluster_findings(hosts, phases, cluster, s)) {
        std::size_t p = 0, h = 0;
        while (p < phases.size() && phases[p].label != f.phase) ++p;
        while (h < hosts.size() && hosts[h].host != f.host) ++h;
        // No straggler or imbalance where another rule already names the
        // host's resource (a GPU: that GPU): it says more.
        if ((f.kind == FindingKind::straggler || f.kind == FindingKind::imbalance) &&
            std::any_of(found.begin(), found.end(), [&](const auto& other) {
                const Finding& g = std::get<2>(other);
                return g.phase == f.phase && g.host == f.host && g.resource == f.resource &&
                       (f.resource != "gpu" || g.device == f.device);
            }))
            continue;
        found.emplace_back(p, h, std::move(f));
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        const Finding& x = std::get<2>(a);
        const Finding& y = std::get<2>(b);
        if (finding_severity(x.kind) != finding_severity(y.kind)) return finding_severity(x.kind) < finding_severity(y.kind);
        if (x.share != y.share) return x.share > y.share;
        if (x.kind != y.kind) return x.kind < y.kind;
        return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
    });
    std::vector<Finding> out;
    for (auto& entry : found) out.push_back(std::move(std::get<2>(entry)));
    return out;
}

}  // namespace clusterp
