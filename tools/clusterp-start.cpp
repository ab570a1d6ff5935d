// clusterp-start: start one sysstat collector per node.
#include "collect_cli.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    return run_guarded([&] {
        Cli cli("clusterp-start", "[-hqv] [-c file] [-H hostlist] [-x hostlist] [-f fanout] [--launcher ssh|slurm] [--dry-run] [--force]",
                "Start profiling every node of the cluster.");
        add_collect_options(cli, "profile HOSTLIST instead of the config's hosts", "start even though a run is active");
        cli.add()("dry-run", "print `host: command` lines, connect nowhere");
        CommonOptions common;
        const CollectRequest request = collect_request(cli.parse(argc, argv, common));
        return start_collection(load_config(common.config_path, request.load), request.options);
    });
}
