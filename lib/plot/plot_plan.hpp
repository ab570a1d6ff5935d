// The plan of a plot run, pure: from what csv_summary found in each host's
// CSV of a category and the config, which plots to draw (the catalogue's,
// per device for disk and network; for gpu one series per host's GPU), with
// which series in which order and titles, and the reasons some file,
// device or plot is left out.  No I/O: plot_run reads the files before and
// writes and runs the scripts after.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/contract.hpp"
#include "plot/csv_summary.hpp"
#include "plot/gnuplot_script.hpp"
#include "model/plot_catalogue.hpp"

namespace clusterp {

// One host's CSV of a category, as found under parsed/.
struct HostFile {
    std::string host;
    std::string path;  // from the working directory
    CsvSummary summary;
};

// A series of a planned plot: the host file and the device ("" for the
// categories without one) whose rows it draws.
struct SeriesRef {
    const HostFile* file;
    std::string device;
};

struct PlannedPlot {
    std::string path;  // of the script, from the working directory: plot/<category>/<name>.gp
    PlotSpec spec;     // outputs relative to the script, sources to the working directory
    std::vector<SeriesRef> refs;  // per series of spec; valid while the HostFiles live
};

struct CategoryPlan {
    std::vector<std::string> hosts;  // config order first, then the others by name
    std::vector<PlannedPlot> plots;
    std::vector<std::string> warnings;  // each a line for warn()
    bool bad_input = false;             // some warning is about bad input (exit 65)
};

struct PlanOptions {
    TimeAxis time_axis = TimeAxis::elapsed;
    int width = 0, height = 0;  // 0: by the number of series
    std::vector<PlotFormat> formats;
};

// The plots of CATEGORY from FILES (one per host, each with rows).
CategoryPlan plan_category(Category category, const std::vector<HostFile>& files,
                           const std::optional<Config>& config, const PlanOptions& options);

// HOSTS without repeats, in config order first, then the others by name.
std::vector<std::string> ordered_hosts(std::vector<std::string> hosts, const std::optional<Config>& config);

// The legend text of a host: its alias in the config, else the CSV's alias,
// else its name.
std::string host_title(const std::string& host, const std::string& csv_alias, const std::optional<Config>& config);

// The spec of PLOT titled TITLE, without series.
PlotSpec spec_for(const MetricPlot& plot, const std::string& title);

// One series of SUMMARY's file SOURCE: its columns by number, and how
// gnuplot picks its rows when the file holds others too (every Nth row when
// they are regular, else a test on host and device).
SeriesSpec make_series(const std::string& source, const std::string& title, const CsvSummary& summary,
                       const CsvSeries& series, const std::string& column, TimeAxis axis);

}  // namespace clusterp
