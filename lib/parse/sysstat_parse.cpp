#include "parse/sysstat_parse.hpp"

#include <fast_float/fast_float.h>

#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>

#include "base/diag.hpp"

namespace clusterp {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_kib_per_mib = 1024.0;

// The input columns the contract is computed from.  Each belongs to one
// category; the header names them exactly as sysstat prints them (the same
// in sar text and sadf -d, and never translated).
enum Source : int {
    s_cpu, s_user, s_usr, s_nice, s_system, s_sys, s_irq, s_soft, s_iowait, s_steal, s_idle,
    s_memfree, s_avail, s_memused, s_memused_pct, s_buffers, s_cached, s_commit_pct, s_slab,
    s_shmem,
    s_swpfree, s_swpused, s_swpused_pct,
    s_dev, s_tps, s_rkb, s_wkb, s_rdsec, s_wrsec, s_util, s_await,
    s_iface, s_rxpck, s_txpck, s_rxkb, s_txkb, s_ifutil,
    s_count
};


struct SourceName {
    Source source;
    const char* name;
};

const SourceName k_sources[] = {
    {s_cpu, "CPU"},          {s_user, "%user"},         {s_usr, "%usr"},
    {s_nice, "%nice"},       {s_system, "%system"},     {s_sys, "%sys"},
    {s_irq, "%irq"},         {s_soft, "%soft"},         {s_iowait, "%iowait"},
    {s_steal, "%steal"},     {s_idle, "%idle"},         {s_memfree, "kbmemfree"},
    {s_avail, "kbavail"},    {s_memused, "kbmemused"},  {s_memused_pct, "%memused"},
    {s_buffers, "kbbuffers"}, {s_cached, "kbcached"},   {s_commit_pct, "%commit"},
    {s_slab, "kbslab"},      {s_shmem, "kbshmem"},      {s_swpfree, "kbswpfree"},
    {s_swpused, "kbswpused"}, {s_swpused_pct, "%swpused"}, {s_dev, "DEV"},
    {s_tps, "tps"},          {s_rkb, "rkB/s"},          {s_wkb, "wkB/s"},
    {s_rdsec, "rd_sec/s"},   {s_wrsec, "wr_sec/s"},     {s_util, "%util"},
    {s_await, "await"},      {s_iface, "IFACE"},        {s_rxpck, "rxpck/s"},
    {s_txpck, "txpck/s"},    {s_rxkb, "rxkB/s"},        {s_txkb, "txkB/s"},
    {s_ifutil, "%ifutil"},
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr double k_pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// A number as sysstat prints it: decimal point or comma, nothing else.  The
// common short form (digits, a mark, digits: at most 15 digits) is exact as
// an integer divided by a power of ten, both exact doubles, since IEEE
// division rounds correctly; anything else goes to fast_float.
bool parse_number(std::string_view text, double& value, bool& plain) {
    plain = false;
    const char* first = text.data();
    const char* last = first + text.size();
    if (first == last) return false;
    {
        const char* p = first;
        bool negative = *p == '-';
        if (negative) ++p;
        std::uint64_t mantissa = 0;
        int digits = 0, decimals = -1;
        for (; p != last; ++p) {
            char c = *p;
            if (c >= '0' && c <= '9') {
                mantissa = mantissa * 10 + static_cast<unsigned>(c - '0');
                ++digits;
                if (decimals >= 0) ++decimals;
            } else if ((c == '.' || c == ',') && decimals < 0) {
                decimals = 0;
            } else {
                break;
            }
        }
        if (p == last && digits > 0 && digits <= 15 && decimals != 0) {
            // What CsvWriter::decimal takes, known here for free.
            int whole = digits - (decimals > 0 ? decimals : 0);
            plain = decimals <= 6 && whole >= 1 && whole <= 12;
            double v = static_cast<double>(mantissa);
            if (decimals > 0) v /= k_pow10[decimals];
            value = negative ? -v : v;
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

static_assert(s_count <= 40, "SysstatParser::m_index is too small");

bool parse_number(std::string_view text, double& value) {
    bool plain;
    return parse_number(text, value, plain);
}

bool looks_numeric(std::string_view text) {
    double ignored;
    return parse_number(text, ignored);
}

// Splits on `sep`; returns the number of fields (may exceed max, only max
// are stored).
int split(std::string_view line, char sep, std::string_view* fields, int max) {
    int count = 0;
    const char* p = line.data();
    const char* end = p + line.size();
    const char* start = p;
    for (;; ++p) {
        if (p == end || *p == sep) {
            if (count < max) fields[count] = std::string_view(start, static_cast<std::size_t>(p - start));
            ++count;
            if (p == end) break;
            start = p + 1;
        }
    }
    return count;
}

// Splits on runs of blanks; returns the number of tokens (only max stored).
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

// The digit runs of text (at most 3, each at most 4 digits), as numbers.
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

// A time of day as sar prints it in any locale: three digit runs
// (`03:08:23`, `02時40分56秒`), never a number.  Returns seconds or -1.
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

}  // namespace

SysstatParser::SysstatParser(std::string name, ParseOptions options,
                             std::function<void(const std::string&)> warn)
    : m_name(std::move(name)), m_options(options), m_warn(std::move(warn)) {
    for (int& i : m_index) i = -1;
    m_scratch.reserve(256);
}

void SysstatParser::bad_line(const char* what) {
    ++m_bad_lines;
    if (m_bad_lines <= k_max_warnings)
        m_warn(m_name + ":" + std::to_string(m_line) + ": " + what + ", line skipped");
}

std::int64_t SysstatParser::local_to_utc_ms(std::int64_t local_seconds) {
    std::int64_t hour = local_seconds >= 0 ? local_seconds / 3600 : (local_seconds - 3599) / 3600;
    if (hour != m_tz_hour) {
        // mktime reads the zone from TZ (set once, before any thread runs).
        std::int64_t days = hour * 3600 >= 0 ? hour * 3600 / 86400 : (hour * 3600 - 86399) / 86400;
        std::int64_t rem = hour * 3600 - days * 86400;
        char buf[32];
        format_iso8601(days * 86400 * 1000, buf);
        std::tm tm{};
        tm.tm_year = std::atoi(buf) - 1900;
        tm.tm_mon = (buf[5] - '0') * 10 + (buf[6] - '0') - 1;
        tm.tm_mday = (buf[8] - '0') * 10 + (buf[9] - '0');
        tm.tm_hour = static_cast<int>(rem / 3600);
        tm.tm_isdst = -1;
        std::time_t t = std::mktime(&tm);
        m_tz_offset = t == static_cast<std::time_t>(-1) ? 0 : hour * 3600 - static_cast<std::int64_t>(t);
        m_tz_hour = hour;
    }
    return (local_seconds - m_tz_offset) * 1000;
}

bool SysstatParser::feed(std::string_view line, bool complete) {
    ++m_line;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\x1b') != std::string_view::npos) {
        // Colour codes (ESC [ ... letter) from output captured through a pty.
        m_scratch.clear();
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (line[i] == '\x1b') {
                ++i;
                if (i < line.size() && line[i] == '[') {
                    ++i;
                    while (i < line.size() && !((line[i] >= '@' && line[i] <= '~'))) ++i;
                }
                continue;
            }
            m_scratch.push_back(line[i]);
        }
        line = m_scratch;
    }
    std::size_t first = 0;
    while (first < line.size() && is_space(line[first])) ++first;
    if (first == line.size()) return false;
    if (!complete) {
        bad_line("truncated line (no line feed at the end of the input)");
        return false;
    }
    if (m_format == Format::unknown) {
        if (line.rfind("# hostname;", 0) == 0) {
            m_format = Format::sadf;
        } else if (line.substr(first).rfind("Linux ", 0) == 0 && line.find('(') != std::string_view::npos) {
            m_format = Format::sar;
        } else {
            throw Error(k_exit_data, m_name + ":" + std::to_string(m_line) +
                                         ": not sysstat output (neither sadf -d nor sar text)");
        }
    }
    bool produced = m_format == Format::sadf ? feed_sadf(line) : feed_sar(line);
    if (produced) ++m_rows;
    return produced;
}

bool SysstatParser::start_block(const std::string_view* names, int count, int first) {
    for (int& i : m_index) i = -1;
    for (int i = 0; i < count && i < k_max_fields; ++i)
        for (const SourceName& s : k_sources)
            if (names[i] == s.name) {
                m_index[s.source] = first + i;
                break;
            }
    m_in_block = true;
    m_block_fields = first + count;
    m_key_index = -1;
    m_numeric_count = 0;
    for (int src = 0; src < s_count; ++src)
        if (m_index[src] >= 0 && src != s_cpu && src != s_dev && src != s_iface)
            m_numeric[m_numeric_count++] = {src, m_index[src]};
    auto has = [&](Source s) { return m_index[s] >= 0; };
    bool known = true;
    if (has(s_cpu) && has(s_idle)) {
        m_block_category = Category::cpu;
        m_key_index = m_index[s_cpu];
    } else if (has(s_memfree) && has(s_memused)) {
        m_block_category = Category::memory;
    } else if (has(s_swpused)) {
        m_block_category = Category::swap;
    } else if (has(s_dev) && has(s_tps)) {
        m_block_category = Category::disk;
        m_key_index = m_index[s_dev];
    } else if (has(s_iface) && has(s_rxpck)) {
        m_block_category = Category::network;
        m_key_index = m_index[s_iface];
    } else {
        known = false;
    }
    m_block_wanted = known && (!m_options.only || *m_options.only == m_block_category);
    if (known) m_seen |= 1u << static_cast<int>(m_block_category);
    return known;
}

bool SysstatParser::feed_sadf(std::string_view line) {
    std::string_view* fields = m_fields;
    if (line[0] == '#') {
        line.remove_prefix(1);
        while (!line.empty() && line[0] == ' ') line.remove_prefix(1);
        int count = split(line, ';', fields, k_max_fields);
        if (count < 3 || fields[0] != "hostname" || fields[2] != "timestamp") {
            bad_line("not a sadf -d header");
            m_in_block = false;
            return false;
        }
        start_block(fields + 3, std::min(count, k_max_fields) - 3, 3);
        m_block_fields = count;
        return false;
    }
    int count = split(line, ';', fields, k_max_fields);
    // Interval -1: LINUX-RESTART and COM rows.  Interval 0: the record sadc
    // writes when it appends after a comment, at the same time as the one
    // before, with values over no time at all.
    if (count >= 3 && (fields[1] == "-1" || fields[1] == "0")) return false;
    if (!m_in_block) {
        bad_line("not sadf -d data");
        return false;
    }
    if (count != m_block_fields) {
        bad_line(count < m_block_fields ? "too few fields" : "too many fields");
        return false;
    }
    if (!m_block_wanted) return false;
    bool local = false, ok = false;
    std::int64_t t = sadf_time_ms(fields[2], local, ok);
    if (!ok) {
        bad_line("bad timestamp");
        return false;
    }
    if (local) t = local_to_utc_ms(t / 1000);
    m_row.time_ms = t;
    m_row.host = fields[0];
    return fill_row(fields);
}

bool SysstatParser::feed_sar(std::string_view line) {
    std::string_view* tokens = m_fields;
    int count = tokenize(line, tokens, k_max_fields);
    if (tokens[0] == "Linux" && line.find('(') != std::string_view::npos) {
        // Linux <release> (<host>) \t<date> \t_<arch>_\t(N CPU)
        std::size_t open = line.find('('), close = line.find(')', open);
        if (close == std::string_view::npos) {
            bad_line("bad banner");
            return false;
        }
        m_host.assign(line.substr(open + 1, close - open - 1));
        std::string_view rest = line.substr(close + 1);
        std::size_t arch = rest.find('_');
        std::string_view date = rest.substr(0, arch);
        int runs[3], widths[3];
        if (digit_runs(date, runs, widths, 3) != 3) {
            bad_line("no date in the banner");
            m_have_banner = false;
            return false;
        }
        int y, m, d;
        m_banner_ambiguous = false;
        if (widths[0] == 4) {  // ISO, ja, ko, zh: year first
            y = runs[0], m = runs[1], d = runs[2];
        } else {
            y = widths[2] == 2 ? 2000 + runs[2] : runs[2];
            bool day_first = date.find('.') != std::string_view::npos || runs[0] > 12 ||
                             date.find('-') != std::string_view::npos;
            bool month_first = runs[1] > 12;
            if (!day_first && !month_first) m_banner_ambiguous = runs[0] != runs[1];
            if (day_first) d = runs[0], m = runs[1];
            else m = runs[0], d = runs[1];
        }
        if (!valid_date(y, m, d) || (m_banner_ambiguous && !valid_date(y, d, m))) {
            bad_line("bad date in the banner");
            m_have_banner = false;
            return false;
        }
        m_banner_fields[0] = y, m_banner_fields[1] = m, m_banner_fields[2] = d;
        m_banner_day = days_from_civil(y, m, d);
        m_have_banner = true;
        m_day = m_segment_day = m_banner_day;
        m_last_tod = m_segment_tod = -1;
        m_after_average = false;
        m_in_block = false;
        return false;
    }
    long tod = time_of_day(tokens[0]);
    int time_tokens = 1;
    if (tod >= 0 && count > 1) {
        int mer = meridiem(tokens[1]);
        if (mer) {
            time_tokens = 2;
            if (tod >= 13 * 3600) {
                bad_line("bad time");
                return false;
            }
            if (tod >= 12 * 3600) tod -= 12 * 3600;
            if (mer == 2) tod += 12 * 3600;
        }
    }
    if (tod < 0) {
        // "Average:", "Durchschn.:", "Moyenne :", "平均値:": a label ending
        // in a colon before the first number.
        for (int i = 0; i < count && i < k_max_fields; ++i) {
            if (looks_numeric(tokens[i])) break;
            if (tokens[i].back() == ':') {
                m_after_average = true;
                return false;
            }
        }
        bad_line("not sar data");
        return false;
    }
    if (!m_have_banner) {
        bad_line("sar data before any banner");
        return false;
    }
    std::string_view* rest = tokens + time_tokens;
    int rest_count = count - time_tokens;
    if (rest_count <= 0) {
        bad_line("a time and nothing else");
        return false;
    }
    auto advance = [&] {
        if (m_last_tod >= 0 && tod < m_last_tod) ++m_day;  // midnight
        m_last_tod = tod;
    };
    if (rest[0] == "LINUX" && rest_count > 1 && rest[1] == "RESTART") {
        advance();
        m_segment_day = m_day;
        m_segment_tod = tod;
        m_after_average = false;
        return false;
    }
    if (rest[0] == "COM") {
        // The record after a comment repeats its time over a zero interval.
        m_com_tod = tod;
        return false;
    }
    int non_numeric = 0;
    for (int i = 0; i < rest_count && i < k_max_fields - time_tokens && non_numeric < 2; ++i)
        if (!looks_numeric(rest[i])) ++non_numeric;
    if (non_numeric >= 2) {
        if (m_after_average) {
            m_day = m_segment_day;
            m_last_tod = m_segment_tod;
            m_after_average = false;
        }
        // A header carries the time of the sample before the first row: it
        // sets the clock only at the start of a block (a live sar repeats
        // headers with older times before every sample).
        if (m_last_tod < 0) m_last_tod = tod;
        m_com_tod = -1;
        start_block(rest, std::min(rest_count, k_max_fields - time_tokens), 0);
        m_block_fields = rest_count;
        return false;
    }
    if (!m_in_block) {
        bad_line("sar data before any header");
        return false;
    }
    if (rest_count != m_block_fields) {
        bad_line(rest_count < m_block_fields ? "too few fields" : "too many fields");
        return false;
    }
    advance();
    if (!m_block_wanted || tod == m_com_tod) return false;
    if (m_banner_ambiguous) {
        // 05/06/26: a decimal comma means a locale that writes the day first.
        for (int i = 0; i < rest_count; ++i)
            if (rest[i].find(',') != std::string_view::npos) {
                std::int64_t day = days_from_civil(m_banner_fields[0], m_banner_fields[2], m_banner_fields[1]);
                m_day += day - m_banner_day;
                m_segment_day += day - m_banner_day;
                m_banner_day = day;
                break;
            }
        m_banner_ambiguous = false;
    }
    m_row.time_ms = local_to_utc_ms(m_day * 86400 + tod);
    m_row.host = m_host;
    return fill_row(rest);
}

bool SysstatParser::fill_row(const std::string_view* fields) {
    double in[s_count];
    bool plain[s_count] = {};
    for (double& v : in) v = k_nan;
    for (int k = 0; k < m_numeric_count; ++k)
        if (!parse_number(fields[m_numeric[k].field], in[m_numeric[k].source], plain[m_numeric[k].source])) {
            bad_line("not a number");
            return false;
        }
    m_row.category = m_block_category;
    m_row.key = m_key_index >= 0 ? fields[m_key_index] : std::string_view();
    double* out = m_row.values;
    for (int i = 0; i < k_max_values; ++i) {
        out[i] = k_nan;
        m_row.text[i] = std::string_view();
    }
    // A value passed through unchanged keeps its text (no formatting cost).
    auto pass = [&](int i, int source) {
        out[i] = in[source];
        if (m_index[source] >= 0 && plain[source]) m_row.text[i] = fields[m_index[source]];
    };
    switch (m_block_category) {
    case Category::cpu: {
        if (m_row.key != "-1" && m_row.key != "all") return false;  // one CPU of -P
        m_row.key = std::string_view();
        pass(0, !std::isnan(in[s_user]) ? s_user : s_usr);
        pass(1, s_nice);
        if (!std::isnan(in[s_system])) {
            pass(2, s_system);
        } else if (!std::isnan(in[s_sys])) {
            out[2] = in[s_sys] + (std::isnan(in[s_irq]) ? 0 : in[s_irq]) +
                     (std::isnan(in[s_soft]) ? 0 : in[s_soft]);
        }
        pass(3, s_iowait);
        pass(4, s_steal);
        pass(5, s_idle);
        out[6] = 100.0 - in[s_idle] - in[s_iowait];
        break;
    }
    case Category::memory:
        if (!fill_memory(in)) return false;
        if (plain[s_commit_pct]) m_row.text[5] = fields[m_index[s_commit_pct]];
        break;
    case Category::swap:
        out[0] = in[s_swpused] / k_kib_per_mib;
        pass(1, s_swpused_pct);
        break;
    case Category::disk:
        if (m_row.key.empty()) return false;
        pass(0, s_tps);
        out[1] = !std::isnan(in[s_rkb]) ? in[s_rkb] / k_kib_per_mib : in[s_rdsec] / 2.0 / k_kib_per_mib;
        out[2] = !std::isnan(in[s_wkb]) ? in[s_wkb] / k_kib_per_mib : in[s_wrsec] / 2.0 / k_kib_per_mib;
        pass(3, s_util);
        pass(4, s_await);
        break;
    case Category::network:
        if (m_row.key.empty()) return false;
        pass(0, s_rxpck);
        pass(1, s_txpck);
        out[2] = in[s_rxkb] / k_kib_per_mib;
        out[3] = in[s_txkb] / k_kib_per_mib;
        pass(4, s_ifutil);
        break;
    }
    return true;
}

bool SysstatParser::fill_memory(const double* in) {
    double* out = m_row.values;
    const double free = in[s_memfree], used = in[s_memused], pct = in[s_memused_pct];
    const double buffers = in[s_buffers], cached = in[s_cached], avail = in[s_avail];
    double total = k_nan, used_kib = k_nan;
    if (std::isnan(avail)) {
        // sysstat <= 11.5: kbmemused = MemTotal - MemFree, no MemAvailable.
        total = free + used;
        used_kib = used - buffers - cached;
    } else {
        if (!std::isnan(in[s_shmem])) {
            total = used + avail;  // 12.7.8+: kbmemused = MemTotal - MemAvailable
        } else if (m_options.mem_total_kib > 0) {
            total = static_cast<double>(m_options.mem_total_kib);
        } else if (m_mem_rule == MemRule::total_free) {
            total = free + used;
        } else if (!std::isnan(pct) && used + free > 0) {
            // Which kbmemused is this?  %memused = kbmemused / MemTotal to two
            // decimals tells, when only one reading agrees with it.
            const double tol = 0.0051;
            double pct_a = 100.0 * used / (free + used);
            bool a = std::fabs(pct_a - pct) <= tol;
            double rest = free + used + buffers + cached;
            if (!std::isnan(in[s_slab])) {
                double pct_b = 100.0 * used / (rest + in[s_slab]);
                bool b = std::fabs(pct_b - pct) <= tol;
                if (b) total = rest + in[s_slab];
                else if (a) m_mem_rule = MemRule::total_free;
            } else {
                bool b_possible = !(100.0 * used / rest < pct - tol);
                if (a && !b_possible) m_mem_rule = MemRule::total_free;
            }
            if (m_mem_rule == MemRule::total_free) total = free + used;
        }
        if (!std::isnan(total)) used_kib = total - avail;
        else ++m_mem_unknown_rows;
    }
    out[0] = used_kib / k_kib_per_mib;
    out[1] = !std::isnan(used_kib) && total > 0 ? 100.0 * used_kib / total : k_nan;
    out[2] = avail / k_kib_per_mib;
    out[3] = buffers / k_kib_per_mib;
    out[4] = cached / k_kib_per_mib;
    out[5] = in[s_commit_pct];
    return true;
}

void SysstatParser::finish() {
    if (m_bad_lines > k_max_warnings)
        m_warn(m_name + ": " + std::to_string(m_bad_lines - k_max_warnings) + " more bad lines skipped");
    if (m_format == Format::unknown) {
        m_warn(m_name + ": empty input, no rows");
    } else if (m_rows == 0) {
        std::string held = category_names_text(m_seen);
        std::string what = m_options.only ? std::string(category_name(*m_options.only)) + " rows" : "rows";
        m_warn(m_name + ": no " + what + (held.empty() ? "" : " (it holds " + held + ")"));
    }
    if (m_mem_unknown_rows > 0)
        m_warn(m_name + ": memory used_mib left empty in " + std::to_string(m_mem_unknown_rows) +
               " rows: this sysstat's kbmemused excludes slab and the input lacks MemTotal "
               "(render with 'sadf -d -- -r ALL', or give --mem-total)");
}

}  // namespace clusterp
