// clusterp-run: profile the cluster while a command runs; exit with the
// command's status.
#include <cerrno>
#include <string>
#include <unistd.h>
#include <vector>

#include "chain.hpp"
#include "collect/profile.hpp"
#include "collect_cli.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    return run_guarded([&] {
        Cli cli("clusterp-run",
                "[-hqv] [-c file] [-H hostlist] [-x hostlist] [-f fanout] [--launcher ssh|slurm] [--force] [--no-parse] [--no-report] [--no-plot] -- command [arg ...]",
                "Profile the cluster while COMMAND runs, then stop, parse, report and plot; exit with COMMAND's status.");
        add_collect_options(cli, "profile HOSTLIST instead of the config's hosts",
                            "start even though a run is active, and replace a previous run's raw/");
        cli.add()("no-parse", "leave raw/ unparsed (and unreported, unplotted)")
            ("no-report", "parse, but do not report")
            ("no-plot", "parse, but do not plot");
        // Everything after `--` is the command's, options included.
        int split = 1;
        while (split < argc && std::string(argv[split]) != "--") ++split;
        CommonOptions common;
        auto args = cli.parse(split, argv, common);
        if (split + 1 >= argc) throw Error(k_exit_usage, "no command: give it after '--' (see 'clusterp-run -h')");
        const CollectRequest request = collect_request(args);
        ProfileResult result = profile_command(load_config(common.config_path, request.load), request.options,
                                               std::vector<std::string>(argv + split + 1, argv + argc));
        // Parse, report and plot failures are reported by those tools; the
        // status stays the command's.
        if (result.collected && !args.count("no-parse")) {
            // Standard output stays the job's alone: what the chained
            // tools print (the report's findings) goes to standard error.
            if (::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) throw Error(k_exit_io, "cannot redirect standard output: " + errno_text(errno));
            std::optional<std::string> config;
            if (args.count("config")) config = common.config_path;
            std::vector<std::string> next;
            if (!args.count("no-report")) next.push_back("--with-report");
            if (!args.count("no-plot")) next.push_back("--with-plot");
            try {
                run_next_tool("clusterp-parse", config, next);
            } catch (const Error& e) {
                print_error(e.what());
            }
        }
        return result.status;
    });
}
