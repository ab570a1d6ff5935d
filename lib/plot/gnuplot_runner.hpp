// Running gnuplot: many scripts a few processes at a time (directory mode),
// or one script fed through a pipe (stream mode).  Processes are started
// through base/process; a run's outputs are written under temporary names
// and moved into place only when gnuplot succeeded, else removed.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace clusterp {

// One gnuplot run: its arguments (after the program name), what it reads on
// stdin, and where its outputs go once it succeeds.
struct GnuplotJob {
    std::vector<std::string> args;
    std::string input;  // run_piped: written to its stdin
    std::string what;   // how messages name the script
    std::vector<std::pair<std::string, std::string>> outputs;  // temporary -> final
};

// Throws Error (69) naming the package when gnuplot is not in PATH.
void require_gnuplot();

// Runs JOBS, at most PARALLEL at once (stdin /dev/null); each failure is
// reported on stderr with gnuplot's last message.  Returns how many failed.
int run_jobs(std::vector<GnuplotJob>& jobs, int parallel);

// Runs JOB with job.input on its stdin; false when it failed (reported).
bool run_piped(GnuplotJob& job);

}  // namespace clusterp
