#include "base/exec_path.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "base/diag.hpp"

namespace clusterp {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> in_directory(const std::string& dir, const std::string& program) {
    if (dir.empty()) return std::nullopt;
    std::string path = dir + "/" + program;
    if (::access(path.c_str(), X_OK) == 0 && !fs::is_directory(path)) return path;
    return std::nullopt;
}

std::optional<std::string> in_path_list(const char* list, const std::string& program) {
    if (!list) return std::nullopt;
    std::string dirs = list;
    std::size_t start = 0;
    while (start <= dirs.size()) {
        std::size_t colon = dirs.find(':', start);
        if (colon == std::string::npos) colon = dirs.size();
        if (auto found = in_directory(dirs.substr(start, colon - start), program)) return found;
        start = colon + 1;
    }
    return std::nullopt;
}

std::vector<char*> argv_of(const std::string& path, const std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(path.c_str()));
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    return argv;
}

}  // namespace

std::string own_directory() {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : self.parent_path().string();
}

std::optional<std::string> find_program(const std::string& program) {
    if (auto found = in_path_list(std::getenv("CLUSTERP_EXEC_PATH"), program)) return found;
    if (auto found = in_directory(own_directory(), program)) return found;
    return in_path_list(std::getenv("PATH"), program);
}

void exec_program(const std::string& path, const std::vector<std::string>& args) {
    auto argv = argv_of(path, args);
    ::execv(path.c_str(), argv.data());
}

int run_program(const std::string& program, const std::vector<std::string>& args) {
    auto path = find_program(program);
    if (!path) throw Error(k_exit_unavailable, "cannot find " + quoted(program));
    pid_t pid = ::fork();
    if (pid < 0) throw Error(k_exit_software, std::string("cannot fork: ") + std::strerror(errno));
    if (pid == 0) {
        exec_program(*path, args);
        std::_Exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw Error(k_exit_software, std::string("waitpid: ") + std::strerror(errno));
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

}  // namespace clusterp
