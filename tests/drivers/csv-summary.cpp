// csv-summary [--first] [COLUMN] < CSV: what csv_summary finds in a contract
// CSV, one line per series ("value": COLUMN has one), for the bats tests.
#include <iostream>
#include <string>

#include "plot/csv_summary.hpp"

int main(int argc, char** argv) {
    int arg = 1;
    bool first = argc > arg && std::string(argv[arg]) == "--first";
    if (first) ++arg;
    const std::string column = argc > arg ? argv[arg] : "";
    const clusterp::CsvSummary summary = clusterp::summarize_csv(std::cin, first);
    std::cout << "category " << (summary.category ? clusterp::category_name(*summary.category) : "-") << "\nrows " << summary.rows
              << "\n";
    for (const clusterp::CsvSeries& s : summary.series)
        std::cout << s.host << " [" << s.alias << "] " << (s.device.empty() ? "-" : s.device) << " ["
                  << s.device_alias << "]" << (s.active ? " active" : "") << (!column.empty() && summary.has_value(s, column) ? " value" : "")
                  << (clusterp::is_pseudo_device(s.device) ? " pseudo" : "") << "\n";
}
