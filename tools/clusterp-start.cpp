// clusterp-start: start one sysstat collector per node.
#include "cli.hpp"
#include "collect/collect.hpp"
#include "model/config.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    return run_guarded([&] {
        Cli cli("clusterp-start", "[-hqv] [-c file] [-H hostlist] [-x hostlist] [-f fanout] [--dry-run] [--force]",
                "Start profiling every node of the cluster.");
        cli.add()("H,hosts", "profile HOSTLIST instead of the config's hosts",
                  cxxopts::value<std::string>(), "HOSTLIST")
            ("x,exclude", "leave out the hosts of HOSTLIST", cxxopts::value<std::string>(), "HOSTLIST")
            ("f,fanout", "at most N hosts at once", cxxopts::value<int>(), "N")
            ("dry-run", "print `host: command` lines, connect nowhere")
            ("force", "start even though a run is active");
        CommonOptions common;
        auto args = cli.parse(argc, argv, common);
        LoadOptions load;
        CollectOptions options;
        if (args.count("hosts")) load.hosts_override = args["hosts"].as<std::string>();
        if (args.count("exclude")) load.exclude = args["exclude"].as<std::string>();
        if (args.count("fanout")) options.fanout = args["fanout"].as<int>();
        options.dry_run = args.count("dry-run") > 0;
        options.force = args.count("force") > 0;
        options.hosts_given = load.hosts_override.has_value();
        return start_collection(load_config(common.config_path, load), options);
    });
}
