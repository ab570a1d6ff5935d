// Remote command text: the only module that builds shell text.  Every value
// that came from a user or a node (a path, a device name) reaches the text
// through shell_quote(); nothing else in clusterp concatenates shell code.
//
// The commands are written for any POSIX sh (dash, bash, busybox ash), run
// with `LC_ALL=C S_COLORS=never` whatever locale the transport forwards, and
// are one line each, so that `--dry-run` can print them as `host: command`.
// They answer with `key=value` lines on stdout, read by parse_reply().
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/manifest.hpp"

namespace clusterp {

// VALUE as one shell word in single quotes: `it's` -> `'it'\''s'`.  Safe for
// any byte string (newlines, `$`, backquotes, `;`, globs, leading `-`); the
// empty string becomes `''`.
std::string shell_quote(const std::string& value);

// One category of raw data: its name and the options after
// `sadf -d -U FILE --`, as the data contract (model/contract.hpp) gives them.
struct SadfCategory {
    std::string name;
    std::vector<std::string> options;
    // Tried when `options` fails with no output (sysstat without `-r ALL`).
    std::vector<std::string> fallback;
    // Activities joined into the category's rows, each its own sadf call,
    // written before the main one (CategoryInfo::sadf_joined).
    std::vector<std::vector<std::string>> joined;
};

// The contract's sysstat categories (gpu is nvidia-smi's), in its order.
const std::vector<SadfCategory>& sadf_categories();

// The names of the node's files inside a run directory, for
// send_files_command().
std::string remote_sa_name();
std::string remote_category_name(const std::string& category);

// Side collectors: programs that run beside sadc in the run directory for
// the run's length, each printing text on its stdout into
// DIR/<category>.txt, which stop sends home as raw/<category>/<host>
// (gpu: nvidia-smi).  A node that cannot run one (no such program, no
// device) is no error: start says why it was left out.  The table, in
// start's order (which config switch turns each on: collect.cpp); the
// shell text of each stays in remote_command.cpp.
struct SideCollector {
    std::string category;  // raw/<category>/<host>
    std::string program;   // for messages: `nvidia-smi`
};
const std::vector<SideCollector>& side_collectors();

// Start: find sadc (`sar --sadc`, then the usual paths), make a private
// directory with `mktemp -d` under REMOTE_DIR (unset: the node's $TMPDIR,
// else /tmp; a leading `~/` means the node's $HOME), start
// `sadc -S ACTIVITIES INTERVAL DIR/run.sa` detached (setsid, stdin
// /dev/null, output to DIR/sadc.log) and wait until it has written its file.
// ACTIVITIES is A_NULL,A_CPU,A_QUEUE,A_PAGE,A_SWAP,A_MEMORY,A_DISK,A_NET_DEV,
// A_NET_EDEV for sysstat 12.0 and later (just what the categories need), with
// A_PSI_CPU,A_PSI_IO,A_PSI_MEM from 12.3.3, DISK before (the default set and
// disks).  Replies either `error=nosadc`, `error=mktemp` with `detail=`,
// `error=sadc` with `detail=` lines, or `sadc= version= dir= pid=`, then
// `mem=` (MemTotal, KiB) `cpus=` and `clock=sync`; from then on it answers
// each line `t` on its stdin with `t=SECONDS` (the node's clock, `date
// +%s.%N`) until another line comes.  That must be `ok`, sent once the
// controller has recorded the collector: anything else or end of file (the
// controller gone, even killed) rolls the start back, sadc killed and its
// directory removed, so that no collector runs unrecorded (the shell
// ignores SIGPIPE to outlive a vanished controller).  A failed start leaves
// no directory behind.
// SIDE names the side collectors to start once sadc runs (side_collectors;
// others are ignored), each from / with TZ=UTC and its stdin closed; each
// replies `CAT_pid=PID` (running: printed, or still silent after 2 s),
// `CAT_skip=WHY` (the node cannot run it) or `CAT_error=WHY` (it exited at
// once: its first line of complaint).  A rollback kills them too.
// HOLD (transports that end what a command leaves running, transport.hpp's
// holds_collector): the collectors stay this shell's children (no setsid),
// and after `ok` the command answers `held`, lets go of its standard
// streams and waits for them, so that it ends when stop has ended them.
std::string start_command(const std::optional<std::string>& remote_dir, int interval,
                          const std::vector<std::string>& side = {}, bool hold = false);

// The task of a Slurm step that holds COMMAND (a start_command made with
// hold) on every node at once (collect/slurm_transport): it first answers
// `node=` (its $SLURMD_NODENAME) and `slurm_step=JOB.STEP` and waits for
// a line `go` (the end of its input first: it ends, having done nothing;
// the controller sends `go` once every task has answered, because Slurm
// cancels a whole step whose launch failed on one node), then runs
// COMMAND with, as its stdin, the lines of the step's stdin addressed to
// this task (srun broadcasts stdin to every task): `ID LINE` passes LINE
// to the task whose $SLURM_PROCID is ID, a line `ID` alone ends its input.
// When COMMAND ends, `clusterp_exit=STATUS` (a held command ends only when
// stop has ended its collectors, and nobody reads it then).
std::string slurm_task_command(const std::string& command);

// Stop, convert, send and remove, in one command (one login shell):
// 1. stop: if DIR/run.sa is still written by PID (its /proc cmdline names
//    that file), SIGTERM, wait up to 5 s, then SIGKILL.  Replies `state=`
//    stopped | killed | dead (the collector had already ended) | nodir (DIR
//    is gone: the command ends there).
// 2. convert with the node's own sadf, one call per category (a file cut
//    mid-record makes one sadf call stop early, so a combined call could
//    lose the categories after it), plus one per joined activity, whose
//    output goes first in the category's file.  Replies `error=nosadf`
//    (and ends), or
//    per category `NAME=STATUS SIZE` and, when it printed nothing,
//    `NAME_err=` with sadf's first line of complaint; then `sa=SIZE`.
// 3. the stream of send_files_command() of the categories sadf filled, then
//    run.sa.
// 4. waits for one line on stdin: `ok` removes the files clusterp put in
//    DIR, then DIR itself (rmdir: anything else found there is left alone;
//    the exit status says whether it went).  Anything else, or end of file
//    (the controller gone or not satisfied), keeps everything, exit 0.
// The side collectors SIDE recorded are stopped first, each if its stdout
// still is DIR/<category>.txt (SIGTERM, up to 5 s, SIGKILL), replying
// `CAT=STATE SIZE` (STATE stopped, killed or dead) before the sadf lines;
// a file they filled is sent before run.sa.
std::string stop_send_command(const std::string& dir, long pid, const std::vector<SideRecord>& side = {});

// Sends the files NAMES (plain names inside DIR, e.g. `cpu.txt`, `run.sa`)
// on stdout as the stream that receive_files() (transfer.hpp) reads:
// gzip-compressed when the node has a gzip that runs, each file with its
// size and POSIX cksum.  Exit status 0 unless the stream could not be
// written whole.
std::string send_files_command(const std::string& dir, const std::vector<std::string>& names);

// The `key=value` lines of a reply; a key seen twice keeps every value in
// order (detail lines).
using Reply = std::map<std::string, std::vector<std::string>>;
Reply parse_reply(const std::string& out);
// The first value of KEY, or empty.
std::string reply_value(const Reply& reply, const std::string& key);

}  // namespace clusterp
