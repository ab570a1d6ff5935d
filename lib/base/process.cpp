#include "base/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "base/diag.hpp"
#include "base/fd.hpp"
#include "base/thread_pool.hpp"

extern char** environ;

namespace clusterp {

namespace {

std::vector<char*> argv_of(const std::vector<std::string>& argv) {
    std::vector<char*> pointers;
    for (const auto& arg : argv) pointers.push_back(const_cast<char*>(arg.c_str()));
    pointers.push_back(nullptr);
    return pointers;
}

void add_redirect(posix_spawn_file_actions_t& actions, const Redirect& redirect, int target) {
    if (redirect.kind == Redirect::Kind::null)
        posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0);
    else if (redirect.kind == Redirect::Kind::fd)
        posix_spawn_file_actions_adddup2(&actions, redirect.fd, target);
}

}  // namespace

std::optional<std::string> find_in_directory(const std::string& directory, const std::string& program) {
    if (directory.empty()) return std::nullopt;
    std::string path = directory + "/" + program;
    struct stat st;
    if (::access(path.c_str(), X_OK) == 0 && ::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) return path;
    return std::nullopt;
}

std::optional<std::string> find_in_directories(const char* list, const std::string& program) {
    if (!list) return std::nullopt;
    const std::string dirs = list;
    std::size_t start = 0;
    while (start <= dirs.size()) {
        std::size_t colon = dirs.find(':', start);
        if (colon == std::string::npos) colon = dirs.size();
        if (auto found = find_in_directory(dirs.substr(start, colon - start), program)) return found;
        start = colon + 1;
    }
    return std::nullopt;
}

std::optional<std::string> find_in_path(const std::string& program) {
    return find_in_directories(std::getenv("PATH"), program);
}

Spawned spawn(const std::string& path, const std::vector<std::string>& argv, const SpawnOptions& options) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    add_redirect(actions, options.in, 0);
    add_redirect(actions, options.out, 1);
    add_redirect(actions, options.err, 2);
    if (options.close_other_fds) posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    if (options.new_process_group) {
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attr, 0);
    }
    auto pointers = argv_of(argv);
    Spawned spawned;
    spawned.error = posix_spawn(&spawned.pid, path.c_str(), &actions, &attr, pointers.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (spawned.error != 0) spawned.pid = -1;
    return spawned;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw Error(k_exit_software, "waitpid: " + errno_text(errno));
    return status;
}

int exit_code(int status) {
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

int run(const std::string& path, const std::vector<std::string>& argv) {
    Spawned child = spawn(path, argv);
    if (child.pid < 0) return 127;
    return exit_code(wait_for(child.pid));
}

bool Captured::ok() const { return error == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0; }

namespace {

// SIGPIPE blocked in the calling thread for as long as it lives, so that a
// write to a child that stopped reading fails with EPIPE; the signal that
// write left pending is taken away before the old mask comes back.
class SigpipeBlocked {
public:
    SigpipeBlocked() {
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe, &m_old);
    }
    ~SigpipeBlocked() {
        sigset_t pipe, pending;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        if (!sigismember(&m_old, SIGPIPE) && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
            const timespec now{0, 0};
            while (sigtimedwait(&pipe, nullptr, &now) < 0 && errno == EINTR) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    SigpipeBlocked(const SigpipeBlocked&) = delete;
    SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

private:
    sigset_t m_old;
};

// Reads what FROM holds now into TEXT; closes FROM at its end or on error.
void take(Fd& from, std::string& text) {
    char buffer[65536];
    const ssize_t n = ::read(from.get(), buffer, sizeof buffer);
    if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
    else if (n == 0 || (errno != EINTR && errno != EAGAIN)) from.reset();
}

}  // namespace

Captured pipe_command(const std::string& path, const std::vector<std::string>& argv, const PipeStreams& streams,
                      const SpawnOptions& options) {
    Captured captured;
    std::optional<Pipe> in, out, err;
    SpawnOptions spawn_options = options;
    auto connect = [&](bool wanted, std::optional<Pipe>& pipe, Redirect& redirect, bool child_reads) {
        if (!wanted) return true;
        pipe = make_pipe();
        if (!pipe) return false;
        redirect = Redirect::to(child_reads ? pipe->read.get() : pipe->write.get());
        return true;
    };
    if (!connect(streams.input != nullptr, in, spawn_options.in, true) ||
        !connect(streams.out, out, spawn_options.out, false) || !connect(streams.err, err, spawn_options.err, false)) {
        captured.error = errno;
        return captured;
    }
    const Spawned child = spawn(path, argv, spawn_options);
    // The child's ends: its copies are its own; ours would hide its end of file.
    if (in) in->read.reset();
    if (out) out->write.reset();
    if (err) err->write.reset();
    if (child.pid < 0) {
        captured.error = child.error;
        return captured;
    }

    SigpipeBlocked blocked;
    Fd to, from_out, from_err;
    std::size_t written = 0;
    if (in) {
        to = std::move(in->write);
        ::fcntl(to.get(), F_SETFL, ::fcntl(to.get(), F_GETFL) | O_NONBLOCK);
        if (streams.input->empty()) to.reset();
    }
    if (out) from_out = std::move(out->read);
    if (err) from_err = std::move(err->read);
    while (to || from_out || from_err) {
        pollfd fds[3];
        nfds_t count = 0;
        if (to) fds[count++] = {to.get(), POLLOUT, 0};
        if (from_out) fds[count++] = {from_out.get(), POLLIN, 0};
        if (from_err) fds[count++] = {from_err.get(), POLLIN, 0};
        if (::poll(fds, count, -1) < 0) continue;  // EINTR
        for (nfds_t i = 0; i < count; ++i) {
            if (!fds[i].revents) continue;
            if (to && fds[i].fd == to.get()) {
                const ssize_t n = ::write(to.get(), streams.input->data() + written, streams.input->size() - written);
                if (n > 0) written += static_cast<std::size_t>(n);
                // EPIPE: the child stopped reading; its status says why.
                if ((n < 0 && errno != EINTR && errno != EAGAIN) || written == streams.input->size()) to.reset();
            } else if (from_out && fds[i].fd == from_out.get()) {
                take(from_out, captured.out);
            } else if (from_err && fds[i].fd == from_err.get()) {
                take(from_err, captured.err);
            }
        }
    }
    captured.status = wait_for(child.pid);
    return captured;
}

Captured capture(const std::string& path, const std::vector<std::string>& argv) {
    SpawnOptions options;
    options.in = Redirect::null();
    return pipe_command(path, argv, {}, options);
}

void run_parallel(std::size_t count, int width, const std::function<Command(std::size_t)>& command,
                  const std::function<void(std::size_t, Captured&)>& finished) {
    parallel_for(count, width, [&](std::size_t i) {
        const Command what = command(i);
        Captured captured = pipe_command(what.path, what.argv, what.streams, what.options);
        finished(i, captured);
    });
}

void exec_replace(const std::string& path, const std::vector<std::string>& argv) {
    auto pointers = argv_of(argv);
    ::execv(path.c_str(), pointers.data());
}

}  // namespace clusterp
