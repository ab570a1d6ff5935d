// A small reader of the CSV that clusterp-parse writes (design.md, "Data
// contract of parse"): what plot needs to know before it writes a script,
// namely the category, the hosts and devices present and which devices show
// any activity.  The values themselves are left to gnuplot, which reads the
// files directly.  Pure: reads a stream it is given.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "model/contract.hpp"

namespace clusterp {

// One host (cpu, memory, swap) or one host's device or interface (disk,
// network) as found in the rows.
struct CsvSeries {
    std::string host;
    std::string alias;         // empty when the rows leave it empty
    std::string device;        // disk: device, network: iface; else empty
    std::string device_alias;  // empty when the rows leave it empty
    bool active = false;       // some activity column above zero (disk, network)
    // Per header column: not empty in some row of the series (read with
    // first_row_only: in its first row).  CsvSummary::has_value asks it.
    std::vector<bool> filled;
    // Where its rows are among the data rows (counted from 0, header and
    // blank lines not counted): the first at first_row, then one every
    // `stride` rows without a gap when `regular` (stride 0: a single row).
    // Lets gnuplot pick them with `every` instead of testing each row.
    std::size_t first_row = 0;
    std::size_t stride = 0;
    bool regular = true;
};

struct CsvSummary {
    std::vector<std::string> header;
    std::optional<Category> category;  // from the header; none when it is no contract CSV
    std::size_t rows = 0;  // data rows read
    std::vector<CsvSeries> series;  // in order of first appearance

    bool has_column(const std::string& name) const;
    // Whether SERIES has a value in column NAME: the header has it and some
    // row fills it (a CSV of an older clusterp lacks the newer columns; a
    // column the node's sysstat cannot record is empty).
    bool has_value(const CsvSeries& series, const std::string& name) const;
    // The 1-based position of column NAME in the header, 0 when absent.
    int column_number(const std::string& name) const;
};

// Reads the header and rows of IN.  With first_row_only it stops after the
// first data row (rows then counts at most 1): directory mode has one host per file, so the first row already
// says who it is, and disk and network files read by read_columns need no
// second pass.  A blank line between rows makes every series
// irregular (gnuplot starts a new block there).  A missing header gives an empty header and no category.
CsvSummary summarize_csv(std::istream& in, bool first_row_only = false);

// Device and interface names that are never plotted unless configured:
// loop*, ram*, lo.
bool is_pseudo_device(const std::string& name);

}  // namespace clusterp

namespace clusterp {

// The numbers of some columns of one contract CSV, per series key: what
// plot reduces before handing it to gnuplot and draws its views from, and
// what the report judges.
template <class Value>
struct ColumnsOf {
    std::string key;            // the key column's field ("" without one)
    std::string label;          // the label column's field in the key's first row
    std::vector<double> x;      // one per row
    std::vector<std::vector<Value>> y;  // per y column, one per row; NaN when empty
};
// Exact values, for the report.
using ColumnData = ColumnsOf<double>;
// plot's: float holds 7 significant digits, more than sysstat prints, in
// half the memory of a double (plot holds every value of a category at once).
using PlotColumns = ColumnsOf<float>;

// Reads TEXT (a whole CSV file, header included).  x_column, key_column,
// label_column and y_columns are 1-based (0: none); with x_is_time the x field is
// an ISO 8601 UTC time (`2026-11-25T02:40:56Z`) read as seconds since the
// epoch.  Rows whose x is not a number are left out.  Series come in the
// order of their first row.
template <class Value = double>
std::vector<ColumnsOf<Value>> read_columns(const std::string& text, int x_column, bool x_is_time, int key_column,
                                           int label_column, const std::vector<int>& y_columns);
extern template std::vector<ColumnData> read_columns(const std::string&, int, bool, int, int, const std::vector<int>&);
extern template std::vector<PlotColumns> read_columns(const std::string&, int, bool, int, int, const std::vector<int>&);

}  // namespace clusterp
