#include "report/compare_run.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>

#include "base/atomic_file.hpp"
#include "base/diag.hpp"
#include "base/read_file.hpp"
#include "model/contract.hpp"
#include "model/csv.hpp"
#include "report/report_run.hpp"
#include "report/rules_common.hpp"

namespace clusterp {

namespace fs = std::filesystem;

namespace {

// What the rules read, and the key measures.
RunColumns compare_columns() {
    RunColumns columns = rule_columns();
    for (const KeyMeasure& m : key_measures()) {
        std::vector<std::string>& list = columns[m.category];
        if (std::find(list.begin(), list.end(), m.column) == list.end()) list.push_back(m.column);
    }
    return columns;
}

// The rows of a report/findings.csv (TEXT); a row without its phase, host,
// resource or finding is skipped.
std::vector<FindingRow> findings_of(const std::string& text) {
    const CsvTable table = read_csv_table(text);
    std::vector<FindingRow> out;
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        auto at = [&](const char* name) { return table.get(i, name); };
        FindingRow row{at("phase"),   at("host"),     at("alias"), at("resource"), at("device"), at("finding"),
                       at("severity"), csv_number(at("share")), at("evidence")};
        if (row.phase.empty() || row.host.empty() || row.resource.empty() || row.finding.empty()) continue;
        if (std::isnan(row.share)) row.share = 0;
        out.push_back(std::move(row));
    }
    return out;
}

std::vector<FindingRow> rule_findings(const ParsedRun& run, const RuleSettings& settings) {
    std::vector<FindingRow> out;
    for (const Finding& f : find_bottlenecks(run.hosts, run.phases, settings)) out.push_back(finding_row(f));
    return out;
}

struct LoadedRun {
    CompareRun run;
    std::string run_id;
    bool bad = false;
};

LoadedRun load_directory(const std::string& dir, const RunColumns& columns) {
    ParsedRun parsed = read_parsed_run(dir, columns, 0);
    LoadedRun out;
    const std::string findings = dir + "/report/findings.csv";
    std::error_code ec;
    if (fs::exists(findings, ec)) out.run.findings = findings_of(read_whole_file(findings));
    else out.run.findings = rule_findings(parsed, rule_settings_from(dir + "/config.yml", false));
    out.run.hosts = std::move(parsed.hosts);
    out.run.phases = std::move(parsed.phases);
    out.run_id = parsed.run_id;
    out.bad = parsed.bad;
    return out;
}

LoadedRun load_file(const std::string& path, const RunColumns& columns) {
    ParsedRun parsed = read_parsed_files({path}, "", columns, 0);
    LoadedRun out;
    out.run.findings = rule_findings(parsed, RuleSettings());
    out.run.hosts = std::move(parsed.hosts);
    out.run.phases = std::move(parsed.phases);
    out.bad = parsed.bad;
    return out;
}

std::string changes_csv(const std::vector<Change>& changes) {
    std::string out;
    CsvWriter csv([&](const char* data, std::size_t size) { out.append(data, size); });
    csv.raw(k_changes_header);
    csv.end_row();
    auto number = [&](const std::optional<double>& v) {
        if (v) csv.number(*v);
        else csv.raw("");
    };
    for (const Change& c : changes) {
        csv.text(c.phase);
        csv.text(c.host);
        csv.text(c.alias);
        csv.text(c.resource);
        csv.text(c.device);
        csv.text(c.measure);
        number(c.a);
        number(c.b);
        const std::optional<double> pct = c.change_pct();
        if (pct) csv.raw(number_text(*pct, "%.1f"));
        else csv.raw("");
        csv.text(verdict_name(c.verdict));
        csv.end_row();
    }
    csv.flush();
    return out;
}

// The band of one key measure over the hosts of one run in PHASE: each
// series (a host's, or a host's device) averaged per bucket of WIDTH
// seconds from the phase's start, then the min, median and max of those
// means per bucket (of an even count, the upper median).  Averaging first
// keeps the work to one pass over the samples and the rows to at most
// k_band_points per band.
void band_rows(CsvWriter& csv, const std::string& label, const KeyMeasure& m, const char* run_name,
               const CompareRun& run, const Phase& phase, double width) {
    const std::size_t buckets = std::size_t((phase.end - phase.start) / width) + 1;
    std::vector<std::vector<double>> values(buckets);
    for (const HostData& host : run.hosts) {
        auto category = host.categories.find(m.category);
        if (category == host.categories.end()) continue;
        for (const SeriesData& series : category->second) {
            const std::vector<double>* column = series.column(m.column);
            if (!column) continue;
            std::vector<double> sum(buckets, 0);
            std::vector<int> count(buckets, 0);
            const auto first = std::lower_bound(series.time.begin(), series.time.end(), phase.start);
            for (std::size_t k = std::size_t(first - series.time.begin());
                 k < series.time.size() && series.time[k] <= phase.end; ++k) {
                const double v = (*column)[k];
                if (std::isnan(v)) continue;
                const std::size_t b = std::min(buckets - 1, std::size_t((series.time[k] - phase.start) / width));
                sum[b] += v;
                ++count[b];
            }
            for (std::size_t b = 0; b < buckets; ++b)
                if (count[b]) values[b].push_back(sum[b] / count[b]);
        }
    }
    for (std::size_t b = 0; b < buckets; ++b) {
        std::vector<double>& v = values[b];
        if (v.empty()) continue;
        std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() / 2), v.end());
        const double median = v[v.size() / 2];
        const auto [low, high] = std::minmax_element(v.begin(), v.end());
        csv.text(label);
        csv.text(m.category);
        csv.text(m.column);
        csv.raw(run_name);
        csv.number(double(b) * width);
        csv.number(*low);
        csv.number(median);
        csv.number(*high);
        csv.end_row();
    }
}

