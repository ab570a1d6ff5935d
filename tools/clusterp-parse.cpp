// clusterp-parse: sysstat output -> CSV.
#include "cli.hpp"
#include "config.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    return run_guarded([&] {
        Cli cli("clusterp-parse", "[-hqv] [-c file] [--with-plot] [file ...]",
                "Parse sysstat output into CSV.");
        cli.add()("with-plot", "plot after parse")
            ("files", "input files", cxxopts::value<std::vector<std::string>>());
        cli.positional("files");
        CommonOptions common;
        cli.parse(argc, argv, common);
        load_config(common.config_path, LoadOptions{{}, false});
        throw Error(k_exit_software, "parse is not built yet");
        return 0;
    });
}
