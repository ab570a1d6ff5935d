#include "parse/sysstat_columns.hpp"

#include <algorithm>
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
    {s_steal, "%steal"},     {s_idle, "%idle"},         {s_guest, "%guest"},
    {s_gnice, "%gnice"},     {s_runq, "runq-sz"},       {s_plist, "plist-sz"},
    {s_ldavg1, "ldavg-1"},   {s_ldavg5, "ldavg-5"},     {s_ldavg15, "ldavg-15"},
    {s_blocked, "blocked"},  {s_cpu_some, "%scpu-10"},  {s_io_some, "%sio-10"},
    {s_io_full, "%fio-10"},  {s_mem_some, "%smem-10"},  {s_mem_full, "%fmem-10"},
    {s_memfree, "kbmemfree"}, {s_avail, "kbavail"},     {s_memused, "kbmemused"},
    {s_memused_pct, "%memused"}, {s_buffers, "kbbuffers"}, {s_cached, "kbcached"},
    {s_commit_pct, "%commit"}, {s_slab, "kbslab"},      {s_shmem, "kbshmem"},
    {s_majflt, "majflt/s"},  {s_pgscank, "pgscank/s"},  {s_pgscand, "pgscand/s"},
    {s_vmeff, "%vmeff"},     {s_swpfree, "kbswpfree"},  {s_swpused, "kbswpused"},
    {s_swpused_pct, "%swpused"}, {s_pswpin, "pswpin/s"}, {s_pswpout, "pswpout/s"},
    {s_dev, "DEV"},          {s_tps, "tps"},            {s_rkb, "rkB/s"},
    {s_wkb, "wkB/s"},        {s_rdsec, "rd_sec/s"},     {s_wrsec, "wr_sec/s"},
    {s_util, "%util"},       {s_await, "await"},        {s_aqu, "aqu-sz"},
    {s_avgqu, "avgqu-sz"},   {s_areq, "areq-sz"},       {s_avgrq, "avgrq-sz"},
    {s_iface, "IFACE"},      {s_rxpck, "rxpck/s"},      {s_txpck, "txpck/s"},
    {s_rxkb, "rxkB/s"},      {s_txkb, "txkB/s"},        {s_ifutil, "%ifutil"},
    {s_rxerr, "rxerr/s"},    {s_txerr, "txerr/s"},      {s_rxdrop, "rxdrop/s"},
    {s_txdrop, "txdrop/s"},
};

static_assert(s_count <= 64, "SysstatParser::m_index is too small");

// a + b where either may be absent (NaN): absent only when both are.
double sum(double a, double b) {
    if (std::isnan(a)) return b;
    if (std::isnan(b)) return a;
    return a + b;
}

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
    for (double& v : m_values) v = k_nan;
    for (int src = 0; src < s_count; ++src)
        if (m_index[src] >= 0 && src != s_cpu && src != s_dev && src != s_iface)
            m_numeric[m_numeric_count++] = {src, m_index[src]};
    auto has = [&](Source s) { return m_index[s] >= 0; };
    bool known = true;
    m_block_joined = false;
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
    } else if (has(s_runq)) {
        m_block_category = Category::load;
    } else if (has(s_cpu_some) || has(s_io_some) || has(s_mem_some)) {
        m_block_category = Category::load;
        m_block_joined = true;
    } else if (has(s_majflt)) {
        m_block_category = Category::memory;
        m_block_joined = true;
    } else if (has(s_pswpin)) {
        m_block_category = Category::swap;
        m_block_joined = true;
    } else if (has(s_iface) && has(s_rxerr)) {
        m_block_category = Category::network;
        m_key_index = m_index[s_iface];
        m_block_joined = true;
    } else {
        known = false;
    }
    m_block_wanted = known && (!m_options.only || *m_options.only == m_block_category);
    if (m_block_wanted && m_block_joined) {
        const auto c = static_cast<std::size_t>(m_block_category);
        // Joined activities read in an earlier pass are not read again.
        if (m_joined_preloaded) m_block_wanted = false;
        else if (m_emitted[c] > 0) m_late_joins = true;
    }
    if (known && !m_block_joined) m_seen |= 1u << static_cast<int>(m_block_category);
    return known;
}

