#include "transport.hpp"

#include "config.hpp"
#include "diag.hpp"
#include "local_transport.hpp"
#include "ssh_transport.hpp"

namespace clusterp {

std::unique_ptr<Connector> make_connector(const Config& config) {
    switch (config.transport) {
    case TransportKind::local:
        return make_local_connector();
    case TransportKind::ssh:
        return make_ssh_connector(config);
    }
    throw Error(k_exit_software, "unknown transport");
}

}  // namespace clusterp
