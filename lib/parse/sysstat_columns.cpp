#include "parse/sysstat_columns.hpp"

#include <cmath>
#include <limits>

#include "parse/sysstat_parse.hpp"
#include "parse/sysstat_text.hpp"

namespace clusterp {

namespace {

using sysstat_text::parse_number;

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_kib_per_mib = 1024.0;

struct SourceName {
    Source source;
    const char* name;
};

const SourceName k_sources[] = {
    {s_cpu, "CPU"},          {s_user, "%user"},         {s_usr, "%usr"},
    {s_nice, "%nice"},       {s_system, "%system"},     {s_sys, "%sys"},
    {s_irq, "%irq"},         {s_soft, "%soft"},         {s_iowait, "%iowait"},
    {s_steal, "%steal"},     {s_idle, "%idle"},         {s_memfree, "kbmemfree"},
    {s_avail, "kbavail"},    {s_memused, "kbmemused"},  {s_memused_pct, "%memused"},
    {s_buffers, "kbbuffers"}, {s_cached, "kbcached"},   {s_commit_pct, "%commit"},
    {s_slab, "kbslab"},      {s_shmem, "kbshmem"},      {s_swpfree, "kbswpfree"},
    {s_swpused, "kbswpused"}, {s_swpused_pct, "%swpused"}, {s_dev, "DEV"},
    {s_tps, "tps"},          {s_rkb, "rkB/s"},          {s_wkb, "wkB/s"},
    {s_rdsec, "rd_sec/s"},   {s_wrsec, "wr_sec/s"},     {s_util, "%util"},
    {s_await, "await"},      {s_iface, "IFACE"},        {s_rxpck, "rxpck/s"},
    {s_txpck, "txpck/s"},    {s_rxkb, "rxkB/s"},        {s_txkb, "txkB/s"},
    {s_ifutil, "%ifutil"},
};

static_assert(s_count <= 40, "SysstatParser::m_index is too small");

}  // namespace

bool SysstatParser::start_block(const std::string_view* names, int count, int first) {
    for (int& i : m_index) i = -1;
    for (int i = 0; i < count && i < k_max_fields; ++i)
        for (const SourceName& s : k_sources)
            if (names[i] == s.name) {
                m_index[s.source] = first + i;
                break;
            }
    m_in_block = true;
    m_block_fields = first + count;
    m_key_index = -1;
    m_numeric_count = 0;
    for (int src = 0; src < s_count; ++src)
        if (m_index[src] >= 0 && src != s_cpu && src != s_dev && src != s_iface)
            m_numeric[m_numeric_count++] = {src, m_index[src]};
    auto has = [&](Source s) { return m_index[s] >= 0; };
    bool known = true;
    if (has(s_cpu) && has(s_idle)) {
        m_block_category = Category::cpu;
        m_key_index = m_index[s_cpu];
    } else if (has(s_memfree) && has(s_memused)) {
        m_block_category = Category::memory;
    } else if (has(s_swpused)) {
        m_block_category = Category::swap;
    } else if (has(s_dev) && has(s_tps)) {
        m_block_category = Category::disk;
        m_key_index = m_index[s_dev];
    } else if (has(s_iface) && has(s_rxpck)) {
        m_block_category = Category::network;
        m_key_index = m_index[s_iface];
    } else {
        known = false;
    }
    m_block_wanted = known && (!m_options.only || *m_options.only == m_block_category);
    if (known) m_seen |= 1u << static_cast<int>(m_block_category);
    return known;
}

bool SysstatParser::fill_row(const std::string_view* fields) {
    double in[s_count];
    bool plain[s_count] = {};
    for (double& v : in) v = k_nan;
    for (int k = 0; k < m_numeric_count; ++k)
        if (!parse_number(fields[m_numeric[k].field], in[m_numeric[k].source], plain[m_numeric[k].source])) {
            bad_line("not a number");
            return false;
        }
    m_row.category = m_block_category;
    m_row.key = m_key_index >= 0 ? fields[m_key_index] : std::string_view();
    double* out = m_row.values;
    for (int i = 0; i < k_max_values; ++i) {
        out[i] = k_nan;
        m_row.text[i] = std::string_view();
    }
    // A value passed through unchanged keeps its text (no formatting cost).
    auto pass = [&](int i, int source) {
        out[i] = in[source];
        if (m_index[source] >= 0 && plain[source]) m_row.text[i] = fields[m_index[source]];
    };
    switch (m_block_category) {
    case Category::cpu: {
        if (m_row.key != "-1" && m_row.key != "all") return false;  // one CPU of -P
        m_row.key = std::string_view();
        pass(0, !std::isnan(in[s_user]) ? s_user : s_usr);
        pass(1, s_nice);
        if (!std::isnan(in[s_system])) {
            pass(2, s_system);
        } else if (!std::isnan(in[s_sys])) {
            out[2] = in[s_sys] + (std::isnan(in[s_irq]) ? 0 : in[s_irq]) +
                     (std::isnan(in[s_soft]) ? 0 : in[s_soft]);
        }
        pass(3, s_iowait);
        pass(4, s_steal);
        pass(5, s_idle);
        out[6] = 100.0 - in[s_idle] - in[s_iowait];
        break;
    }
    case Category::memory:
        if (!fill_memory(in)) return false;
        if (plain[s_commit_pct]) m_row.text[5] = fields[m_index[s_commit_pct]];
        break;
    case Category::swap:
        out[0] = in[s_swpused] / k_kib_per_mib;
        pass(1, s_swpused_pct);
        break;
    case Category::disk:
        if (m_row.key.empty()) return false;
        pass(0, s_tps);
        out[1] = !std::isnan(in[s_rkb]) ? in[s_rkb] / k_kib_per_mib : in[s_rdsec] / 2.0 / k_kib_per_mib;
        out[2] = !std::isnan(in[s_wkb]) ? in[s_wkb] / k_kib_per_mib : in[s_wrsec] / 2.0 / k_kib_per_mib;
        pass(3, s_util);
        pass(4, s_await);
        break;
    case Category::network:
        if (m_row.key.empty()) return false;
        pass(0, s_rxpck);
        pass(1, s_txpck);
        out[2] = in[s_rxkb] / k_kib_per_mib;
        out[3] = in[s_txkb] / k_kib_per_mib;
        pass(4, s_ifutil);
        break;
    }
    return true;
}

bool SysstatParser::fill_memory(const double* in) {
    double* out = m_row.values;
    const double free = in[s_memfree], used = in[s_memused], pct = in[s_memused_pct];
    const double buffers = in[s_buffers], cached = in[s_cached], avail = in[s_avail];
    double total = k_nan, used_kib = k_nan;
    if (std::isnan(avail)) {
        // sysstat <= 11.5: kbmemused = MemTotal - MemFree, no MemAvailable.
        total = free + used;
        used_kib = used - buffers - cached;
    } else {
        if (!std::isnan(in[s_shmem])) {
            total = used + avail;  // 12.7.8+: kbmemused = MemTotal - MemAvailable
        } else if (m_options.mem_total_kib > 0) {
            total = static_cast<double>(m_options.mem_total_kib);
        } else if (m_mem_rule == MemRule::total_free) {
            total = free + used;
        } else if (!std::isnan(pct) && used + free > 0) {
            // Which kbmemused is this?  %memused = kbmemused / MemTotal to two
            // decimals tells, when only one reading agrees with it.
            const double tol = 0.0051;
            double pct_a = 100.0 * used / (free + used);
            bool a = std::fabs(pct_a - pct) <= tol;
            double rest = free + used + buffers + cached;
            if (!std::isnan(in[s_slab])) {
                double pct_b = 100.0 * used / (rest + in[s_slab]);
                bool b = std::fabs(pct_b - pct) <= tol;
                if (b) total = rest + in[s_slab];
                else if (a) m_mem_rule = MemRule::total_free;
            } else {
                bool b_possible = !(100.0 * used / rest < pct - tol);
                if (a && !b_possible) m_mem_rule = MemRule::total_free;
            }
            if (m_mem_rule == MemRule::total_free) total = free + used;
        }
        if (!std::isnan(total)) used_kib = total - avail;
        else ++m_mem_unknown_rows;
    }
    out[0] = used_kib / k_kib_per_mib;
    out[1] = !std::isnan(used_kib) && total > 0 ? 100.0 * used_kib / total : k_nan;
    out[2] = avail / k_kib_per_mib;
    out[3] = buffers / k_kib_per_mib;
    out[4] = cached / k_kib_per_mib;
    out[5] = in[s_commit_pct];
    return true;
}

}  // namespace clusterp
