// The options that start, stop and run share: which hosts (-H, -x), how
// many at once (-f), how (--launcher), --force; written once so that the three tools cannot
// drift apart in names, help or meaning.
#pragma once

#include <string>

#include "cli.hpp"
#include "collect/collect.hpp"
#include "model/config.hpp"

namespace clusterp {

// Adds -H, -x, -f, --launcher and --force; the help of -H and --force is the tool's
// own (what "these hosts" and "over a run" mean differs between them).
inline void add_collect_options(Cli& cli, const std::string& hosts_help, const std::string& force_help) {
    cli.add()("H,hosts", hosts_help, cxxopts::value<std::string>(), "HOSTLIST")
        ("x,exclude", "leave out the hosts of HOSTLIST", cxxopts::value<std::string>(), "HOSTLIST")
        ("f,fanout", "at most N hosts at once", cxxopts::value<int>(), "N")
        ("launcher", "reach the nodes with ssh or, inside a Slurm allocation, slurm (srun)",
         cxxopts::value<std::string>(), "ssh|slurm")
        ("force", force_help);
}

// What add_collect_options' options asked for (and --dry-run, where the tool
// has it).
struct CollectRequest {
    LoadOptions load;
    CollectOptions options;
};

inline CollectRequest collect_request(const cxxopts::ParseResult& args) {
    CollectRequest request;
    if (args.count("hosts")) request.load.hosts_override = args["hosts"].as<std::string>();
    if (args.count("exclude")) request.load.exclude = args["exclude"].as<std::string>();
    if (args.count("fanout")) request.options.fanout = args["fanout"].as<int>();
    if (args.count("launcher")) request.load.launcher = args["launcher"].as<std::string>();
    request.options.force = args.count("force") > 0;
    request.options.dry_run = args.count("dry-run") > 0;
    request.options.hosts_given = request.load.hosts_override.has_value();
    return request;
}

}  // namespace clusterp
