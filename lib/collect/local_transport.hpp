// transport: local: every "host" is this machine.  Commands run under
// /bin/sh -c with stdin from /dev/null in their own process group (killed
// whole when the timeout passes); download copies the file.  Lets single
// machine users and the demo run the same lifecycle as a cluster.
#pragma once

#include <memory>

#include "collect/transport.hpp"

namespace clusterp {

std::unique_ptr<Connector> make_local_connector();

}  // namespace clusterp
