#include "report/compare.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "report/rules_common.hpp"

namespace clusterp {

namespace {

// NAMES and ALIASES of A and B paired: by name, then by alias, then the
// rest by order.
HostMatch match_names(const std::vector<std::string>& a_names, const std::vector<std::string>& a_aliases,
                      const std::vector<std::string>& b_names, const std::vector<std::string>& b_aliases) {
    std::vector<int> partner(a_names.size(), -1);
    std::vector<bool> taken(b_names.size(), false);
    auto pair_on = [&](const std::vector<std::string>& a_keys, const std::vector<std::string>& b_keys) {
        std::map<std::string, int> index;
        for (std::size_t j = b_keys.size(); j-- > 0;)
            if (!taken[j] && !b_keys[j].empty()) index[b_keys[j]] = int(j);
        for (std::size_t i = 0; i < a_keys.size(); ++i) {
            if (partner[i] >= 0 || a_keys[i].empty()) continue;
            auto it = index.find(a_keys[i]);
            if (it == index.end() || taken[std::size_t(it->second)]) continue;
            partner[i] = it->second;
            taken[std::size_t(it->second)] = true;
        }
    };
    pair_on(a_names, b_names);
    pair_on(a_aliases, b_aliases);
    HostMatch out;
    std::size_t j = 0;
    for (std::size_t i = 0; i < a_names.size(); ++i) {
        if (partner[i] >= 0) continue;
        while (j < taken.size() && taken[j]) ++j;
        if (j == taken.size()) break;
        partner[i] = int(j);
        taken[j] = true;
        ++out.by_rank;
    }
    for (std::size_t i = 0; i < a_names.size(); ++i) out.pairs.emplace_back(int(i), partner[i]);
    for (std::size_t k = 0; k < taken.size(); ++k)
        if (!taken[k]) out.pairs.emplace_back(-1, int(k));
    return out;
}

// The mean of VALUES over the samples of TIME within PHASE (NaN skipped);
// nullopt when there is none.
std::optional<double> phase_mean(const std::vector<double>& time, const std::vector<double>& values, const Phase& phase) {
    const auto [first, last] = phase_range(time, phase);
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t i = first; i < last && i < values.size(); ++i)
        if (!std::isnan(values[i])) sum += values[i], ++n;
    if (n == 0) return std::nullopt;
    return sum / double(n);
}

// The usual step between a run's samples: its first series' (1 when none).
double run_interval(const CompareRun& run) {
    for (const HostData& host : run.hosts)
        for (const auto& entry : host.categories)
            for (const SeriesData& series : entry.second)
                if (series.time.size() > 1) return sample_interval(series.time);
    return 1;
}

int severity_rank(const std::string& severity) {
    return severity == "critical" ? 3 : severity == "warning" ? 2 : 1;
}

std::string seconds_text(double seconds) {
    return number_text(seconds, std::fabs(seconds) >= 10 ? "%.0f" : "%.1f") + " s";
}

std::string value_text(double value) {
    const double size = std::fabs(value);
    return number_text(value, size >= 100 ? "%.0f" : size >= 1 ? "%.1f" : "%.2f");
}

std::string pct_text(const Change& change) {
    const std::optional<double> pct = change.change_pct();
    if (!pct) return "from 0";
    return (*pct >= 0 ? "+" : "") + number_text(*pct, "%.0f") + "%";
}

void phase_changes(const CompareRun& a, const CompareRun& b, const Comparison& comparison,
                   const CompareSettings& settings, std::vector<Change>& out) {
    const double step = std::max(run_interval(a), run_interval(b));
    for (const auto& [i, j] : comparison.phases) {
        Change c;
        c.measure = "duration_s";
        if (i >= 0) c.phase = a.phases[std::size_t(i)].label, c.a = a.phases[std::size_t(i)].end - a.phases[std::size_t(i)].start;
        if (j >= 0) c.phase = b.phases[std::size_t(j)].label, c.b = b.phases[std::size_t(j)].end - b.phases[std::size_t(j)].start;
        if (c.a && c.b) {
            const double diff = *c.b - *c.a;
            if (std::fabs(diff) < step || std::fabs(diff) < *c.a * settings.duration_pct / 100) continue;
            c.verdict = diff > 0 ? Verdict::longer : Verdict::shorter;
            c.weight = std::fabs(diff) / std::max(*c.a, step);
        } else {
            c.verdict = c.a ? Verdict::only_a : Verdict::only_b;
            c.weight = -1;  // after the durations that changed, in phase order
        }
        out.push_back(std::move(c));
    }
}

void host_changes(const CompareRun& a, const CompareRun& b, const Comparison& comparison, std::vector<Change>& out) {
    for (const auto& [i, j] : comparison.hosts.pairs) {
        if (i >= 0 && j >= 0) continue;
        const HostData& host = i >= 0 ? a.hosts[std::size_t(i)] : b.hosts[std::size_t(j)];
        Change c;
        c.host = host.host;
        c.alias = host.alias;
        c.verdict = i >= 0 ? Verdict::only_a : Verdict::only_b;
        out.push_back(std::move(c));
    }
}

void finding_changes(const CompareRun& a, const CompareRun& b, const Comparison& comparison, std::vector<Change>& out) {
    // B's host names as A calls them; the hosts of one run only, whose
    // findings compare with nothing (the host's own line says so).
    std::map<std::string, std::pair<std::string, std::string>> b_as_a;
    std::set<std::string> only_a, only_b;
    for (const auto& [i, j] : comparison.hosts.pairs) {
        if (i >= 0 && j >= 0) b_as_a[b.hosts[std::size_t(j)].host] = {a.hosts[std::size_t(i)].host, a.hosts[std::size_t(i)].alias};
        else if (i >= 0) only_a.insert(a.hosts[std::size_t(i)].host);
        else only_b.insert(b.hosts[std::size_t(j)].host);
    }
    using Key = std::tuple<std::string, std::string, std::string, std::string, std::string>;
    auto key = [](const FindingRow& f, const std::string& host) { return Key{f.phase, host, f.resource, f.device, f.finding}; };
    std::map<Key, const FindingRow*> in_a, in_b;
    for (const FindingRow& f : a.findings) in_a.emplace(key(f, f.host), &f);
    for (const FindingRow& f : b.findings) {
        auto it = b_as_a.find(f.host);
        in_b.emplace(key(f, it == b_as_a.end() ? f.host : it->second.first), &f);
    }
    auto add = [&](const FindingRow& f, const std::string& host, const std::string& alias, Verdict verdict) {
        Change c;
        c.phase = f.phase;
        c.host = host;
        c.alias = alias;
        c.resource = f.resource;
        c.device = f.device;
        c.measure = f.finding;
        (verdict == Verdict::appeared ? c.b : c.a) = f.share;
        c.verdict = verdict;
        c.evidence = f.evidence;
        // Appeared before disappeared, then by severity and share.
        c.weight = (verdict == Verdict::appeared ? 10 : 0) + severity_rank(f.severity) + f.share;
        out.push_back(std::move(c));
    };
    for (const FindingRow& f : b.findings) {
        if (only_b.count(f.host)) continue;
        auto it = b_as_a.find(f.host);
        const std::string host = it == b_as_a.end() ? f.host : it->second.first;
        const std::string alias = it == b_as_a.end() ? f.alias : it->second.second;
        if (!in_a.count(key(f, host))) add(f, host, alias, Verdict::appeared);
    }
    for (const FindingRow& f : a.findings)
        if (!only_a.count(f.host) && !in_b.count(key(f, f.host))) add(f, f.host, f.alias, Verdict::disappeared);
}

// The series of one category of two matched hosts, paired by device.
Pairs series_pairs(const std::vector<SeriesData>& a, const std::vector<SeriesData>& b) {
    std::vector<std::string> an, aa, bn, ba;
    for (const SeriesData& s : a) an.push_back(s.device), aa.push_back(s.device_alias);
    for (const SeriesData& s : b) bn.push_back(s.device), ba.push_back(s.device_alias);
    Pairs out;
    for (const auto& p : match_names(an, aa, bn, ba).pairs)
        if (p.first >= 0 && p.second >= 0) out.push_back(p);
    return out;
}

void measure_changes(const CompareRun& a, const CompareRun& b, const Comparison& comparison,
                     const CompareSettings& settings, std::vector<Change>& out) {
    for (const auto& [pi, pj] : comparison.phases) {
        if (pi < 0 || pj < 0) continue;
        const Phase& phase_a = a.phases[std::size_t(pi)];
        const Phase& phase_b = b.phases[std::size_t(pj)];
        for (const auto& [hi, hj] : comparison.hosts.pairs) {
            if (hi < 0 || hj < 0) continue;
            const HostData& host_a = a.hosts[std::size_t(hi)];
            const HostData& host_b = b.hosts[std::size_t(hj)];
            for (const KeyMeasure& m : key_measures()) {
                auto sa = host_a.categories.find(m.category);
                auto sb = host_b.categories.find(m.category);
                if (sa == host_a.categories.end() || sb == host_b.categories.end()) continue;
                for (const auto& [di, dj] : series_pairs(sa->second, sb->second)) {
                    const SeriesData& series_a = sa->second[std::size_t(di)];
                    const SeriesData& series_b = sb->second[std::size_t(dj)];
                    const std::vector<double>* va = series_a.column(m.column);
                    const std::vector<double>* vb = series_b.column(m.column);
                    if (!va || !vb) continue;
                    const std::optional<double> mean_a = phase_mean(series_a.time, *va, phase_a);
                    const std::optional<double> mean_b = phase_mean(series_b.time, *vb, phase_b);
                    if (!mean_a || !mean_b) continue;
                    const double low = std::min(*mean_a, *mean_b), high = std::max(*mean_a, *mean_b);
                    if (high - low < m.floor || high < low * settings.ratio) continue;
                    Change c;
                    c.phase = phase_a.label;
                    c.host = host_a.host;
                    c.alias = host_a.alias;
                    c.resource = m.category;
                    c.device = series_a.device;
                    c.measure = m.column;
                    c.a = mean_a;
                    c.b = mean_b;
                    c.verdict = *mean_b > *mean_a ? Verdict::higher : Verdict::lower;
                    c.weight = (high - low) / m.floor;
                    out.push_back(std::move(c));
                }
            }
        }
    }
}

}  // namespace

