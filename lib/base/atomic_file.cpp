#include "base/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/diag.hpp"

namespace clusterp {

namespace fs = std::filesystem;

std::string temporary_path_for(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    fs::path target(path);
    return (target.parent_path() / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()) +
                                    "." + std::to_string(counter++)))
        .string();
}

void commit_file(const std::string& tmp, const std::string& path) {
    int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    bool synced = fd >= 0 && ::fsync(fd) == 0;
    int saved = errno;
    if (fd >= 0) ::close(fd);
    if (!synced || ::rename(tmp.c_str(), path.c_str()) != 0) {
        if (synced) saved = errno;
        ::unlink(tmp.c_str());
        throw Error(k_exit_io, "cannot write " + quoted(path) + ": " + std::strerror(saved));
    }
}

void write_file_atomically(const std::string& path, const std::string& content, unsigned mode) {
    std::error_code ec;
    fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) throw Error(k_exit_cant_create, "cannot create " + quoted(parent.string()) + ": " + ec.message());
    std::string tmp = temporary_path_for(path);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) throw Error(k_exit_cant_create, "cannot create " + quoted(path) + ": " + std::strerror(errno));
    const char* data = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        ssize_t n = ::write(fd, data, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int saved = n < 0 ? errno : ENOSPC;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw Error(k_exit_io, "cannot write " + quoted(path) + ": " + std::strerror(saved));
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) {
        int saved = errno;
        ::unlink(tmp.c_str());
        throw Error(k_exit_io, "cannot write " + quoted(path) + ": " + std::strerror(saved));
    }
    commit_file(tmp, path);
}

}  // namespace clusterp
