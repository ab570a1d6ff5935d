#include "transport.hpp"

#include "config.hpp"
#include "diag.hpp"
#include "local_transport.hpp"

namespace clusterp {

// Defined by lib/ssh_transport.cpp (branch ssh); weak until that lands.
__attribute__((weak)) std::unique_ptr<Connector> make_ssh_connector(const Config& config);

std::unique_ptr<Connector> make_connector(const Config& config) {
    switch (config.transport) {
    case TransportKind::local:
        return make_local_connector();
    case TransportKind::ssh:
        if (!make_ssh_connector) throw Error(k_exit_software, "the ssh transport is not built yet");
        return make_ssh_connector(config);
    }
    throw Error(k_exit_software, "unknown transport");
}

}  // namespace clusterp
