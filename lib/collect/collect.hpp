// start and stop: the collection lifecycle over any transport.
//
// start runs one command per host (remote_command's start_command) and writes
// .clusterp/run.json as hosts finish, so that an interrupted start still
// leaves a record of every collector it launched.  stop stops, converts and
// downloads per host in one command (host_steps.hpp), writes
// raw/<category>/<host> and raw/sa/<host> atomically, size-checked, has the
// node remove its directory only after that, and
// updates the manifest per host: a host that fails at stop keeps its data on
// the node and can be stopped again later (`-H host`).  Every remote command
// and its outcome goes to clusterp.log.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace clusterp {

struct Config;

struct CollectOptions {
    std::optional<int> fanout;  // -f, overrides config.fanout
    bool dry_run = false;       // print `host: command` lines, connect nowhere
    bool force = false;         // start over an active run / stop over another run's raw/
    bool hosts_given = false;   // -H named the hosts (stop: only those)
};

// The side collectors (remote_command) CONFIG turns on, for start_command:
// `gpu` unless `gpu: off`.
std::vector<std::string> side_categories(const Config& config);

// Returns the exit status: 0 all started, 1 some failed (each reported),
// 69 none reachable, 128+N when signal N interrupted it (collect/signals:
// the hosts under way finish, no other begins; one line says what was and
// was not done).  Throws Error 73 when a run is active and !force.
int start_collection(const Config& config, const CollectOptions& options);

struct StopResult {
    int status = 0;            // as start_collection's
    std::size_t stopped = 0;   // hosts whose data is in raw/ (stopped now or before)
    bool interrupted = false;  // by a signal: some hosts not begun
};

// Prints the files written on stdout, one per line.  Throws Error 66 when
// no run was started, 73 when raw/ holds another run and !force.
StopResult stop_collection(const Config& config, const CollectOptions& options);

// The id of the run whose data raw/ holds (raw/.run_id), "" when none.
std::string read_raw_run_id();

}  // namespace clusterp
