// transport: local: every "host" is this machine.  Commands run under
// /bin/sh -c in their own process group (killed whole when the bound passes
// or the exchange is dropped), stdin a socket, stdout and stderr pipes.
// Lets single machine users and the demo run the same lifecycle as a
// cluster.
#pragma once

#include <memory>

#include "collect/transport.hpp"

namespace clusterp {

std::unique_ptr<Connector> make_local_connector();

}  // namespace clusterp
