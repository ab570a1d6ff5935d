#include "model/contract.hpp"

#include <algorithm>
#include <limits>

namespace clusterp {

namespace {

const Column k_leading[k_leading_count] = {
    {"time", "", "sample time, ISO 8601 UTC, on the controller's clock after the node's offset is removed"},
    {"elapsed", "s", "seconds since the run's first sample (of any host)"},
    {"host", "", "the node's name as the config lists it"},
    {"alias", "", "the host's alias from the config (the name when it has none)"},
};

const Column k_cpu[] = {
    {"user", "%", "time in user mode, sar -u's %user"},
    {"nice", "%", "time in user mode at lowered priority, sar -u's %nice"},
    {"system", "%", "time in the kernel, interrupts included"},
    {"iowait", "%", "idle with a disk request outstanding"},
    {"steal", "%", "waiting for the hypervisor to run this virtual CPU"},
    {"idle", "%", "idle with no disk request outstanding"},
    {"util_pct", "%", "100 - idle - iowait"},
    {"busiest_core_pct", "%", "the busiest core's 100 - idle - iowait (sar -P ALL)"},
    {"irq_pct", "%", "time serving hardware and software interrupts (sar -u ALL's %irq + %soft)"},
    {"cpus", "", "CPUs sysstat saw: its single CPUs' rows (-P ALL), else the count of its banner or last restart"},
};

const Column k_load[] = {
    {"runq", "", "tasks waiting for a CPU (sar -q's runq-sz)"},
    {"plist", "", "tasks in the task list (plist-sz)"},
    {"ldavg1", "", "load average over the last minute"},
    {"ldavg5", "", "load average over the last 5 minutes"},
    {"ldavg15", "", "load average over the last 15 minutes"},
    {"blocked", "", "tasks blocked waiting for I/O"},
    {"cpu_some_pct", "%", "time some runnable task waited for a CPU (PSI, 10 s average)"},
    {"io_some_pct", "%", "time some task waited for I/O (PSI, 10 s average)"},
    {"io_full_pct", "%", "time all non-idle tasks waited for I/O (PSI, 10 s average)"},
    {"mem_some_pct", "%", "time some task waited for memory (PSI, 10 s average)"},
    {"mem_full_pct", "%", "time all non-idle tasks waited for memory (PSI, 10 s average)"},
};

const Column k_memory[] = {
    {"used_mib", "MiB", "MemTotal - MemAvailable (older sysstat: used - buffers - cached)"},
    {"used_pct", "%", "used_mib as a share of MemTotal"},
    {"avail_mib", "MiB", "MemAvailable: what can be allocated without swapping"},
    {"buffers_mib", "MiB", "kernel buffers"},
    {"cached_mib", "MiB", "page cache"},
    {"commit_pct", "%", "committed memory as a share of RAM plus swap"},
    {"majflt_ps", "faults/s", "major page faults (read from disk) per second"},
    {"pgscan_ps", "pages/s", "pages scanned for reclaim per second (pgscank/s + pgscand/s)"},
    {"vmeff_pct", "%", "pages reclaimed per page scanned (sar -B's %vmeff)"},
};

const Column k_swap[] = {
    {"used_mib", "MiB", "swap space in use"},
    {"used_pct", "%", "swap space in use as a share of all swap"},
    {"in_pps", "pages/s", "pages swapped in per second"},
    {"out_pps", "pages/s", "pages swapped out per second"},
};

const Column k_device = {"device", "", "block device as sysstat names it (sda, nvme0n1, dm-0)"};
const Column k_device_alias = {"device_alias", "", "the device's alias from the config's filesystem_names"};
const Column k_disk[] = {
    {"tps", "transfers/s", "I/O requests issued to the device per second"},
    {"read_mibps", "MiB/s", "data read per second"},
    {"write_mibps", "MiB/s", "data written per second"},
    {"util_pct", "%", "time the device was busy"},
    {"await_ms", "ms", "average time a request took, queueing included"},
    {"aqu_sz", "", "average number of requests queued or in service"},
    {"areq_kib", "KiB", "average size of a request"},
};

const Column k_iface = {"iface", "", "network interface as the kernel names it"};
const Column k_iface_alias = {"iface_alias", "", "the interface's alias from the config's net_interfaces"};
const Column k_network[] = {
    {"rx_pps", "packets/s", "packets received per second"},
    {"tx_pps", "packets/s", "packets transmitted per second"},
    {"rx_mibps", "MiB/s", "data received per second"},
    {"tx_mibps", "MiB/s", "data transmitted per second"},
    {"util_pct", "%", "use of the link's speed (empty when the kernel reports none)"},
    {"rxerr_ps", "errors/s", "bad packets received per second"},
    {"txerr_ps", "errors/s", "errors while transmitting per second"},
    {"rxdrop_ps", "packets/s", "received packets dropped per second (no room in the kernel)"},
    {"txdrop_ps", "packets/s", "transmitted packets dropped per second (no room in the kernel)"},
};

const Column k_pid = {"pid", "", "the process's id"};
const Column k_command = {"command", "",
                          "the process's command as pidstat shows it (its name; its command line with -l), byte for byte"};
const Column k_processes[] = {
    {"cpu_pct", "%", "CPU used (pidstat's %CPU): 100 is one full CPU, so up to 100 x CPUs"},
    {"rss_mib", "MiB", "resident memory"},
    {"read_kibps", "KiB/s", "data read from disk per second (empty: pidstat could not read it)"},
    {"write_kibps", "KiB/s", "data written to disk per second (empty: pidstat could not read it)"},
};

// From `nvidia-smi --query-gpu` (parse/nvidia_smi), one row per GPU.
const Column k_gpu_index = {"gpu", "", "the GPU's index on its node, as nvidia-smi numbers it"};
const Column k_gpu_alias = {"gpu_alias", "",
                            "the GPU's alias from config.yml's gpu_alias, else its model name (nvidia-smi's name)"};
const Column k_gpu[] = {
    {"util_pct", "%", "time a kernel was running on the GPU (utilization.gpu; not how much of it was used)"},
    {"mem_util_pct", "%", "time device memory was being read or written (utilization.memory)"},
    {"mem_used_mib", "MiB", "device memory in use (memory.used)"},
    {"mem_total_mib", "MiB", "device memory (memory.total)"},
    {"mem_used_pct", "%", "mem_used_mib as a share of mem_total_mib"},
    {"power_w", "W", "power drawn (power.draw)"},
    {"power_limit_w", "W", "the power limit enforced (enforced.power.limit, else power.limit)"},
    {"temp_c", "C", "GPU core temperature (temperature.gpu)"},
    {"sm_clock_mhz", "MHz", "SM clock (clocks.current.sm)"},
    {"sm_clock_max_mhz", "MHz", "the SM clock's maximum (clocks.max.sm)"},
    {"throttle", "",
     "clock-event reasons active that slow the GPU: power, thermal, hw_slowdown joined by +, or none "
     "(clocks_event_reasons.active, formerly clocks_throttle_reasons.active)"},
};

template <std::size_t N>
constexpr int count_of(const Column (&)[N]) {
    return static_cast<int>(N);
}

static_assert(sizeof k_cpu / sizeof *k_cpu <= k_max_values, "k_max_values is too small");
static_assert(sizeof k_load / sizeof *k_load <= k_max_values, "k_max_values is too small");
static_assert(sizeof k_memory / sizeof *k_memory <= k_max_values, "k_max_values is too small");
static_assert(sizeof k_network / sizeof *k_network <= k_max_values, "k_max_values is too small");
static_assert(sizeof k_gpu / sizeof *k_gpu <= k_max_values, "k_max_values is too small");

}  // namespace

const std::vector<CategoryInfo>& categories() {
    static const std::vector<CategoryInfo> table = {
        {Category::cpu, "cpu", nullptr, nullptr, k_cpu, count_of(k_cpu), count_of(k_cpu), {"-u", "ALL", "-P", "ALL"}, {}, {}},
        {Category::load, "load", nullptr, nullptr, k_load, count_of(k_load), 6, {"-q"}, {}, {{"-q", "PSI"}}},
        {Category::memory, "memory", nullptr, nullptr, k_memory, count_of(k_memory), 6, {"-r", "ALL"}, {"-r"}, {{"-B"}}},
        {Category::swap, "swap", nullptr, nullptr, k_swap, count_of(k_swap), 2, {"-S"}, {}, {{"-W"}}},
        {Category::disk, "disk", &k_device, &k_device_alias, k_disk, count_of(k_disk), count_of(k_disk), {"-d", "-p"}, {}, {}},
        {Category::network, "network", &k_iface, &k_iface_alias, k_network, count_of(k_network), 5, {"-n", "DEV"}, {},
         {{"-n", "EDEV"}}},
        {Category::gpu, "gpu", &k_gpu_index, &k_gpu_alias, k_gpu, count_of(k_gpu), count_of(k_gpu), {}, {}, {}},
        {Category::processes, "processes", &k_pid, &k_command, k_processes, count_of(k_processes),
         count_of(k_processes), {}, {}, {}},
    };
    return table;
}

const CategoryInfo& category_info(Category category) { return categories()[static_cast<std::size_t>(category)]; }

const char* category_name(Category category) { return category_info(category).name; }

std::optional<Category> category_from_name(std::string_view name) {
    for (const CategoryInfo& info : categories())
        if (name == info.name) return info.category;
    return std::nullopt;
}

std::string category_names_text(unsigned bits) {
    std::string text;
    for (const CategoryInfo& info : categories())
        if (bits & (1u << static_cast<int>(info.category))) text += (text.empty() ? "" : ", ") + std::string(info.name);
    return text;
}

const Column* leading_columns() { return k_leading; }

std::vector<std::string> header_of(Category category) {
    const CategoryInfo& info = category_info(category);
    std::vector<std::string> header;
    for (const Column& column : k_leading) header.push_back(column.name);
    if (info.key) {
        header.push_back(info.key->name);
        header.push_back(info.key_alias->name);
    }
    for (int i = 0; i < info.value_count; ++i) header.push_back(info.values[i].name);
    return header;
}

const Column* find_column(Category category, std::string_view name) {
    const CategoryInfo& info = category_info(category);
    for (const Column& column : k_leading)
        if (name == column.name) return &column;
    if (info.key && name == info.key->name) return info.key;
    if (info.key_alias && name == info.key_alias->name) return info.key_alias;
    for (int i = 0; i < info.value_count; ++i)
        if (name == info.values[i].name) return &info.values[i];
    return nullptr;
}

std::optional<Category> category_of_header(const std::vector<std::string>& header) {
    auto has = [&](const char* name) { return std::find(header.begin(), header.end(), name) != header.end(); };
    bool keyed = false;
    for (const CategoryInfo& info : categories()) keyed = keyed || (info.key && has(info.key->name));
    std::optional<Category> best;
    int best_held = 0, best_absent = 0;
    for (const CategoryInfo& info : categories()) {
        if (keyed != (info.key && has(info.key->name))) continue;
        int held = 0;
        for (int i = 0; i < info.value_count; ++i) held += has(info.values[i].name);
        const int absent = info.value_count - held;
        if (held > best_held || (held == best_held && held > 0 && absent < best_absent)) {
            best = info.category;
            best_held = held;
            best_absent = absent;
        }
    }
    return best;
}

std::int64_t days_from_civil(int year, int month, int day) {
    // Howard Hinnant's algorithm (public domain description of the civil calendar).
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(year - era * 400);
    const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::size_t format_iso8601(std::int64_t time_ms, char* buf) {
    std::int64_t seconds = time_ms / 1000, ms = time_ms % 1000;
    if (ms < 0) { ms += 1000; --seconds; }
    std::int64_t days = seconds / 86400, rem = seconds % 86400;
    if (rem < 0) { rem += 86400; --days; }
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned day = doy - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    year += month <= 2;
    if (year < 0 || year > 9999) year = year < 0 ? 0 : 9999;
    auto put = [&](std::size_t at, unsigned value, int width) {
        for (int i = width - 1; i >= 0; --i) {
            buf[at + i] = static_cast<char>('0' + value % 10);
            value /= 10;
        }
    };
    put(0, static_cast<unsigned>(year), 4);
    buf[4] = '-';
    put(5, month, 2);
    buf[7] = '-';
    put(8, day, 2);
    buf[10] = 'T';
    put(11, static_cast<unsigned>(rem / 3600), 2);
    buf[13] = ':';
    put(14, static_cast<unsigned>(rem / 60 % 60), 2);
    buf[16] = ':';
    put(17, static_cast<unsigned>(rem % 60), 2);
    std::size_t n = 19;
    if (ms != 0) {
        buf[n++] = '.';
        put(n, static_cast<unsigned>(ms), 3);
        n += 3;
    }
    buf[n++] = 'Z';
    return n;
}

std::optional<std::int64_t> parse_iso8601_ms(std::string_view text) {
    if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
        text[16] != ':' || text.back() != 'Z')
        return std::nullopt;
    auto num = [&](std::size_t at, std::size_t len) {
        int v = 0;
        for (std::size_t i = at; i < at + len; ++i) {
            if (text[i] < '0' || text[i] > '9') return -1;
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    int ms = 0;
    if (text.size() > 20) {
        const std::size_t digits = text.size() - 21;
        if (text[19] != '.' || digits < 1 || digits > 9) return std::nullopt;
        const int fraction = num(20, digits);
        if (fraction < 0) return std::nullopt;
        ms = fraction;
        for (std::size_t i = digits; i < 3; ++i) ms *= 10;
        for (std::size_t i = 3; i < digits; ++i) ms /= 10;
    }
    const int y = num(0, 4), m = num(5, 2), d = num(8, 2), hh = num(11, 2), mm = num(14, 2), ss = num(17, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || hh < 0 || mm < 0 || ss < 0) return std::nullopt;
    return (days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss) * 1000 + ms;
}

bool per_device(Category category) { return category_info(category).key != nullptr; }

bool is_pseudo_device(std::string_view name) {
    return name == "lo" || name.rfind("loop", 0) == 0 || name.rfind("ram", 0) == 0;
}

double throttle_bits(std::string_view text) {
    if (text == "none") return 0;
    int bits = 0;
    for (bool more = true; more;) {
        const std::size_t plus = text.find('+');
        const std::string_view word = text.substr(0, plus);
        const int bit = word == "power" ? k_throttle_power : word == "thermal" ? k_throttle_thermal
                        : word == "hw_slowdown"                               ? k_throttle_hw_slowdown
                                                                               : 0;
        if (!bit) return std::numeric_limits<double>::quiet_NaN();
        bits |= bit;
        more = plus != std::string_view::npos;
        if (more) text.remove_prefix(plus + 1);
    }
    return double(bits);
}

}  // namespace clusterp
