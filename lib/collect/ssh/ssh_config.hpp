// The part of OpenSSH's ~/.ssh/config that clusterp honours, so that a host
// reached with `ssh n1` is reached the same way by clusterp.  Pure: the text
// comes in, the settings for one host come out.
//
// Understood: `Host` blocks with patterns (`*`, `?`, `!negation`; a block
// applies when one pattern matches and no negated one does), settings before
// the first `Host` (they apply to every host), `Keyword value` or
// `Keyword=value`, keywords in any case, double-quoted values, comments.
// Kept keywords: HostName, User, Port, IdentityFile, ProxyJump, and
// ProxyCommand so as to refuse it.  As in OpenSSH the first value found
// wins (ProxyJump and ProxyCommand count as one setting), except
// IdentityFile, whose values add up in order.  `Match` blocks are skipped
// (their settings never apply); other keywords are ignored (`Include` too:
// ssh_transport splices the included files into the text first).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace clusterp {

struct SshHostConfig {
    std::optional<std::string> host_name;  // %h and %% expanded
    std::optional<std::string> user;
    std::optional<int> port;
    // ~ and %d (home), %h (host name), %u (local user), %r (remote user), %%
    // expanded.
    std::vector<std::string> identity_files;
    // `[user@]host[:port]`, as written; unset for `none`.
    std::optional<std::string> proxy_jump;
    // A ProxyCommand (not `none`): a command clusterp does not run.
    std::optional<std::string> proxy_command;
};

// What an expansion needs to know besides the text.
struct SshConfigContext {
    std::string home;        // for ~ and %d
    std::string local_user;  // for %u
    // For %r in IdentityFile when the config gives no User (clusterp's
    // ssh_username or the local user).
    std::string default_user;
};

// The settings of `host` (the name as given in clusterp's config).  Throws
// std::invalid_argument naming the line for a value clusterp cannot use (a
// port that is not a number from 1 to 65535, a ProxyJump with several hops).
SshHostConfig ssh_host_config(const std::string& text, const std::string& host,
                              const SshConfigContext& context);

// Whether `host` matches one OpenSSH pattern (`*` any run, `?` one
// character, case-insensitive).
bool ssh_pattern_match(const std::string& pattern, const std::string& host);

}  // namespace clusterp
