#include "csv_read.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace clusterp {

namespace {

int column_index(const std::vector<std::string>& header, const std::string& name) {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : int(it - header.begin());
}

// A number above zero: any non-zero digit before an exponent.  The contract
// writes plain decimals, so "0", "0.00" and "" are the only zeros.
bool positive(const std::string& field) {
    if (field.empty() || field[0] == '-') return false;
    for (char c : field) {
        if (c == 'e' || c == 'E') break;
        if (c >= '1' && c <= '9') return true;
    }
    return false;
}

}  // namespace

bool CsvSummary::has_column(const std::string& name) const { return column_index(header, name) >= 0; }

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

    std::map<std::pair<std::string, std::string>, std::size_t> index;
    auto field = [](const std::vector<std::string>& row, int i) {
        return i >= 0 && std::size_t(i) < row.size() ? row[std::size_t(i)] : std::string();
    };
    while (std::getline(in, line)) {
        if (line.empty() || line == "\r") continue;
        const std::vector<std::string> row = split_csv_line(line);
        ++summary.rows;
        auto key = std::make_pair(field(row, host), field(row, device));
        auto found = index.find(key);
        if (found == index.end()) {
            found = index.emplace(key, summary.series.size()).first;
            summary.series.push_back({key.first, field(row, alias), key.second, field(row, device_alias), false, false});
        }
        CsvSeries& series = summary.series[found->second];
        if (!series.active)
            for (int i : activity)
                if (positive(field(row, i))) { series.active = true; break; }
        if (!series.has_value && !field(row, value).empty()) series.has_value = true;
        if (stop_early) break;
    }
    return summary;
}

}  // namespace clusterp
