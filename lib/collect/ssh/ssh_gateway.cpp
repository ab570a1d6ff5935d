#include "collect/ssh/ssh_gateway.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/diag.hpp"

namespace clusterp::ssh {
namespace {

// Bytes a gateway tunnel holds in each direction before it stops reading.
constexpr std::size_t k_tunnel_buffer = 1 << 20;

}  // namespace

Gateway::Gateway(const Endpoint& endpoint, Shared& shared) : m_name(endpoint.name) {
    const std::chrono::seconds timeout(shared.config.ssh_timeout);
    try {
        Deadline deadline(timeout, "connecting");
        m_link = std::make_unique<Link>(tcp_connect(endpoint.host, endpoint.port, deadline), endpoint, shared,
                                        deadline);
    } catch (const HostError& e) {
        throw HostError("gateway " + m_name + ": " + e.what());
    }
    if (::pipe2(m_wake, O_CLOEXEC | O_NONBLOCK) != 0) throw HostError("cannot create a pipe: " + errno_text(errno));
    m_pump = std::thread([this] { pump(); });
}

Gateway::~Gateway() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    wake();
    m_pump.join();
    for (auto& tunnel : m_tunnels) {
        libssh2_channel_free(tunnel.channel);
        ::close(tunnel.fd);
    }
    for (auto* channel : m_closing) libssh2_channel_free(channel);
    ::close(m_wake[0]);
    ::close(m_wake[1]);
}

int Gateway::open(const std::string& host, int port, const Deadline& deadline) {
    auto request = std::make_shared<OpenRequest>();
    request->host = host;
    request->port = port;
    std::unique_lock<std::mutex> lock(m_mutex);
    m_opens.push_back(request);
    wake();
    while (!request->done) {
        int left;
        try {
            left = deadline.remaining_ms();
        } catch (const HostError&) {
            request->abandoned = true;
            throw;
        }
        m_opened.wait_for(lock, std::chrono::milliseconds(left));
    }
    if (!request->error.empty()) throw HostError(request->error);
    return request->fd;
}

void Gateway::finish(OpenRequest& request) {
    request.done = true;
    m_opened.notify_all();
}

void Gateway::open_channels() {
    while (!m_opens.empty()) {
        OpenRequest& request = *m_opens.front();
        if (!m_failure.empty()) {
            request.error = "gateway " + m_name + ": " + m_failure;
            finish(request);
            m_opens.pop_front();
            continue;
        }
        LIBSSH2_CHANNEL* channel = libssh2_channel_direct_tcpip_ex(m_link->session(), request.host.c_str(),
                                                                    request.port, "127.0.0.1", 22);
        if (!channel && libssh2_session_last_errno(m_link->session()) == LIBSSH2_ERROR_EAGAIN) return;
        int pair[2];
        if (!channel) {
            request.error = "gateway " + m_name + " cannot reach " + request.host + ":" +
                            std::to_string(request.port) + ": " + m_link->last_error();
        } else if (request.abandoned) {
            m_closing.push_back(channel);
        } else if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
            request.error = "cannot create a socket pair: " + errno_text(errno);
            m_closing.push_back(channel);
        } else {
            set_nonblocking(pair[0]);
            set_nonblocking(pair[1]);
            Tunnel tunnel;
            tunnel.channel = channel;
            tunnel.fd = pair[1];
            m_tunnels.push_back(std::move(tunnel));
            request.fd = pair[0];
        }
        finish(request);
        m_opens.pop_front();
    }
}

void Gateway::wake() {
    char byte = 0;
    [[maybe_unused]] ssize_t ignored = ::write(m_wake[1], &byte, 1);
}

