// `clusterp run`: profile the cluster for exactly the time a command runs,
// and exit with the command's own status.
//
// Start the collectors; wait one interval (and half a second), so that the
// first sample comes before the job; mark the job's begin, run it
// (collect/job), mark its end; wait as long again, so that a sample follows it; stop and download; then
// clusterp-parse (and clusterp-plot), chained by the tool as stop chains them.
// The command runs even when no collector started (the data is then lost,
// and a message says so).  Standard output is the job's alone: what clusterp
// says goes to standard error.
//
// Signals (collect/signals): one that comes while start runs (the hosts
// under way finish, no other begins) or during the first wait means the
// command is not run (status 128+N), one while the job runs goes on to the
// job, one during the last wait cuts it short; each time the collectors are
// still stopped and downloaded, and a further signal during the stop,
// parse or plot ends clusterp at once, with the job's status: the hosts not
// yet stopped stay recorded as active, for a later `clusterp stop`.  When
// none came before, a first one during the stop interrupts it as it
// interrupts clusterp stop (the hosts under way finish, no other begins;
// nothing is parsed), a second one ends clusterp at once.
#pragma once

#include <string>
#include <vector>

#include "collect/collect.hpp"

namespace clusterp {

struct ProfileResult {
    int status = 0;          // COMMAND's, as `bash -c` reports it
    bool collected = false;  // the command ran and raw/ holds its data
};

// Returns COMMAND's status (exit code, 128+N for a signal, 126, 127),
// whatever happened to the collectors, and whether there is data to parse.
// Throws Error before the command runs: 73 when a run is active or raw/
// holds another run's data and !force, 64, 78 as start does.
ProfileResult profile_command(const Config& config, const CollectOptions& options,
                              const std::vector<std::string>& command);

}  // namespace clusterp
