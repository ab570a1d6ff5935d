// Chaining: a tool that runs the next one of the pipeline afterwards (`stop
// --with-parse`, `parse --with-plot`), found the way the dispatcher finds
// it.  Only the mains in tools/ chain; the library never runs a tool.
#pragma once

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "base/diag.hpp"
#include "base/exec_path.hpp"

namespace clusterp {

// Runs PROGRAM with `-c CONFIG` when CONFIG is given, then ARGS, then -q or
// -v as this tool runs, once what this tool printed is out; returns its exit
// status.  Throws Error (69) when PROGRAM cannot be found.
inline int run_next_tool(const std::string& program, const std::optional<std::string>& config,
                         const std::vector<std::string>& args = {}) {
    std::vector<std::string> argv;
    if (config) argv = {"-c", *config};
    argv.insert(argv.end(), args.begin(), args.end());
    if (verbosity() == Verbosity::quiet) argv.push_back("-q");
    if (verbosity() == Verbosity::verbose) argv.push_back("-v");
    std::cout.flush();
    return run_program(program, argv);
}

}  // namespace clusterp
