// How the controller talks to a node: a Session per host, reused for every
// step of a command.  Two implementations: ssh_transport (libssh2, the only
// module that includes it) and local_transport (this machine, no SSH).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace clusterp {

struct Config;

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

class Session {
public:
    virtual ~Session() = default;
    // Runs `command`, shell text made only by remote_command's functions,
    // under the node's shell with stdin from /dev/null and no pty.  Throws
    // HostError when the transport fails or `timeout` passes.
    virtual CommandResult run(const std::string& command, std::chrono::seconds timeout) = 0;
    // Copies the node's file `remote_path` to `local_path` (a temporary file
    // the caller renames); returns the bytes written.  Throws HostError.
    virtual std::uint64_t download(const std::string& remote_path, const std::string& local_path) = 0;
};

class Connector {
public:
    virtual ~Connector() = default;
    // Opens an authenticated session to `host` (a name from config hosts).
    // Thread-safe: the fan-out calls it from several threads at once.
    // Throws HostError.
    virtual std::unique_ptr<Session> connect(const std::string& host) = 0;
};

// The connector that config.transport names; for ssh this may open the
// shared gateway session first (a failure there is a HostError naming the
// gateway).
std::unique_ptr<Connector> make_connector(const Config& config);

}  // namespace clusterp
