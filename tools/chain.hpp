// Chaining: a tool that runs the next ones of the pipeline afterwards (`stop
// --with-parse`, `parse --with-report --with-plot`), found the way the
// dispatcher finds them.  Only the mains in tools/ chain; the library never
// runs a tool.
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

// What follows a parse in directory mode: the report, then the plots, so
// that the run page can show the report's findings.  A report that fails is
// said on stderr and the plots are still drawn; returns the first failure's
// status, else 0.
inline int run_after_parse(const std::optional<std::string>& config, bool with_report, bool with_plot) {
    int status = 0;
    if (with_report) status = run_next_tool("clusterp-report", config);
    if (with_plot) {
        const int plotted = run_next_tool("clusterp-plot", config);
        if (status == 0) status = plotted;
    }
    return status;
}

}  // namespace clusterp