bool Gateway::move_bytes(Tunnel& tunnel) {
    bool moved = false;
    char buffer[32768];
    while (!tunnel.channel_eof && tunnel.to_node.size() < k_tunnel_buffer) {
        ssize_t n = libssh2_channel_read(tunnel.channel, buffer, sizeof buffer);
        if (n > 0) {
            tunnel.to_node.append(buffer, static_cast<std::size_t>(n));
            moved = true;
        } else if (n == LIBSSH2_ERROR_EAGAIN) {
            break;
        } else {
            tunnel.channel_eof = n < 0 || libssh2_channel_eof(tunnel.channel);
            if (n == 0 && !tunnel.channel_eof) break;
        }
    }
    if (!tunnel.to_node.empty()) {
        ssize_t n = ::send(tunnel.fd, tunnel.to_node.data(), tunnel.to_node.size(), MSG_NOSIGNAL);
        if (n > 0) {
            tunnel.to_node.erase(0, static_cast<std::size_t>(n));
            moved = true;
        } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            tunnel.node_closed = true;
        }
    }
    if (tunnel.channel_eof && tunnel.to_node.empty() && !tunnel.node_shut) {
        ::shutdown(tunnel.fd, SHUT_WR);
        tunnel.node_shut = true;
    }
    while (!tunnel.node_closed && tunnel.to_channel.size() < k_tunnel_buffer) {
        ssize_t n = ::recv(tunnel.fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            tunnel.to_channel.append(buffer, static_cast<std::size_t>(n));
            moved = true;
        } else {
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) tunnel.node_closed = true;
            break;
        }
    }
    while (!tunnel.to_channel.empty() && !tunnel.channel_eof) {
        ssize_t n = libssh2_channel_write(tunnel.channel, tunnel.to_channel.data(), tunnel.to_channel.size());
        if (n > 0) {
            tunnel.to_channel.erase(0, static_cast<std::size_t>(n));
            moved = true;
        } else {
            // EAGAIN, or BAD_USE while another channel's packet is half
            // sent: retried on the next round.
            if (n != LIBSSH2_ERROR_EAGAIN && n != LIBSSH2_ERROR_BAD_USE) tunnel.channel_eof = true;
            break;
        }
    }
    return moved;
}

void Gateway::pump() {
    std::unique_lock<std::mutex> lock(m_mutex);
    std::vector<pollfd> waiting;
    while (!m_stopping) {
        open_channels();
        bool moved = true;
        for (int round = 0; moved && round < 64; ++round) {
            moved = false;
            for (auto& tunnel : m_tunnels) moved |= move_bytes(tunnel);
        }
        // A tunnel ends when the node's session has closed its socket
        // (after its last words reached the channel).
        for (auto it = m_tunnels.begin(); it != m_tunnels.end();) {
            if (it->node_closed && (it->to_channel.empty() || it->channel_eof)) {
                m_closing.push_back(it->channel);
                ::close(it->fd);
                it = m_tunnels.erase(it);
            } else {
                ++it;
            }
        }
        // Non-blocking, a channel is freed over several rounds.
        m_closing.erase(std::remove_if(m_closing.begin(), m_closing.end(),
                                       [](LIBSSH2_CHANNEL* channel) {
                                           return libssh2_channel_free(channel) != LIBSSH2_ERROR_EAGAIN;
                                       }),
                        m_closing.end());
        if (m_failure.empty() && libssh2_session_last_errno(m_link->session()) == LIBSSH2_ERROR_SOCKET_DISCONNECT) {
            m_failure = "connection lost";
            for (auto& tunnel : m_tunnels) ::shutdown(tunnel.fd, SHUT_RDWR);
        }
        waiting.clear();
        int directions = libssh2_session_block_directions(m_link->session());
        short gateway_events = POLLIN;
        if (directions & LIBSSH2_SESSION_BLOCK_OUTBOUND) gateway_events |= POLLOUT;
        // Wait for the gateway's data only when a channel will take it
        // (otherwise poll would return at once, again and again); an
        // open() in progress reads for itself.
        bool reading = !m_closing.empty() || !m_opens.empty() ||
                       std::any_of(m_tunnels.begin(), m_tunnels.end(), [](const Tunnel& tunnel) {
                           return !tunnel.channel_eof && tunnel.to_node.size() < k_tunnel_buffer;
                       });
        if (!reading) gateway_events &= ~POLLIN;
        waiting.push_back({m_link->fd(), gateway_events, 0});
        waiting.push_back({m_wake[0], POLLIN, 0});
        for (const auto& tunnel : m_tunnels) {
            short events = 0;
            if (!tunnel.node_closed && tunnel.to_channel.size() < k_tunnel_buffer) events |= POLLIN;
            if (!tunnel.to_node.empty()) events |= POLLOUT;
            waiting.push_back({tunnel.fd, events, 0});
        }
        lock.unlock();
        ::poll(waiting.data(), waiting.size(), 50);
        char drain[64];
        while (::read(m_wake[0], drain, sizeof drain) > 0) {}
        lock.lock();
    }
}

}  // namespace clusterp::ssh
