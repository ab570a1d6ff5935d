#include "model/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include <fast_float/fast_float.h>

#include "base/byte_scan.hpp"
#include "model/contract.hpp"

namespace clusterp {

namespace {

constexpr std::size_t k_max_number = 64;

// "00" to "99", for writing numbers two digits at a time.
struct DigitPairs {
    char text[200];
    constexpr DigitPairs() : text() {
        for (int i = 0; i < 100; ++i) {
            text[2 * i] = static_cast<char>('0' + i / 10);
            text[2 * i + 1] = static_cast<char>('0' + i % 10);
        }
    }
};
constexpr DigitPairs k_pairs;

// Fixed notation with six decimals, trailing zeros and a bare point dropped,
// and no "-0"; never looks at the locale.  Values of everyday size go through
// integer arithmetic (rounding v * 1e6 to the nearest integer, which may
// differ from exact decimal rounding by one in the sixth decimal in halfway
// cases); huge ones through to_chars.
std::size_t put_number(double value, char* out) {
    if (std::isnan(value)) return 0;
    if (!std::isfinite(value) || std::fabs(value) >= 1e12) {
        auto r = std::to_chars(out, out + k_max_number, value, std::chars_format::general, 17);
        return static_cast<std::size_t>(r.ptr - out);
    }
    double shifted = value * 1e6;
    long long scaled = static_cast<long long>(shifted < 0 ? shifted - 0.5 : shifted + 0.5);
    char* p = out;
    if (scaled < 0) {  // never "-0": a negative scaled is not zero
        *p++ = '-';
        scaled = -scaled;
    }
    auto whole = static_cast<unsigned long long>(scaled) / 1000000;
    const auto frac = static_cast<unsigned>(static_cast<unsigned long long>(scaled) % 1000000);
    // Digits two at a time, from a table (as to_chars does, without its
    // general-purpose length computation).
    char digits[24];
    char* first = digits + sizeof digits;
    while (whole >= 100) {
        first -= 2;
        std::memcpy(first, k_pairs.text + 2 * (whole % 100), 2);
        whole /= 100;
    }
    if (whole >= 10) {
        first -= 2;
        std::memcpy(first, k_pairs.text + 2 * whole, 2);
    } else {
        *--first = static_cast<char>('0' + whole);
    }
    const auto length = static_cast<std::size_t>(digits + sizeof digits - first);
    std::memcpy(p, first, length);
    p += length;
    if (frac) {
        // Six decimals, leading zeros kept, then the trailing zeros dropped.
        *p++ = '.';
        std::memcpy(p, k_pairs.text + 2 * (frac / 10000), 2);
        std::memcpy(p + 2, k_pairs.text + 2 * (frac / 100 % 100), 2);
        std::memcpy(p + 4, k_pairs.text + 2 * (frac % 100), 2);
        p += 6;
        while (p[-1] == '0') --p;
    }
    return static_cast<std::size_t>(p - out);
}

}  // namespace

CsvWriter::CsvWriter(std::function<void(const char*, std::size_t)> sink, std::size_t buffer_size)
    : m_sink(std::move(sink)), m_size(buffer_size < 256 ? 256 : buffer_size) {
    m_buffer.reset(new char[m_size]);
}

char* CsvWriter::reserve_slow(std::size_t size) {
    flush();
    if (size > m_size) {
        m_buffer.reset(new char[size]);
        m_size = size;
    }
    return m_buffer.get();
}

void CsvWriter::raw(std::string_view value) {
    separator();
    const std::size_t n = value.size();
    const char* from = value.data();
    char* out = reserve(n);
    // Fields are short: two overlapping fixed-size copies cover 4 to 16
    // bytes without a call to memcpy per field (the call cost more than
    // the copy).
    if (n >= 8 && n <= 16) {
        std::memcpy(out, from, 8);
        std::memcpy(out + n - 8, from + n - 8, 8);
    } else if (n >= 4 && n < 8) {
        std::memcpy(out, from, 4);
        std::memcpy(out + n - 4, from + n - 4, 4);
    } else if (n > 0) {  // data() may be null when empty
        std::memcpy(out, from, n);
    }
    m_used += n;
}

void CsvWriter::text(std::string_view value) {
    bool plain = true;
    for (char c : value)
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            plain = false;
            break;
        }
    if (plain) {
        raw(value);
        return;
    }
    separator();
    char* out = reserve(2 * value.size() + 2);
    std::size_t n = 0;
    out[n++] = '"';
    for (char c : value) {
        if (c == '"') out[n++] = '"';
        out[n++] = c;
    }
    out[n++] = '"';
    m_used += n;
}

