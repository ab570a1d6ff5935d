#include "base/exec_path.hpp"

#include <cstdlib>
#include <filesystem>

#include "base/diag.hpp"
#include "base/process.hpp"

namespace clusterp {

namespace fs = std::filesystem;

namespace {

// The path first, as argv[0]: how the program finds its own directory.
std::vector<std::string> argv_of(const std::string& path, const std::vector<std::string>& args) {
    std::vector<std::string> argv{path};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

}  // namespace

std::string own_directory() {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : self.parent_path().string();
}

std::optional<std::string> find_program(const std::string& program) {
    if (auto found = find_in_directories(std::getenv("CLUSTERP_EXEC_PATH"), program)) return found;
    if (auto found = find_in_directory(own_directory(), program)) return found;
    return find_in_path(program);
}

void exec_program(const std::string& path, const std::vector<std::string>& args) {
    exec_replace(path, argv_of(path, args));
}

int run_program(const std::string& program, const std::vector<std::string>& args) {
    auto path = find_program(program);
    if (!path) throw Error(k_exit_unavailable, "cannot find " + quoted(program));
    return run(*path, argv_of(*path, args));
}

}  // namespace clusterp
