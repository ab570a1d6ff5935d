#include "parse/sysstat_text.hpp"

#include <fast_float/fast_float.h>

#include <cmath>
#include <cstring>

#include "base/byte_scan.hpp"
#include "model/contract.hpp"

namespace clusterp::sysstat_text {

namespace {

constexpr double k_pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

}  // namespace

// A number as sysstat prints it: decimal point or comma, nothing else.  The
// common short form (digits, a mark, digits: at most 15 digits) is exact as
// an integer divided by a power of ten, both exact doubles, since IEEE
// division rounds correctly; anything else goes to fast_float.
bool parse_number(std::string_view text, double& value, std::string_view& canonical) {
    canonical = std::string_view();
    const char* first = text.data();
    const char* last = first + text.size();
    if (first == last) return false;
    {
        const bool negative = *first == '-';
        const char* digits = first + negative;
        std::uint64_t mantissa = 0;
        const char* p = digits;
        // The whole part, then the decimals after a mark: two tight loops.
        auto read_digits = [&] {
            for (unsigned d; p != last && (d = static_cast<unsigned char>(*p) - unsigned('0')) <= 9; ++p)
                mantissa = mantissa * 10 + d;
        };
        read_digits();
        const char* mark = nullptr;
        if (p != last && (*p == '.' || *p == ',')) {
            mark = p++;
            read_digits();
        }
        const int count = static_cast<int>(last - digits) - (mark != nullptr);
        const int decimals = mark ? static_cast<int>(last - mark) - 1 : 0;
        if (p == last && count > 0 && count <= 15 && (!mark || decimals > 0)) {
            double v = static_cast<double>(mantissa);
            if (decimals > 0) v /= k_pow10[decimals];
            value = negative ? -v : v;
            // The value in CsvWriter::number's form is the text itself
            // without trailing zeros, when it has a point, no redundant
            // leading zero, no "-0" and six decimals at most.
            const int whole = count - decimals;
            if ((!mark || *mark == '.') && whole >= 1 && whole <= 12 && decimals <= 6 && (whole == 1 || *digits != '0') &&
                !(negative && mantissa == 0)) {
                const char* end = last;
                if (mark) {
                    while (end[-1] == '0') --end;
                    if (end - 1 == mark) end = mark;
                }
                canonical = std::string_view(first, static_cast<std::size_t>(end - first));
            }
            return true;
        }
    }
    auto result = fast_float::from_chars(first, last, value);
    if (result.ec == std::errc() && result.ptr == last) return std::isfinite(value);
    if (result.ptr != last && *result.ptr == ',') {
        fast_float::parse_options options(fast_float::chars_format::general, ',');
        result = fast_float::from_chars_advanced(first, last, value, options);
        return result.ec == std::errc() && result.ptr == last && std::isfinite(value);
    }
    return false;
}

bool parse_number(std::string_view text, double& value) {
    std::string_view canonical;
    return parse_number(text, value, canonical);
}

bool looks_numeric(std::string_view text) {
    double ignored;
    return parse_number(text, ignored);
}

std::string_view without_colours(std::string_view line, std::string& scratch) {
    if (line.find('\x1b') == std::string_view::npos) return line;
    scratch.clear();
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\x1b') {
            ++i;
            if (i < line.size() && line[i] == '[') {
                ++i;
                while (i < line.size() && !((line[i] >= '@' && line[i] <= '~'))) ++i;
            }
            continue;
        }
        scratch.push_back(line[i]);
    }
    return scratch;
}

int split(std::string_view line, char sep, std::string_view* fields, int max) {
    int count = 0;
    const char* start = line.data();
    const char* end = start + line.size();
    const char* p = start;
    auto field_ends_at = [&](const char* at) {
        if (count < max) fields[count] = std::string_view(start, static_cast<std::size_t>(at - start));
        ++count;
        start = at + 1;
    };
    if (k_byte_scan)
        for (; end - p >= 8; p += 8)
            for (std::uint64_t found = bytes_equal(load_word(p), static_cast<unsigned char>(sep)); found;
                 found &= found - 1)
                field_ends_at(p + first_byte(found));
    for (; p != end; ++p)
        if (*p == sep) field_ends_at(p);
    field_ends_at(end);
    return count;
}

