// Other programs: the one place that searches for a program, starts a
// child, feeds and reads it, waits for it, runs several at once and
// replaces this process (git's run-command, ccache's util/process).  Every
// module that runs a program calls this; none calls fork, exec or
// posix_spawn itself, nor writes its own loop over a child's pipes or its
// own pool of children.
//
// Children are started with posix_spawn (no copy of a large parent), with
// the environment of this process.  A child gets its three standard
// descriptors and no other (close_other_fds): a file this process has open
// through a library that does not set O_CLOEXEC (std::ifstream, a
// socket) must not stay open in gnuplot, ssh or srun.  The job of
// `clusterp run` is the exception: it keeps what its caller gave clusterp.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace clusterp {

// DIRECTORY/PROGRAM when it is an executable file (not a directory), or
// nullopt; an empty DIRECTORY holds nothing.
std::optional<std::string> find_in_directory(const std::string& directory, const std::string& program);

// The first DIRECTORY/PROGRAM that is an executable file, DIRECTORY taken in
// order from the colon-separated LIST (empty entries skipped), or nullopt.
// A null LIST finds nothing.
std::optional<std::string> find_in_directories(const char* list, const std::string& program);

// PROGRAM found in $PATH, as find_in_directories finds it (unlike execvp,
// an empty entry is not the working directory).
std::optional<std::string> find_in_path(const std::string& program);

// What a child's standard descriptor is connected to.
struct Redirect {
    enum class Kind { inherit, null, fd };
    Kind kind = Kind::inherit;
    int fd = -1;

    static Redirect inherit() { return {}; }
    // /dev/null, opened for reading (stdin) or writing (stdout, stderr).
    static Redirect null() { return {Kind::null, -1}; }
    // A descriptor of this process, which keeps it (the child gets a copy).
    static Redirect to(int fd) { return {Kind::fd, fd}; }
};

struct SpawnOptions {
    Redirect in, out, err;
    // The child leads a new process group, so that kill(-pid, ...) reaches
    // everything it starts.
    bool new_process_group = false;
    // Descriptors 3 and up are closed in the child even without O_CLOEXEC.
    bool close_other_fds = true;
};

// A started child, or why none started.
struct Spawned {
    pid_t pid = -1;
    int error = 0;  // an errno value when pid < 0 (ENOENT: no such program)
};

// Starts PATH (used as given, not searched) with ARGV, argv[0] included.
Spawned spawn(const std::string& path, const std::vector<std::string>& argv, const SpawnOptions& options = {});

// Waits for child PID and returns its wait status (EINTR retried).  Throws
// Error (70) when there is no such child.
int wait_for(pid_t pid);

// A wait status as a shell reports it: the exit status, or 128+N for a
// child killed by signal N.
int exit_code(int status);

// Runs PATH with ARGV (argv[0] included), stdin/stdout/stderr inherited, and
// returns exit_code() of it; 127 when it cannot be started, as a shell says.
int run(const std::string& path, const std::vector<std::string>& argv);

// What a child did: how it ended and what it printed on the streams that
// were captured.
struct Captured {
    int error = 0;    // an errno value when it did not start (ENOENT: no such program)
    int status = -1;  // its wait status, when it started
    std::string out, err;

    // Started, and exited with status 0.
    bool ok() const;
};

// Which of a child's streams pipe_command connects to this process.
struct PipeStreams {
    // Written to the child's stdin, which is then closed; null: stdin is
    // SpawnOptions::in.
    const std::string* input = nullptr;
    bool out = true;  // stdout captured in Captured::out; false: SpawnOptions::out
    bool err = true;  // stderr captured in Captured::err; false: SpawnOptions::err
};

// git's pipe_command(): runs PATH with ARGV (argv[0] included), writing the
// input while it reads both outputs as they come, so that neither side
// waits on a full pipe whatever the sizes, and returns once the child has
// ended.  A child that stops reading its input early is no error here (its
// status says what it made of it), and raises no SIGPIPE in this process.
// Holds at most three descriptors while the child runs (six while it
// starts), all close-on-exec.
Captured pipe_command(const std::string& path, const std::vector<std::string>& argv,
                      const PipeStreams& streams = {}, const SpawnOptions& options = {});

// git's capture_command(): pipe_command with stdin /dev/null.
Captured capture(const std::string& path, const std::vector<std::string>& argv);

// One child of run_parallel.
struct Command {
    std::string path;
    std::vector<std::string> argv;  // argv[0] included
    PipeStreams streams;
    SpawnOptions options;
};

// git's run_processes_parallel(): COUNT children, at most WIDTH (at least 1)
// running at once, child i started as command(i) through pipe_command, in
// index order, each as soon as one before it ended.  finished(i, what) is
// called as child i ends, on the thread that ran it: calls for different
// children may overlap.  An exception from either callback starts no more
// children and is thrown again here once the running ones ended.
void run_parallel(std::size_t count, int width, const std::function<Command(std::size_t)>& command,
                  const std::function<void(std::size_t, Captured&)>& finished);

// Replaces this process by PATH with ARGV (argv[0] included); returns only
// on failure, with errno set.
void exec_replace(const std::string& path, const std::vector<std::string>& argv);

}  // namespace clusterp
