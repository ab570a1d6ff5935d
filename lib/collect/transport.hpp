// How the controller talks to a node: a Session per host, reused for every
// step of a command.  Three implementations: ssh_transport (libssh2, the
// only module that includes it), local_transport (this machine, no SSH) and
// slurm_transport (srun, inside an allocation, no SSH).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

namespace clusterp {

struct Config;

// Files travel over start() (collect/transfer.hpp): no SFTP subsystem is
// needed on the node.

// A failure of one host: what() is the cause as the user should read it
// after `prog: host: ` (e.g. "connection refused", "timed out after 10 s").
class HostError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CommandResult {
    int exit_status = -1;
    std::string out;
    std::string err;
};

// One remote command with its standard streams open, for what run() alone
// cannot do: stream a large stdout (transfers) and talk to a command over
// its stdin (clock exchanges, an acknowledgement before data is removed).
// Used by one thread at a time.  Destroying it before finish() abandons the
// command (its stdin reads end of file, its stdout goes nowhere).
//
// Time: every wait is bounded twice.  The node may stay silent (no byte, no
// answer to a keepalive) for ssh_timeout seconds at most (3 at least, as
// keepalives go every 2 s at least): then HostError "no answer for N s".
// The whole exchange may take `bound` at most: then
// HostError "timed out after N s (command)".  A command that works for long
// on a node that answers is cut only by `bound`.
class Exchange {
public:
    virtual ~Exchange() = default;
    // Sends DATA to the command's stdin.  Throws HostError.
    virtual void write(const std::string& data) = 0;
    // Ends the command's stdin: it reads end of file.  Throws HostError.
    virtual void close_input() = 0;
    // Waits until stdout holds bytes or has ended; appends up to MAX of them
    // to OUT and returns how many (0: stdout has ended).  stderr is kept for
    // finish().  Throws HostError.
    virtual std::size_t read(std::string& out, std::size_t max) = 0;
    // Once read() has returned 0: waits for the command's end; returns its
    // exit status (128+N for a signal) and stderr (`out` stays empty).
    virtual CommandResult finish() = 0;
    // Stops talking to the command and leaves it running, unwaited, also
    // after this process has ended: for a start command that keeps its
    // collector as a child (where holds_collector()).  The command must
    // write nothing more.  Throws HostError where a transport cannot.
    virtual void release();
};

class Session {
public:
    virtual ~Session() = default;
    // Starts `command`, shell text made only by remote_command's functions,
    // under the node's shell with no pty.  `bound` is the hard bound of the
    // whole exchange (see Exchange for the silence bound).  Throws HostError.
    virtual std::unique_ptr<Exchange> start(const std::string& command, std::chrono::seconds bound) = 0;
    // As start(), for a start command made with hold (holds_collector):
    // a transport may run the commands of every host in one process that
    // holds all their collectors (Slurm: one step), started with the first
    // host's call; the command must then be the same for every host.
    virtual std::unique_ptr<Exchange> start_holding(const std::string& command, std::chrono::seconds bound) {
        return start(command, bound);
    }
    // Runs `command` with stdin at end of file and collects its output:
    // start(), close_input(), read() to the end, finish().
    CommandResult run(const std::string& command, std::chrono::seconds bound);
};

class Connector {
public:
    virtual ~Connector() = default;
    // Opens an authenticated session to `host` (a name from config hosts).
    // Thread-safe: the fan-out calls it from several threads at once.
    // Throws HostError.
    virtual std::unique_ptr<Session> connect(const std::string& host) = 0;
};

// Whether the transport ends what a command leaves running when the command
// ends (Slurm ends a step's leftovers): the start command then keeps its
// collector as a child and goes on after start, released (Exchange::release),
// until stop ends the collector.
bool holds_collector(const Config& config);

// The connector that config.transport names; for ssh this may open the
// shared gateway session first (a failure there is a HostError naming the
// gateway).
std::unique_ptr<Connector> make_connector(const Config& config);

}  // namespace clusterp