const std::vector<KeyMeasure>& key_measures() {
    static const std::vector<KeyMeasure> measures = {
        {"cpu", "util_pct", 5},       {"cpu", "iowait", 5},           {"cpu", "steal", 5},
        {"load", "runq", 1},          {"load", "io_some_pct", 5},     {"load", "mem_some_pct", 5},
        {"memory", "used_pct", 5},    {"memory", "majflt_ps", 50},    {"memory", "pgscan_ps", 1000},
        {"swap", "in_pps", 100},      {"swap", "out_pps", 100},       {"disk", "util_pct", 10},
        {"disk", "aqu_sz", 1},        {"disk", "await_ms", 5},        {"disk", "read_mibps", 5},
        {"disk", "write_mibps", 5},   {"network", "util_pct", 10},    {"network", "rx_mibps", 5},
        {"network", "tx_mibps", 5},   {"network", "rxerr_ps", 1},     {"network", "txerr_ps", 1},
        {"network", "rxdrop_ps", 10}, {"network", "txdrop_ps", 10},
    };
    return measures;
}

FindingRow finding_row(const Finding& f) {
    return {f.phase, f.host, f.alias, f.resource, f.device, finding_name(f.kind),
            severity_name(finding_severity(f.kind)), f.share, f.evidence};
}

