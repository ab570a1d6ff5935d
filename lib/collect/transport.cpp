#include "collect/transport.hpp"

#include "model/config.hpp"
#include "base/diag.hpp"
#include "collect/local_transport.hpp"
#include "collect/ssh/ssh_transport.hpp"

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
