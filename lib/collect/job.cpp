#include "collect/job.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/diag.hpp"
#include "base/fd.hpp"
#include "base/process.hpp"
#include "collect/signals.hpp"

namespace clusterp {

namespace {

constexpr int k_signals[] = {SIGINT, SIGTERM, SIGHUP};

// Blocks the run's signals and SIGPIPE in the calling thread: they go to
// the main thread, and a broken output pipe shows as EPIPE.
void block_signals_in_this_thread() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : k_signals) sigaddset(&set, sig);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

// The terminal clusterp is the foreground of (one of fds 0, 2, 1), or -1.
int foreground_terminal() {
    for (int fd : {0, 2, 1})
        if (::isatty(fd) && ::tcgetpgrp(fd) == ::getpgrp()) return fd;
    return -1;
}

// Makes GROUP the foreground of TERMINAL; from a background group that
// takes SIGTTOU blocked.
void give_terminal(int terminal, pid_t group) {
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGTTOU);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    ::tcsetpgrp(terminal, group);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

}  // namespace

// The job's standard output and error, passed on and scanned by one thread.
struct Job::Relay {
    struct Stream {
        Fd from;    // the read end of the job's pipe
        int to;     // 1 or 2
        std::string line;  // the line read so far (its head, when long)
    };
    std::vector<Stream> streams;
    Fd stop_read, stop_write;
    std::thread thread;

    void scan(Stream& stream, const char* data, std::size_t size, const MarkerSink& sink) {
        for (std::size_t i = 0; i < size; ++i) {
            if (data[i] != '\n') {
                // A marker line is short; the head of a longer line is enough
                // to know that it is none.
                if (stream.line.size() < 512) stream.line += data[i];
                continue;
            }
            if (auto marker = marker_from_output_line(stream.line, marker_clock_ms())) sink(*marker);
            stream.line.clear();
        }
    }

    // Passes output until every stream ended or a 'q' on stop_read, then
    // what is left in the pipes without waiting.  An 's' asks for what is in
    // the pipes to be passed now (the job has ended: its last lines come
    // before its end marker).
    void pass(const MarkerSink& sink) {
        block_signals_in_this_thread();
        bool stopping = false, syncing = false;
        while (true) {
            std::vector<pollfd> fds;
            for (auto& stream : streams)
                if (stream.from) fds.push_back({stream.from.get(), POLLIN, 0});
            if (fds.empty()) break;
            fds.push_back({stop_read.get(), POLLIN, 0});
            int ready = ::poll(fds.data(), fds.size(), stopping || syncing ? 0 : -1);
            if (ready < 0 && errno == EINTR) continue;
            if (ready == 0 && stopping) break;
            if (ready == 0 && syncing) {
                syncing = false;
                report_synced();
                continue;
            }
            if (fds.back().revents) {
                char request = 0;
                if (::read(stop_read.get(), &request, 1) == 1) (request == 'q' ? stopping : syncing) = true;
            }
            for (auto& stream : streams) {
                if (!stream.from) continue;
                pollfd* polled = nullptr;
                for (auto& fd : fds)
                    if (fd.fd == stream.from.get()) polled = &fd;
                if (!polled || !polled->revents) continue;
                char buffer[65536];
                ssize_t n = ::read(stream.from.get(), buffer, sizeof buffer);
                if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
                if (n <= 0) {
                    stream.from.reset();
                    continue;
                }
                // Where the output went away (a reader that quit), the job
                // is told as it would have been: its next write gets SIGPIPE.
                if (!write_all(stream.to, buffer, static_cast<std::size_t>(n))) stream.from.reset();
                scan(stream, buffer, static_cast<std::size_t>(n), sink);
            }
        }
        std::lock_guard<std::mutex> lock(mutex);
        done = true;
        synced.notify_all();
    }

    void report_synced() {
        std::lock_guard<std::mutex> lock(mutex);
        ++syncs;
        synced.notify_all();
    }

    // Returns once what the pipes hold now has been passed on.
    void sync() {
        std::unique_lock<std::mutex> lock(mutex);
        const unsigned seen = syncs;
        char request = 's';
        if (::write(stop_write.get(), &request, 1) != 1) return;
        synced.wait(lock, [&] { return done || syncs != seen; });
    }

    std::mutex mutex;
    std::condition_variable synced;
    unsigned syncs = 0;
    bool done = false;
};