bool SysstatParser::fill_row(const std::string_view* fields) {
    const std::string_view key = m_key_index >= 0 ? fields[m_key_index] : std::string_view();
    if (m_block_category == Category::cpu && key != "-1" && key != "all") return add_core(fields);
    if (m_key_index >= 0 && key.empty()) return false;
    double* in = m_values;
    std::string_view* text = m_texts;
    for (int k = 0; k < m_numeric_count; ++k)
        if (!parse_number(fields[m_numeric[k].field], in[m_numeric[k].source], text[m_numeric[k].source])) {
            bad_line("not a number");
            return false;
        }
    if (m_block_joined) {
        store_joined(key, in);
        return false;
    }
    m_row.category = m_block_category;
    m_row.key = key;
    double* out = m_row.values;
    for (int i = 0; i < k_max_values; ++i) {
        out[i] = k_nan;
        m_row.text[i] = std::string_view();
    }
    // A value passed through unchanged keeps its text (no formatting cost).
    auto pass = [&](int i, int source) {
        out[i] = in[source];
        if (m_index[source] >= 0) m_row.text[i] = text[source];
    };
    switch (m_block_category) {
    case Category::cpu: {
        m_row.key = std::string_view();
        if (!std::isnan(in[s_user])) {
            pass(0, s_user);  // -u: %user and %nice include guest time
            pass(1, s_nice);
        } else if (std::isnan(in[s_guest])) {
            pass(0, s_usr);
            pass(1, s_nice);
        } else {
            // -u ALL: %usr and %nice exclude guest time, given apart.
            out[0] = in[s_usr] + in[s_guest];
            out[1] = sum(in[s_nice], in[s_gnice]);
        }
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
        if (!std::isnan(in[s_irq]) && !std::isnan(in[s_soft])) out[8] = in[s_irq] + in[s_soft];
        if (m_cpus > 0) out[9] = m_cpus;  // the single CPUs' rows, when there are, count instead
        // Held back until its sample's single CPUs (-P ALL) are read.
        return hold_cpu_row();
    }
    case Category::load:
        pass(0, s_runq);
        pass(1, s_plist);
        pass(2, s_ldavg1);
        pass(3, s_ldavg5);
        pass(4, s_ldavg15);
        pass(5, s_blocked);
        break;
    case Category::memory:
        if (!fill_memory(in)) return false;
        if (m_index[s_commit_pct] >= 0) m_row.text[5] = text[s_commit_pct];
        break;
    case Category::swap:
        out[0] = in[s_swpused] / k_kib_per_mib;
        pass(1, s_swpused_pct);
        break;
    case Category::disk:
        pass(0, s_tps);
        out[1] = !std::isnan(in[s_rkb]) ? in[s_rkb] / k_kib_per_mib : in[s_rdsec] / 2.0 / k_kib_per_mib;
        out[2] = !std::isnan(in[s_wkb]) ? in[s_wkb] / k_kib_per_mib : in[s_wrsec] / 2.0 / k_kib_per_mib;
        pass(3, s_util);
        pass(4, s_await);
        // sysstat <= 11.5.6: avgqu-sz, and avgrq-sz in sectors of 512 bytes.
        pass(5, !std::isnan(in[s_aqu]) ? s_aqu : s_avgqu);
        if (!std::isnan(in[s_areq])) pass(6, s_areq);
        else out[6] = in[s_avgrq] / 2.0;
        break;
    case Category::network:
        pass(0, s_rxpck);
        pass(1, s_txpck);
        out[2] = in[s_rxkb] / k_kib_per_mib;
        out[3] = in[s_txkb] / k_kib_per_mib;
        pass(4, s_ifutil);
        break;
    case Category::gpu:  // nvidia-smi's and pidstat's, never in sysstat's blocks
    case Category::processes:
        return false;
    }
    join(key);
    return true;
}

bool SysstatParser::add_core(const std::string_view* fields) {
    // A single CPU of -P ALL: only its busy share counts, towards the
    // busiest core of the "all" row held back for the same sample.
    if (!m_held || m_held_row.time_ms != m_row.time_ms || m_index[s_idle] < 0 || m_index[s_iowait] < 0) return false;
    double idle, iowait;
    if (!parse_number(fields[m_index[s_idle]], idle) || !parse_number(fields[m_index[s_iowait]], iowait)) {
        bad_line("not a number");
        return false;
    }
    const double busy = 100.0 - idle - iowait;
    double& busiest = m_held_row.values[7];
    if (std::isnan(busiest) || busy > busiest) busiest = busy;
    m_held_row.values[9] = ++m_held_cores;
    return false;
}

