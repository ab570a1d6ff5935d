#include "csv_read.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <utility>

namespace clusterp {

namespace {

int column_index(const std::vector<std::string>& header, const std::string& name) {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : int(it - header.begin());
}

// A number above zero: any non-zero digit before an exponent.  The contract
// writes plain decimals, so "0", "0.00" and "" are the only zeros.
bool positive(std::string_view field) {
    if (field.empty() || field[0] == '-') return false;
    for (char c : field) {
        if (c == 'e' || c == 'E') break;
        if (c >= '1' && c <= '9') return true;
    }
    return false;
}

}  // namespace

bool CsvSummary::has_column(const std::string& name) const { return column_index(header, name) >= 0; }

int CsvSummary::column_number(const std::string& name) const { return column_index(header, name) + 1; }

std::string csv_category(const std::vector<std::string>& header) {
    auto has = [&](const char* name) { return column_index(header, name) >= 0; };
    if (has("device")) return "disk";
    if (has("iface")) return "network";
    if (has("idle")) return "cpu";
    if (has("avail_mib")) return "memory";
    if (has("used_mib")) return "swap";
    return "";
}

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    std::size_t end = line.size();
    if (end && line[end - 1] == '\r') --end;
    for (std::size_t i = 0; i < end; ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < end && line[i + 1] == '"') { fields.back() += '"'; ++i; }
            else if (c == '"') quoted = false;
            else fields.back() += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    return fields;
}

bool is_pseudo_device(const std::string& name) {
    return name == "lo" || name.rfind("loop", 0) == 0 || name.rfind("ram", 0) == 0;
}

CsvSummary summarize_csv(std::istream& in, const std::string& value_column, bool first_row_only) {
    CsvSummary summary;
    summary.value_column = value_column;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line == "\r") continue;
        summary.header = split_csv_line(line);
        break;
    }
    summary.category = csv_category(summary.header);
    const auto& header = summary.header;
    const int host = column_index(header, "host"), alias = column_index(header, "alias");
    int device = -1, device_alias = -1;
    std::vector<int> activity;
    if (summary.category == "disk") {
        device = column_index(header, "device");
        device_alias = column_index(header, "device_alias");
        for (const char* c : {"tps", "read_mibps", "write_mibps", "util_pct"}) activity.push_back(column_index(header, c));
    } else if (summary.category == "network") {
        device = column_index(header, "iface");
        device_alias = column_index(header, "iface_alias");
        for (const char* c : {"rx_pps", "tx_pps", "rx_mibps", "tx_mibps"}) activity.push_back(column_index(header, c));
    }
    const int value = value_column.empty() ? -1 : column_index(header, value_column);
    const bool stop_early = first_row_only && device < 0;
    std::vector<std::size_t> last_rows;  // per series, its latest row

    std::map<std::pair<std::string, std::string>, std::size_t> index;
    std::vector<std::string_view> fields;
    std::vector<std::string> unquoted;
    auto field = [&](int i) {
        return i >= 0 && std::size_t(i) < fields.size() ? fields[std::size_t(i)] : std::string_view();
    };
    bool blank_seen = false;
    std::pair<std::string, std::string> key;
    while (std::getline(in, line)) {
        if (line.empty() || line == "\r") {
            blank_seen = summary.rows > 0;
            continue;
        }
        fields.clear();
        if (line.find('"') != std::string::npos) {
            unquoted = split_csv_line(line);
            for (const std::string& f : unquoted) fields.emplace_back(f);
        } else {
            std::string_view rest(line);
            if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
            for (;;) {
                auto comma = rest.find(',');
                fields.push_back(rest.substr(0, comma));
                if (comma == std::string_view::npos) break;
                rest.remove_prefix(comma + 1);
            }
        }
        const std::size_t row = summary.rows++;
        key.first.assign(field(host));
        key.second.assign(field(device));
        auto found = index.find(key);
        if (found == index.end()) {
            found = index.emplace(key, summary.series.size()).first;
            CsvSeries series;
            series.host = key.first;
            series.alias = std::string(field(alias));
            series.device = key.second;
            series.device_alias = std::string(field(device_alias));
            series.first_row = row;
            summary.series.push_back(std::move(series));
            last_rows.push_back(row);
        } else {
            CsvSeries& series = summary.series[found->second];
            std::size_t& last = last_rows[found->second];
            const std::size_t step = row - last;
            if (series.stride == 0) series.stride = step;
            else if (step != series.stride) series.regular = false;
            last = row;
        }
        CsvSeries& series = summary.series[found->second];
        if (!series.active)
            for (int i : activity)
                if (positive(field(i))) { series.active = true; break; }
        if (!series.has_value && !field(value).empty()) series.has_value = true;
        if (stop_early) break;
    }
    if (blank_seen)
        for (CsvSeries& series : summary.series) series.regular = false;
    return summary;
}

}  // namespace clusterp
