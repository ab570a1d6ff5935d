// nvidia-smi's `--query-gpu=FIELDS --format=csv[,nounits][,noheader]`
// output -> rows of the gpu category (model/contract).  Pure: lines in, rows
// out, no I/O.
//
// The fields are found by the header line's names, in any order, with or
// without units (`utilization.gpu [%]`, `memory.used [MiB]`), whichever
// names the driver gives them (clocks_event_reasons.active or the older
// clocks_throttle_reasons.active; enforced.power.limit, else power.limit;
// clocks.current.sm or clocks.sm); fields it does not use are skipped, and
// a header repeated (logs appended to) is read again.  Values may carry
// their unit (`100 %`) or not; `[N/A]`, `[Not Supported]`, `N/A` and any
// other text where a number belongs (driver error texts) are missing
// values, never zero.  Timestamps (`YYYY/MM/DD HH:MM:SS.mmm`) are read as
// UTC: clusterp's collector runs nvidia-smi with TZ=UTC.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/contract.hpp"

namespace clusterp {

struct GpuRow {
    std::int64_t time_ms = 0;
    std::string gpu;    // the index
    std::string model;  // nvidia-smi's name, the default gpu_alias
    std::string uuid;   // empty when not queried
    double values[k_max_values];  // the contract's gpu value columns; NaN: missing
    std::string throttle;         // the throttle column's text, empty: unknown
};

class NvidiaSmiParser {
public:
    // NAME labels warnings (`raw/gpu/n1`), given to WARN once each.
    NvidiaSmiParser(std::string name, std::function<void(const std::string&)> warn);

    // Reads one line (without its newline; COMPLETE false for a last line
    // cut short).  Returns true when it gave a row (row()).  Throws Error
    // (65) for a first line that is no --query-gpu header, or a header with
    // no timestamp or no field clusterp uses.
    bool feed(std::string_view line, bool complete = true);
    const GpuRow& row() const { return m_row; }
    std::size_t rows() const { return m_rows; }

private:
    bool read_header(const std::vector<std::string_view>& fields);

    std::string m_name;
    std::function<void(const std::string&)> m_warn;
    std::size_t m_line = 0;
    std::size_t m_rows = 0;
    bool m_have_header = false;
    std::vector<int> m_role;  // per field: its role (a value column, or below)
    int m_fields = 0;
    bool m_warned_bad = false;
    bool m_warned_mig = false;
    GpuRow m_row;
};

// The `throttle` text of nvidia-smi's clocks_event_reasons.active bit mask
// (`0x0000000000000004`): `power`, `thermal` and `hw_slowdown`, joined by
// `+`, for the reasons that slow the clock for power or heat; `none` when
// none of those is active; empty when TEXT is no mask.
std::string throttle_text(std::string_view text);

}  // namespace clusterp
