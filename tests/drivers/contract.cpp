// contract names | header CATEGORY | columns CATEGORY | plots: the data
// contract (model/contract.hpp) and the plot catalogue as text, for
// tests/fast/contract.bats to hold the parse output, the man pages and README
// against.  `plots` prints `category suffix column` per plot and exits 1
// when a plot draws a column that the contract does not give its category.
#include <cstdlib>
#include <iostream>
#include <string>

#include "model/contract.hpp"
#include "model/plot_catalogue.hpp"

using namespace clusterp;

namespace {

Category category_arg(int argc, char** argv) {
    const auto category = argc > 2 ? category_from_name(argv[2]) : std::nullopt;
    if (!category) {
        std::cerr << "contract: want a category: " << category_names_text() << "\n";
        std::exit(64);
    }
    return *category;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string what = argc > 1 ? argv[1] : "";
    if (what == "names") {
        for (const CategoryInfo& info : categories()) std::cout << info.name << "\n";
    } else if (what == "header") {
        const char* separator = "";
        for (const std::string& name : header_of(category_arg(argc, argv))) std::cout << separator << name, separator = ",";
        std::cout << "\n";
    } else if (what == "columns") {
        // The columns after the leading four, as the man page lists them.
        const CategoryInfo& info = category_info(category_arg(argc, argv));
        const char* separator = "";
        if (info.key) std::cout << info.key->name << " " << info.key_alias->name, separator = " ";
        for (int i = 0; i < info.value_count; ++i) std::cout << separator << info.values[i].name, separator = " ";
        std::cout << "\n";
    } else if (what == "plots") {
        int status = 0;
        for (const MetricPlot& plot : metric_plots()) {
            std::cout << category_name(plot.category) << " " << plot.suffix << " " << plot.column << "\n";
            const CategoryInfo& info = category_info(plot.category);
            bool value = false;
            for (int i = 0; i < info.value_count; ++i) value = value || plot.column == std::string(info.values[i].name);
            if (!value) {
                std::cerr << "contract: plot " << plot.suffix << " draws " << plot.column
                          << ", not a value column of " << category_name(plot.category) << "\n";
                status = 1;
            }
        }
        for (const CategoryInfo& info : categories())
            for (const std::string& column : activity_columns(info.category))
                if (!find_column(info.category, column)) {
                    std::cerr << "contract: activity column " << column << " not in " << info.name << "\n";
                    status = 1;
                }
        return status;
    } else {
        std::cerr << "usage: contract names | header CATEGORY | columns CATEGORY | plots\n";
        return 64;
    }
    return 0;
}
