#include "base/fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace clusterp {

Fd& Fd::operator=(Fd&& other) noexcept {
    if (this != &other) {
        reset();
        m_fd = other.release();
    }
    return *this;
}

int Fd::release() { return std::exchange(m_fd, -1); }

void Fd::reset() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
}

bool Fd::close() { return ::close(release()) == 0; }

std::optional<Pipe> make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
    return Pipe{Fd(fds[0]), Fd(fds[1])};
}

}  // namespace clusterp
