#include "plot/csv_read.hpp"

#include "plot/plot_catalogue.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fast_float/fast_float.h>
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

bool CsvSummary::has_value(const CsvSeries& series, const std::string& name) const {
    const int i = column_index(header, name);
    return i >= 0 && std::size_t(i) < series.filled.size() && series.filled[std::size_t(i)];
}

bool is_pseudo_device(const std::string& name) {
    return name == "lo" || name.rfind("loop", 0) == 0 || name.rfind("ram", 0) == 0;
}

CsvSummary summarize_csv(std::istream& in, bool first_row_only) {
    CsvSummary summary;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line == "\r") continue;
        summary.header = split_csv_line(line);
        break;
    }
    summary.category = category_of_header(summary.header);
    const auto& header = summary.header;
    const int host = column_index(header, "host"), alias = column_index(header, "alias");
    int device = -1, device_alias = -1;
    std::vector<int> activity;
    if (summary.category && per_device(*summary.category)) {
        const CategoryInfo& info = category_info(*summary.category);
        device = column_index(header, info.key->name);
        device_alias = column_index(header, info.key_alias->name);
        for (const std::string& c : activity_columns(*summary.category)) activity.push_back(column_index(header, c));
    }
    const bool stop_early = first_row_only;
    std::vector<std::size_t> last_rows;  // per series, its latest row

    std::vector<std::string_view> fields;
    std::vector<std::string> unquoted;
    auto field = [&](int i) {
        return i >= 0 && std::size_t(i) < fields.size() ? fields[std::size_t(i)] : std::string_view();
    };
    bool blank_seen = false;
    std::size_t previous = 0;  // the series of the previous row
    std::string text;
    if (stop_early) {
        while (text.empty() && std::getline(in, text)) {}
    } else {
        char chunk[1 << 16];
        for (std::streamsize n; (n = in.rdbuf()->sgetn(chunk, sizeof chunk)) > 0;) text.append(chunk, std::size_t(n));
    }
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) {
            blank_seen = summary.rows > 0;
            continue;
        }
        fields.clear();
        if (line.find('"') != std::string_view::npos) {
            unquoted = split_csv_line(std::string(line));
            for (const std::string& f : unquoted) fields.emplace_back(f);
        } else {
            for (;;) {
                auto comma = line.find(',');
                fields.push_back(line.substr(0, comma));
                if (comma == std::string_view::npos) break;
                line.remove_prefix(comma + 1);
            }
        }
        const std::size_t row = summary.rows++;
        // Rows cycle through a few series: try the one after the previous.
        const std::string_view host_name = field(host), device_name = field(device);
        const std::size_t n = summary.series.size();
        std::size_t found = n;
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t c = (previous + 1 + k) % n;
            if (summary.series[c].device == device_name && summary.series[c].host == host_name) {
                found = c;
                break;
            }
        }
        if (found == n) {
            CsvSeries series;
            series.host = std::string(host_name);
            series.alias = std::string(field(alias));
            series.device = std::string(device_name);
            series.device_alias = std::string(field(device_alias));
            series.first_row = row;
            series.filled.assign(header.size(), false);
            summary.series.push_back(std::move(series));
            last_rows.push_back(row);
        } else {
            CsvSeries& series = summary.series[found];
            std::size_t& last = last_rows[found];
            const std::size_t step = row - last;
            if (series.stride == 0) series.stride = step;
            else if (step != series.stride) series.regular = false;
            last = row;
        }
        previous = found;
        CsvSeries& series = summary.series[found];
        if (!series.active)
            for (int i : activity)
                if (positive(field(i))) { series.active = true; break; }
        for (std::size_t i = 0; i < fields.size() && i < series.filled.size(); ++i)
            if (!fields[i].empty()) series.filled[i] = true;
        if (stop_early) break;
    }
    if (blank_seen)
        for (CsvSeries& series : summary.series) series.regular = false;
    return summary;
}

}  // namespace clusterp

namespace clusterp {

namespace {

double parse_number(std::string_view field) {
    // Most fields are small plain integers (elapsed seconds, zeros).
    if (!field.empty() && field.size() < 10) {
        long whole = 0;
        std::size_t i = 0;
        while (i < field.size() && field[i] >= '0' && field[i] <= '9') whole = whole * 10 + (field[i++] - '0');
        if (i == field.size()) return double(whole);
    }
    double value = std::numeric_limits<double>::quiet_NaN();
    if (!field.empty()) {
        auto result = fast_float::from_chars(field.data(), field.data() + field.size(), value);
        if (result.ec != std::errc() || result.ptr != field.data() + field.size())
            value = std::numeric_limits<double>::quiet_NaN();
    }
    return value;
}

}  // namespace

template <class Value>
std::vector<ColumnsOf<Value>> read_columns(const std::string& text, int x_column, bool x_is_time, int key_column,
                                           int label_column, const std::vector<int>& y_columns) {
    std::vector<ColumnsOf<Value>> out;
    std::vector<std::string_view> fields;
    std::vector<std::string> unquoted;
    std::size_t pos = text.find('\n');  // past the header
    pos = pos == std::string::npos ? text.size() : pos + 1;
    std::size_t last = std::string::npos;  // the latest series, most often the next one too
    const char* const data = text.data();
    const char* const stop = data + text.size();
    while (pos < text.size()) {
        // One pass over the line: its end, its commas, whether it quotes.
        fields.clear();
        const char* const begin = data + pos;
        const char* p = begin;
        const char* start = begin;
        bool quoted = false;
        for (; p < stop && *p != '\n'; ++p) {
            if (*p == ',') {
                fields.emplace_back(start, std::size_t(p - start));
                start = p + 1;
            } else if (*p == '"') {
                quoted = true;
            }
        }
        std::string_view line(begin, std::size_t(p - begin));
        fields.emplace_back(start, std::size_t(p - start));
        pos = std::size_t(p - data) + 1;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
            fields.back().remove_suffix(1);
        }
        if (line.empty()) continue;
        if (quoted) {
            unquoted = split_csv_line(std::string(line));
            fields.assign(unquoted.begin(), unquoted.end());
        }
        auto field = [&](int column) {
            return column >= 1 && std::size_t(column) <= fields.size() ? fields[std::size_t(column - 1)]
                                                                        : std::string_view();
        };
        double x;
        if (x_is_time) {
            const std::optional<std::int64_t> t = parse_iso8601(field(x_column));
            x = t ? double(*t) : std::numeric_limits<double>::quiet_NaN();
        } else {
            x = parse_number(field(x_column));
        }
        if (std::isnan(x)) continue;
        const std::string_view key = field(key_column);
        if (last == std::string::npos || out[last].key != key) {
            // Devices take turns: try the one after the latest, then all.
            std::size_t found = out.size();
            for (std::size_t k = 0; k < out.size(); ++k) {
                const std::size_t c = (last + 1 + k) % out.size();
                if (out[c].key == key) {
                    found = c;
                    break;
                }
            }
            if (found == out.size())
                out.push_back({std::string(key), std::string(field(label_column)), {},
                               std::vector<std::vector<Value>>(y_columns.size())});
            last = found;
        }
        ColumnsOf<Value>& data = out[last];
        data.x.push_back(x);
        for (std::size_t j = 0; j < y_columns.size(); ++j) data.y[j].push_back(Value(parse_number(field(y_columns[j]))));
    }
    return out;
}

template std::vector<ColumnData> read_columns(const std::string&, int, bool, int, int, const std::vector<int>&);
template std::vector<PlotColumns> read_columns(const std::string&, int, bool, int, int, const std::vector<int>&);

}  // namespace clusterp
