#include "base/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "base/diag.hpp"

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

Ended wait_any() {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, 0)) < 0)
        if (errno != EINTR) throw Error(k_exit_software, "waitpid: " + errno_text(errno));
    return {pid, status};
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

void exec_replace(const std::string& path, const std::vector<std::string>& argv) {
    auto pointers = argv_of(argv);
    ::execv(path.c_str(), pointers.data());
}

}  // namespace clusterp