// bands.csv: per phase (compare's order) and key measure, A's band and B's.
std::string bands_csv(const CompareRun& a, const CompareRun& b, const Pairs& phases) {
    std::string out;
    CsvWriter csv([&](const char* data, std::size_t size) { out.append(data, size); });
    csv.raw(k_bands_header);
    csv.end_row();
    for (const auto& [i, j] : phases) {
        const Phase* pa = i >= 0 ? &a.phases[std::size_t(i)] : nullptr;
        const Phase* pb = j >= 0 ? &b.phases[std::size_t(j)] : nullptr;
        const double longest = std::max(pa ? pa->end - pa->start : 0, pb ? pb->end - pb->start : 0);
        // The same buckets for A and B, so that their bands align.
        const double width = std::max(1.0, std::ceil(longest / k_band_points));
        for (const KeyMeasure& m : key_measures()) {
            if (pa) band_rows(csv, pa->label, m, "A", a, *pa, width);
            if (pb) band_rows(csv, pb->label, m, "B", b, *pb, width);
        }
    }
    csv.flush();
    return out;
}

// Markdown table cells: a '|' would end the cell.
std::string cell(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

std::string run_text(const std::string& dir, const LoadedRun& run) {
    return "`" + cell(dir) + "`" + (run.run_id.empty() ? "" : " (run " + cell(run.run_id) + ")") + ", " +
           std::to_string(run.run.hosts.size()) + (run.run.hosts.size() == 1 ? " host" : " hosts") + ", " +
           std::to_string(run.run.phases.size()) + (run.run.phases.size() == 1 ? " phase" : " phases");
}

std::string compare_markdown(const CompareOptions& options, const LoadedRun& a, const LoadedRun& b,
                             const Comparison& comparison, const std::string& rank_line) {
    std::string md = "# clusterp compare\n\nA: " + run_text(options.a, a) + ".  \nB: " + run_text(options.b, b) +
                     ".\n\nA measure changed when its mean over a phase changed " +
                     number_text(options.settings.ratio, "%g") +
                     " times or more, and by more than its floor; a phase's duration when it changed by " +
                     number_text(options.settings.duration_pct, "%g") + "% (clusterp-compare(1)).\n";
    if (!rank_line.empty()) md += "\n" + rank_line + ".\n";
    md += "\n## Phases\n\n| phase | A (s) | B (s) |\n|---|---|---|\n";
    for (const auto& [i, j] : comparison.phases) {
        const Phase& p = i >= 0 ? a.run.phases[std::size_t(i)] : b.run.phases[std::size_t(j)];
        auto duration = [](const std::vector<Phase>& phases, int k) {
            return k < 0 ? std::string("-") : number_text(phases[std::size_t(k)].end - phases[std::size_t(k)].start, "%.0f");
        };
        md += "| " + cell(p.label) + " | " + duration(a.run.phases, i) + " | " + duration(b.run.phases, j) + " |\n";
    }
    md += "\n## Changes\n\n";
    if (comparison.changes.empty()) return md + "No change past the thresholds.\n";
    md += "| change |\n|---|\n";
    for (const Change& c : comparison.changes) {
        std::string line = change_line(c);
        line.pop_back();
        md += "| " + cell(line) + " |\n";
    }
    return md;
}

}  // namespace

int compare_two(const CompareOptions& options) {
    std::error_code ec;
    for (const std::string& path : {options.a, options.b})
        if (!fs::exists(path, ec)) throw Error(k_exit_no_input, "cannot open " + quoted(path) + ": no such file or directory");
    const bool dir_a = fs::is_directory(options.a, ec), dir_b = fs::is_directory(options.b, ec);
    if (dir_a != dir_b)
        throw Error(k_exit_usage, quoted(dir_a ? options.a : options.b) + " is a directory and " +
                                      quoted(dir_a ? options.b : options.a) + " is not");
    const RunColumns columns = compare_columns();
    const LoadedRun a = dir_a ? load_directory(options.a, columns) : load_file(options.a, columns);
    const LoadedRun b = dir_a ? load_directory(options.b, columns) : load_file(options.b, columns);
    const Comparison comparison = compare_runs(a.run, b.run, options.settings);
    const std::string rank_line = rank_match_line(comparison, a.run, b.run);
    const int status = a.bad || b.bad ? 2 : comparison.changes.empty() ? 0 : 1;
    if (options.quiet) {
        if (!comparison.changes.empty())
            std::cout << "runs " << quoted(options.a) << " and " << quoted(options.b) << " differ\n" << std::flush;
        return status;
    }
    if (!rank_line.empty()) inform(rank_line);
    if (dir_a) {
        write_file_atomically(options.output + "/changes.csv", changes_csv(comparison.changes));
        write_file_atomically(options.output + "/compare.md", compare_markdown(options, a, b, comparison, rank_line));
        write_file_atomically(options.output + "/bands.csv", bands_csv(a.run, b.run, comparison.phases));
    }
    std::string out;
    for (const Change& c : comparison.changes) out += change_line(c);
    std::cout << out << std::flush;
    return status;
}

}  // namespace clusterp
