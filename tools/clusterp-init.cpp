// clusterp-init: write a commented config.yml, or check an existing one.
#include <iostream>

#include "cli.hpp"
#include "model/config.hpp"
#include "model/init.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    return run_guarded([&] {
        Cli cli("clusterp-init", "[-hqv] [-c file] [--force] [--local | --check]",
                "Write a commented config.yml, or check one.");
        cli.add()("force", "replace an existing file")
            ("local", "profile this machine, without SSH")
            ("check", "validate the config and print its hosts with their aliases");
        CommonOptions common;
        auto args = cli.parse(argc, argv, common);
        if (args.count("local") && args.count("check")) throw Error(k_exit_usage, "--local and --check exclude each other");
        if (args.count("check")) {
            std::cout << describe_targets(load_config(common.config_path));
            return 0;
        }
        write_new_config(common.config_path, args.count("local") ? local_config_text() : k_config_template,
                         args.count("force") > 0);
        inform("wrote " + quoted(common.config_path));
        return 0;
    });
}
