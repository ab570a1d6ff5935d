// A gateway (ssh_gateway, or a ProxyJump host): one shared session to it,
// through which the nodes' own sessions run in direct-tcpip channels.
#pragma once

#include <condition_variable>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "collect/ssh/ssh_link.hpp"

namespace clusterp::ssh {

// One direct-tcpip channel of a gateway and the socket pair that carries it
// to the node's own session.
struct Tunnel {
    LIBSSH2_CHANNEL* channel = nullptr;
    int fd = -1;                // the pump's end
    std::string to_node;        // read from the channel, not yet written to fd
    std::string to_channel;     // read from fd, not yet written to the channel
    bool node_closed = false;   // fd said EOF: the node's session is gone
    bool channel_eof = false;
    bool node_shut = false;     // EOF passed on to the node
};

// A shared session to a gateway and the one thread that moves bytes between
// its channels and the nodes' sockets: a libssh2 session is not
// thread-safe, so only that thread and open() (under m_mutex) touch it.
class Gateway {
public:
    Gateway(const Endpoint& endpoint, Shared& shared);
    Gateway(const Gateway&) = delete;
    Gateway& operator=(const Gateway&) = delete;
    ~Gateway();

    // A socket that reaches host:port from the gateway.  The pump thread
    // opens the channel: it alone touches the gateway's session.
    int open(const std::string& host, int port, const Deadline& deadline);

private:
    struct OpenRequest {
        std::string host;
        int port = 22;
        bool done = false;
        bool abandoned = false;  // its open() timed out
        int fd = -1;
        std::string error;
    };

    void finish(OpenRequest& request);

    // Opens the requested channels, first come first served: libssh2 keeps
    // the state of one pending open in the session, so a request, even an
    // abandoned one, is carried through before the next begins.
    void open_channels();

    void wake();

    // Moves what can be moved without waiting; true when anything moved.
    bool move_bytes(Tunnel& tunnel);

    void pump();

    std::string m_name;
    std::unique_ptr<Link> m_link;
    std::mutex m_mutex;  // guards what follows, shared with open()
    std::condition_variable m_opened;
    std::deque<std::shared_ptr<OpenRequest>> m_opens;
    std::list<Tunnel> m_tunnels;
    std::vector<LIBSSH2_CHANNEL*> m_closing;
    std::string m_failure;
    bool m_stopping = false;
    int m_wake[2] = {-1, -1};
    std::thread m_pump;
};

}  // namespace clusterp::ssh
