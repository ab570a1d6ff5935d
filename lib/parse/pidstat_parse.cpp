#include "parse/pidstat_parse.hpp"

#include <cmath>
#include <limits>

#include "base/diag.hpp"
#include "model/contract.hpp"
#include "parse/sysstat_text.hpp"

namespace clusterp {

using namespace sysstat_text;

namespace {

const double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr int k_max_tokens = 64;

// The token at INDEX of LINE split on blanks, and where the rest of the
// line after it starts (for the command, the last column).
struct Cut {
    std::string_view tokens[k_max_tokens];
    int count = 0;
};

// The first COUNT blank-separated tokens of LINE in CUT; returns the rest
// of the line after them, leading blanks skipped (may be empty).
std::string_view cut_tokens(std::string_view line, int count, Cut& cut) {
    std::size_t i = 0;
    cut.count = 0;
    while (cut.count < count && cut.count < k_max_tokens) {
        while (i < line.size() && is_space(line[i])) ++i;
        if (i == line.size()) break;
        const std::size_t start = i;
        while (i < line.size() && !is_space(line[i])) ++i;
        cut.tokens[cut.count++] = line.substr(start, i - start);
    }
    while (i < line.size() && is_space(line[i])) ++i;
    return line.substr(i);
}

// A value of a column read, or NaN: pidstat prints -1 for what it could
// not read.
double value_of(std::string_view text, bool& ok) {
    double v;
    if (!parse_number(text, v)) {
        ok = false;
        return k_nan;
    }
    return v < 0 ? k_nan : v;
}

}  // namespace

PidstatParser::PidstatParser(std::string name, std::function<void(const std::string&)> warn)
    : m_name(std::move(name)), m_warn(std::move(warn)) {}

void PidstatParser::bad_line(const char* what) {
    // Warned once per input: a broken file has many such lines.
    if (++m_bad == 1) m_warn(m_name + ":" + std::to_string(m_line) + ": " + what + ", line skipped");
}

// Linux <release> (<host>) \t<date> \t_<arch>_\t(N CPU)
bool PidstatParser::banner(std::string_view line) {
    const std::size_t open = line.find('('), close = line.find(')', open);
    if (open == std::string_view::npos || close == std::string_view::npos) return false;
    m_host.assign(line.substr(open + 1, close - open - 1));
    std::string_view date = line.substr(close + 1);
    date = date.substr(0, date.find('_'));
    int runs[3], widths[3];
    m_have_date = false;
    if (digit_runs(date, runs, widths, 3) == 3) {
        int y, m, d;
        if (widths[0] == 4) {
            y = runs[0], m = runs[1], d = runs[2];
        } else {
            y = widths[2] == 2 ? 2000 + runs[2] : runs[2];
            const bool day_first = date.find('.') != std::string_view::npos || runs[0] > 12;
            d = day_first ? runs[0] : runs[1];
            m = day_first ? runs[1] : runs[0];
        }
        if (valid_date(y, m, d)) {
            m_day = days_from_civil(y, m, d);
            m_have_date = true;
            m_last_tod = -1;
        }
    }
    return true;
}

// `# Time UID PID %usr ... Command`: where each column read sits.
bool PidstatParser::header(std::string_view line) {
    Cut cut;
    const std::string_view rest = cut_tokens(line.substr(1), k_max_tokens, cut);
    if (!rest.empty() || cut.count < 3 || cut.tokens[cut.count - 1] != "Command") return false;
    m_pid = m_cpu = m_rss = m_read = m_write = -1;
    for (int i = 0; i < cut.count; ++i) {
        const std::string_view t = cut.tokens[i];
        if (t == "PID") m_pid = i;
        else if (t == "%CPU") m_cpu = i;
        else if (t == "RSS") m_rss = i;
        else if (t == "kB_rd/s") m_read = i;
        else if (t == "kB_wr/s") m_write = i;
    }
    // A 12-hour clock adds a token to every row that the header lacks
    // (`Time` is one word, `02:40:56 AM` two): rows say it themselves.
    m_fields = cut.count - 1;
    m_have_header = m_pid > 0;
    return true;
}

bool PidstatParser::feed(std::string_view line, bool complete) {
    ++m_line;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line = without_colours(line, m_scratch);
    std::size_t first = 0;
    while (first < line.size() && is_space(line[first])) ++first;
    if (first == line.size()) return false;
    line.remove_prefix(first);
    if (!complete) {
        bad_line("truncated line (no line feed at the end of the input)");
        return false;
    }
    if (line.rfind("Linux ", 0) == 0 && line.find('(') != std::string_view::npos) {
        m_started = banner(line) || m_started;
        return false;
    }
    if (line[0] == '#') {
        if (header(line)) m_started = true;
        else if (!m_started) throw Error(k_exit_data, m_name + ":" + std::to_string(m_line) + ": not pidstat -h output");
        return false;
    }
    if (!m_started)
        throw Error(k_exit_data, m_name + ":" + std::to_string(m_line) + ": not pidstat -h output (no banner or header)");
    if (!m_have_header) {
        bad_line("a row before any header");
        return false;
    }
    // The time: epoch seconds (-H), or a time of day, maybe with AM/PM.
    Cut head;
    cut_tokens(line, 2, head);
    std::int64_t time_ms;
    int extra = 0;
    if (head.count > 0 && looks_numeric(head.tokens[0]) && head.tokens[0].find(':') == std::string_view::npos) {
        double seconds;
        if (!parse_number(head.tokens[0], seconds)) {
            bad_line("bad time");
            return false;
        }
        time_ms = std::int64_t(std::llround(seconds * 1000));
    } else {
        const long tod = head.count > 0 ? time_of_day(head.tokens[0]) : -1;
        if (tod < 0) {
            // `Average:` (translated too) and anything else without a time.
            return false;
        }
        long t = tod;
        if (head.count > 1) {
            if (const int mer = meridiem(head.tokens[1])) {
                extra = 1;
                if (t >= 13 * 3600) {
                    bad_line("bad time");
                    return false;
                }
                if (t >= 12 * 3600) t -= 12 * 3600;
                if (mer == 2) t += 12 * 3600;
            }
        }
        if (!m_have_date) {
            bad_line("a time of day without a dated banner");
            return false;
        }
        if (m_last_tod >= 0 && t < m_last_tod) ++m_day;  // midnight
        m_last_tod = t;
        time_ms = (m_day * 86400 + t) * 1000;
    }
    Cut cut;
    const std::string_view command = cut_tokens(line, m_fields + extra, cut);
    if (cut.count < m_fields + extra || command.empty()) {
        bad_line("too few fields");
        return false;
    }
    auto at = [&](int column) { return cut.tokens[column + (column > 0 ? extra : 0)]; };
    bool ok = true;
    double pid;
    if (!parse_number(at(m_pid), pid) || pid < 0 || pid != std::floor(pid)) {
        bad_line("bad pid");
        return false;
    }
    m_row.time_ms = time_ms;
    m_row.host = m_host;
    m_row.pid = (long long)pid;
    m_row.command = command;
    m_row.cpu_pct = m_cpu >= 0 ? value_of(at(m_cpu), ok) : k_nan;
    m_row.rss_mib = m_rss >= 0 ? value_of(at(m_rss), ok) / 1024 : k_nan;
    m_row.read_kibps = m_read >= 0 ? value_of(at(m_read), ok) : k_nan;
    m_row.write_kibps = m_write >= 0 ? value_of(at(m_write), ok) : k_nan;
    if (!ok) {
        bad_line("not a number");
        return false;
    }
    ++m_rows;
    return true;
}

void PidstatParser::finish() {
    if (m_bad > 1) m_warn(m_name + ": " + std::to_string(m_bad - 1) + " more bad lines skipped");
    if (m_rows == 0) m_warn(m_name + (m_started ? ": no process rows" : ": empty input, no rows"));
}

}  // namespace clusterp