const char* verdict_name(Verdict verdict) {
    switch (verdict) {
    case Verdict::longer: return "longer";
    case Verdict::shorter: return "shorter";
    case Verdict::only_a: return "only in A";
    case Verdict::only_b: return "only in B";
    case Verdict::appeared: return "appeared";
    case Verdict::disappeared: return "disappeared";
    case Verdict::higher: return "higher";
    case Verdict::lower: return "lower";
    }
    return "";
}

std::optional<double> Change::change_pct() const {
    if (!a || !b || *a == 0) return std::nullopt;
    return (*b - *a) / *a * 100;
}

Pairs match_phases(const std::vector<Phase>& a, const std::vector<Phase>& b) {
    std::map<std::string, std::vector<int>> b_by_label;
    for (std::size_t j = 0; j < b.size(); ++j) b_by_label[b[j].label].push_back(int(j));
    std::map<std::string, std::size_t> seen;
    std::vector<bool> taken(b.size(), false);
    Pairs out;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::size_t k = seen[a[i].label]++;
        const std::vector<int>& same = b_by_label[a[i].label];
        const int j = k < same.size() ? same[k] : -1;
        if (j >= 0) taken[std::size_t(j)] = true;
        out.emplace_back(int(i), j);
    }
    for (std::size_t j = 0; j < b.size(); ++j)
        if (!taken[j]) out.emplace_back(-1, int(j));
    return out;
}

