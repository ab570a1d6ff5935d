#include "report/top_processes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <utility>

#include "model/csv.hpp"
#include "report/rules_common.hpp"

namespace clusterp {

namespace {

// The length of the UTF-8 sequence at TEXT[I], 0 when it is not one.
std::size_t utf8_length(std::string_view text, std::size_t i) {
    const unsigned char c = (unsigned char)text[i];
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > text.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if (((unsigned char)text[i + k] >> 6) != 0x2) return 0;
    return n;
}

}  // namespace

std::string printable_command(std::string_view command) {
    std::string out;
    const std::size_t limit = 40;
    for (std::size_t i = 0; i < command.size();) {
        if (out.size() >= limit) {
            while (!out.empty() && out.back() == ' ') out.pop_back();
            out += "...";
            break;
        }
        const std::size_t n = utf8_length(command, i);
        const unsigned char c = (unsigned char)command[i];
        if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7f))) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02X", c);
            out += hex;
            ++i;
        } else {
            out.append(command.substr(i, n));
            i += n;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string read_processes_csv(std::string_view text, const std::string& name,
                               std::map<std::string, std::vector<ProcessSample>>& out) {
    const std::vector<std::string> header = csv_header(text);
    const int time = column_number(header, "time"), host = column_number(header, "host"),
              pid = column_number(header, "pid"), command = column_number(header, "command"),
              cpu = column_number(header, "cpu_pct"), rss = column_number(header, "rss_mib"),
              read = column_number(header, "read_kibps"), write = column_number(header, "write_kibps");
    if (!time || !host || !pid || !command) return name + " has no time, host, pid or command column";
    CsvLines lines(text);
    lines.next();  // the header
    while (lines.next()) {
        const std::optional<double> t = csv_time(lines.field(time));
        const double p = csv_number(lines.field(pid));
        if (!t || std::isnan(p)) continue;
        ProcessSample s;
        s.time = *t;
        s.pid = (long long)p;
        s.command = std::string(lines.field(command));
        s.cpu_pct = cpu ? csv_number(lines.field(cpu)) : std::nan("");
        s.rss_mib = rss ? csv_number(lines.field(rss)) : std::nan("");
        const double r = read ? csv_number(lines.field(read)) : std::nan(""), w = write ? csv_number(lines.field(write)) : std::nan("");
        s.io_kibps = std::isnan(r) && std::isnan(w) ? std::nan("") : (std::isnan(r) ? 0 : r) + (std::isnan(w) ? 0 : w);
        out[std::string(lines.field(host))].push_back(std::move(s));
    }
    return "";
}

std::vector<RankedProcess> top_processes(const std::vector<ProcessSample>& rows, const std::string& resource,
                                         double start, double end, std::size_t top) {
    if (top == 0 || (resource != "cpu" && resource != "memory" && resource != "disk")) return {};
    std::set<double> samples;
    std::map<std::pair<long long, std::string>, double> measure;  // (pid, command) -> sum or peak
    for (const ProcessSample& s : rows) {
        if (s.time < start || s.time > end) continue;
        samples.insert(s.time);
        const double v = resource == "cpu" ? s.cpu_pct : resource == "memory" ? s.rss_mib : s.io_kibps;
        if (std::isnan(v)) continue;
        double& m = measure[{s.pid, s.command}];
        m = resource == "memory" ? std::max(m, v) : m + v;
    }
    std::vector<RankedProcess> ranked;
    for (auto& [key, value] : measure) {
        const double v = resource == "memory" ? value : value / double(samples.size());
        if (v > 0) ranked.push_back({key.first, key.second, v});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.value > b.value; });
    if (ranked.size() > top) ranked.resize(top);
    return ranked;
}

std::string processes_csv(const std::map<std::string, std::vector<ProcessSample>>& rows,
                          const std::vector<std::pair<std::string, std::string>>& aliases, std::size_t top) {
    std::vector<std::pair<std::string, std::string>> hosts;
    for (const auto& host : aliases)
        if (rows.count(host.first)) hosts.push_back(host);
    for (const auto& entry : rows)
        if (std::none_of(aliases.begin(), aliases.end(), [&](const auto& a) { return a.first == entry.first; }))
            hosts.emplace_back(entry.first, entry.first);
    std::string out;
    CsvWriter csv([&](const char* data, std::size_t size) { out.append(data, size); });
    csv.raw(k_processes_header);
    csv.end_row();
    for (const auto& [host, alias] : hosts)
        for (const char* resource : {"cpu", "memory", "disk"}) {
            const std::vector<RankedProcess> ranked = top_processes(rows.at(host), resource, -INFINITY, INFINITY, top);
            for (std::size_t i = 0; i < ranked.size(); ++i) {
                const bool disk = resource == std::string("disk");
                csv.text(host);
                csv.text(alias);
                csv.raw(resource);
                csv.raw(std::to_string(i + 1));
                csv.raw(std::to_string(ranked[i].pid));
                csv.text(printable_command(ranked[i].command));
                csv.number(disk ? ranked[i].value / 1024 : ranked[i].value);
                csv.raw(resource == std::string("cpu") ? "%" : disk ? "MiB/s" : "MiB");
                csv.end_row();
            }
        }
    csv.flush();
    return out;
}

std::string top_processes_text(const std::vector<ProcessSample>& rows, const std::string& resource, double start,
                               double end, int cpus, std::size_t top) {
    std::string text;
    for (const RankedProcess& p : top_processes(rows, resource, start, end, top)) {
        text += (text.empty() ? "" : "; ") + printable_command(p.command) + " (pid " + std::to_string(p.pid) + ") ";
        if (resource == "cpu")
            text += cpus > 0 ? amount(p.value, "%") + " of " + std::to_string(100 * cpus) + " %" : amount(p.value, "% CPU");
        else if (resource == "memory")
            text += amount(p.value, "MiB") + " resident";
        else
            text += amount(p.value / 1024, "MiB/s") + " read and written";
    }
    return text;
}

}  // namespace clusterp
