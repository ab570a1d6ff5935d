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
        {"cpu", {"util_pct", "steal", "iowait", "busiest_core_pct"}},
        {"load", {"runq", "io_some_pct", "mem_some_pct"}},
        {"memory", {"used_pct", "pgscan_ps", "majflt_ps"}},
        {"swap", {"in_pps", "out_pps"}},
        {"disk", {"util_pct", "aqu_sz"}},
        {"network", {"util_pct", "rxerr_ps", "txerr_ps", "rxdrop_ps", "txdrop_ps"}},
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
        {"straggler_z", &S::straggler_z, "straggler: robust z-score at least this"},
        {"straggler_gap_pct", &S::straggler_gap_pct, "straggler: and at least this far from the median, in points"},
        {"straggler_end_factor", &S::straggler_end_factor,
         "straggler: or busy until at least this times the median host's time into the phase"},
        {"straggler_busy_pct", &S::straggler_busy_pct,
         "straggler: busy means at least this, and a quarter of the host's 95th percentile"},
        {"idle_busy_pct", &S::idle_busy_pct, "idle host: busy at most this"},
        {"idle_cluster_pct", &S::idle_cluster_pct, "idle host: while the cluster's median busy is at least this"},
        {"stall_ratio", &S::stall_ratio, "stall: busy after a point below this fraction of busy before it"},
        {"stall_before_pct", &S::stall_before_pct, "stall: busy before the point at least this"},
    };
    return settings;
}

