#include "collect/local_transport.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
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

class LocalSession : public Session {
public:
    CommandResult run(const std::string& command, std::chrono::seconds timeout) override {
        Pipe out = new_pipe(), err = new_pipe();
        SpawnOptions options;
        options.in = Redirect::null();
        options.out = Redirect::to(out.write.get());
        options.err = Redirect::to(err.write.get());
        // Nothing of ours leaks into the node's processes: a collector
        // holding one of our descriptors would keep a caller's pipe open.
        options.close_other_fds = true;
        options.new_process_group = true;
        Spawned child = spawn("/bin/sh", {"sh", "-c", command}, options);
        if (child.pid < 0) throw HostError("cannot run /bin/sh: " + errno_text(child.error));
        const pid_t pid = child.pid;
        out.write.reset();
        err.write.reset();

        CommandResult result;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        pollfd fds[2] = {{out.read.get(), POLLIN, 0}, {err.read.get(), POLLIN, 0}};
        std::string* sinks[2] = {&result.out, &result.err};
        int open_streams = 2;
        bool timed_out = false;
        while (open_streams > 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                timed_out = true;
                break;
            }
            int ready = ::poll(fds, 2, static_cast<int>(left.count()));
            if (ready < 0 && errno == EINTR) continue;
            if (ready < 0) break;
            for (int i = 0; i < 2; ++i) {
                if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                char buffer[8192];
                ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
                if (n > 0) {
                    sinks[i]->append(buffer, static_cast<std::size_t>(n));
                } else if (n == 0 || errno != EINTR) {
                    fds[i].fd = -1;
                    --open_streams;
                }
            }
        }
        if (timed_out) ::kill(-pid, SIGKILL);
        int status = wait_for(pid);
        if (timed_out) throw HostError("timed out after " + std::to_string(timeout.count()) + " s");
        result.exit_status = exit_code(status);
        return result;
    }

    std::uint64_t download(const std::string& remote_path, const std::string& local_path) override {
        std::ifstream in(remote_path, std::ios::binary);
        if (!in) throw HostError("cannot open " + clusterp::quoted(remote_path) + ": " + errno_text(errno));
        std::ofstream out(local_path, std::ios::binary | std::ios::trunc);
        if (!out) throw HostError("cannot create " + clusterp::quoted(local_path) + ": " + errno_text(errno));
        std::uint64_t bytes = 0;
        char buffer[65536];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            out.write(buffer, in.gcount());
            bytes += static_cast<std::uint64_t>(in.gcount());
        }
        out.flush();
        if (!out || in.bad()) throw HostError("cannot copy " + clusterp::quoted(remote_path));
        return bytes;
    }
};

class LocalConnector : public Connector {
public:
    std::unique_ptr<Session> connect(const std::string&) override { return std::make_unique<LocalSession>(); }
};

}  // namespace

std::unique_ptr<Connector> make_local_connector() { return std::make_unique<LocalConnector>(); }

}  // namespace clusterp
