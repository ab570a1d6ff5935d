// clusterp-plot: CSV -> gnuplot scripts -> plots.
#include "cli.hpp"
#include "config.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    return run_guarded([&] {
        Cli cli("clusterp-plot", "[-hqv] [-c file] [file ...]", "Plot parsed CSV with gnuplot.");
        cli.add()("files", "input files", cxxopts::value<std::vector<std::string>>());
        cli.positional("files");
        CommonOptions common;
        cli.parse(argc, argv, common);
        load_config(common.config_path, LoadOptions{{}, false});
        throw Error(k_exit_software, "plot is not built yet");
        return 0;
    });
}
