#include "collect/ssh/ssh_endpoint.hpp"

#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "base/diag.hpp"
#include "base/fd.hpp"
#include "base/process.hpp"

namespace clusterp::ssh {
namespace {

// All of FD until end of file.
std::string read_all(int fd) {
    std::string text;
    char buffer[8192];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return text;
        text.append(buffer, static_cast<std::size_t>(n));
    }
}

// `ssh -G HOST` with the user's and the system's files (ssh_g_config on
// its stdin); nullopt when no ssh client is installed.
std::optional<OpenSshHost> ask_openssh(const Shared& shared, const std::string& host) {
    if (!shared.ssh_program) return std::nullopt;
    auto in = make_pipe(), out = make_pipe(), err = make_pipe();
    if (!in || !out || !err) throw HostError("cannot make a pipe: " + errno_text(errno));
    SpawnOptions options;
    options.in = Redirect::to(in->read.get());
    options.out = Redirect::to(out->write.get());
    options.err = Redirect::to(err->write.get());
    Spawned child = spawn(*shared.ssh_program, {"ssh", "-G", "-F", "/dev/stdin", "--", host}, options);
    if (child.pid < 0) throw HostError("cannot run " + quoted(*shared.ssh_program) + ": " + errno_text(child.error));
    in->read.reset();
    out->write.reset();
    err->write.reset();
    // A few hundred bytes: far below a pipe's capacity.
    const std::string config = ssh_g_config(shared.home);
    [[maybe_unused]] ssize_t written = ::write(in->write.get(), config.data(), config.size());
    in->write.reset();
    const std::string answer = read_all(out->read.get());
    const std::string complaint = read_all(err->read.get());
    const int status = exit_code(wait_for(child.pid));
    if (status != 0) {
        std::string line = complaint.substr(0, complaint.find('\n'));
        throw HostError("ssh -G failed: " + (line.empty() ? "exit status " + std::to_string(status) : line));
    }
    try {
        return parse_ssh_g(answer, {shared.home, shared.local_user, host});
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
