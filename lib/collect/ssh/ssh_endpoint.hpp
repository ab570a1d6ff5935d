// Where one host is reached: config.yml, then ~/.ssh/config and
// /etc/ssh/ssh_config as OpenSSH reads them, then the defaults (see
// ssh_transport.hpp for the order).
#pragma once

#include <optional>
#include <string>

#include "collect/ssh/openssh_config.hpp"
#include "collect/ssh/ssh_link.hpp"

namespace clusterp::ssh {

// config.yml first, then what OpenSSH resolves (`ssh -G`, when an ssh
// client is installed: see openssh_config.hpp), then the defaults.  A gateway
// (is_gateway) takes its user and port from its own `spec` first.  Throws
// HostError when ssh -G fails or answers what clusterp cannot use.
Endpoint resolve_endpoint(const Shared& shared, const std::string& host, bool is_gateway,
                          const JumpSpec* spec = nullptr);

}  // namespace clusterp::ssh