std::string set_rule_setting(RuleSettings& settings, const std::string& key, double value) {
    for (const RuleSetting& setting : rule_settings()) {
        if (key != setting.key) continue;
        if (!std::isfinite(value) || value < 0) return "must be a number of at least 0";
        if (key == "min_share" && value > 1) return "must be a fraction from 0 to 1";
        if (key == "min_consecutive" && (value < 1 || value != std::floor(value)))
            return "must be a whole number of at least 1";
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
    {FindingKind::cpu_saturated, "cpu saturated", "saturated", Severity::warning},
    {FindingKind::disk_saturated, "disk saturated", "saturated", Severity::warning},
    {FindingKind::memory_pressure, "memory pressure", "pressure", Severity::warning},
    {FindingKind::nic_saturated, "nic saturated", "saturated", Severity::warning},
    {FindingKind::waiting_on_io, "waiting on I/O", "waiting on I/O", Severity::warning},
    {FindingKind::single_core_bound, "single core bound", "single core bound", Severity::warning},
    {FindingKind::cpu_stolen, "cpu stolen", "stolen", Severity::warning},
    {FindingKind::nic_errors, "nic errors", "errors", Severity::warning},
    {FindingKind::memory_nearly_full, "memory nearly full", "nearly full", Severity::notice},
};

const KindInfo& info(FindingKind kind) { return k_kinds[int(kind)]; }

// A sample's truth: unknown when a field it needs is empty.
enum Truth : signed char { k_unknown = -1, k_false = 0, k_true = 1 };

Truth truth(bool known, bool value) { return !known ? k_unknown : value ? k_true : k_false; }
Truth both(Truth a, Truth b) { return a == k_false || b == k_false ? k_false : a == k_unknown || b == k_unknown ? k_unknown : k_true; }
Truth either(Truth a, Truth b) { return a == k_true || b == k_true ? k_true : a == k_unknown || b == k_unknown ? k_unknown : k_false; }

// A host rule's condition over the samples of one series.
struct Condition {
    FindingKind kind;
    std::string resource;
    const SeriesData* series;
    std::vector<signed char> holds;
    std::vector<double> value;  // the measure named in the evidence
    double threshold = 0;
    std::string rule;     // what held, for the evidence
    std::string measure;  // the measure's name and its printf format
    std::string format;
    std::vector<double> extra;  // a second measure, may be empty
    std::string extra_format;
};

// Values of AUX's COLUMN at the times of BASE: the sample of AUX within half
// an interval of each (NaN where none).  nullopt when AUX or its column is
// absent.
std::optional<std::vector<double>> aligned(const SeriesData& base, const SeriesData* aux, const char* column) {
    if (!aux) return std::nullopt;
    const std::vector<double>* values = aux->column(column);
    if (!values) return std::nullopt;
    if (&base == aux) return *values;
    const double tolerance = sample_interval(base.time) / 2;
    std::vector<double> out(base.time.size(), std::numeric_limits<double>::quiet_NaN());
    std::size_t j = 0;
    for (std::size_t i = 0; i < base.time.size(); ++i) {
        while (j + 1 < aux->time.size() && std::fabs(aux->time[j + 1] - base.time[i]) <= std::fabs(aux->time[j] - base.time[i])) ++j;
        if (j < aux->time.size() && std::fabs(aux->time[j] - base.time[i]) <= tolerance) out[i] = (*values)[j];
    }
    return out;
}

// The host rules' conditions for HOST.
std::vector<Condition> host_conditions(const HostData& host, const ClusterBusy& cluster, const RuleSettings& s) {
    std::vector<Condition> out;
    const SeriesData* cpu = host.series("cpu");
    const SeriesData* load = host.series("load");
    const SeriesData* memory = host.series("memory");
    const SeriesData* swap = host.series("swap");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto each = [](std::size_t n, auto&& f) {
        std::vector<signed char> holds(n);
        for (std::size_t i = 0; i < n; ++i) holds[i] = f(i);
        return holds;
    };
    auto known = [](double v) { return !std::isnan(v); };
    auto add = [&](Condition c) {
        if (std::any_of(c.holds.begin(), c.holds.end(), [](signed char t) { return t != k_unknown; })) out.push_back(std::move(c));
    };

    if (cpu) {
        const std::size_t n = cpu->time.size();
        auto busy = aligned(*cpu, cpu, "util_pct");
        auto runq = aligned(*cpu, load, "runq");
        if (busy && runq && host.cpus > 0) {
            const double cpus = host.cpus;
            add({FindingKind::cpu_saturated, "cpu", cpu,
                 each(n, [&](std::size_t i) {
                     return both(truth(known((*busy)[i]), (*busy)[i] >= s.cpu_busy_pct),
                                 truth(known((*runq)[i]), (*runq)[i] > cpus));
                 }),
                 *busy, s.cpu_busy_pct,
                 "busy >= " + number_text(s.cpu_busy_pct, "%g") + "% and run queue > " + std::to_string(host.cpus) +
                     " CPUs",
                 "busy", "%.1f%%", *runq, "run queue %.1f"});
        }
        if (busy && cluster.hosts >= 3) {
            std::vector<double> median(n);
            for (std::size_t i = 0; i < n; ++i) median[i] = cluster.at(cpu->time[i]);
            add({FindingKind::idle_host, "cpu", cpu,
                 each(n, [&](std::size_t i) {
                     return both(truth(known((*busy)[i]), (*busy)[i] <= s.idle_busy_pct),
                                 truth(known(median[i]), median[i] >= s.idle_cluster_pct));
                 }),
                 *busy, s.idle_busy_pct,
                 "busy <= " + number_text(s.idle_busy_pct, "%g") + "% while the cluster's median >= " +
                     number_text(s.idle_cluster_pct, "%g") + "%",
                 "busy", "%.1f%%", median, "cluster median %.1f%%"});
        }
        auto busiest = aligned(*cpu, cpu, "busiest_core_pct");
        // With one CPU the busiest core is the host: cpu saturated says it.
        if (busy && busiest && host.cpus > 1) {
            const double ceiling = 100.0 / host.cpus + s.single_core_margin_pct;
            add({FindingKind::single_core_bound, "cpu", cpu,
                 each(n, [&](std::size_t i) {
                     return both(truth(known((*busiest)[i]), (*busiest)[i] >= s.single_core_pct),
                                 truth(known((*busy)[i]), (*busy)[i] <= ceiling));
                 }),
                 *busiest, s.single_core_pct,
                 "busiest core >= " + number_text(s.single_core_pct, "%g") + "% with busy <= " +
                     number_text(ceiling, "%.4g") + "% of " + std::to_string(host.cpus) + " CPUs",
                 "busiest core", "%.1f%%", *busy, "busy %.1f%%"});
        }
        if (auto steal = aligned(*cpu, cpu, "steal")) {
            add({FindingKind::cpu_stolen, "cpu", cpu,
                 each(n, [&](std::size_t i) { return truth(known((*steal)[i]), (*steal)[i] >= s.steal_pct); }), *steal,
                 s.steal_pct, "steal >= " + number_text(s.steal_pct, "%g") + "%", "steal", "%.1f%%", {}, ""});
        }
        auto iowait = aligned(*cpu, cpu, "iowait");
        auto io_some = aligned(*cpu, load, "io_some_pct");
        if ((iowait && busy) || io_some) {
            std::string rule;
            if (iowait && busy)
                rule = "iowait >= " + number_text(s.iowait_pct, "%g") + "% with busy < " +
                       number_text(s.iowait_busy_below_pct, "%g") + "%";
            if (io_some)
                rule += (rule.empty() ? "" : ", or ") + std::string("I/O pressure >= ") +
                        number_text(s.io_pressure_pct, "%g") + "%";
            add({FindingKind::waiting_on_io, "cpu", cpu,
                 each(n, [&](std::size_t i) {
                     Truth t = k_false;
                     if (iowait && busy)
                         t = both(truth(known((*iowait)[i]), (*iowait)[i] >= s.iowait_pct),
                                  truth(known((*busy)[i]), (*busy)[i] < s.iowait_busy_below_pct));
                     if (io_some) {
                         Truth p = truth(known((*io_some)[i]), (*io_some)[i] >= s.io_pressure_pct);
                         t = iowait && busy ? either(t, p) : p;
                     }
                     return t;
                 }),
                 iowait ? *iowait : *io_some, iowait ? s.iowait_pct : s.io_pressure_pct, rule,
                 iowait ? "iowait" : "I/O pressure", "%.1f%%", iowait && io_some ? *io_some : std::vector<double>{},
                 "I/O pressure %.1f%%"});
        }
    }

    if (memory) {
        const std::size_t n = memory->time.size();
        auto swap_in = aligned(*memory, swap, "in_pps");
        auto swap_out = aligned(*memory, swap, "out_pps");
        auto scan = aligned(*memory, memory, "pgscan_ps");
        auto majflt = aligned(*memory, memory, "majflt_ps");
        auto mem_some = aligned(*memory, load, "mem_some_pct");
        std::vector<std::string> parts;
        if (swap_in && swap_out) parts.push_back("swapping");
        if (scan && majflt) parts.push_back("page scanning with major faults");
        if (mem_some) parts.push_back("memory pressure >= " + number_text(s.memory_pressure_pct, "%g") + "%");
        if (!parts.empty()) {
            std::string rule;
            for (const std::string& part : parts) rule += (rule.empty() ? "" : ", or ") + part;
            std::vector<double> swapped(n, nan);
            if (swap_in && swap_out)
                for (std::size_t i = 0; i < n; ++i) swapped[i] = (*swap_in)[i] + (*swap_out)[i];
            add({FindingKind::memory_pressure, "memory", memory,
                 each(n, [&](std::size_t i) {
                     std::optional<Truth> t;
                     auto join = [&](Truth u) { t = t ? either(*t, u) : u; };
                     if (swap_in && swap_out) join(truth(known(swapped[i]), swapped[i] > 0));
                     if (scan && majflt)
                         join(both(truth(known((*scan)[i]), (*scan)[i] > 0), truth(known((*majflt)[i]), (*majflt)[i] > 0)));
                     if (mem_some) join(truth(known((*mem_some)[i]), (*mem_some)[i] >= s.memory_pressure_pct));
                     return *t;
                 }),
                 swap_in && swap_out ? swapped : scan && majflt ? *scan : *mem_some,
                 swap_in && swap_out ? 0 : scan && majflt ? 0 : s.memory_pressure_pct, rule,
                 swap_in && swap_out ? "swapped" : scan && majflt ? "scanned" : "memory pressure",
                 swap_in && swap_out ? "%.1f pages/s" : scan && majflt ? "%.1f pages/s" : "%.1f%%",
                 mem_some && (swap_in || scan) ? *mem_some : std::vector<double>{}, "memory pressure %.1f%%"});
        }
        if (auto used = aligned(*memory, memory, "used_pct")) {
            add({FindingKind::memory_nearly_full, "memory", memory,
                 each(n, [&](std::size_t i) { return truth(known((*used)[i]), (*used)[i] >= s.memory_full_pct); }), *used,
                 s.memory_full_pct, "used >= " + number_text(s.memory_full_pct, "%g") + "% of MemTotal", "used",
                 "%.1f%%", {}, ""});
        }
    }

    if (auto disks = host.categories.find("disk"); disks != host.categories.end())
        for (const SeriesData& disk : disks->second) {
            if (is_pseudo_device(disk.device)) continue;
            auto util = aligned(disk, &disk, "util_pct");
            if (!util) continue;
            auto queue = aligned(disk, &disk, "aqu_sz");
            std::string rule = "%util >= " + number_text(s.disk_util_pct, "%g");
            if (queue)
                rule += ", or queue > " + number_text(s.disk_queue, "%g") + " with %util >= " +
                        number_text(s.disk_queue_util_pct, "%g");
            add({FindingKind::disk_saturated, "disk", &disk,
                 each(disk.time.size(),
                      [&](std::size_t i) {
                          Truth t = truth(known((*util)[i]), (*util)[i] >= s.disk_util_pct);
                          if (queue)
                              t = either(t, both(truth(known((*queue)[i]), (*queue)[i] > s.disk_queue),
                                                 truth(known((*util)[i]), (*util)[i] >= s.disk_queue_util_pct)));
                          return t;
                      }),
                 *util, s.disk_util_pct, rule, "%util", "%.1f", queue ? *queue : std::vector<double>{}, "queue %.1f"});
        }

    if (auto nics = host.categories.find("network"); nics != host.categories.end())
        for (const SeriesData& nic : nics->second) {
            if (is_pseudo_device(nic.device)) continue;
            const std::size_t n = nic.time.size();
            if (auto util = aligned(nic, &nic, "util_pct"))
                add({FindingKind::nic_saturated, "network", &nic,
                     each(n, [&](std::size_t i) { return truth(known((*util)[i]), (*util)[i] >= s.nic_util_pct); }),
                     *util, s.nic_util_pct, "%ifutil >= " + number_text(s.nic_util_pct, "%g"), "%ifutil", "%.1f", {},
                     ""});
            std::vector<double> errors(n, 0.0);
            bool any = false;
            for (const char* column : {"rxerr_ps", "txerr_ps", "rxdrop_ps", "txdrop_ps"})
                if (auto v = aligned(nic, &nic, column)) {
                    any = true;
                    for (std::size_t i = 0; i < n; ++i) errors[i] += (*v)[i];  // NaN stays NaN
                }
            if (any)
                add({FindingKind::nic_errors, "network", &nic,
                     each(n, [&](std::size_t i) { return truth(known(errors[i]), errors[i] > s.nic_errors_ps); }), errors,
                     s.nic_errors_ps, "errors and drops > " + number_text(s.nic_errors_ps, "%g") + "/s",
                     "errors and drops", "%.2f/s", {}, ""});
        }
    return out;
}

}  // namespace

