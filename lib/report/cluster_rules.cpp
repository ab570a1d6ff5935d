// The rules that judge a host against the others: stall, straggler (still
// busy after the others finished) and imbalance (more or less busy than the
// others over the same span); stall and imbalance also judge each GPU
// against the run's other GPUs (a kernel running stands for busy).  Idle
// host, a per-sample rule, lives with the host rules and uses ClusterBusy.
#include <algorithm>
#include <cmath>
#include <limits>

#include "model/contract.hpp"
#include "report/rules_common.hpp"

namespace clusterp {

namespace {

const double k_nan = std::numeric_limits<double>::quiet_NaN();

// A host's phase mean of one resource's measure: cpu busy, or the busiest
// (by mean) real disk or interface's %util.
struct Level {
    std::size_t host;
    std::string device;
    const SeriesData* series = nullptr;
    double mean = k_nan;
};

double mean_in(const std::vector<double>& values, std::size_t first, std::size_t last) {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t i = first; i < last; ++i)
        if (!std::isnan(values[i])) sum += values[i], ++n;
    return n ? sum / double(n) : k_nan;
}

// Each host's level (its busiest device's, for disk and network), or each
// GPU's: a GPU is compared with the run's other GPUs, not its host's.
std::vector<Level> levels(const std::vector<HostData>& hosts, const std::string& category, const Phase& phase,
                          std::size_t min_samples) {
    const bool each_device = category == "gpu";
    std::vector<Level> out;
    for (std::size_t h = 0; h < hosts.size(); ++h) {
        auto it = hosts[h].categories.find(category);
        if (it == hosts[h].categories.end()) continue;
        Level best{h, "", nullptr, k_nan};
        for (const SeriesData& series : it->second) {
            if (category != "cpu" && is_pseudo_device(series.device)) continue;
            const std::vector<double>* util = series.column("util_pct");
            if (!util) continue;
            const auto [first, last] = phase_range(series.time, phase);
            if (last - first < min_samples) continue;
            const double mean = mean_in(*util, first, last);
            if (std::isnan(mean)) continue;
            if (each_device) out.push_back({h, series.device, &series, mean});
            else if (std::isnan(best.mean) || mean > best.mean) best = {h, series.device, &series, mean};
        }
        if (best.series) out.push_back(best);
    }
    return out;
}

// What the busy series of a stall are: each host's cpu, or every GPU the
// run used (a kernel running more than UNUSED_PCT of the time in some
// sample): a GPU the job never touched is gpu idle's, and would drag down
// the median of those at work (a job on 4 of 8 GPUs a node).
std::vector<BusySeries> busy_series(const std::vector<HostData>& hosts, const std::string& category,
                                    double unused_pct) {
    std::vector<BusySeries> out;
    for (std::size_t h = 0; h < hosts.size(); ++h) {
        auto it = hosts[h].categories.find(category);
        if (it == hosts[h].categories.end()) continue;
        for (const SeriesData& series : it->second) {
            const std::vector<double>* util = series.column("util_pct");
            const bool used = util && (std::isnan(unused_pct) || std::any_of(util->begin(), util->end(), [&](double x) {
                                           return x > unused_pct;
                                       }));
            if (used && !series.time.empty()) out.push_back({h, &series});
            if (category == "cpu") break;
        }
    }
    return out;
}

Finding finding_for(const HostData& host, const Phase& phase, const std::string& resource, const std::string& device,
                    FindingKind kind) {
    Finding f;
    f.phase = phase.label;
    f.start = phase.start;
    f.end = phase.end;
    f.host = host.host;
    f.alias = host.alias;
    f.resource = resource;
    f.device = device;
    f.kind = kind;
    return f;
}

// TACC Stats' "catastrophe": the split of the phase where busy after it
// falls furthest below busy before it, while the cluster keeps working.
// CATEGORY's series (cpu: each host's; gpu: every GPU) against CLUSTER,
// their median.
void find_stalls(const std::vector<HostData>& hosts, const std::string& category, const Phase& phase,
                 const ClusterBusy& cluster, const RuleSettings& s, std::vector<Finding>& out) {
    const std::size_t run = std::size_t(s.min_consecutive);
    const bool gpu = category == "gpu";
    for (const BusySeries& unit : busy_series(hosts, category, gpu ? s.gpu_idle_pct : k_nan)) {
        const SeriesData* series = unit.series;
        const std::vector<double>* busy = series->column("util_pct");
        const auto [first, last] = phase_range(series->time, phase);
        std::vector<double> x, m, t;
        for (std::size_t i = first; i < last; ++i) {
            const double median = cluster.at(series->time[i]);
            if (std::isnan((*busy)[i]) || std::isnan(median)) continue;
            x.push_back((*busy)[i]);
            m.push_back(median);
            t.push_back(series->time[i]);
        }
        const std::size_t n = x.size();
        if (n < 2 * run) continue;
        std::vector<double> sx(n + 1, 0), sm(n + 1, 0);
        for (std::size_t i = 0; i < n; ++i) sx[i + 1] = sx[i] + x[i], sm[i + 1] = sm[i] + m[i];
        // The cluster's work ends at its last sample with a median busy of
        // stall_before_pct: a host that stops with it, or in the tail after
        // it, has finished, not stalled.
        std::size_t work_end = n;
        while (work_end > 0 && m[work_end - 1] < s.stall_before_pct) --work_end;
        std::size_t best = 0;
        double best_ratio = INFINITY;
        for (std::size_t k = run; k + run <= work_end; ++k) {
            const double before = sx[k] / double(k), after = (sx[n] - sx[k]) / double(n - k);
            const double others_before = sm[k] / double(k), others_after = (sm[work_end] - sm[k]) / double(work_end - k);
            if (before < s.stall_before_pct || others_before < s.stall_before_pct || others_after < others_before / 2)
                continue;
            // After the point, the node's own collectors and daemons go on
            // (sadc and pidstat take 1-3 % of a CPU at a 1 s interval, a
            // tick or two a second): work stopped is busy under
            // stall_after_pct above stall_ratio of what it was.
            const double ratio = after / before;
            if (after < s.stall_ratio * before + s.stall_after_pct && (!best || ratio < best_ratio)) best_ratio = ratio, best = k;
        }
        if (!best) continue;
        const double before = sx[best] / double(best), after = (sx[n] - sx[best]) / double(n - best);
        const double others_before = sm[best] / double(best),
                     others_after = (sm[work_end] - sm[best]) / double(work_end - best);
        Finding f = finding_for(hosts[unit.host], phase, category, gpu ? series->device : "", FindingKind::stall);
        f.value = best_ratio;
        f.threshold = s.stall_ratio;
        f.share = double(n - best) / double(n);
        f.evidence = gpu ? "a kernel running " + amount(before, "%") + " of the time, then " + amount(after, "%") + " from " +
                               clock_text(t[best]) + ", while the median GPU went on, a kernel running " +
                               amount(others_before, "%") + " of the time before and " + amount(others_after, "%") +
                               " after, until " + clock_text(t[work_end - 1])
                         : "busy fell from " + amount(before, "%") + " to " + amount(after, "%") + " at " +
                               clock_text(t[best]) + " while the median host went on working, " +
                               amount(others_before, "%") + " busy before and " + amount(others_after, "%") +
                               " after, until " + clock_text(t[work_end - 1]);
        out.push_back(std::move(f));
    }
}

// A host's busy level in a phase: at least a quarter of its own peak (the
// 95th percentile of busy), so that a host slowed to a low level still
// counts as working, and at least `straggler_busy_pct`, so that an idle
// host's noise does not.
double busy_level(const std::vector<double>& busy, std::size_t first, std::size_t last, const RuleSettings& s) {
    std::vector<double> values;
    for (std::size_t i = first; i < last; ++i)
        if (!std::isnan(busy[i])) values.push_back(busy[i]);
    if (values.empty()) return INFINITY;
    const std::size_t k = std::size_t(0.95 * double(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(k), values.end());
    return std::max(s.straggler_busy_pct, values[k] / 4);
}

// A host whose busy period ends far later than the median host's
// (Spark's speculation multiplier), counted from the phase's start.
void find_late_hosts(const std::vector<HostData>& hosts, const Phase& phase, const RuleSettings& s,
                     std::vector<Finding>& out) {
    struct End {
        const HostData* host;
        const SeriesData* cpu;
        double start;  // the host's first sample in the phase
        double end;    // its last busy sample
        double level;  // what busy means for it
    };
    std::vector<End> ends;
    for (const HostData& host : hosts) {
        const SeriesData* cpu = host.series("cpu");
        const std::vector<double>* busy = cpu ? cpu->column("util_pct") : nullptr;
        if (!busy) continue;
        const auto [first, last] = phase_range(cpu->time, phase);
        const double level = busy_level(*busy, first, last, s);
        for (std::size_t i = last; i-- > first;)
            if ((*busy)[i] >= level) {
                ends.push_back({&host, cpu, cpu->time[first], cpu->time[i], level});
                break;
            }
    }
    if (ends.size() < 3) return;
    std::vector<double> spans;
    for (const End& e : ends) spans.push_back(e.end - e.start);
    const double median = median_of(spans);
    for (const End& e : ends) {
        const double span = e.end - e.start;
        const double step = sample_interval(e.cpu->time);
        if (median <= 0 || span < s.straggler_end_factor * median || span - median < s.min_consecutive * step) continue;
        const auto [first, last] = phase_range(e.cpu->time, phase);
        const std::vector<double>& busy = *e.cpu->column("util_pct");
        std::size_t late = 0;
        for (std::size_t i = first; i < last; ++i) late += e.cpu->time[i] > e.start + median && busy[i] >= e.level;
        Finding f = finding_for(*e.host, phase, "cpu", "", FindingKind::straggler);
        f.value = span / median;
        f.threshold = s.straggler_end_factor;
        f.share = double(late) / double(last - first);
        f.evidence = "still busy (at least " + amount(e.level, "%") + ") at " + clock_text(e.end) + ", " +
                     number_text(span, "%.0f") + " s into the phase: " + number_text(f.value, "%.1f") +
                     " times the median host's " + number_text(median, "%.0f") + " s";
        out.push_back(std::move(f));
    }
}

// A host whose phase mean of a resource is far from the cluster's median
// (Iglewicz and Hoaglin's modified z-score, and a gap that matters).  Where
// the other hosts are identical (clones, idle nodes: a spread of zero) the
// gap alone decides.
void find_imbalance(const std::vector<HostData>& hosts, const Phase& phase, const RuleSettings& s,
                   std::vector<Finding>& out) {
    const std::size_t run = std::size_t(s.min_consecutive);
    for (const char* category : {"cpu", "disk", "network", "gpu"}) {
        const std::vector<Level> found = levels(hosts, category, phase, run);
        if (found.size() < 3) continue;
        std::vector<double> means, deviations;
        for (const Level& l : found) means.push_back(l.mean);
        const double median = median_of(means);
        for (const Level& l : found) deviations.push_back(std::fabs(l.mean - median));
        const double mad = median_of(deviations);
        for (const Level& l : found) {
            const double gap = l.mean - median;
            const bool far = mad > 0 ? std::fabs(0.6745 * gap / mad) >= s.imbalance_z : gap != 0;
            if (!far || std::fabs(gap) < s.imbalance_gap_pct) continue;
            const std::vector<double>& util = *l.series->column("util_pct");
            const auto [first, last] = phase_range(l.series->time, phase);
            std::size_t beyond = 0, judged = 0;
            for (std::size_t i = first; i < last; ++i) {
                if (std::isnan(util[i])) continue;
                ++judged;
                beyond += gap > 0 ? util[i] - median >= s.imbalance_gap_pct : median - util[i] >= s.imbalance_gap_pct;
            }
            Finding f = finding_for(hosts[l.host], phase, category, l.device, FindingKind::imbalance);
            f.value = l.mean;
            f.threshold = median;
            f.share = judged ? double(beyond) / double(judged) : 0;
            const std::string cat = category;
            f.evidence = cat == "cpu"    ? amount(l.mean, "%") + " busy while the median host was " + amount(median, "%")
                         : cat == "disk" ? amount(l.mean, "%") + " utilized while the median host's busiest disk was " +
                                               amount(median, "%")
                         : cat == "gpu"  ? "a kernel running " + amount(l.mean, "%") + " of the time against " +
                                              amount(median, "%") + " on the median GPU"
                                         : "at " + amount(l.mean, "%") +
                                               " of its line rate while the median host's busiest interface was at " +
                                               amount(median, "%");
            f.evidence += gap > 0 ? " (more work than the others)" : " (less work than the others)";
            out.push_back(std::move(f));
        }
    }
}

}  // namespace

double ClusterBusy::at(double time) const {
    const double k = std::round((time - t0) / step);
    if (k < 0 || k >= double(median.size())) return k_nan;
    return median[std::size_t(k)];
}

ClusterBusy cluster_busy(const std::vector<HostData>& hosts, const std::string& category, double unused_pct) {
    const std::vector<BusySeries> all = busy_series(hosts, category, unused_pct);
    ClusterBusy c;
    std::vector<double> steps;
    bool any = false;
    double t1 = 0;
    for (const BusySeries& unit : all) {
        const SeriesData* series = unit.series;
        ++c.hosts;
        steps.push_back(sample_interval(series->time));
        c.t0 = any ? std::min(c.t0, series->time.front()) : series->time.front();
        t1 = any ? std::max(t1, series->time.back()) : series->time.back();
        any = true;
    }
    if (!any) return c;
    c.step = median_of(steps);
    const std::size_t size = std::size_t(std::round((t1 - c.t0) / c.step)) + 1;
    std::vector<std::vector<double>> values(size);
    for (const BusySeries& unit : all) {
        const SeriesData* series = unit.series;
        const std::vector<double>* busy = series->column("util_pct");
        for (std::size_t i = 0; i < series->time.size(); ++i)
            if (!std::isnan((*busy)[i])) values[std::size_t(std::round((series->time[i] - c.t0) / c.step))].push_back((*busy)[i]);
    }
    c.median.assign(size, k_nan);
    for (std::size_t k = 0; k < size; ++k)
        if (values[k].size() >= 2) c.median[k] = median_of(std::move(values[k]));
    return c;
}

std::vector<Finding> cluster_findings(const std::vector<HostData>& hosts, const std::vector<Phase>& phases,
                                      const ClusterBusy& cluster, const RuleSettings& s) {
    std::vector<Finding> out;
    const ClusterBusy gpus = cluster_busy(hosts, "gpu", s.gpu_idle_pct);
    for (const Phase& phase : phases) find_stalls(hosts, "cpu", phase, cluster, s, out);
    for (const Phase& phase : phases) find_stalls(hosts, "gpu", phase, gpus, s, out);
    for (const Phase& phase : phases) {
        find_late_hosts(hosts, phase, s, out);
        find_imbalance(hosts, phase, s, out);
    }
    return out;
}

}  // namespace clusterp
