// plot/index.html: one page that shows every plot of a run, grouped by
// category, with the hosts and the run's time span, so that a browser is
// enough to look at a run.  Pure: builds the text, writes nothing.
#pragma once

#include <string>
#include <vector>

namespace clusterp {

struct IndexPlot {
    std::string category;  // a name of the contract (model/contract.hpp)
    std::string title;     // e.g. "sda_write"
    std::string image;     // path relative to plot/, e.g. "disk/sda_write.svg"
};

struct IndexHost {
    std::string host;
    std::string alias;
};

struct IndexPage {
    std::string run_id;      // may be empty
    std::string first_time;  // ISO 8601 UTC of the first sample, may be empty
    std::string last_time;   // ISO 8601 UTC of the last sample, may be empty
    std::vector<IndexHost> hosts;
    std::vector<IndexPlot> plots;  // in the order they are shown within a category
};

// The HTML text of the page: categories in the contract's order (others
// after, by name); every value HTML-escaped.
std::string render_index_html(const IndexPage& page);

}  // namespace clusterp
