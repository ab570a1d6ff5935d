// Which plots exist (the seed's tree, design.md): per category of the data
// contract, the plots and the column each draws, and for the per-device
// categories the columns that tell whether a device did anything; and the
// host table that plot writes for the run page.  Part of the contract of
// the working directory: plot draws these files, page shows them.  The
// categories and column names come from model/contract.hpp; a test checks
// that every column named here is in the contract.
#pragma once

#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/contract.hpp"

namespace clusterp {

// One plot.  For disk and network its file is `<alias>_<suffix>` and its
// title "Disk <alias>: <title>"; for the others `<suffix>` and `<title>`.
struct MetricPlot {
    Category category;
    const char* suffix;
    const char* title;
    const char* ylabel;
    const char* column;
    bool percent;  // y axis from 0 to at least 100
    // A column of the same rows that bounds COLUMN (gpu: the power limit,
    // the SM clock's maximum), drawn as a line named LIMIT_TITLE and
    // included in the scale; nullptr when none.
    const char* limit_column = nullptr;
    const char* limit_title = nullptr;
};

// Where plot keeps the host table: `host,alias,category,metric,mean,p95,max`,
// one row per host and metric of the table (metric: the contract's column,
// figures empty where the host has none).
inline constexpr const char* k_hosts_csv = "plot/hosts.csv";

// Every plot, by category in contract order, then as the tree lists them.
const std::vector<MetricPlot>& metric_plots();
// The plots of one category, in that order.
std::vector<const MetricPlot*> plots_of(Category category);

// "Disk sda: read", "Network eth0: in".
std::string device_title(const MetricPlot& plot, const std::string& alias);

// Whether each device of CATEGORY is a series of the category's plots,
// labelled host:device (gpu: a plot per metric, a line and a heatmap row
// per host's GPU, every GPU drawn, since an idle one is a finding), rather
// than a plot of its own with a line per host (disk, network).
bool series_per_device(Category category);

// The series title of GPU DEVICE (its index) of HOST titled HOST_TITLE:
// "n1:0", or "n1:ALIAS" where CONFIG's gpu_alias names that GPU alone (an
// entry HOST:INDEX or INDEX; a model name's alias is shared by a host's
// GPUs, and the CSV holds no UUID to match).
std::string device_series_title(const std::string& host_title, const std::string& host, const std::string& device,
                                const std::optional<Config>& config);

// The devices CONFIG lists to plot for CATEGORY (filesystem_names for disk,
// net_interfaces for network); empty when it lists none, and for the other
// categories.
const std::vector<NamedItem>& configured_devices(const std::optional<Config>& config, Category category);

// disk and network: the columns of which one above zero in some row shows
// that a device did something (idle devices are not plotted unless
// configured); empty for the others.
const std::vector<std::string>& activity_columns(Category category);

// The y label for any value column of a category: its name without the
// unit suffix, then the unit, e.g. "read (MiB/s)"; the bare name for other
// columns and those without a unit.
std::string label_for(Category category, const std::string& column);

}  // namespace clusterp
