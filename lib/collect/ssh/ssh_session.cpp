#include "collect/ssh/ssh_session.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/diag.hpp"

namespace clusterp::ssh {
namespace {

// The conventional shell meaning of a death by signal.
int signal_status(const std::string& name) {
    static const std::map<std::string, int> numbers = {
        {"HUP", 1},  {"INT", 2},   {"QUIT", 3},  {"ILL", 4},   {"ABRT", 6},  {"FPE", 8},   {"KILL", 9},
        {"USR1", 10}, {"SEGV", 11}, {"USR2", 12}, {"PIPE", 13}, {"ALRM", 14}, {"TERM", 15}, {"BUS", 7}};
    auto found = numbers.find(name);
    return 128 + (found == numbers.end() ? 0 : found->second);
}

// Frees a channel on every path out of an exchange; after a timeout the
// channel may be in any state, so freeing is bounded and best effort.
struct ChannelGuard {
    Link& link;
    LIBSSH2_CHANNEL* channel;
    void free() {
        if (!channel) return;
        Deadline closing(k_teardown_time, "closing a channel");
        try {
            link.call([&] { return libssh2_channel_free(channel); }, closing);
        } catch (const HostError&) {
        }
        channel = nullptr;
    }
    ~ChannelGuard() {
        if (channel) {
            libssh2_channel_close(channel);
            free();
        }
    }
};

class SshExchange : public Exchange {
public:
    SshExchange(Link& link, const std::string& command, std::chrono::seconds bound)
        : m_link(link), m_bound(bound, "command"), m_guard{link, nullptr} {
        LIBSSH2_SESSION* session = m_link.session();
        m_link.heard();
        m_guard.channel = m_link.call_pointer([&] { return libssh2_channel_open_session(session); }, m_bound);
        if (!m_guard.channel) throw HostError("cannot open a channel: " + m_link.last_error());
        int rc = m_link.call(
            [&] {
                return libssh2_channel_process_startup(m_guard.channel, "exec", 4, command.c_str(),
                                                       static_cast<unsigned>(command.size()));
            },
            m_bound);
        if (rc != 0) throw HostError("cannot run a command: " + m_link.last_error());
    }

    void write(const std::string& data) override {
        m_link.heard();
        for (std::size_t done = 0; done < data.size();) {
            ssize_t n = libssh2_channel_write(m_guard.channel, data.data() + done, data.size() - done);
            if (n > 0) {
                done += static_cast<std::size_t>(n);
                continue;
            }
            if (n != LIBSSH2_ERROR_EAGAIN) throw lost();
            // A command that writes while we write would stop once its
            // window is full: keep its output for read().
            if (!drain(m_pending, SIZE_MAX)) m_link.wait(m_bound);
        }
    }

    void close_input() override {
        int rc = m_link.call([&] { return libssh2_channel_send_eof(m_guard.channel); }, m_bound);
        if (rc != 0) throw lost();
    }

    std::size_t read(std::string& out, std::size_t max) override {
        if (!m_pending.empty()) {
            std::size_t n = std::min(max, m_pending.size());
            out.append(m_pending, 0, n);
            m_pending.erase(0, n);
            return n;
        }
        m_link.heard();
        // After EOF is seen, one more pass reads what arrived with it.
        for (;;) {
            std::size_t before = out.size();
            drain(out, max);
            if (out.size() > before) return out.size() - before;
            if (m_eof) return 0;
            m_eof = libssh2_channel_eof(m_guard.channel) != 0;
            if (!m_eof) m_link.wait(m_bound);
        }
    }

    CommandResult finish() override {
        LIBSSH2_CHANNEL* channel = m_guard.channel;
        m_link.call([&] { return libssh2_channel_close(channel); }, m_bound);
        m_link.call([&] { return libssh2_channel_wait_closed(channel); }, m_bound);
        CommandResult result;
        char* signal = nullptr;
        std::size_t signal_length = 0;
        libssh2_channel_get_exit_signal(channel, &signal, &signal_length, nullptr, nullptr, nullptr, nullptr);
        if (signal) {
            result.exit_status = signal_status(std::string(signal, signal_length));
            libssh2_free(m_link.session(), signal);
        } else {
            result.exit_status = libssh2_channel_get_exit_status(channel);
        }
        result.err = std::move(m_err);
        m_guard.free();
        return result;
    }

private:
    HostError lost() const { return HostError("connection lost during a command: " + m_link.last_error()); }

    // Reads what libssh2 holds without waiting: stdout into OUT (up to MAX
    // bytes), all of stderr.  True when anything came.
    bool drain(std::string& out, std::size_t max) {
        bool any = false;
        char buffer[32768];
        for (int stream : {0, SSH_EXTENDED_DATA_STDERR}) {
            std::string& sink = stream == 0 ? out : m_err;
            std::size_t room = stream == 0 ? max : sizeof buffer;
            while (room > 0) {
                ssize_t n = libssh2_channel_read_ex(m_guard.channel, stream, buffer, std::min(room, sizeof buffer));
                if (n == LIBSSH2_ERROR_EAGAIN || n == 0) break;
                if (n < 0) throw lost();
                sink.append(buffer, static_cast<std::size_t>(n));
                if (stream == 0) room -= static_cast<std::size_t>(n);
                any = true;
            }
        }
        return any;
    }

    Link& m_link;
    Deadline m_bound;
    ChannelGuard m_guard;
    std::string m_pending;  // stdout read while writing
    std::string m_err;
    bool m_eof = false;
};

class SshSession : public Session {
public:
    SshSession(std::unique_ptr<Link> link, std::shared_ptr<Gateway> gateway)
        : m_gateway(std::move(gateway)), m_link(std::move(link)) {}

    std::unique_ptr<Exchange> start(const std::string& command, std::chrono::seconds bound) override {
        return std::make_unique<SshExchange>(*m_link, command, bound);
    }

private:
    // Declared first so that it outlives the link that runs inside it.
    std::shared_ptr<Gateway> m_gateway;
    std::unique_ptr<Link> m_link;
};

}  // namespace

std::unique_ptr<Session> make_session(std::unique_ptr<Link> link, std::shared_ptr<Gateway> gateway) {
    return std::make_unique<SshSession>(std::move(link), std::move(gateway));
}

}  // namespace clusterp::ssh
