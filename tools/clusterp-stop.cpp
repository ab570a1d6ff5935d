// clusterp-stop: stop the collectors and download their data into raw/.
#include "cli.hpp"
#include "config.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    return run_guarded([&] {
        Cli cli("clusterp-stop",
                "[-hqv] [-c file] [-H hostlist] [-f fanout] [--dry-run] [--force] [--with-parse [--with-plot]]",
                "Stop profiling and download what every node collected.");
        cli.add()("H,hosts", "stop only HOSTLIST", cxxopts::value<std::string>(), "HOSTLIST")
            ("f,fanout", "at most N hosts at once", cxxopts::value<int>(), "N")
            ("dry-run", "print `host: command` lines, connect nowhere")
            ("force", "replace a previous run's raw/")
            ("with-parse", "parse after stop")
            ("with-plot", "plot after parse (needs --with-parse)");
        CommonOptions common;
        auto args = cli.parse(argc, argv, common);
        if (args.count("with-plot") && !args.count("with-parse"))
            warn("ignoring --with-plot without --with-parse");
        LoadOptions load;
        if (args.count("hosts")) load.hosts_override = args["hosts"].as<std::string>();
        load_config(common.config_path, load);
        throw Error(k_exit_software, "stop is not built yet");
        return 0;
    });
}
