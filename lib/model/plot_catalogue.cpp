#include "model/plot_catalogue.hpp"

namespace clusterp {

const std::vector<MetricPlot>& metric_plots() {
    static const std::vector<MetricPlot> plots = {
        {Category::cpu, "utilization", "CPU utilization", "CPU utilization (%)", "util_pct", true},
        {Category::cpu, "iowait", "CPU I/O wait", "I/O wait (%)", "iowait", true},
        {Category::cpu, "busiest_core", "Busiest core", "Busiest core busy (%)", "busiest_core_pct", true},
        {Category::load, "runq", "Run queue", "Tasks waiting for a CPU", "runq", false},
        {Category::load, "pressure", "CPU pressure", "Some tasks waiting for a CPU (% of time)", "cpu_some_pct", true},
        {Category::load, "io_pressure", "I/O pressure", "Some tasks waiting for I/O (% of time)", "io_some_pct", true},
        {Category::load, "memory_pressure", "Memory pressure", "Some tasks waiting for memory (% of time)",
         "mem_some_pct", true},
        {Category::memory, "utilization", "Memory used", "Memory used (MiB)", "used_mib", false},
        {Category::memory, "paging", "Pages scanned for reclaim", "Pages scanned (pages/s)", "pgscan_ps", false},
        {Category::memory, "major_faults", "Major page faults", "Major faults (faults/s)", "majflt_ps", false},
        {Category::swap, "utilization", "Swap used", "Swap used (MiB)", "used_mib", false},
        {Category::swap, "activity", "Pages swapped out", "Swapped out (pages/s)", "out_pps", false},
        {Category::disk, "read", "read", "Read (MiB/s)", "read_mibps", false},
        {Category::disk, "write", "write", "Write (MiB/s)", "write_mibps", false},
        {Category::disk, "utilization", "utilization", "Utilization (%)", "util_pct", true},
        {Category::disk, "queue", "queue", "Average queue length", "aqu_sz", false},
        {Category::network, "in", "in", "Received (MiB/s)", "rx_mibps", false},
        {Category::network, "out", "out", "Transmitted (MiB/s)", "tx_mibps", false},
        {Category::network, "errors", "errors", "Receive errors (errors/s)", "rxerr_ps", false},
        {Category::network, "drops", "drops", "Received packets dropped (packets/s)", "rxdrop_ps", false},
        {Category::gpu, "utilization", "GPU utilization", "Time a kernel was running (%)", "util_pct", true},
        {Category::gpu, "memory", "GPU memory used", "Memory used (% of total)", "mem_used_pct", true},
        {Category::gpu, "power", "GPU power", "Power drawn (W)", "power_w", false, "power_limit_w", "power limit"},
        {Category::gpu, "temperature", "GPU temperature", "Temperature (C)", "temp_c", false},
        {Category::gpu, "sm_clock", "GPU SM clock", "SM clock (MHz)", "sm_clock_mhz", false, "sm_clock_max_mhz",
         "max SM clock"},
    };
    return plots;
}

std::vector<const MetricPlot*> plots_of(Category category) {
    std::vector<const MetricPlot*> plots;
    for (const MetricPlot& plot : metric_plots())
        if (plot.category == category) plots.push_back(&plot);
    return plots;
}

std::string device_title(const MetricPlot& plot, const std::string& alias) {
    return std::string(plot.category == Category::disk ? "Disk " : "Network ") + alias + ": " + plot.title;
}

bool series_per_device(Category category) { return category == Category::gpu; }

std::string device_series_title(const std::string& host_title, const std::string& host, const std::string& device,
                                const std::optional<Config>& config) {
    const std::string alias = config ? config->gpu_alias(host, device, "", "") : "";
    return host_title + ":" + (alias.empty() ? device : alias);
}

const std::vector<NamedItem>& configured_devices(const std::optional<Config>& config, Category category) {
    static const std::vector<NamedItem> none;
    if (!config) return none;
    return category == Category::disk ? config->filesystem_names
           : category == Category::network ? config->net_interfaces
                                           : none;
}

const std::vector<std::string>& activity_columns(Category category) {
    static const std::vector<std::string> none;
    static const std::vector<std::string> disk = {"tps", "read_mibps", "write_mibps", "util_pct"};
    static const std::vector<std::string> network = {"rx_pps", "tx_pps", "rx_mibps", "tx_mibps"};
    return category == Category::disk ? disk : category == Category::network ? network : none;
}

std::string label_for(Category category, const std::string& column) {
    const CategoryInfo& info = category_info(category);
    const Column* found = nullptr;
    for (int i = 0; i < info.value_count; ++i)
        if (column == info.values[i].name) found = &info.values[i];
    if (!found || !*found->unit) return column;
    // The name carries its unit as a last `_word` (util_pct, read_mibps).
    const std::string::size_type cut = column.rfind('_');
    return (cut == std::string::npos ? column : column.substr(0, cut)) + " (" + found->unit + ")";
}

}  // namespace clusterp