void CsvWriter::number(double value) {
    separator();
    m_used += put_number(value, reserve(k_max_number));
}

void CsvWriter::end_row() {
    *reserve(1) = '\n';
    ++m_used;
    m_row_started = false;
}

void CsvWriter::flush() {
    if (m_used == 0) return;
    std::size_t used = m_used;
    m_used = 0;
    m_sink(m_buffer.get(), used);
}

std::string format_number(double value) {
    char buf[k_max_number];
    return std::string(buf, put_number(value, buf));
}

std::vector<std::string> split_csv_line(std::string_view line) {
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

bool CsvLines::next() {
    m_after_blank = false;
    const char* const data = m_text.data();
    const char* const stop = data + m_text.size();
    while (m_pos < m_text.size()) {
        // One pass over the line, eight bytes a step: its end, its commas,
        // whether it quotes.
        m_fields.clear();
        const char* const begin = data + m_pos;
        const char* start = begin;
        const char* end = nullptr;
        bool quoted = false;
        auto mark = [&](const char* at) {
            if (*at == ',') {
                m_fields.emplace_back(start, std::size_t(at - start));
                start = at + 1;
            } else if (*at == '"') {
                quoted = true;
            } else {
                end = at;
            }
        };
        const char* p = begin;
        if (k_byte_scan)
            for (; !end && stop - p >= 8; p += 8) {
                const std::uint64_t word = load_word(p);
                for (std::uint64_t found = bytes_equal(word, ',') | bytes_equal(word, '"') | bytes_equal(word, '\n');
                     found && !end; found &= found - 1)
                    mark(p + first_byte(found));
            }
        for (; !end && p < stop; ++p)
            if (*p == ',' || *p == '"' || *p == '\n') mark(p);
        if (!end) end = stop;
        m_line = std::string_view(begin, std::size_t(end - begin));
        m_fields.emplace_back(start, std::size_t(end - start));
        m_pos = std::size_t(end - data) + 1;
        ++m_number;
        if (!m_line.empty() && m_line.back() == '\r') {
            m_line.remove_suffix(1);
            m_fields.back().remove_suffix(1);
        }
        if (m_line.empty()) {
            m_after_blank = true;
            continue;
        }
        if (quoted) {
            m_unquoted = split_csv_line(m_line);
            m_fields.assign(m_unquoted.begin(), m_unquoted.end());
        }
        return true;
    }
    m_fields.clear();
    m_line = {};
    return false;
}

std::vector<std::string> csv_header(std::string_view text) {
    CsvLines lines(text);
    if (!lines.next()) return {};
    return {lines.fields().begin(), lines.fields().end()};
}

int column_number(const std::vector<std::string>& header, std::string_view name) {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? 0 : int(it - header.begin()) + 1;
}

double csv_number(std::string_view field) {
    // The common form (an optional minus, digits, a point and digits: 15
    // digits at most) is exact as an integer over a power of ten, both exact
    // doubles, since IEEE division rounds correctly: what fast_float gives,
    // without its general case.
    static constexpr double k_scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char* p = field.data();
    const char* const end = p + field.size();
    const bool minus = p != end && *p == '-';
    p += minus;
    const char* const digits = p;
    std::uint64_t whole = 0;
    unsigned d;
    while (p != end && (d = unsigned(*p) - '0') <= 9) whole = whole * 10 + d, ++p;
    const char* const point = p;
    std::size_t decimals = 0;
    if (p != end && *p == '.') {
        for (++p; p != end && (d = unsigned(*p) - '0') <= 9; ++p) whole = whole * 10 + d;
        decimals = std::size_t(p - point) - 1;
    }
    const std::size_t count = std::size_t(point - digits) + decimals;
    if (p == end && point != digits && count <= 15 && (point == end || decimals > 0)) {
        const double value = double(whole) / k_scale[decimals];
        return minus ? -value : value;
    }
    double value = std::numeric_limits<double>::quiet_NaN();
    if (!field.empty()) {
        auto result = fast_float::from_chars(field.data(), end, value);
        if (result.ec != std::errc() || result.ptr != end) value = std::numeric_limits<double>::quiet_NaN();
    }
    return value;
}

std::optional<double> csv_time(std::string_view field) {
    const std::optional<std::int64_t> ms = parse_iso8601_ms(field);
    if (!ms) return std::nullopt;
    return double(*ms) / 1000;
}

const std::string& CsvTable::get(std::size_t row, std::string_view name) const {
    static const std::string none;
    const int column = column_number(header, name);
    return column ? rows[row][std::size_t(column - 1)] : none;
}

CsvTable read_csv_table(std::string_view text) {
    CsvTable table;
    CsvLines lines(text);
    if (!lines.next()) return table;
    table.header.assign(lines.fields().begin(), lines.fields().end());
    while (lines.next()) {
        std::vector<std::string> row(lines.fields().begin(), lines.fields().end());
        row.resize(table.header.size());
        table.rows.push_back(std::move(row));
    }
    return table;
}

template <class Value>
std::vector<ColumnsOf<Value>> read_columns(std::string_view text, const ColumnPick& pick) {
    std::vector<ColumnsOf<Value>> out;
    CsvLines lines(text);
    if (!lines.next()) return out;  // the header
    std::size_t last = std::string::npos;  // the latest series, most often the next one too
    while (lines.next()) {
        double x;
        if (pick.x_is_time) {
            const std::optional<double> t = csv_time(lines.field(pick.x));
            x = t ? *t : std::numeric_limits<double>::quiet_NaN();
        } else {
            x = csv_number(lines.field(pick.x));
        }
        if (std::isnan(x)) continue;
        const std::string_view host = lines.field(pick.host), key = lines.field(pick.key);
        if (last == std::string::npos || out[last].key != key || out[last].host != host) {
            // Devices take turns: try the one after the latest, then all.
            std::size_t found = out.size();
            for (std::size_t k = 0; k < out.size(); ++k) {
                const std::size_t c = (last + 1 + k) % out.size();
                if (out[c].key == key && out[c].host == host) {
                    found = c;
                    break;
                }
            }
            if (found == out.size())
                out.push_back({std::string(host), std::string(lines.field(pick.alias)), std::string(key),
                               std::string(lines.field(pick.label)), {},
                               std::vector<std::vector<Value>>(pick.y.size())});
            last = found;
        }
        ColumnsOf<Value>& data = out[last];
        data.x.push_back(x);
        for (std::size_t j = 0; j < pick.y.size(); ++j) {
            double (*number)(std::string_view) = j < pick.y_number.size() && pick.y_number[j] ? pick.y_number[j] : csv_number;
            data.y[j].push_back(Value(number(lines.field(pick.y[j]))));
        }
    }
    // Plot keeps every value of a category at once: no room left over from
    // the vectors' doubling (a third of its peak memory at 1024 hosts).
    for (ColumnsOf<Value>& data : out) {
        data.x.shrink_to_fit();
        for (std::vector<Value>& y : data.y) y.shrink_to_fit();
    }
    return out;
}

template std::vector<ColumnData> read_columns(std::string_view, const ColumnPick&);
template std::vector<PlotColumns> read_columns(std::string_view, const ColumnPick&);

}  // namespace clusterp
