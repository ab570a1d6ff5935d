#include "collect/child_exchange.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "base/diag.hpp"
#include "base/fd.hpp"
#include "base/process.hpp"

namespace clusterp {

namespace {

Pipe new_pipe() {
    auto pipe = make_pipe();
    if (!pipe) throw HostError("cannot make a pipe: " + errno_text(errno));
    return std::move(*pipe);
}

class ChildExchange : public Exchange {
public:
    ChildExchange(const std::string& path, const std::vector<std::string>& argv, std::chrono::seconds bound,
                  bool merge_err)
        : m_bound(bound), m_deadline(std::chrono::steady_clock::now() + bound) {
        // stdin is a socket so that writing to a command that has ended
        // fails with EPIPE instead of raising SIGPIPE.
        int in[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0)
            throw HostError("cannot make a socket pair: " + errno_text(errno));
        Fd child_in(in[0]);
        m_in = Fd(in[1]);
        Pipe out = new_pipe(), err = new_pipe();
        SpawnOptions options;
        options.in = Redirect::to(child_in.get());
        options.out = Redirect::to(out.write.get());
        options.err = Redirect::to(merge_err ? out.write.get() : err.write.get());
        // Nothing of ours leaks into the node's processes: a collector
        // holding one of our descriptors would keep a caller's pipe open.
        options.close_other_fds = true;
        options.new_process_group = true;
        Spawned child = spawn(path, argv, options);
        if (child.pid < 0) throw HostError("cannot run " + path + ": " + errno_text(child.error));
        m_pid = child.pid;
        m_out = std::move(out.read);
        if (!merge_err) m_err = std::move(err.read);
    }

    ~ChildExchange() override {
        if (m_pid > 0) {
            ::kill(-m_pid, SIGKILL);
            wait_for(m_pid);
        }
    }

    void write(const std::string& data) override {
        for (std::size_t done = 0; done < data.size();) {
            ssize_t n = ::send(m_in.get(), data.data() + done, data.size() - done, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw HostError("cannot write to the command: " + errno_text(errno));
            done += static_cast<std::size_t>(n);
        }
    }

    void close_input() override { m_in.reset(); }

    void release() override {
        m_in.reset();
        m_out.reset();
        m_err.reset();
        m_pid = -1;
    }

    std::size_t read(std::string& out, std::size_t max) override {
        while (m_out) {
            pollfd fds[2] = {{m_out.get(), POLLIN, 0}, {m_err.get(), POLLIN, 0}};
            int ready = ::poll(fds, m_err ? 2 : 1, remaining_ms());
            if (ready <= 0) continue;  // EINTR, or the bound (remaining_ms throws)
            if (m_err && fds[1].revents) pump_err();
            if (!fds[0].revents) continue;
            char buffer[65536];
            ssize_t n = ::read(m_out.get(), buffer, std::min(max, sizeof buffer));
            if (n < 0 && errno == EINTR) continue;
            if (n > 0) {
                out.append(buffer, static_cast<std::size_t>(n));
                return static_cast<std::size_t>(n);
            }
            m_out.reset();
        }
        return 0;
    }

    CommandResult finish() override {
        while (m_err) {
            pollfd waiting{m_err.get(), POLLIN, 0};
            if (::poll(&waiting, 1, remaining_ms()) > 0) pump_err();
        }
        CommandResult result;
        result.exit_status = exit_code(wait_for(std::exchange(m_pid, -1)));
        result.err = std::move(m_err_text);
        return result;
    }

private:
    // Milliseconds left; past the bound, kills the command and throws.
    int remaining_ms() {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_deadline - std::chrono::steady_clock::now());
        if (left.count() > 0) return static_cast<int>(std::min<long long>(left.count(), 1 << 30));
        ::kill(-m_pid, SIGKILL);
        wait_for(std::exchange(m_pid, -1));
        throw HostError("timed out after " + std::to_string(m_bound.count()) + " s");
    }

    void pump_err() {
        char buffer[8192];
        ssize_t n = ::read(m_err.get(), buffer, sizeof buffer);
        if (n > 0) m_err_text.append(buffer, static_cast<std::size_t>(n));
        else if (n == 0 || errno != EINTR) m_err.reset();
    }

    std::chrono::seconds m_bound;
    std::chrono::steady_clock::time_point m_deadline;
    pid_t m_pid = -1;
    Fd m_in, m_out, m_err;
    std::string m_err_text;
};

}  // namespace

std::unique_ptr<Exchange> start_child(const std::string& path, const std::vector<std::string>& argv,
                                      std::chrono::seconds bound, bool merge_err) {
    return std::make_unique<ChildExchange>(path, argv, bound, merge_err);
}

}  // namespace clusterp
