#include "collect/ssh/ssh_endpoint.hpp"

#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "base/diag.hpp"
#include "base/process.hpp"

namespace clusterp::ssh {
namespace {

// How many `ssh -G` run at once, whatever the fan-out.  Each takes a few
// milliseconds of CPU and three pipes (six while it starts): with one per
// host in flight, bench/12 saw 168 pipe ends beside the hosts' sockets at
// fan-out 64, for no gain on a controller of a few cores.
constexpr int k_ssh_g_at_once = 8;

// A place among the k_ssh_g_at_once, held for the object's life.
class SshGSlot {
public:
    SshGSlot() {
        std::unique_lock<std::mutex> lock(s_mutex);
        s_freed.wait(lock, [] { return s_running < k_ssh_g_at_once; });
        ++s_running;
    }
    ~SshGSlot() {
        {
            std::lock_guard<std::mutex> lock(s_mutex);
            --s_running;
        }
        s_freed.notify_one();
    }
    SshGSlot(const SshGSlot&) = delete;
    SshGSlot& operator=(const SshGSlot&) = delete;

private:
    static inline std::mutex s_mutex;
    static inline std::condition_variable s_freed;
    static inline int s_running = 0;
};

// `ssh -G HOST` with the user's and the system's files (ssh_g_config on
// its stdin); nullopt when no ssh client is installed.
std::optional<OpenSshHost> ask_openssh(const Shared& shared, const std::string& host) {
    if (!shared.ssh_program) return std::nullopt;
    const std::string config = ssh_g_config(shared.home);
    PipeStreams streams;
    streams.input = &config;
    // Other hosts' threads open files (known_hosts, keys, run.json) with
    // streams that are not close-on-exec: none of them goes to ssh.
    SpawnOptions options;
    options.close_other_fds = true;
    Captured answer;
    {
        SshGSlot slot;
        answer = pipe_command(*shared.ssh_program, {"ssh", "-G", "-F", "/dev/stdin", "--", host}, streams, options);
    }
    if (answer.error != 0) throw HostError("cannot run " + quoted(*shared.ssh_program) + ": " + errno_text(answer.error));
    const int status = exit_code(answer.status);
    const std::string& complaint = answer.err;
    if (status != 0) {
        std::string line = complaint.substr(0, complaint.find('\n'));
        throw HostError("ssh -G failed: " + (line.empty() ? "exit status " + std::to_string(status) : line));
    }
    try {
        return parse_ssh_g(answer.out, {shared.home, shared.local_user, host});
    } catch (const std::invalid_argument& e) {
        throw HostError("ssh -G: " + std::string(e.what()));
    }
}

}  // namespace

Endpoint resolve_endpoint(const Shared& shared, const std::string& host, bool is_gateway, const JumpSpec* spec) {
    const Config& config = shared.config;
    const std::optional<OpenSshHost> found = ask_openssh(shared, host);
    // ssh -G always names a user and a port (the local user and 22 unless
    // configured): those defaults give way to clusterp's settings.
    std::optional<std::string> ssh_user;
    std::optional<int> ssh_port;
    if (found && found->user != shared.local_user) ssh_user = found->user;
    if (found && found->port != 22) ssh_port = found->port;
    Endpoint endpoint;
    endpoint.name = host;
    endpoint.host = found ? found->host_name : host;
    if (is_gateway) {
        endpoint.user = spec && spec->user ? *spec->user
                        : ssh_user         ? *ssh_user
                                           : config.ssh_username.value_or(shared.local_user);
        endpoint.port = spec && spec->port ? *spec->port : ssh_port ? *ssh_port : config.ssh_port.value_or(22);
    } else {
        endpoint.user = config.ssh_username ? *config.ssh_username : ssh_user.value_or(shared.local_user);
        endpoint.port = config.ssh_port ? *config.ssh_port : ssh_port.value_or(22);
        if (found) {
            endpoint.jump = found->proxy_jump;
            endpoint.proxy_command = found->proxy_command;
        }
    }
    if (config.ssh_key) endpoint.identities.push_back(expand_home(*config.ssh_key, shared.home));
    if (found)
        for (const auto& file : found->identity_files) endpoint.identities.push_back(file);
    return endpoint;
}

}  // namespace clusterp::ssh
