// What plot needs to know of a contract CSV (design.md, "Data contract of
// parse") before it writes a script: the category, the hosts and devices
// present, which devices show any activity, where each series' rows are.
// Read with model/csv's reader.  Pure: reads a stream it is given.
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

}  // namespace clusterp
