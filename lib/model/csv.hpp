// CSV, the one home (design.md, "Data contract of parse"): the writer that
// parse, plot and report write with, the one splitter, and the reader that
// every layer above reads the contract's CSV and its own small tables with.
//
// Writing: RFC 4180, comma-separated, a field quoted only when it holds a
// comma, a double quote, CR or LF (quotes doubled inside), rows ended by LF
// (as Unix tools expect; RFC 4180 readers accept it).  Numbers always use
// '.' as decimal point, whatever the locale, with at most six decimals and
// no trailing zeros; NaN is an empty field.  Rows are built in a buffer that
// is handed to a sink when it fills and at flush(); no allocation once the
// buffer has its size.
//
// Reading: a whole text in memory, one pass over each line (its end, its
// commas, whether it quotes; a quoted line goes through split_csv_line),
// numbers read without the locale, times as the contract writes them (with
// or without milliseconds).  A trailing CR is dropped; no newline inside a
// field (the contract never writes one).
//
// Pure: no I/O.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clusterp {

class CsvWriter {
public:
    // sink(data, size) must take all of it or throw.
    explicit CsvWriter(std::function<void(const char*, std::size_t)> sink,
                       std::size_t buffer_size = 1 << 16);
    ~CsvWriter() = default;
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;

    void text(std::string_view value);
    // A field written as is: the caller promises it needs no quoting.
    void raw(std::string_view value);
    void number(double value);
    void end_row();
    // Hands what is buffered to the sink.
    void flush();

private:
    void separator() {
        if (m_row_started) *reserve(1) = ',', ++m_used;
        m_row_started = true;
    }
    char* reserve(std::size_t size) {
        if (m_used + size <= m_size) return m_buffer.get() + m_used;
        return reserve_slow(size);
    }
    char* reserve_slow(std::size_t size);

    std::function<void(const char*, std::size_t)> m_sink;
    // Not zeroed (parse makes one writer per file: zeroing it cost more
    // than writing a small file); only the pages written are touched.
    std::unique_ptr<char[]> m_buffer;
    std::size_t m_size = 0;
    std::size_t m_used = 0;
    bool m_row_started = false;
};

// The number as CsvWriter writes it (tests, and callers that build text).
std::string format_number(double value);

// One CSV line split into fields (RFC 4180 quotes; a trailing CR dropped).
std::vector<std::string> split_csv_line(std::string_view line);

// The lines of TEXT one at a time, each split into fields that point into
// TEXT (or, for a quoted line, into the reader: valid until the next call).
class CsvLines {
public:
    explicit CsvLines(std::string_view text) : m_text(text) {}

    // Goes to the next line that is not blank; false at the end.
    bool next();
    // The fields of the current line; field(N) is the Nth (1-based), ""
    // when the line has fewer or N is 0.
    const std::vector<std::string_view>& fields() const { return m_fields; }
    std::string_view field(int number) const {
        return number >= 1 && std::size_t(number) <= m_fields.size() ? m_fields[std::size_t(number - 1)]
                                                                     : std::string_view();
    }
    // The current line as written, LF and CR excluded.
    std::string_view line() const { return m_line; }
    // Its number in TEXT, from 1.
    std::size_t line_number() const { return m_number; }
    // Whether blank lines came between the previous line and this one.
    bool after_blank() const { return m_after_blank; }
    // Where the text after the current line starts.
    std::size_t offset() const { return m_pos; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_number = 0;
    bool m_after_blank = false;
    std::string_view m_line;
    std::vector<std::string_view> m_fields;
    std::vector<std::string> m_unquoted;
};

// The fields of TEXT's first line that is not blank (its header).
std::vector<std::string> csv_header(std::string_view text);
// The 1-based position of column NAME in HEADER, 0 when absent.
int column_number(const std::vector<std::string>& header, std::string_view name);

// A plain decimal number (`12`, `-0.25`, `1e3`), read without the locale;
// NaN for an empty field or any other text.
double csv_number(std::string_view field);
// A `time` field (`2026-11-25T02:40:56Z`, or `2026-11-25T02:40:56.500Z`
// once clock offsets are applied) as seconds since the epoch, milliseconds
// kept; nullopt for any other text.
std::optional<double> csv_time(std::string_view field);

// A small CSV with a header (plot/hosts.csv, report/findings.csv), whole:
// each row as many fields as the header (missing ones empty, extra ones
// dropped).  An empty text gives no header and no rows.
struct CsvTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    // Field NAME of row ROW ("" when the header has no NAME).
    const std::string& get(std::size_t row, std::string_view name) const;
};
CsvTable read_csv_table(std::string_view text);

// The numbers of some columns of one contract CSV, per series: what plot
// reduces before handing it to gnuplot and draws its views from, and what
// the report judges.  A series is the rows of one host (when a host column
// is asked for) and one key.
template <class Value>
struct ColumnsOf {
    std::string host;           // the host column's field ("" without one)
    std::string alias;          // the alias column's field in the series' first row
    std::string key;            // the key column's field ("" without one)
    std::string label;          // the label column's field in the series' first row
    std::vector<double> x;      // one per row
    std::vector<std::vector<Value>> y;  // per y column, one per row; NaN when empty
};
// Exact values, for the report.
using ColumnData = ColumnsOf<double>;
// plot's: float holds 7 significant digits, more than sysstat prints, in
// half the memory of a double (plot holds every value of a category at once).
using PlotColumns = ColumnsOf<float>;

// Which columns read_columns reads, each 1-based (0: none).
struct ColumnPick {
    int x = 0;
    bool x_is_time = false;  // x is a `time` field (csv_time), else a number
    int host = 0;            // with alias: a series per host and key
    int alias = 0;
    int key = 0;             // with label: the device of disk and network
    int label = 0;
    std::vector<int> y;
    // Per y column, how its field becomes a number (a text column such as
    // gpu's throttle); nullptr, or no entry: csv_number.
    std::vector<double (*)(std::string_view)> y_number;
};

// Reads TEXT (a whole CSV file, header included) as PICK says.  Rows whose
// x is not a number (or time) are left out.  Series come in the order of
// their first row.
template <class Value = double>
std::vector<ColumnsOf<Value>> read_columns(std::string_view text, const ColumnPick& pick);
extern template std::vector<ColumnData> read_columns(std::string_view, const ColumnPick&);
extern template std::vector<PlotColumns> read_columns(std::string_view, const ColumnPick&);

}  // namespace clusterp
