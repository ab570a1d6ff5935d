// sysstat output -> rows of the parse data contract (design.md), one line at
// a time.  Pure: no I/O; the caller feeds lines and collects warnings.
//
// Inputs, told apart by content: `sadf -d` of sysstat 10.x to 12.x (epoch or
// `YYYY-MM-DD HH:MM:SS [UTC]` stamps, decimal comma or point, LINUX-RESTART
// and COM rows, repeated headers, CPU -1 = all) and `sar` text in any locale
// (12-hour clocks, decimal comma, translated "Average:" lines, the date from
// the banner, DEV/IFACE first or last, repeated headers, LINUX RESTART, the
// midnight roll-over, CRLF and ANSI colour codes).  Columns are found by
// their header names, never by position; blocks of activities outside the
// contract's categories (model/contract.hpp) are skipped.
//
// Memory: one line costs no allocation once the parser has seen its header;
// the parser keeps only the current block's column map.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/contract.hpp"

namespace clusterp {

// One output row.  Values that the input lacks are NaN (written empty).
// `host` and `key` point into the parser or the fed line: valid until the
// next feed().
struct Row {
    Category category = Category::cpu;
    std::int64_t time_ms = 0;  // UTC, milliseconds since the epoch
    std::string_view host;     // as the input names it (sadf field, sar banner)
    std::string_view key;      // device or interface; empty for the others
    double values[k_max_values];
    // The input's own text of a value, as CsvWriter::number would write it
    // (sysstat_text.hpp, parse_number), or empty: then values[] is to be
    // formatted.
    std::string_view text[k_max_values];
};

struct ParseOptions {
    // Rows of other categories are dropped; unset: every category is kept
    // (the caller decides what to do with several).
    std::optional<Category> only;
    // MemTotal in KiB when known from outside (manifest, --mem-total); 0
    // when unknown.  Makes used_mib exact for every sysstat version.
    long long mem_total_kib = 0;
};

enum class Format { unknown, sadf, sar };

class SysstatParser {
public:
    // name: the file as shown in warnings; warn receives `NAME:LINE: text`.
    SysstatParser(std::string name, ParseOptions options,
                  std::function<void(const std::string&)> warn);

    // Feeds one line, without its line feed (a trailing CR is allowed).
    // `complete` is false for a last line that had no line feed: such a line
    // was cut short and is skipped with a warning.  Returns true when the
    // line produced a row, then available from row() until the next call.
    // Throws Error (65) when the first meaningful line shows the input is
    // not sysstat output.
    bool feed(std::string_view line, bool complete = true);

    // Ends the input: emits the summary warnings (e.g. memory used_mib left
    // empty, or an empty input).  Returns true when that completed a last
    // row (a cpu row held back for its single CPUs), then in row().
    bool finish();

    // Activities joined into rows (memory's -B, swap's -W, network's
    // -n EDEV, load's PSI: CategoryInfo::first_joined) came after rows they
    // belong to had been given out, so those rows lack them.  A second pass
    // over the same input with preload_joined(this parser) gives them all.
    bool late_joins() const { return m_late_joins; }
    // Takes the joined activities `first` read, and skips them in the input.
    void preload_joined(SysstatParser& first);
    // The time of the earliest joined record read so far (INT64_MAX: none).
    // sadc records every activity in each sample, so when the joined
    // activities come first (clusterp-stop) this is the first row's time,
    // known without reading them all.
    std::int64_t first_joined_ms() const { return m_first_joined_ms; }

    const Row& row() const { return m_row; }
    Format format() const { return m_format; }
    std::size_t line_number() const { return m_line; }
    // Categories met so far, as a bit set (1 << Category).
    unsigned categories_seen() const { return m_seen; }
    std::size_t rows() const { return m_rows; }

private:
    bool feed_sadf(std::string_view line);
    bool feed_sar(std::string_view line);
    bool start_block(const std::string_view* names, int count, int first);
    bool fill_row(const std::string_view* fields);
    bool fill_memory(const double* in);
    bool add_core(const std::string_view* fields);
    bool hold_cpu_row();
    bool release_held();
    // Values of a joined activity for one sample (and device): the columns
    // from CategoryInfo::first_joined on, in order.
    static constexpr int k_max_joined = 5;
    struct Joined {
        std::int64_t time_ms;
        int key;  // into m_joined_keys; -1 for categories without a key
        double values[k_max_joined];
    };
    int joined_key(std::string_view key);
    Joined* find_joined(Category category, std::int64_t time_ms, int key, bool insert);
    void store_joined(std::string_view key, const double* in);
    void join(std::string_view key);
    void bad_line(const char* what);
    std::int64_t local_to_utc_ms(std::int64_t local_seconds);

