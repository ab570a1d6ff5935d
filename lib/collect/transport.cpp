#include "collect/transport.hpp"

#include <vector>

#include "model/config.hpp"
#include "base/diag.hpp"
#include "collect/local_transport.hpp"
#include "collect/slurm_transport.hpp"
#include "collect/ssh/ssh_transport.hpp"

namespace clusterp {

CommandResult Session::run(const std::string& command, std::chrono::seconds bound) {
    auto exchange = start(command, bound);
    exchange->close_input();
    std::string out;
    while (exchange->read(out, 1 << 20) > 0) {
    }
    CommandResult result = exchange->finish();
    result.out = std::move(out);
    return result;
}

void Exchange::release() { throw HostError("this transport cannot leave a command running"); }

bool holds_collector(const Config& config) { return config.transport == TransportKind::slurm; }

std::unique_ptr<Connector> make_connector(const Config& config) {
    switch (config.transport) {
    case TransportKind::local:
        return make_local_connector();
    case TransportKind::ssh:
        return make_ssh_connector(config);
    case TransportKind::slurm:
    {
        std::vector<std::string> hosts;
        for (const auto& host : config.hosts) hosts.push_back(host.name);
        return make_slurm_connector(hosts);
    }
    }
    throw Error(k_exit_software, "unknown transport");
}

}  // namespace clusterp
