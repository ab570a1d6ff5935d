#include "collect/ssh/ssh_link.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/diag.hpp"
#include "collect/ssh/ssh_known_hosts.hpp"

namespace clusterp::ssh {
namespace {

// OpenSSH's preferences: curve25519 first for key exchange, ed25519 first for
// host keys (so that a known_hosts written by ssh(1) holds the key offered).
// Link::prefer drops the names this libssh2 does not know.
const char k_kex_preference[] =
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
    "ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
    "diffie-hellman-group18-sha512,diffie-hellman-group14-sha256";
const char k_hostkey_preference[] =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,"
    "rsa-sha2-256,ssh-rsa";

std::string lowercase_first(std::string text) {
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' && !(text.size() > 1 && text[1] >= 'A' && text[1] <= 'Z'))
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    return text;
}

}  // namespace

std::string expand_home(const std::string& path, const std::string& home) {
    if (path == "~" || path.rfind("~/", 0) == 0) return home + path.substr(1);
    return path;
}

int Deadline::remaining_ms() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_end - Clock::now()).count();
    if (left <= 0) throw HostError(message());
    return static_cast<int>(std::min<long long>(left, 1 << 30));
}

std::string Deadline::message() const {
    return "timed out after " + std::to_string(m_length.count()) + " s (" + m_step + ")";
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

int tcp_connect(const std::string& host, int port, const Deadline& deadline) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
    if (rc != 0) throw HostError("cannot resolve " + quoted(host) + ": " + lowercase_first(::gai_strerror(rc)));
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);
    int error = 0;
    for (addrinfo* address = found; address; address = address->ai_next) {
        Fd fd(::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol));
        if (fd.get() < 0) {
            error = errno;
            continue;
        }
        set_nonblocking(fd.get());
        if (::connect(fd.get(), address->ai_addr, address->ai_addrlen) < 0) {
            if (errno != EINPROGRESS) {
                error = errno;
                continue;
            }
            pollfd waiting{fd.get(), POLLOUT, 0};
            int ready;
            while ((ready = ::poll(&waiting, 1, deadline.remaining_ms())) < 0 && errno == EINTR) {}
            if (ready == 0) throw HostError(deadline.message());
            socklen_t length = sizeof error;
            ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
            if (error != 0) continue;
        }
        int one = 1;
        ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        return fd.release();
    }
    throw HostError(errno_text(error));
}

std::string session_error(LIBSSH2_SESSION* session) {
    char* message = nullptr;
    int length = 0;
    libssh2_session_last_error(session, &message, &length, 0);
    return lowercase_first(message && length > 0 ? std::string(message, length) : "unknown error");
}

Link::Link(int fd, const Endpoint& endpoint, Shared& shared, const Deadline& deadline)
    : m_fd(fd), m_endpoint(endpoint),
      m_owner(libssh2_session_init_ex(nullptr, nullptr, nullptr, this)), m_session(m_owner.get()) {
    if (!m_session) throw HostError("cannot create an ssh session");
    libssh2_session_callback_set(m_session, LIBSSH2_CALLBACK_RECV, reinterpret_cast<void*>(&Link::receive));
    libssh2_session_set_blocking(m_session, 0);
    prefer(LIBSSH2_METHOD_KEX, k_kex_preference);
    prefer(LIBSSH2_METHOD_HOSTKEY, k_hostkey_preference);
    Deadline handshake(deadline);
    handshake.rename("ssh handshake");
    int rc = call([&] { return libssh2_session_handshake(m_session, m_fd.get()); }, handshake);
    if (rc != 0) throw HostError("ssh handshake failed: " + last_error());
    const char* kex = libssh2_session_methods(m_session, LIBSSH2_METHOD_KEX);
    const char* host_key = libssh2_session_methods(m_session, LIBSSH2_METHOD_HOSTKEY);
    debug(endpoint.name + ": key exchange " + (kex ? kex : "?") + ", host key " + (host_key ? host_key : "?"));
    check_host_key(m_session, m_endpoint, shared);
    Deadline authentication(deadline);
    authentication.rename("authentication");
    authenticate(shared, authentication);
    // libssh2 counts keepalive intervals in whole seconds and takes 1 for 2:
    // the limit leaves one second more for the last keepalive's answer.
    const int interval = std::max(2, shared.config.ssh_timeout / 3);
    m_silence_limit = std::chrono::seconds(std::max(shared.config.ssh_timeout, interval + 1));
    libssh2_keepalive_config(m_session, 1, static_cast<unsigned>(interval));
    heard();
}

void Link::wait(const Deadline& deadline) {
    int directions = libssh2_session_block_directions(m_session);
    short events = 0;
    if (directions & LIBSSH2_SESSION_BLOCK_INBOUND) events |= POLLIN;
    if (directions & LIBSSH2_SESSION_BLOCK_OUTBOUND) events |= POLLOUT;
    int timeout = deadline.remaining_ms();
    if (m_silence_limit.count() > 0) {
        int next_keepalive = 0;
        libssh2_keepalive_send(m_session, &next_keepalive);
        if (next_keepalive > 0) timeout = std::min(timeout, next_keepalive * 1000);
        auto silent = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - m_last_heard);
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_silence_limit) - silent;
        if (left.count() <= 0)
            throw HostError("no answer for " + std::to_string(m_silence_limit.count()) + " s (ssh_timeout)");
        timeout = std::min<long long>(timeout, left.count());
    }
    // No direction: libssh2 holds buffered data; look again soon.
    if (events == 0) timeout = std::min(timeout, 10);
    pollfd waiting{m_fd.get(), events ? events : short(POLLIN), 0};
    int ready;
    while ((ready = ::poll(&waiting, 1, timeout)) < 0 && errno == EINTR) {}
    if (ready == 0 && events != 0) deadline.remaining_ms();  // throws once the time is up
}

// As libssh2's own reader (-errno on failure), and a byte is a sign of life.
ssize_t Link::receive(libssh2_socket_t socket, void* buffer, size_t length, int flags, void** abstract) {
    ssize_t n = ::recv(socket, buffer, length, flags);
    if (n < 0) return -errno;
    if (n > 0) static_cast<Link*>(*abstract)->heard();
    return n;
}

// Passes libssh2 only the names it supports: libssh2 1.10 copies
// overlapping memory when it drops one itself.
void Link::prefer(int method, const char* wanted) {
    const char** supported = nullptr;
    int count = libssh2_session_supported_algs(m_session, method, &supported);
    if (count <= 0) return;
    std::string list;
    std::stringstream names(wanted);
    std::string name;
    while (std::getline(names, name, ','))
        if (std::find(supported, supported + count, name) != supported + count)
            list += (list.empty() ? "" : ",") + name;
    libssh2_free(m_session, supported);
    if (!list.empty()) libssh2_session_method_pref(m_session, method, list.c_str());
}

// Blocking with a short timeout: closing must not hang on a dead peer.
void Link::SessionCloser::operator()(LIBSSH2_SESSION* session) const {
    libssh2_session_set_blocking(session, 1);
    libssh2_session_set_timeout(session, std::chrono::milliseconds(k_teardown_time).count());
    libssh2_session_disconnect(session, "bye");
    libssh2_session_free(session);
}

}  // namespace clusterp::ssh