    std::string m_name;
    ParseOptions m_options;
    std::function<void(const std::string&)> m_warn;
    Format m_format = Format::unknown;
    std::size_t m_line = 0;
    std::size_t m_rows = 0;
    std::size_t m_bad_lines = 0;
    std::size_t m_first_bad_line = 0;  // warned; the others are counted
    std::string m_scratch;  // a line without its colour codes
    // The fields of the current line (a member: a local array would be
    // zeroed on every line).
    static constexpr int k_max_fields = 64;
    std::string_view m_fields[k_max_fields];
    unsigned m_seen = 0;
    Row m_row;

    // The current block: its category (none when the block is skipped) and
    // where each input column the contract needs sits.
    bool m_in_block = false;
    bool m_block_wanted = false;
    bool m_block_joined = false;  // an activity joined into another's rows
    Category m_block_category = Category::cpu;
    int m_block_fields = 0;
    int m_key_index = -1;
    static constexpr int k_max_sources = 64;
    int m_index[k_max_sources];  // field of each input column, -1 when absent
    struct Numeric {
        int source;
        int field;
    };
    Numeric m_numeric[k_max_sources];  // the numeric columns present, to parse
    // The current line's values and their texts as written out
    // (parse_number's canonical), by source.  Members, so that a line sets
    // only the columns present: the others stay NaN from start_block.
    double m_values[k_max_sources];
    std::string_view m_texts[k_max_sources];
    int m_numeric_count = 0;
    std::string m_host;

    // sar text: the banner date (days since the epoch), the current block's
    // day and last time of day (for the midnight roll-over), the 12-hour
    // clock, and whether an average line closed the previous block.
    std::int64_t m_banner_day = 0;
    bool m_have_banner = false;
    int m_banner_fields[3] = {0, 0, 0};
    bool m_banner_ambiguous = false;
    std::int64_t m_day = 0;
    long m_last_tod = -1;
    // Where the current run segment starts: the banner, or the last LINUX
    // RESTART; every activity block of sar -f starts over from there.
    std::int64_t m_segment_day = 0;
    long m_segment_tod = -1;
    bool m_after_average = false;
    long m_com_tod = -1;  // time of a COM line in this block

    // memory: what kbmemused means, decided from evidence once.
    enum class MemRule { undecided, total_free, total_known };
    MemRule m_mem_rule = MemRule::undecided;
    std::size_t m_mem_unknown_rows = 0;

    // cpu: the CPU count of the banner or the last restart (0: none), and
    // the "all" row held back until its sample's single CPUs are read (and
    // counted), its texts in one of two stores (the other backs the row
    // given out).
    int m_cpus = 0;
    int m_held_cores = 0;
    bool m_held = false;
    Row m_held_row;
    struct HeldText {
        std::string host;
        std::string text[k_max_values];
    };
    HeldText m_held_text[2];
    int m_held_slot = 0;

    // Joined activities by category, sorted by time, and the devices they name.
    std::vector<Joined> m_joined[k_category_count];
    std::size_t m_joined_hint[k_category_count] = {};  // where find_joined ended
    std::vector<std::string> m_joined_keys;
    std::size_t m_emitted[k_category_count] = {};
    bool m_late_joins = false;
    std::int64_t m_first_joined_ms = INT64_MAX;
    bool m_joined_preloaded = false;

    // sadf -d: the last timestamp read, as text and in UTC ms; the rows of
    // one sample (every CPU, device, interface) share it.  Size 0: none
    // kept (a longer text is not).
    char m_stamp[40];
    std::size_t m_stamp_size = 0;
    std::int64_t m_stamp_ms = 0;

    // local time -> UTC: the last hour converted, as a cache for mktime.
    std::int64_t m_tz_hour = INT64_MIN;
    std::int64_t m_tz_offset = 0;
};

}  // namespace clusterp
