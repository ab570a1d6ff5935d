// Other programs: the one place that searches for a program, starts a
// child, waits for it and replaces this process (git's run-command, ccache's
// util/process).  Every module that runs a program calls this; none calls
// fork, exec or posix_spawn itself.
//
// Children are started with posix_spawn (no copy of a large parent), with
// the environment of this process.  Descriptors opened O_CLOEXEC stay out of
// children; close_other_fds keeps out the rest too.
#pragma once

#include <sys/types.h>

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
    bool close_other_fds = false;
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

// One child of this process that ended: its pid and wait status.
struct Ended {
    pid_t pid;
    int status;
};

// Waits for any child (EINTR retried), for pools that run several at once.
// Throws Error (70) when there is none.
Ended wait_any();

// A wait status as a shell reports it: the exit status, or 128+N for a
// child killed by signal N.
int exit_code(int status);

// Runs PATH with ARGV (argv[0] included), stdin/stdout/stderr inherited, and
// returns exit_code() of it; 127 when it cannot be started, as a shell says.
int run(const std::string& path, const std::vector<std::string>& argv);

// Replaces this process by PATH with ARGV (argv[0] included); returns only
// on failure, with errno set.
void exec_replace(const std::string& path, const std::vector<std::string>& argv);

}  // namespace clusterp
