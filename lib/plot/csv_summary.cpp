#include "plot/csv_summary.hpp"

#include "model/csv.hpp"
#include "model/plot_catalogue.hpp"

#include <string_view>
#include <utility>

namespace clusterp {

namespace {

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

// IN whole, or its first two lines that are not blank (the header and the
// first row).
std::string text_of(std::istream& in, bool first_row_only) {
    std::string text, line;
    if (first_row_only) {
        for (int lines = 0; lines < 2 && std::getline(in, line);)
            if (!line.empty() && line != "\r") text += line + '\n', ++lines;
        return text;
    }
    char chunk[1 << 16];
    for (std::streamsize n; (n = in.rdbuf()->sgetn(chunk, sizeof chunk)) > 0;) text.append(chunk, std::size_t(n));
    return text;
}

}  // namespace

bool CsvSummary::has_column(const std::string& name) const { return column_number(name) > 0; }

int CsvSummary::column_number(const std::string& name) const { return clusterp::column_number(header, name); }

bool CsvSummary::has_value(const CsvSeries& series, const std::string& name) const {
    const int i = column_number(name) - 1;
    return i >= 0 && std::size_t(i) < series.filled.size() && series.filled[std::size_t(i)];
}

CsvSummary summarize_csv(std::istream& in, bool first_row_only) {
    CsvSummary summary;
    const std::string text = text_of(in, first_row_only);
    CsvLines lines(text);
    if (!lines.next()) return summary;
    summary.header.assign(lines.fields().begin(), lines.fields().end());
    summary.category = category_of_header(summary.header);
    const auto& header = summary.header;
    const int host = summary.column_number("host"), alias = summary.column_number("alias");
    int device = 0, device_alias = 0;
    std::vector<int> activity;
    if (summary.category && per_device(*summary.category)) {
        const CategoryInfo& info = category_info(*summary.category);
        device = summary.column_number(info.key->name);
        device_alias = summary.column_number(info.key_alias->name);
        for (const std::string& c : activity_columns(*summary.category)) activity.push_back(summary.column_number(c));
    }
    std::vector<std::size_t> last_rows;  // per series, its latest row
    bool blank_seen = false;
    std::size_t previous = 0;  // the series of the previous row
    while (lines.next()) {
        blank_seen = blank_seen || (lines.after_blank() && summary.rows > 0);
        const std::size_t row = summary.rows++;
        // Rows cycle through a few series: try the one after the previous.
        const std::string_view host_name = lines.field(host), device_name = lines.field(device);
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
            series.alias = std::string(lines.field(alias));
            series.device = std::string(device_name);
            series.device_alias = std::string(lines.field(device_alias));
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
                if (positive(lines.field(i))) { series.active = true; break; }
        const auto& fields = lines.fields();
        for (std::size_t i = 0; i < fields.size() && i < series.filled.size(); ++i)
            if (!fields[i].empty()) series.filled[i] = true;
    }
    if (blank_seen)
        for (CsvSeries& series : summary.series) series.regular = false;
    return summary;
}

}  // namespace clusterp
