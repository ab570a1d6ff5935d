// clusterp-parse for the processes category: pidstat output (a file
// descriptor) -> processes CSV, through the pure parser (pidstat_parse).
// parse_run calls it for raw/processes/<host> and for pidstat files named
// on the command line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/csv.hpp"

namespace clusterp {

// Whether HEAD (an input's first bytes) is pidstat -h output: a `#` header
// line ending in `Command` before any row.
bool looks_like_pidstat(std::string_view head);

// The time of the first row of the pidstat output on FD (NAME in messages),
// less OFFSET_MS; INT64_MAX when there is none.  Reads no further.
std::int64_t first_process_ms(const std::string& name, int fd, std::int64_t offset_ms);

// Writes the rows of the pidstat output on FD as processes CSV to OUT, the
// header first when HEADER: times less OFFSET_MS, `elapsed` from T0_MS; the
// host and alias given (an empty HOST: the banner's, its alias the same).
// Warnings name NAME.  Returns the time of the last row written (INT64_MIN:
// none).  Throws Error (65) when the input is not pidstat output.
std::int64_t write_processes_csv(const std::string& name, int fd, CsvWriter& out, bool header, std::int64_t offset_ms,
                                 std::int64_t t0_ms, std::string_view host, std::string_view alias);

}  // namespace clusterp
