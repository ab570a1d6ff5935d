#include "parse/parse_processes.hpp"

#include "base/diag.hpp"
#include "model/contract.hpp"
#include "parse/line_reader.hpp"
#include "parse/pidstat_parse.hpp"

namespace clusterp {

bool looks_like_pidstat(std::string_view head) {
    std::size_t pos = 0;
    while (pos < head.size()) {
        std::size_t end = head.find('\n', pos);
        if (end == std::string_view::npos) end = head.size();
        std::string_view line = head.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        if (!line.empty() && line.front() == '#') return line.size() >= 7 && line.substr(line.size() - 7) == "Command";
        const bool banner = line.rfind("Linux ", 0) == 0;
        if (!line.empty() && !banner) return false;
        pos = end + 1;
    }
    return false;
}

std::int64_t first_process_ms(const std::string& name, int fd, std::int64_t offset_ms) {
    LineReader reader(fd, name);
    PidstatParser parser(name, [](const std::string&) {});
    std::string_view line;
    bool complete;
    while (reader.next(line, complete))
        if (parser.feed(line, complete)) return parser.row().time_ms - offset_ms;
    return INT64_MAX;
}

std::int64_t write_processes_csv(const std::string& name, int fd, CsvWriter& out, bool header, std::int64_t offset_ms,
                                 std::int64_t t0_ms, std::string_view host, std::string_view alias) {
    if (header) {
        for (const std::string& column : header_of(Category::processes)) out.raw(column);
        out.end_row();
    }
    LineReader reader(fd, name);
    PidstatParser parser(name, [](const std::string& message) { warn(message); });
    std::string_view line;
    bool complete;
    std::int64_t last = INT64_MIN, stamp_ms = INT64_MIN;
    char stamp[32];
    std::size_t stamp_size = 0;
    while (reader.next(line, complete)) {
        if (!parser.feed(line, complete)) continue;
        const ProcessRow& row = parser.row();
        last = row.time_ms - offset_ms;
        if (last != stamp_ms) stamp_size = format_iso8601(last, stamp), stamp_ms = last;
        out.raw(std::string_view(stamp, stamp_size));
        out.number(double(last - t0_ms) / 1000.0);
        out.text(host.empty() ? row.host : host);
        out.text(host.empty() ? row.host : alias);
        out.number(double(row.pid));
        out.text(row.command);
        out.number(row.cpu_pct);
        out.number(row.rss_mib);
        out.number(row.read_kibps);
        out.number(row.write_kibps);
        out.end_row();
    }
    parser.finish();
    return last;
}

}  // namespace clusterp
