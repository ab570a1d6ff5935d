#include "parse/sysstat_parse.hpp"

#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>

#include "base/diag.hpp"
#include "parse/sysstat_text.hpp"

namespace clusterp {

using sysstat_text::is_space;
using sysstat_text::looks_numeric;
using sysstat_text::split;
using sysstat_text::tokenize;
using sysstat_text::digit_runs;
using sysstat_text::time_of_day;
using sysstat_text::meridiem;
using sysstat_text::valid_date;
using sysstat_text::sadf_time_ms;
using sysstat_text::without_colours;

namespace {

// A LINUX-RESTART or COM record of sadf -d (`host;-1;time;LINUX-RESTART...`):
// it comes first when the file or the time range (-s) starts with a boot.
bool is_sadf_mark(std::string_view line) {
    std::string_view fields[4];
    if (split(line, ';', fields, 4) < 4 || fields[1] != "-1") return false;
    return fields[3].rfind("LINUX-RESTART", 0) == 0 || fields[3].rfind("COM ", 0) == 0;
}

// N of a trailing `(N CPU)` (sar's banner, a LINUX RESTART line of sysstat
// 11 and later, sadf's LINUX-RESTART record); 0 when there is none.
int cpu_count_of(std::string_view line) {
    const std::size_t close = line.rfind(" CPU)");
    const std::size_t open = line.rfind('(', close);
    if (close == std::string_view::npos || open == std::string_view::npos) return 0;
    int n = 0;
    for (std::size_t i = open + 1; i < close; ++i) {
        if (line[i] < '0' || line[i] > '9' || n > 100000) return 0;
        n = n * 10 + (line[i] - '0');
    }
    return n;
}

}  // namespace

SysstatParser::SysstatParser(std::string name, ParseOptions options,
                             std::function<void(const std::string&)> warn)
    : m_name(std::move(name)), m_options(options), m_warn(std::move(warn)) {
    for (int& i : m_index) i = -1;
    m_scratch.reserve(256);
}

void SysstatParser::bad_line(const char* what) {
    // Warned once per input: a broken file has many such lines.
    if (++m_bad_lines == 1) {
        m_first_bad_line = m_line;
        m_warn(m_name + ":" + std::to_string(m_line) + ": " + what + ", line skipped");
    }
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
    line = without_colours(line, m_scratch);
    std::size_t first = 0;
    while (first < line.size() && is_space(line[first])) ++first;
    if (first == line.size()) return false;
    if (!complete) {
        bad_line("truncated line (no line feed at the end of the input)");
        return false;
    }
    if (m_format == Format::unknown) {
        if (line.rfind("# hostname;", 0) == 0 || is_sadf_mark(line)) {
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
    if (count >= 3 && (fields[1] == "-1" || fields[1] == "0")) {
        if (count >= 4 && fields[3].rfind("LINUX-RESTART", 0) == 0) m_cpus = cpu_count_of(fields[3]);
        return false;
    }
    if (!m_in_block) {
        bad_line("not sadf -d data");
        return false;
    }
    // Activities outside the contract may print lines of their own shape
    // (sar -A): not read, so not checked.
    if (!m_block_wanted) return false;
    if (count != m_block_fields) {
        bad_line(count < m_block_fields ? "too few fields" : "too many fields");
        return false;
    }
    if (m_stamp_size == 0 || fields[2] != std::string_view(m_stamp, m_stamp_size)) {
        bool local = false, ok = false;
        std::int64_t t = sadf_time_ms(fields[2], local, ok);
        if (!ok) {
            bad_line("bad timestamp");
            return false;
        }
        if (local) t = local_to_utc_ms(t / 1000);
        m_stamp_ms = t;
        m_stamp_size = fields[2].size() <= sizeof m_stamp ? fields[2].size() : 0;
        std::memcpy(m_stamp, fields[2].data(), m_stamp_size);
    }
    m_row.time_ms = m_stamp_ms;
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
        m_cpus = cpu_count_of(line);
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
        if (const int cpus = cpu_count_of(line)) m_cpus = cpus;
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
    if (m_block_wanted && rest_count != m_block_fields) {
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

bool SysstatParser::finish() {
    if (m_bad_lines > 1)
        m_warn(m_name + ": " + std::to_string(m_bad_lines - 1) + " more bad lines skipped after line " +
               std::to_string(m_first_bad_line));
    const bool last = release_held();
    if (last) ++m_rows;
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
    return last;
}

void SysstatParser::preload_joined(SysstatParser& first) {
    for (int c = 0; c < k_category_count; ++c) m_joined[c] = std::move(first.m_joined[c]);
    m_joined_keys = std::move(first.m_joined_keys);
    m_joined_preloaded = true;
}

}  // namespace clusterp
