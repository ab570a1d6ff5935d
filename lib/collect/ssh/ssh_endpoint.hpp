// Where one host is reached: config.yml, then ~/.ssh/config, then the
// defaults (see ssh_transport.hpp for the order).
#pragma once

#include <optional>
#include <string>

#include "collect/ssh/ssh_link.hpp"

namespace clusterp::ssh {

// `[user@]host[:port]` as ssh_gateway and ProxyJump write it.
struct JumpSpec {
    std::optional<std::string> user;
    std::string host;
    std::optional<int> port;
};

// Splits `text`; a `:port` is taken only when it is all digits and the text
// has no other colon.  Pure.
JumpSpec parse_jump(const std::string& text);

// An ssh_config(5) file with each Include line replaced by the files it
// names (globs; relative names under ~/.ssh; 16 levels at most), followed by
// the Host or Match line in force before it: OpenSSH restores that state
// after an included file.
std::string read_ssh_config(const std::string& path, const std::string& home, int depth);

// config.yml first, then shared.ssh_config_text, then the defaults.  A
// gateway (is_gateway) takes its user and port from its own `spec` first.
// Throws HostError for a ~/.ssh/config it cannot use.
Endpoint resolve_endpoint(const Shared& shared, const std::string& host, bool is_gateway,
                          const JumpSpec* spec = nullptr);

}  // namespace clusterp::ssh
