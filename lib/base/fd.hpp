// File descriptors owned by one object (ccache's util/Fd): closed when the
// owner goes, so that no early return or exception leaks one.
#pragma once

#include <cstddef>
#include <optional>

namespace clusterp {

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd&& other) noexcept : m_fd(other.release()) {}
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }

    // The descriptor, -1 when none is held.
    int get() const { return m_fd; }
    explicit operator bool() const { return m_fd >= 0; }
    // Gives the descriptor up without closing it.
    int release();
    // Closes it now (if any), errors ignored.
    void reset();
    // Closes it now and says whether that worked: a write error on some
    // file systems shows only here.
    bool close();

private:
    int m_fd = -1;
};

// Both ends of a pipe, opened O_CLOEXEC.
struct Pipe {
    Fd read;
    Fd write;
};

// A new pipe, or nullopt with errno set.
std::optional<Pipe> make_pipe();

// Writes all SIZE bytes of DATA to FD: short writes and EINTR retried, and
// on a non-blocking FD (EAGAIN) waits until it takes more.  False with
// errno set when it failed (ENOSPC for a write that took nothing).  The one
// write loop: every caller that must write a whole buffer calls this.
bool write_all(int fd, const char* data, std::size_t size);

}  // namespace clusterp