bool SysstatParser::hold_cpu_row() {
    // m_row, the new "all" row, trades places with the one held before
    // (which is complete now); the held row's texts get their own copies,
    // in the store the row given out last used (valid until this feed).
    const bool had = m_held;
    std::swap(m_row, m_held_row);
    m_held = true;
    m_held_cores = 0;
    m_held_slot ^= 1;
    HeldText& store = m_held_text[m_held_slot];
    store.host.assign(m_held_row.host);
    m_held_row.host = store.host;
    for (int i = 0; i < k_max_values; ++i)
        if (!m_held_row.text[i].empty()) {
            store.text[i].assign(m_held_row.text[i]);
            m_held_row.text[i] = store.text[i];
        }
    return had;
}

bool SysstatParser::release_held() {
    if (!m_held) return false;
    m_row = m_held_row;
    m_held = false;
    return true;
}

int SysstatParser::joined_key(std::string_view key) {
    if (key.empty()) return -1;
    for (std::size_t i = 0; i < m_joined_keys.size(); ++i)
        if (m_joined_keys[i] == key) return static_cast<int>(i);
    m_joined_keys.emplace_back(key);
    return static_cast<int>(m_joined_keys.size()) - 1;
}

SysstatParser::Joined* SysstatParser::find_joined(Category category, std::int64_t time_ms, int key, bool insert) {
    const auto c = static_cast<std::size_t>(category);
    std::vector<Joined>& list = m_joined[c];
    std::size_t& hint = m_joined_hint[c];
    // Rows come in time order: the search starts where the last one ended
    // (a binary search over the whole list cost cache misses on every row),
    // and looks a few entries on first.  The hint is only a guess: checked.
    auto first = list.begin(), last = list.end();
    if (hint <= list.size()) {
        const auto at = list.begin() + static_cast<std::ptrdiff_t>(hint);
        if (at == first || (at - 1)->time_ms < time_ms) {
            first = at;
            constexpr std::ptrdiff_t k_near = 16;
            if (last - at > k_near && (at + k_near)->time_ms >= time_ms) last = at + k_near + 1;
        } else {
            last = at;  // time went back: the answer lies before the hint
        }
    }
    auto less = [](const Joined& j, std::int64_t t) { return j.time_ms < t; };
    auto it = std::lower_bound(first, last, time_ms, less);
    hint = static_cast<std::size_t>(it - list.begin());
    for (auto at = it; at != list.end() && at->time_ms == time_ms; ++at)
        if (at->key == key) return &*at;
    if (!insert) return nullptr;
    Joined fresh;
    fresh.time_ms = time_ms;
    fresh.key = key;
    for (double& v : fresh.values) v = k_nan;
    return &*list.insert(it, fresh);
}

void SysstatParser::store_joined(std::string_view key, const double* in) {
    m_first_joined_ms = std::min(m_first_joined_ms, m_row.time_ms);
    Joined* j = find_joined(m_block_category, m_row.time_ms, joined_key(key), true);
    double* v = j->values;
    // Only the columns this activity gives: the others come from their own.
    auto set = [&](int i, double value) {
        if (!std::isnan(value)) v[i] = value;
    };
    switch (m_block_category) {
    case Category::load:
        set(0, in[s_cpu_some]);
        set(1, in[s_io_some]);
        set(2, in[s_io_full]);
        set(3, in[s_mem_some]);
        set(4, in[s_mem_full]);
        break;
    case Category::memory:
        set(0, in[s_majflt]);
        set(1, sum(in[s_pgscank], in[s_pgscand]));
        set(2, in[s_vmeff]);
        break;
    case Category::swap:
        set(0, in[s_pswpin]);
        set(1, in[s_pswpout]);
        break;
    case Category::network:
        set(0, in[s_rxerr]);
        set(1, in[s_txerr]);
        set(2, in[s_rxdrop]);
        set(3, in[s_txdrop]);
        break;
    case Category::cpu:
    case Category::disk:
    case Category::gpu:
    case Category::processes:
        break;
    }
}

void SysstatParser::join(std::string_view key) {
    const CategoryInfo& info = category_info(m_row.category);
    ++m_emitted[static_cast<std::size_t>(m_row.category)];
    auto& list = m_joined[static_cast<std::size_t>(m_row.category)];
    if (info.first_joined >= info.value_count || list.empty()) return;
    int id = -1;
    if (!key.empty()) {
        for (std::size_t i = 0; i < m_joined_keys.size() && id < 0; ++i)
            if (m_joined_keys[i] == key) id = static_cast<int>(i);
        if (id < 0) return;
    }
    if (const Joined* j = find_joined(m_row.category, m_row.time_ms, id, false))
        for (int i = info.first_joined; i < info.value_count; ++i) m_row.values[i] = j->values[i - info.first_joined];
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
