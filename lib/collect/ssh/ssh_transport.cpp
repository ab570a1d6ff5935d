#include "collect/ssh/ssh_transport.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>

#include "base/process.hpp"
#include "collect/ssh/ssh_endpoint.hpp"
#include "collect/ssh/ssh_gateway.hpp"
#include "collect/ssh/ssh_link.hpp"
#include "collect/ssh/ssh_session.hpp"

namespace clusterp {
namespace ssh {
namespace {

void init_shared(Shared& shared, const Config& config) {
    shared.config = config;
    const char* home = std::getenv("HOME");
    const passwd* entry = ::getpwuid(::getuid());
    shared.home = home && *home ? home : entry ? entry->pw_dir : "/";
    shared.local_user = entry ? entry->pw_name : "root";
    shared.ssh_program = find_in_path("ssh");
    if (config.ssh_password) shared.password = config.ssh_password;
    else if (const char* password = std::getenv("CLUSTERP_SSH_PASSWORD")) shared.password = std::string(password);
    if (config.ssh_known_hosts) {
        shared.known_hosts_write = expand_home(*config.ssh_known_hosts, shared.home);
        shared.known_hosts_read = {shared.known_hosts_write};
    } else {
        shared.known_hosts_write = shared.home + "/.ssh/known_hosts";
        shared.known_hosts_read = {shared.known_hosts_write, "/etc/ssh/ssh_known_hosts"};
    }
}

class SshConnector : public Connector {
public:
    explicit SshConnector(const Config& config) {
        init_shared(m_shared, config);
        if (config.ssh_gateway) m_gateways[*config.ssh_gateway] = open_gateway(*config.ssh_gateway);
    }

    std::unique_ptr<Session> connect(const std::string& host) override {
        Endpoint endpoint = resolve_endpoint(m_shared, host, false);
        // Going around a ProxyCommand could reach another machine, or none.
        if (endpoint.proxy_command && !m_shared.config.ssh_gateway)
            throw HostError("~/.ssh/config gives it a ProxyCommand, which clusterp does not run (use ProxyJump or "
                            "ssh_gateway)");
        std::shared_ptr<Gateway> gateway;
        if (m_shared.config.ssh_gateway) gateway = m_gateways.at(*m_shared.config.ssh_gateway);
        else if (endpoint.jump) gateway = jump_gateway(*endpoint.jump);

        const std::chrono::seconds timeout(m_shared.config.ssh_timeout);
        Deadline deadline(timeout, "connecting");
        int fd = gateway ? gateway->open(endpoint.host, endpoint.port, deadline)
                         : tcp_connect(endpoint.host, endpoint.port, deadline);
        auto link = std::make_unique<Link>(fd, endpoint, m_shared, deadline);
        return make_session(std::move(link), std::move(gateway));
    }

    std::shared_ptr<Gateway> open_gateway(const std::string& text) {
        JumpSpec spec;
        try {
            spec = parse_jump(text);
        } catch (const std::invalid_argument& e) {
            throw HostError("gateway " + text + ": " + e.what());
        }
        Endpoint endpoint;
        try {
            endpoint = resolve_endpoint(m_shared, spec.host, true, &spec);
        } catch (const HostError& e) {
            throw HostError("gateway " + spec.host + ": " + e.what());
        }
        return std::make_shared<Gateway>(endpoint, m_shared);
    }

    // One gateway per ProxyJump value, opened by the first host that needs
    // it; a failure is remembered so that the next hosts do not retry it.
    std::shared_ptr<Gateway> jump_gateway(const std::string& text) {
        std::lock_guard<std::mutex> lock(m_gateways_mutex);
        auto failed = m_gateway_failures.find(text);
        if (failed != m_gateway_failures.end()) throw HostError(failed->second);
        auto found = m_gateways.find(text);
        if (found != m_gateways.end()) return found->second;
        try {
            return m_gateways[text] = open_gateway(text);
        } catch (const HostError& e) {
            m_gateway_failures[text] = e.what();
            throw;
        }
    }

    Shared m_shared;
    std::mutex m_gateways_mutex;
    std::map<std::string, std::shared_ptr<Gateway>> m_gateways;
    std::map<std::string, std::string> m_gateway_failures;
};

}  // namespace
}  // namespace ssh

std::string ssh_target_text(const Config& config, const std::string& host) {
    ssh::Shared shared;
    ssh::init_shared(shared, config);
    const ssh::Endpoint endpoint = ssh::resolve_endpoint(shared, host, false);
    std::string text = "user " + endpoint.user + "\nhostname " + endpoint.host + "\nport " +
                       std::to_string(endpoint.port) + "\n";
    for (const auto& file : endpoint.identities) text += "identityfile " + file + "\n";
    if (endpoint.jump) text += "proxyjump " + *endpoint.jump + "\n";
    return text;
}

std::unique_ptr<Connector> make_ssh_connector(const Config& config) {
    static std::once_flag initialised;
    std::call_once(initialised, [] { libssh2_init(0); });
    return std::make_unique<ssh::SshConnector>(config);
}

}  // namespace clusterp
