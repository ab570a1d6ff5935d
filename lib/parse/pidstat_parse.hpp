// pidstat output -> rows of the processes category (design.md: pid command
// cpu_pct rss_mib read_kibps write_kibps), one line at a time.  Pure: no
// I/O; the caller feeds lines and collects warnings.
//
// Input: `pidstat -h` (one line per process and interval) of sysstat 10.2
// to 12.7, with any of -u, -r, -d, in any locale: epoch stamps (-H) or the
// time of day (12-hour clocks too, the date from the banner, UTC, the
// midnight roll-over), decimal comma or point, repeated `#` headers, an
// `Average:` block (skipped), CRLF and colour codes.  Columns are found by
// their header names (`%CPU`, `RSS`, `kB_rd/s`, `kB_wr/s`), never by
// position.  The command is the last column and may hold anything but a
// line feed (spaces with -l, or in a thread's name; commas; bytes that are
// not UTF-8): it is the rest of the line, kept byte for byte.  A value
// pidstat could not read (-1, e.g. another user's I/O) is left empty.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace clusterp {

// One process in one interval.  Views point into the fed line or the
// parser: valid until the next feed().
struct ProcessRow {
    std::int64_t time_ms = 0;  // UTC
    std::string_view host;     // the banner's
    long long pid = 0;
    std::string_view command;
    double cpu_pct = 0;     // %CPU: 100 is one full CPU (never divided by the count)
    double rss_mib = 0;     // RSS, KiB in the input
    double read_kibps = 0;  // kB_rd/s
    double write_kibps = 0; // kB_wr/s
};

class PidstatParser {
public:
    // name: the input as warnings show it; warn receives `NAME:LINE: text`.
    PidstatParser(std::string name, std::function<void(const std::string&)> warn);

    // Feeds one line without its line feed; `complete` false for a last
    // line that had none (cut short: skipped with a warning).  Returns true
    // when the line is a process row, then in row().  Throws Error (65)
    // when the first meaningful line shows the input is not pidstat's.
    bool feed(std::string_view line, bool complete = true);
    // Ends the input: warns when it held no row.
    void finish();

    const ProcessRow& row() const { return m_row; }
    std::size_t rows() const { return m_rows; }

private:
    void bad_line(const char* what);
    bool header(std::string_view line);
    bool banner(std::string_view line);

    std::string m_name;
    std::function<void(const std::string&)> m_warn;
    std::size_t m_line = 0;
    std::size_t m_rows = 0;
    std::size_t m_bad = 0;
    bool m_started = false;  // a banner or header seen: this is pidstat output
    std::string m_scratch;   // a line without its colour codes
    std::string m_host;
    ProcessRow m_row;

    // The current header: the number of fields before the command and the
    // index of each column read (-1 when absent).
    bool m_have_header = false;
    int m_fields = 0;
    int m_pid = -1, m_cpu = -1, m_rss = -1, m_read = -1, m_write = -1;

    // Times of day: the banner's date (days since the epoch), the day and
    // last time of day seen (for the midnight roll-over).
    bool m_have_date = false;
    std::int64_t m_day = 0;
    long m_last_tod = -1;
};

}  // namespace clusterp
