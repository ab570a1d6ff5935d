// clusterp-stop: stop the collectors and download their data into raw/.
#include "chain.hpp"
#include "collect_cli.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    return run_guarded([&] {
        Cli cli("clusterp-stop",
                "[-hqv] [-c file] [-H hostlist] [-x hostlist] [-f fanout] [--launcher ssh|slurm] [--dry-run] [--force] [--with-parse [--with-report] [--with-plot]]",
                "Stop profiling and download what every node collected.");
        add_collect_options(cli, "stop only HOSTLIST", "replace a previous run's raw/, or stop a run of another Slurm job");
        cli.add()("dry-run", "print `host: command` lines, connect nowhere")
            ("with-parse", "parse after stop")
            ("with-report", "report after parse (needs --with-parse)")
            ("with-plot", "plot after parse (needs --with-parse)");
        CommonOptions common;
        auto args = cli.parse(argc, argv, common);
        const CollectRequest request = collect_request(args);
        const bool with_parse = args.count("with-parse") > 0;
        for (const char* option : {"with-report", "with-plot"})
            if (args.count(option) && !with_parse) warn(std::string("ignoring --") + option + " without --with-parse");
        StopResult stopped = stop_collection(load_config(common.config_path, request.load), request.options);
        if (!with_parse || stopped.stopped == 0 || stopped.interrupted) return stopped.status;
        std::vector<std::string> parse_args;
        if (args.count("with-report")) parse_args.push_back("--with-report");
        if (args.count("with-plot")) parse_args.push_back("--with-plot");
        int parsed = run_next_tool("clusterp-parse", common.config_path, parse_args);
        return parsed != k_exit_ok ? parsed : stopped.status;
    });
}