HostMatch match_hosts(const std::vector<HostData>& a, const std::vector<HostData>& b) {
    std::vector<std::string> an, aa, bn, ba;
    for (const HostData& h : a) an.push_back(h.host), aa.push_back(h.alias);
    for (const HostData& h : b) bn.push_back(h.host), ba.push_back(h.alias);
    return match_names(an, aa, bn, ba);
}

Comparison compare_runs(const CompareRun& a, const CompareRun& b, const CompareSettings& settings) {
    Comparison out;
    out.phases = match_phases(a.phases, b.phases);
    out.hosts = match_hosts(a.hosts, b.hosts);
    std::vector<Change> phases, hosts, findings, measures;
    phase_changes(a, b, out, settings, phases);
    host_changes(a, b, out, hosts);
    finding_changes(a, b, out, findings);
    measure_changes(a, b, out, settings, measures);
    for (std::vector<Change>* part : {&phases, &findings, &measures})
        std::stable_sort(part->begin(), part->end(), [](const Change& x, const Change& y) { return x.weight > y.weight; });
    for (std::vector<Change>* part : {&phases, &hosts, &findings, &measures})
        out.changes.insert(out.changes.end(), part->begin(), part->end());
    return out;
}

std::string rank_match_line(const Comparison& comparison, const CompareRun& a, const CompareRun& b) {
    if (comparison.hosts.by_rank == 0) return "";
    std::string line = std::to_string(comparison.hosts.by_rank) +
                       (comparison.hosts.by_rank == 1 ? " host" : " hosts") + " matched by order, as names and aliases differ: ";
    std::size_t shown = 0, rest = 0;
    for (const auto& [i, j] : comparison.hosts.pairs) {
        if (i < 0 || j < 0 || a.hosts[std::size_t(i)].host == b.hosts[std::size_t(j)].host) continue;
        const HostData& ha = a.hosts[std::size_t(i)];
        const HostData& hb = b.hosts[std::size_t(j)];
        if (!ha.alias.empty() && ha.alias == hb.alias) continue;
        if (shown == 3) {
            ++rest;
            continue;
        }
        line += std::string(shown ? ", " : "") + ha.host + " = " + hb.host;
        ++shown;
    }
    if (rest) line += " and " + std::to_string(rest) + " more";
    return line;
}

std::string change_line(const Change& c) {
    const std::string who = c.alias.empty() ? c.host : c.alias;
    switch (c.verdict) {
    case Verdict::longer:
    case Verdict::shorter:
        return c.phase + " took " + seconds_text(*c.a) + " -> " + seconds_text(*c.b) + " (" + pct_text(c) + ")\n";
    case Verdict::only_a:
    case Verdict::only_b: {
        const char* run = c.verdict == Verdict::only_a ? "A" : "B";
        if (c.host.empty()) return c.phase + " only in " + run + " (" + seconds_text(c.a ? *c.a : *c.b) + ")\n";
        return "host " + who + " only in " + std::string(run) + "\n";
    }
    case Verdict::appeared:
    case Verdict::disappeared: {
        // As the report's line says it, + or - before it.
        const std::optional<FindingKind> kind = finding_kind_from_name(c.measure);
        return std::string(c.verdict == Verdict::appeared ? "+ " : "- ") + c.phase + " " + who + " " + c.resource +
               (c.device.empty() ? "" : " " + c.device) + " " + (kind ? finding_short_name(*kind) : c.measure) + ": " +
               c.evidence + "\n";
    }
    case Verdict::higher:
    case Verdict::lower:
        break;
    }
    return c.phase + " " + who + " " + c.resource + (c.device.empty() ? "" : " " + c.device) + " " + c.measure + " " +
           value_text(*c.a) + " -> " + value_text(*c.b) + " (" + pct_text(c) + ")\n";
}

}  // namespace clusterp
