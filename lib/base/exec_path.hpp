// Finding and running the other clusterp programs the way git finds
// git-<verb>: $CLUSTERP_EXEC_PATH first, then the directory of the running
// executable (so a build tree works before install), then PATH.  The
// searching and starting itself is base/process's.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace clusterp {

// The directory holding the running executable (from /proc/self/exe).
std::string own_directory();

// The full path of PROGRAM (e.g. "clusterp-parse"), or nullopt.
std::optional<std::string> find_program(const std::string& program);

// Replaces this process by PROGRAM with ARGS (argv[1...]); returns only on
// failure, with errno set.
void exec_program(const std::string& path, const std::vector<std::string>& args);

// Runs PROGRAM with ARGS as a child, stdin/stdout/stderr inherited, and
// returns its exit status (128+N for a signal).  Throws Error (69) when
// PROGRAM cannot be found.
int run_program(const std::string& program, const std::vector<std::string>& args);

}  // namespace clusterp