const char* finding_name(FindingKind kind) { return info(kind).name; }
const char* finding_short_name(FindingKind kind) { return info(kind).short_name; }
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

std::string number_text(double value, const char* format) {
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
        for (Condition& c : host_conditions(host, cluster, s))
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
                f.evidence = c.rule + " in " + number_text(100 * share, "%.0f") + "% of samples (" +
                             clock_text(c.series->time[best_end + 1 - best]) + "-" + clock_text(c.series->time[best_end]) +
                             "), " + c.measure + " " + number_text(f.value, c.format.c_str());
                if (!extra_held.empty()) f.evidence += ", " + number_text(median_of(extra_held), c.extra_format.c_str());
                found.emplace_back(p, h, std::move(f));
            }
    }
    for (Finding& f : cluster_findings(hosts, phases, cluster, s)) {
        std::size_t p = 0, h = 0;
        while (p < phases.size() && phases[p].label != f.phase) ++p;
        while (h < hosts.size() && hosts[h].host != f.host) ++h;
        // One finding per straggling resource, and none where another rule
        // already names the host's resource.
        if (f.kind == FindingKind::straggler &&
            std::any_of(found.begin(), found.end(), [&](const auto& other) {
                const Finding& g = std::get<2>(other);
                return g.phase == f.phase && g.host == f.host && g.resource == f.resource;
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
