// The host rules (clusterp-report(1), FINDINGS): one small function per
// rule, each adding its conditions for one host; find_bottlenecks (rules.cpp)
// decides where they fire.  A rule's words: every number with its unit, the
// comparison spelled out, no statistic's name.
#include <cmath>
#include <limits>
#include <string>

#include "model/contract.hpp"
#include "report/rules_common.hpp"

namespace clusterp {

namespace {

const double k_nan = std::numeric_limits<double>::quiet_NaN();

using Values = std::optional<std::vector<double>>;

Values own(const SeriesData* series, const char* column) {
    return series ? HostView::aligned(*series, series, column) : std::nullopt;
}

// A condition joins the list only if some sample could be judged.
void add(std::vector<Condition>& out, Condition c) {
    for (signed char t : c.holds)
        if (t != k_unknown) {
            out.push_back(std::move(c));
            return;
        }
}

std::string cpus_text(int cpus) { return std::to_string(cpus) + (cpus == 1 ? " CPU" : " CPUs"); }

// More runnable tasks than CPUs while busy (Gregg: r > CPUs).
void cpu_saturated(const HostView& v, std::vector<Condition>& out) {
    const Values busy = own(v.cpu, "util_pct");
    const Values runq = v.cpu ? HostView::aligned(*v.cpu, v.load, "runq") : std::nullopt;
    const int cpus = v.host.cpus;
    if (!busy || !runq || cpus < 1) return;
    const double floor = v.s.cpu_busy_pct;
    add(out, {FindingKind::cpu_saturated, "cpu", v.cpu, each_sample(busy->size(), [&](std::size_t i) {
                  return both(judged((*busy)[i], [&](double x) { return x >= floor; }),
                              judged((*runq)[i], [&](double x) { return x > cpus; }));
              }),
              *runq, double(cpus), *busy, [cpus](double tasks, double b) {
                  return number_text(tasks, "%.1f") + " runnable tasks for " + cpus_text(cpus) + ", " +
                         amount(b, "%") + " busy";
              }});
}

// Every core about fully used, without more runnable tasks than CPUs (that
// is cpu saturated); judged also when the CPU count is unknown.
void cpu_fully_busy(const HostView& v, std::vector<Condition>& out) {
    const Values busy = own(v.cpu, "util_pct");
    if (!busy) return;
    const Values runq = v.cpu ? HostView::aligned(*v.cpu, v.load, "runq") : std::nullopt;
    const int cpus = v.host.cpus;
    const double floor = v.s.cpu_busy_pct;
    add(out, {FindingKind::cpu_fully_busy, "cpu", v.cpu, each_sample(busy->size(), [&](std::size_t i) {
                  const double b = (*busy)[i];
                  const bool saturated = runq && cpus > 0 && (*runq)[i] > cpus;
                  return judged(b, [&](double x) { return x >= floor && !saturated; });
              }),
              *busy, floor, runq ? *runq : std::vector<double>{}, [cpus, floor, has_runq = bool(runq)](double b, double tasks) {
                  std::string text = "all " + (cpus > 0 ? cpus_text(cpus) : std::string("CPUs")) + " " + amount(b, "%") +
                                     " busy (fully busy from " + number_text(floor, "%g") + " %)";
                  if (has_runq && tasks == tasks) text += ", " + number_text(tasks, "%.1f") + " runnable tasks";
                  return text;
              }});
}

// Idle while the cluster's median host works (jobstats: an unused node).
void idle_host(const HostView& v, std::vector<Condition>& out) {
    const Values busy = own(v.cpu, "util_pct");
    if (!busy || v.cluster.hosts < 3) return;
    std::vector<double> median(busy->size());
    for (std::size_t i = 0; i < median.size(); ++i) median[i] = v.cluster.at(v.cpu->time[i]);
    const RuleSettings& s = v.s;
    add(out, {FindingKind::idle_host, "cpu", v.cpu, each_sample(busy->size(), [&](std::size_t i) {
                  return both(judged((*busy)[i], [&](double x) { return x <= s.idle_busy_pct; }),
                              judged(median[i], [&](double x) { return x >= s.idle_cluster_pct; }));
              }),
              *busy, s.idle_busy_pct, median, [](double b, double m) {
                  return amount(b, "%") + " busy while the median host was " + amount(m, "%") + " busy";
              }});
}

// One core full while the host as a whole is not: one thread holds the job
// back.  With one CPU the busiest core is the host: fully busy says it.
void single_core_bound(const HostView& v, std::vector<Condition>& out) {
    const Values busy = own(v.cpu, "util_pct");
    const Values busiest = own(v.cpu, "busiest_core_pct");
    const int cpus = v.host.cpus;
    if (!busy || !busiest || cpus < 2) return;
    const double ceiling = 100.0 / cpus + v.s.single_core_margin_pct, floor = v.s.single_core_pct;
    add(out, {FindingKind::single_core_bound, "cpu", v.cpu, each_sample(busy->size(), [&](std::size_t i) {
                  return both(judged((*busiest)[i], [&](double x) { return x >= floor; }),
                              judged((*busy)[i], [&](double x) { return x <= ceiling; }));
              }),
              *busiest, floor, *busy, [cpus](double core, double b) {
                  return "its busiest core " + amount(core, "%") + " busy while the host's " + cpus_text(cpus) + " were " +
                         amount(b, "%") + " busy, where one full core is " + amount(100.0 / cpus, "%");
              }});
}

void cpu_stolen(const HostView& v, std::vector<Condition>& out) {
    const Values steal = own(v.cpu, "steal");
    if (!steal) return;
    const double floor = v.s.steal_pct;
    add(out, {FindingKind::cpu_stolen, "cpu", v.cpu,
              each_sample(steal->size(), [&](std::size_t i) { return judged((*steal)[i], [&](double x) { return x >= floor; }); }),
              *steal, floor, {}, [floor](double x, double) {
                  return amount(x, "%") + " of CPU time taken by the hypervisor (at least " + number_text(floor, "%g") + " %)";
              }});
}

// Idle CPUs with I/O outstanding, or tasks stalled on I/O (PSI).
void waiting_on_io(const HostView& v, std::vector<Condition>& out) {
    const Values busy = own(v.cpu, "util_pct");
    const Values iowait = busy ? own(v.cpu, "iowait") : std::nullopt;
    const Values some = v.cpu ? HostView::aligned(*v.cpu, v.load, "io_some_pct") : std::nullopt;
    if (!iowait && !some) return;
    const RuleSettings& s = v.s;
    const std::size_t n = v.cpu->time.size();
    auto holds = each_sample(n, [&](std::size_t i) {
        std::optional<Truth> t;
        if (iowait)
            t = both(judged((*iowait)[i], [&](double x) { return x >= s.iowait_pct; }),
                     judged((*busy)[i], [&](double x) { return x < s.iowait_busy_below_pct; }));
        if (some) {
            const Truth p = judged((*some)[i], [&](double x) { return x >= s.io_pressure_pct; });
            t = t ? either(*t, p) : p;
        }
        return *t;
    });
    const double pressure_floor = s.io_pressure_pct;
    auto stalled = [pressure_floor](double p) {
        return "tasks stalled on I/O " + amount(p, "%") + " of the time (at least " + number_text(pressure_floor, "%g") + " %)";
    };
    if (iowait)
        add(out, {FindingKind::waiting_on_io, "cpu", v.cpu, std::move(holds), *iowait, s.iowait_pct,
                  some ? *some : std::vector<double>{}, [floor = s.iowait_pct, stalled, has_some = bool(some)](double w, double p) {
                      std::string text = amount(w, "%") + " of CPU time idle waiting on I/O (at least " +
                                         number_text(floor, "%g") + " %)";
                      if (has_some && p == p) text += ", " + stalled(p);
                      return text;
                  }});
    else
        add(out, {FindingKind::waiting_on_io, "cpu", v.cpu, std::move(holds), *some, pressure_floor, {},
                  [stalled](double p, double) { return stalled(p); }});
}

// Swapping, reclaim with major faults (scanning alone is the page cache at
// work), or tasks stalled on memory (PSI).
void memory_pressure(const HostView& v, std::vector<Condition>& out) {
    if (!v.memory) return;
    const SeriesData& m = *v.memory;
    const Values swap_in = HostView::aligned(m, v.swap, "in_pps"), swap_out = HostView::aligned(m, v.swap, "out_pps");
    const Values scan = own(v.memory, "pgscan_ps"), majflt = own(v.memory, "majflt_ps");
    const Values some = HostView::aligned(m, v.load, "mem_some_pct");
    const bool swapping = swap_in && swap_out, faulting = scan && majflt;
    if (!swapping && !faulting && !some) return;
    const std::size_t n = m.time.size();
    std::vector<double> swapped(n, k_nan);
    if (swapping)
        for (std::size_t i = 0; i < n; ++i) swapped[i] = (*swap_in)[i] + (*swap_out)[i];
    const RuleSettings& s = v.s;
    auto holds = each_sample(n, [&](std::size_t i) {
        std::optional<Truth> t;
        auto join = [&](Truth u) { t = t ? either(*t, u) : u; };
        if (swapping) join(judged(swapped[i], [](double x) { return x > 0; }));
        if (faulting)
            join(both(judged((*scan)[i], [](double x) { return x > 0; }), judged((*majflt)[i], [](double x) { return x > 0; })));
        if (some) join(judged((*some)[i], [&](double x) { return x >= s.memory_pressure_pct; }));
        return *t;
    });
    const double floor = s.memory_pressure_pct;
    auto stalled = [floor](double p) {
        return "tasks stalled on memory " + amount(p, "%") + " of the time (at least " + number_text(floor, "%g") + " %)";
    };
    const std::vector<double> extra = some && (swapping || faulting) ? *some : std::vector<double>{};
    auto with_pressure = [stalled, has = !extra.empty()](std::string text, double p) {
        return has && p == p ? text + ", " + stalled(p) : text;
    };
    if (swapping)
        add(out, {FindingKind::memory_pressure, "memory", v.memory, std::move(holds), swapped, 0, extra,
                  [with_pressure](double x, double p) { return with_pressure(amount(x, "pages/s") + " swapped in and out", p); }});
    else if (faulting)
        add(out, {FindingKind::memory_pressure, "memory", v.memory, std::move(holds), *scan, 0, extra,
                  [with_pressure](double x, double p) {
                      return with_pressure(amount(x, "pages/s") + " scanned for reclaim, with major faults", p);
                  }});
    else
        add(out, {FindingKind::memory_pressure, "memory", v.memory, std::move(holds), *some, floor, {},
                  [stalled](double p, double) { return stalled(p); }});
}

void memory_nearly_full(const HostView& v, std::vector<Condition>& out) {
    const Values used = own(v.memory, "used_pct");
    if (!used) return;
    const double floor = v.s.memory_full_pct;
    add(out, {FindingKind::memory_nearly_full, "memory", v.memory,
              each_sample(used->size(), [&](std::size_t i) { return judged((*used)[i], [&](double x) { return x >= floor; }); }),
              *used, floor, {}, [floor](double x, double) {
                  return amount(x, "%") + " of memory used (at least " + number_text(floor, "%g") + " %)";
              }});
}

// The host's real disks, interfaces (loop, ram, lo are never judged).
template <class F>
void each_device(const HostView& v, const char* category, F&& f) {
    auto it = v.host.categories.find(category);
    if (it == v.host.categories.end()) return;
    for (const SeriesData& series : it->second)
        if (!is_pseudo_device(series.device)) f(series);
}

// Busy nearly all the time, or a queue while busy most of it (Gregg).
void disk_saturated(const HostView& v, std::vector<Condition>& out) {
    const RuleSettings& s = v.s;
    each_device(v, "disk", [&](const SeriesData& disk) {
        const Values util = own(&disk, "util_pct");
        if (!util) return;
        const Values queue = own(&disk, "aqu_sz");
        add(out, {FindingKind::disk_saturated, "disk", &disk, each_sample(util->size(), [&](std::size_t i) {
                      Truth t = judged((*util)[i], [&](double x) { return x >= s.disk_util_pct; });
                      if (queue)
                          t = either(t, both(judged((*queue)[i], [&](double x) { return x > s.disk_queue; }),
                                             judged((*util)[i], [&](double x) { return x >= s.disk_queue_util_pct; })));
                      return t;
                  }),
                  *util, s.disk_util_pct, queue ? *queue : std::vector<double>{},
                  [has_queue = bool(queue)](double u, double q) {
                      std::string text = amount(u, "%") + " utilized";
                      if (has_queue && q == q) text += ", " + number_text(q, "%.1f") + " requests queued on average";
                      return text;
                  }});
    });
}

void nic_saturated(const HostView& v, std::vector<Condition>& out) {
    const double floor = v.s.nic_util_pct;
    each_device(v, "network", [&](const SeriesData& nic) {
        const Values util = own(&nic, "util_pct");
        if (!util) return;
        add(out, {FindingKind::nic_saturated, "network", &nic,
                  each_sample(util->size(), [&](std::size_t i) { return judged((*util)[i], [&](double x) { return x >= floor; }); }),
                  *util, floor, {}, [floor](double u, double) {
                      return "at " + amount(u, "%") + " of its line rate (at least " + number_text(floor, "%g") + " %)";
                  }});
    });
}

void nic_errors(const HostView& v, std::vector<Condition>& out) {
    const double floor = v.s.nic_errors_ps;
    each_device(v, "network", [&](const SeriesData& nic) {
        std::vector<double> errors(nic.time.size(), 0.0);
        bool any = false;
        for (const char* column : {"rxerr_ps", "txerr_ps", "rxdrop_ps", "txdrop_ps"})
            if (const Values x = own(&nic, column)) {
                any = true;
                for (std::size_t i = 0; i < errors.size(); ++i) errors[i] += (*x)[i];  // NaN stays NaN
            }
        if (!any) return;
        add(out, {FindingKind::nic_errors, "network", &nic,
                  each_sample(errors.size(), [&](std::size_t i) { return judged(errors[i], [&](double x) { return x > floor; }); }),
                  errors, floor, {}, [](double e, double) { return number_text(e, "%.2f") + " errors and drops per second"; }});
    });
}

}  // namespace

std::optional<std::vector<double>> HostView::aligned(const SeriesData& base, const SeriesData* aux, const char* column) {
    if (!aux) return std::nullopt;
    const std::vector<double>* values = aux->column(column);
    if (!values) return std::nullopt;
    if (&base == aux) return *values;
    const double tolerance = sample_interval(base.time) / 2;
    std::vector<double> out(base.time.size(), k_nan);
    std::size_t j = 0;
    for (std::size_t i = 0; i < base.time.size(); ++i) {
        while (j + 1 < aux->time.size() && std::fabs(aux->time[j + 1] - base.time[i]) <= std::fabs(aux->time[j] - base.time[i])) ++j;
        if (j < aux->time.size() && std::fabs(aux->time[j] - base.time[i]) <= tolerance) out[i] = (*values)[j];
    }
    return out;
}

const std::vector<HostRule>& host_rules() {
    static const std::vector<HostRule> rules = [] {
        std::vector<HostRule> list = {
            cpu_saturated,   cpu_fully_busy,     idle_host,      single_core_bound, cpu_stolen, waiting_on_io,
            memory_pressure, memory_nearly_full, disk_saturated, nic_saturated,     nic_errors,
        };
        list.insert(list.end(), gpu_rules().begin(), gpu_rules().end());
        return list;
    }();
    return rules;
}

}  // namespace clusterp
