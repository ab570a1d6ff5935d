// One host's remote work at start and at stop, one command each
// (remote_command), every command and its outcome in clusterp.log.
// collect.cpp fans these out and keeps the manifest.
#pragma once

#include <functional>
#include <string>

#include "collect/fanout.hpp"
#include "collect/run_log.hpp"
#include "collect/transport.hpp"
#include "model/manifest.hpp"

namespace clusterp {

// Hard bounds of each remote command (clusterp.yml(5)), generous: a node
// that stops answering is abandoned after ssh_timeout already (keepalives),
// so these only end a command that answers but never finishes.  Start takes
// seconds (it waits up to 5 s for sadc's first write); stop waits up to 5 s
// for sadc to exit, then converts and sends a run's files, which on a slow
// node or link may take many minutes.
constexpr int k_start_bound = 300;
constexpr int k_stop_bound = 3600;

// Called with a host's record once its step has succeeded and before the
// node is told so (start: before its `ok`, without which the node rolls the
// collector back; stop: before the node removes its data): the manifest
// is written first, so that a controller gone at any moment leaves no
// collector and no data unrecorded.
using KeepRecord = std::function<void(const HostRecord&)>;

// Runs COMMAND (start_command) and fills RECORD from its answer: dir, pid,
// sysstat, mem_total_kib, cpus, clock_offset, the side collectors running;
// on success status `started`, passed to KEEP before the node is
// acknowledged.  HOLD: COMMAND was made with hold, and once it answers
// `held` it is released to run on.  A side collector the node cannot run is a line in LOG; one
// that failed to start, a warning in OUTCOME (sadc runs on).  Returns the
// cause of a failure, or an empty string.  Throws HostError.
std::string start_host(RunLog& log, Session& session, const std::string& command, bool hold, HostRecord& record,
                       const KeepRecord& keep, HostOutcome& outcome);

// Stops, converts and fetches one host in one command (stop_send_command):
// the files go to RAW_DIR/<category>/<host> and RAW_DIR/sa/<host> (and a
// side collector's to RAW_DIR/<its category>/<host>: one that printed
// nothing or had ended is a warning), checked
// and renamed whole, and only then is the node told to remove its
// directory.  Sets RECORD's status to stopped (passed to KEEP before the
// node is told), or to failed with the cause (its directory gone); puts
// warnings and the written files in OUTCOME.  Throws HostError (the data
// stays on the node) and Error 73/74 (local files; the data stays on the
// node).
void stop_host(RunLog& log, Session& session, const std::string& raw_dir, HostRecord& record,
               HostOutcome& outcome, const KeepRecord& keep);

}  // namespace clusterp
