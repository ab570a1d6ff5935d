// A node's session over a Link: every command, transfers included, on an
// exec channel of its own (no SFTP).
#pragma once

#include <chrono>
#include <memory>

#include "collect/ssh/ssh_gateway.hpp"
#include "collect/ssh/ssh_link.hpp"

namespace clusterp::ssh {

// The Session (collect/transport.hpp) that runs over `link`; `gateway`, when
// the link runs inside one of its tunnels, is kept alive as long as the
// session.
std::unique_ptr<Session> make_session(std::unique_ptr<Link> link, std::shared_ptr<Gateway> gateway);

}  // namespace clusterp::ssh