int tokenize(std::string_view line, std::string_view* tokens, int max) {
    int count = 0;
    std::size_t i = 0, n = line.size();
    while (i < n) {
        while (i < n && is_space(line[i])) ++i;
        if (i >= n) break;
        std::size_t start = i;
        while (i < n && !is_space(line[i])) ++i;
        if (count < max) tokens[count] = line.substr(start, i - start);
        ++count;
    }
    return count;
}

int digit_runs(std::string_view text, int* runs, int* widths, int max) {
    int count = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_digit(text[i])) { ++i; continue; }
        long value = 0;
        int width = 0;
        while (i < text.size() && is_digit(text[i])) {
            if (width < 5) value = value * 10 + (text[i] - '0');
            ++width;
            ++i;
        }
        if (count >= max || width > 4) return -1;
        runs[count] = static_cast<int>(value);
        widths[count] = width;
        ++count;
    }
    return count;
}

long time_of_day(std::string_view token) {
    if (token.empty() || !is_digit(token[0])) return -1;
    for (char c : token)
        if (c == ',' || c == '.') return -1;
    int runs[3], widths[3];
    if (digit_runs(token, runs, widths, 3) != 3) return -1;
    if (widths[0] > 2 || widths[1] != 2 || widths[2] != 2) return -1;
    if (runs[0] > 23 || runs[1] > 59 || runs[2] > 60) return -1;
    return runs[0] * 3600L + runs[1] * 60L + runs[2];
}

int meridiem(std::string_view token) {
    auto is = [&](const char* word) {
        if (token.size() != std::strlen(word)) return false;
        for (std::size_t i = 0; i < token.size(); ++i)
            if ((token[i] | 0x20) != word[i]) return false;
        return true;
    };
    if (is("am") || is("a.m.")) return 1;
    if (is("pm") || is("p.m.")) return 2;
    return 0;
}

bool valid_date(int year, int month, int day) {
    return year >= 1970 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

std::int64_t sadf_time_ms(std::string_view text, bool& local, bool& ok) {
    ok = false;
    local = false;
    if (text.empty()) return 0;
    bool all_digits = true;
    for (char c : text)
        if (!is_digit(c)) { all_digits = false; break; }
    if (all_digits) {
        if (text.size() > 12) return 0;
        std::int64_t seconds = 0;
        for (char c : text) seconds = seconds * 10 + (c - '0');
        ok = true;
        return seconds * 1000;
    }
    // YYYY-MM-DD HH:MM:SS [UTC|zone]
    if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' ||
        text[16] != ':')
        return 0;
    int v[6];
    const int pos[6] = {0, 5, 8, 11, 14, 17};
    const int len[6] = {4, 2, 2, 2, 2, 2};
    for (int k = 0; k < 6; ++k) {
        int value = 0;
        for (int i = 0; i < len[k]; ++i) {
            char c = text[pos[k] + i];
            if (!is_digit(c)) return 0;
            value = value * 10 + (c - '0');
        }
        v[k] = value;
    }
    if (!valid_date(v[0], v[1], v[2]) || v[3] > 23 || v[4] > 59 || v[5] > 60) return 0;
    std::string_view zone = text.substr(19);
    while (!zone.empty() && is_space(zone.front())) zone.remove_prefix(1);
    local = !(zone == "UTC" || zone == "GMT" || zone == "Z");
    ok = true;
    return (days_from_civil(v[0], v[1], v[2]) * 86400 + v[3] * 3600 + v[4] * 60 + v[5]) * 1000;
}

}  // namespace clusterp::sysstat_text
