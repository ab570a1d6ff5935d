// ~/.ssh/config as OpenSSH itself resolves it: clusterp asks `ssh -G HOST`
// (which connects nowhere) and reads its answer, so that Host patterns,
// Match, Include, /etc/ssh/ssh_config and every quirk are OpenSSH's own.
// Pure: text in, settings out (ssh_endpoint runs the command).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace clusterp::ssh {

// The settings of one host that clusterp uses.
struct OpenSshHost {
    std::string host_name;  // as ssh -G prints it (OpenSSH lower-cases it)
    std::string user;
    int port = 22;
    // Tokens expanded (see parse_ssh_g); OpenSSH's default list (the
    // ~/.ssh/id_* it would try when none is configured) is left out.
    std::vector<std::string> identity_files;
    std::optional<std::string> proxy_jump;     // one hop, as written; unset for none
    bool proxy_command = false;                // a ProxyCommand (not none)
};

// What token expansion needs besides ssh -G's answer.
struct ExpandContext {
    std::string home;        // ~ and %d
    std::string local_user;  // %u
    std::string alias;       // %n: the name as given
};

// Reads `ssh -G` output (`keyword value` lines, keywords lower-case).  In
// IdentityFile, ~ and %d (home), %h (host name), %n, %p, %r (remote user),
// %u (local user) and %% are expanded, other tokens kept.  Throws
// std::invalid_argument for a ProxyJump of several hops, or a port that is
// not a number from 1 to 65535.
OpenSshHost parse_ssh_g(const std::string& output, const ExpandContext& context);

// The ssh_config(5) text given to `ssh -G -F /dev/stdin`: the user's file
// under HOME (clusterp honours $HOME, as it does for known_hosts) then the
// system-wide file, in the order ssh(1) reads them.
std::string ssh_g_config(const std::string& home, const std::string& system_config = "/etc/ssh/ssh_config");

// `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`
// as ssh_gateway and ProxyJump write them.
struct JumpSpec {
    std::optional<std::string> user;
    std::string host;
    std::optional<int> port;
};

// Splits `text`; throws std::invalid_argument for an empty host or a bad
// port.  Pure.
JumpSpec parse_jump(const std::string& text);

}  // namespace clusterp::ssh
