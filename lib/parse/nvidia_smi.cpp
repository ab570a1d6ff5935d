#include "parse/nvidia_smi.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "base/diag.hpp"
#include "parse/sysstat_text.hpp"

namespace clusterp {

namespace {

const double k_nan = std::numeric_limits<double>::quiet_NaN();

// Roles of a field besides the contract's value columns (0..10).
enum Role { k_skip = -1, k_time = -2, k_index = -3, k_name = -4, k_mig = -5, k_uuid = -6 };
const int k_mem_used_pct = 4;  // computed
const int k_throttle = 10;     // text
const int k_lowest_role = k_uuid;
const int k_roles = k_throttle - k_lowest_role + 1;

// A field clusterp uses: its names (driver spellings), its role, and its
// rank among the fields of the same role (lower wins when a file has both).
struct Known {
    const char* name;
    int role;
    int rank;
};

const Known k_known[] = {
    {"timestamp", k_time, 0},
    {"index", k_index, 0},
    {"uuid", k_uuid, 0},
    {"name", k_name, 0},
    {"gpu_name", k_name, 1},
    {"utilization.gpu", 0, 0},
    {"utilization.memory", 1, 0},
    {"memory.used", 2, 0},
    {"memory.total", 3, 0},
    {"power.draw", 5, 0},
    {"power.draw.average", 5, 1},
    {"power.draw.instant", 5, 2},
    {"enforced.power.limit", 6, 0},
    {"power.limit", 6, 1},
    {"temperature.gpu", 7, 0},
    {"clocks.current.sm", 8, 0},
    {"clocks.sm", 8, 0},
    {"clocks.max.sm", 9, 0},
    {"clocks_event_reasons.active", k_throttle, 0},
    {"clocks_throttle_reasons.active", k_throttle, 0},
    {"mig.mode.current", k_mig, 0},
};

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

// nvidia-smi's CSV: fields split at commas (it quotes nothing), trimmed.
std::vector<std::string_view> fields_of(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    while (true) {
        std::size_t comma = line.find(',', start);
        fields.push_back(trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return fields;
}

// A header's field name without its unit: `memory.used [MiB]` -> memory.used.
std::string_view bare_name(std::string_view field) {
    std::size_t bracket = field.find(" [");
    return trim(bracket == std::string_view::npos ? field : field.substr(0, bracket));
}

const Known* known(std::string_view name) {
    for (const Known& k : k_known)
        if (name == k.name) return &k;
    return nullptr;
}

// A number with or without its unit (`631.95 W`, `100`); NaN for `[N/A]`,
// error texts and anything else.
double value_of(std::string_view field) {
    std::size_t space = field.find(' ');
    if (space != std::string_view::npos) field = field.substr(0, space);
    double value;
    if (field.empty() || !sysstat_text::parse_number(field, value)) return k_nan;
    return value;
}

// `2026/07/14 08:12:53.353` (or with dashes) -> ms since the epoch, as UTC.
bool time_of(std::string_view text, std::int64_t& ms) {
    int year, month, day, hour, minute;
    double second;
    auto digits = [&](std::size_t at, std::size_t n, int& out) {
        if (at + n > text.size()) return false;
        out = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (text[i] < '0' || text[i] > '9') return false;
            out = out * 10 + (text[i] - '0');
        }
        return true;
    };
    if (text.size() < 19 || !digits(0, 4, year) || !digits(5, 2, month) || !digits(8, 2, day) ||
        !digits(11, 2, hour) || !digits(14, 2, minute) || (text[4] != '/' && text[4] != '-') || text[7] != text[4] ||
        text[13] != ':' || text[16] != ':')
        return false;
    if (!sysstat_text::parse_number(text.substr(17), second) || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
        minute > 59 || second < 0 || second >= 61)
        return false;
    ms = (days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60) * 1000 +
         static_cast<std::int64_t>(std::llround(second * 1000));
    return true;
}

}  // namespace

std::string throttle_text(std::string_view text) {
    text = trim(text);
    if (text.size() < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return "";
    char* end = nullptr;
    const std::string digits(text.substr(2));
    const unsigned long long mask = std::strtoull(digits.c_str(), &end, 16);
    if (digits.empty() || *end != '\0') return "";
    // nvmlClocksEventReasons: 0x4 SW power cap, 0x80 HW power brake; 0x20
    // SW thermal, 0x40 HW thermal; 0x8 HW slowdown (either).  The others
    // (idle, application clocks, sync boost) slow nothing that is wanted.
    std::string out;
    auto add = [&](const char* word) { out += (out.empty() ? "" : "+") + std::string(word); };
    if (mask & (0x4 | 0x80)) add("power");
    if (mask & (0x20 | 0x40)) add("thermal");
    if (mask & 0x8) add("hw_slowdown");
    return out.empty() ? "none" : out;
}

NvidiaSmiParser::NvidiaSmiParser(std::string name, std::function<void(const std::string&)> warn)
    : m_name(std::move(name)), m_warn(std::move(warn)) {}

bool NvidiaSmiParser::read_header(const std::vector<std::string_view>& fields) {
    std::vector<int> role(fields.size(), k_skip);
    std::vector<int> best_rank(k_roles, 1 << 20);
    std::vector<int> best_field(k_roles, -1);
    bool any = false;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const Known* k = known(bare_name(fields[i]));
        if (!k) continue;
        any = true;
        const int slot = k->role - k_lowest_role;
        if (k->rank < best_rank[slot]) {
            best_rank[slot] = k->rank;
            best_field[slot] = static_cast<int>(i);
        }
    }
    if (!any) return false;
    for (int slot = 0; slot < k_roles; ++slot)
        if (best_field[slot] >= 0) role[static_cast<std::size_t>(best_field[slot])] = slot + k_lowest_role;
    if (best_field[k_time - k_lowest_role] < 0)
        throw Error(k_exit_data, clusterp::quoted(m_name) + ":" + std::to_string(m_line) +
                                     ": nvidia-smi output without a timestamp field (query it with --query-gpu=timestamp,...)");
    m_role = std::move(role);
    m_fields = static_cast<int>(fields.size());
    m_have_header = true;
    return true;
}

bool NvidiaSmiParser::feed(std::string_view line, bool complete) {
    ++m_line;
    if (trim(line).empty()) return false;
    const std::vector<std::string_view> fields = fields_of(line);
    if (!m_have_header) {
        if (!read_header(fields))
            throw Error(k_exit_data, clusterp::quoted(m_name) + " is not nvidia-smi --query-gpu --format=csv output "
                                                             "(no header line naming its fields)");
        return false;
    }
    // A header again (a log appended to): no value is ever a field's name.
    if (complete && read_header(fields)) return false;
    if (static_cast<int>(fields.size()) != m_fields || !complete) {
        if (!m_warned_bad) {
            m_warn(m_name + ":" + std::to_string(m_line) + ": " +
                   (complete ? "a line of " + std::to_string(fields.size()) + " fields where the header has " +
                                   std::to_string(m_fields) + ": skipped (and any more such lines)"
                             : std::string("last line cut short: skipped")));
            m_warned_bad = true;
        }
        return false;
    }
    GpuRow& row = m_row;
    for (int i = 0; i < k_max_values; ++i) row.values[i] = k_nan;
    row.throttle.clear();
    row.gpu.clear();
    row.model.clear();
    row.uuid.clear();
    bool has_time = false, mig = false;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const int role = m_role[i];
        const std::string_view field = fields[i];
        switch (role) {
        case k_skip: break;
        case k_time: has_time = time_of(field, row.time_ms); break;
        case k_index: row.gpu.assign(field); break;
        case k_name: row.model.assign(field); break;
        case k_uuid: row.uuid.assign(field); break;
        case k_mig: mig = field == "Enabled"; break;
        case k_throttle: row.throttle = throttle_text(field); break;
        default: row.values[role] = value_of(field); break;
        }
    }
    if (!has_time) {
        if (!m_warned_bad) {
            m_warn(m_name + ":" + std::to_string(m_line) + ": no time in its timestamp field: skipped (and any "
                                                           "more such lines)");
            m_warned_bad = true;
        }
        return false;
    }
    if (row.gpu.empty()) row.gpu = "0";
    const double used = row.values[2], total = row.values[3];
    if (!std::isnan(used) && !std::isnan(total) && total > 0) row.values[k_mem_used_pct] = used / total * 100.0;
    if (mig && std::isnan(row.values[0]) && !m_warned_mig) {
        m_warn(m_name + ": GPU " + row.gpu + " is in MIG mode: nvidia-smi gives no utilization for it "
                                             "(its memory, power and clocks are kept)");
        m_warned_mig = true;
    }
    ++m_rows;
    return true;
}

}  // namespace clusterp