namespace {

// Whether PATH's first line (up to 80 bytes) holds no NUL: bash's test for a
// file it may run as a script when the kernel cannot execute it.
bool is_text_file(const std::string& path) {
    Fd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!file) return false;
    char head[80];
    const ssize_t got = ::read(file.get(), head, sizeof head);
    if (got < 0) return false;
    for (ssize_t i = 0; i < got && head[i] != '\n'; ++i)
        if (head[i] == '\0') return false;
    return true;
}

}  // namespace

Job::Job(MarkerSink sink) : m_sink(std::move(sink)) {}

Job::~Job() { finish_output(); }

int Job::run(const std::vector<std::string>& argv) {
    std::string path = argv[0];
    if (path.find('/') == std::string::npos) {
        auto found = find_in_path(path);
        if (!found) {
            print_error(path + ": command not found");
            return 127;
        }
        path = *found;
    }

    SpawnOptions options;
    options.new_process_group = true;
    // The job keeps the descriptors its caller gave clusterp (a make
    // jobserver's pipe, a file a wrapper opened for it), as a shell's does.
    options.close_other_fds = false;
    m_relay = std::make_unique<Relay>();
    std::vector<Fd> write_ends;
    for (int fd : {1, 2}) {
        if (::isatty(fd) || ::fcntl(fd, F_GETFD) < 0) continue;
        auto pipe = make_pipe();
        if (!pipe) throw Error(k_exit_software, "cannot make a pipe: " + errno_text(errno));
        (fd == 1 ? options.out : options.err) = Redirect::to(pipe->write.get());
        write_ends.push_back(std::move(pipe->write));
        m_relay->streams.push_back({std::move(pipe->read), fd, {}});
    }

    Spawned job = spawn(path, argv, options);
    if (job.pid < 0 && job.error == ENOEXEC && is_text_file(path)) {
        // A script without `#!`: the shell runs it, as bash and execvp(3) do.
        std::vector<std::string> shell{"/bin/sh", path};
        shell.insert(shell.end(), argv.begin() + 1, argv.end());
        job = spawn(shell[0], shell, options);
    }
    write_ends.clear();
    if (job.pid < 0) {
        print_error("cannot run " + clusterp::quoted(path) + ": " + errno_text(job.error));
        m_relay.reset();
        return job.error == ENOENT ? 127 : 126;
    }
    // A signal that came while the job was being started goes on now.
    Signals::send_to_group(job.pid);
    const int terminal = foreground_terminal();
    if (terminal >= 0) {
        give_terminal(terminal, job.pid);
        // The job may have touched the terminal before it was its own, and
        // been stopped for it (SIGTTIN, SIGTTOU): it goes on now.
        ::kill(-job.pid, SIGCONT);
    }

    if (!m_relay->streams.empty()) {
        auto stop = make_pipe();
        if (!stop) throw Error(k_exit_software, "cannot make a pipe: " + errno_text(errno));
        m_relay->stop_read = std::move(stop->read);
        m_relay->stop_write = std::move(stop->write);
        m_relay->thread = std::thread([relay = m_relay.get(), sink = m_sink] { relay->pass(sink); });
    }

    int status = 0;
    while (true) {
        pid_t ended = ::waitpid(job.pid, &status, terminal >= 0 ? WUNTRACED : 0);
        if (ended < 0 && errno == EINTR) continue;
        if (ended < 0) throw Error(k_exit_software, "cannot wait for the command: " + errno_text(errno));
        if (!WIFSTOPPED(status)) break;
        // ^Z: the job stopped, so clusterp stops too and gives the terminal
        // back to its shell; on `fg` the job gets it again and goes on.
        give_terminal(terminal, ::getpgrp());
        ::raise(SIGTSTP);
        give_terminal(terminal, job.pid);
        ::kill(-job.pid, SIGCONT);
    }
    Signals::send_to_group(0);
    if (terminal >= 0) give_terminal(terminal, ::getpgrp());
    if (m_relay->thread.joinable()) m_relay->sync();
    return exit_code(status);
}

void Job::finish_output() {
    if (!m_relay) return;
    if (m_relay->thread.joinable()) {
        char byte = 'q';
        ssize_t ignored = ::write(m_relay->stop_write.get(), &byte, 1);
        (void)ignored;
        m_relay->thread.join();
    }
    m_relay.reset();
}

}  // namespace clusterp
