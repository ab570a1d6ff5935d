// The SSH transport (`transport: ssh`), on libssh2: the only module that
// includes it.  What it promises, beyond collect/transport.hpp:
//
// - Where: a host's address, user, port and identity files come from
//   config.yml first (ssh_username, ssh_port, ssh_key), then from
//   what OpenSSH resolves from ~/.ssh/config and /etc/ssh/ssh_config (`ssh -G`,
//   see openssh_config.hpp; nothing when no ssh client is installed), then the
//   defaults (the local user, port 22).  HOME is taken from the environment.
//   A host that ~/.ssh/config gives a ProxyCommand fails (unless ssh_gateway
//   is set): clusterp runs no local commands.
// - Authentication, in this order, never prompting: the ssh-agent of
//   SSH_AUTH_SOCK, ssh_key, the IdentityFile entries, ~/.ssh/id_ed25519,
//   id_ecdsa, id_rsa, then the password (ssh_password, else
//   CLUSTERP_SSH_PASSWORD) by `password`, or by `keyboard-interactive` when
//   the server offers only that.  A missing credential is an error saying
//   what the server accepts.  The password never reaches a log, argv or a
//   message.
// - Host keys: checked against ssh_known_hosts, else ~/.ssh/known_hosts and
//   /etc/ssh/ssh_known_hosts (plain and hashed entries; `[host]:port` for a
//   port other than 22), under the name the connection uses (HostName).
//   Mode yes: an unknown or changed key fails, naming the host and the key's
//   fingerprint as OpenSSH prints it (`SHA256:` and unpadded base64), and so
//   does a key that a `@revoked` line names.  accept-new: an unknown key is
//   appended to the file (a changed or revoked one still fails).  no:
//   nothing is checked, with one warning.  RSA user keys need libssh2 1.11
//   (rsa-sha2 signatures) against OpenSSH 8.8 and later; the error says so.
// - Time: connecting (TCP, handshake, authentication) takes at most
//   ssh_timeout seconds; a command at most its timeout; a download fails
//   when no byte arrives for ssh_timeout seconds.
// - Key exchange: curve25519-sha256 first; host key types in OpenSSH's order.
// - Gateway: with ssh_gateway (`host`, `user@host`, `host:port`), one
//   session to the gateway is opened by make_ssh_connector (a failure is a
//   HostError that begins with `gateway NAME: `) and every node's session
//   runs inside a direct-tcpip channel of it, so the gateway resolves and
//   reaches the nodes.  Without ssh_gateway, a node's ProxyJump from
//   ~/.ssh/config (one hop) does the same, one shared session per jump host.
// - Sessions are independent: connect() may run in many threads at once,
//   each Session is used by one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "collect/transport.hpp"

namespace clusterp {

std::unique_ptr<Connector> make_ssh_connector(const Config& config);

// Where make_ssh_connector(config) would reach `host`, as `keyword value`
// lines in ssh -G's words and order: user, hostname, port, identityfile
// (each explicit one, tokens expanded), proxyjump.  Connects nowhere.
// Throws HostError.
std::string ssh_target_text(const Config& config, const std::string& host);

}  // namespace clusterp
