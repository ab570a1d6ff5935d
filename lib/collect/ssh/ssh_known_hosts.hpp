// Host key checking as OpenSSH does it (see ssh_transport.hpp for what the
// user sees): known_hosts files read line by line, plain and hashed entries,
// `[host]:port` for a port other than 22, @revoked lines honoured, accept-new
// appending to the file.
#pragma once

#include "collect/ssh/ssh_link.hpp"

namespace clusterp::ssh {

// Checks the host key `session` received (after its handshake) for
// `endpoint` under shared.config.ssh_host_key_checking; throws HostError
// naming the host and the key's fingerprint.  Serialised by
// shared.known_hosts_mutex.
void check_host_key(LIBSSH2_SESSION* session, const Endpoint& endpoint, Shared& shared);

}  // namespace clusterp::ssh
