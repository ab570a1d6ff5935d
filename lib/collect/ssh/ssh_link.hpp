// One authenticated libssh2 session over one socket, and what every part of
// the ssh transport shares: deadlines, the resolved endpoint of a host, the
// connector's settings.  Internal to lib/collect/ssh (it includes libssh2).
#pragma once

#include <libssh2.h>
#include <poll.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/fd.hpp"
#include "collect/transport.hpp"
#include "model/config.hpp"

namespace clusterp::ssh {

using Clock = std::chrono::steady_clock;

// How long closing a channel or a session may take on a dead peer.
constexpr std::chrono::seconds k_teardown_time{2};

// `~` and `~/...` under `home`.
std::string expand_home(const std::string& path, const std::string& home);

// A point in time that every wait of one step is bounded by.
class Deadline {
public:
    Deadline(std::chrono::seconds length, std::string step)
        : m_length(length), m_end(Clock::now() + length), m_step(std::move(step)) {}
    // Milliseconds left; throws the step's timeout once none are.
    int remaining_ms() const;
    void rename(std::string step) { m_step = std::move(step); }
    std::string message() const;

private:
    std::chrono::seconds m_length;
    Clock::time_point m_end;
    std::string m_step;
};

void set_nonblocking(int fd);

// A TCP connection within the deadline; the cause of a failure as ssh(1)
// users read it ("connection refused").  Returns the socket.
int tcp_connect(const std::string& host, int port, const Deadline& deadline);

// Everything one host's connection needs to know, resolved.
struct Endpoint {
    std::string name;  // as the user wrote it, for messages
    std::string host;  // to connect to, and to look up in known_hosts
    std::string user;
    int port = 22;
    std::vector<std::string> identities;   // explicit ones (ssh_key, IdentityFile)
    std::optional<std::string> jump;       // ProxyJump from ~/.ssh/config
    bool proxy_command = false;            // ~/.ssh/config wants a ProxyCommand
};

// State shared by every connection of one connector.
struct Shared {
    Config config;
    std::string home;
    std::string local_user;
    std::optional<std::string> ssh_program;  // OpenSSH's client, when installed
    std::optional<std::string> password;
    std::vector<std::string> known_hosts_read;  // files checked against
    std::string known_hosts_write;              // where accept-new appends
    std::mutex known_hosts_mutex;
    std::once_flag no_check_warning;
};

// libssh2's last error on `session`, as messages print it.
std::string session_error(LIBSSH2_SESSION* session);

// One authenticated libssh2 session over one socket (TCP or the local end of
// a gateway tunnel), non-blocking, every wait bounded by a Deadline.  The
// constructor does the handshake, checks the host key (ssh_known_hosts.hpp)
// and authenticates (ssh_auth.cpp); it throws HostError.
class Link {
public:
    Link(int fd, const Endpoint& endpoint, Shared& shared, const Deadline& deadline);
    Link(const Link&) = delete;
    Link& operator=(const Link&) = delete;

    LIBSSH2_SESSION* session() const { return m_session; }
    int fd() const { return m_fd.get(); }

    // Calls `step` until it stops asking to be called again (EAGAIN), waiting
    // for the socket in between; returns its last result.
    template <typename Step>
    auto call(Step step, const Deadline& deadline) -> decltype(step()) {
        for (;;) {
            auto rc = step();
            if (rc != LIBSSH2_ERROR_EAGAIN) return rc;
            wait(deadline);
        }
    }

    // The same for functions that return a pointer (null and EAGAIN: again).
    template <typename Step>
    auto call_pointer(Step step, const Deadline& deadline) -> decltype(step()) {
        for (;;) {
            auto pointer = step();
            if (pointer || libssh2_session_last_errno(m_session) != LIBSSH2_ERROR_EAGAIN) return pointer;
            wait(deadline);
        }
    }

    // Waits until the socket is ready in the direction libssh2 needs;
    // throws the deadline's timeout.  Once authenticated, also sends
    // keepalives (every third of ssh_timeout, as OpenSSH's
    // ServerAliveInterval) and throws "no answer for N s" when no byte has
    // come from the node for ssh_timeout seconds since heard().
    void wait(const Deadline& deadline);
    // A wait for the node begins: its silence counts from now.  (Every byte
    // received counts as well: receive() below.)
    void heard() { m_last_heard = Clock::now(); }

    std::string last_error() const { return session_error(m_session); }

private:
    void prefer(int method, const char* wanted);

    // libssh2's socket reads go through here (LIBSSH2_CALLBACK_RECV): any
    // byte from the node ends its silence, including keepalive answers that
    // libssh2 reads and consumes inside its own calls, unseen by wait().
    static ssize_t receive(libssh2_socket_t socket, void* buffer, size_t length, int flags, void** abstract);

    // Authentication, in ssh_auth.cpp.
    void authenticate(Shared& shared, const Deadline& deadline);
    bool authenticated() const;
    void check_alive(int rc) const;
    bool try_agent(const Deadline& deadline);
    bool try_key_file(const std::string& path, const Deadline& deadline);
    static void keyboard_interactive(const char*, int, const char*, int, int prompts_count,
                                     const LIBSSH2_USERAUTH_KBDINT_PROMPT*,
                                     LIBSSH2_USERAUTH_KBDINT_RESPONSE* responses, void** abstract);

    struct SessionCloser {
        void operator()(LIBSSH2_SESSION* session) const;
    };

    Fd m_fd;  // declared first: closed after the session
    Endpoint m_endpoint;
    bool m_rsa_refused = false;
    // The password keyboard-interactive answers with, while it is tried
    // (the session's abstract pointer is this Link), and its rounds.
    const std::string* m_keyboard_password = nullptr;
    int m_keyboard_rounds = 0;
    std::chrono::seconds m_silence_limit{0};  // 0: not yet (connecting)
    Clock::time_point m_last_heard;
    std::unique_ptr<LIBSSH2_SESSION, SessionCloser> m_owner;
    LIBSSH2_SESSION* m_session;
};

}  // namespace clusterp::ssh
