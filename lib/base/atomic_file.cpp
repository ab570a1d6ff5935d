#include "base/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/diag.hpp"
#include "base/fd.hpp"

namespace clusterp {

namespace fs = std::filesystem;

namespace {

// The registry: fixed slots, so that a signal handler can read it without
// locks or allocation.  A slot's path is copied under a sequence number
// (odd while it is written): the handler unlinks a copy only when the
// number did not change while it copied, so it never acts on a torn path.
struct Slot {
    std::atomic<bool> taken{false};
    std::atomic<bool> active{false};
    std::atomic<unsigned> sequence{0};
    char path[240];
};
constexpr int k_slots = 4096;
Slot g_slots[k_slots];
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<unsigned>::is_always_lock_free,
              "the registry is read by a signal handler");

}  // namespace

RegisteredTemporary::RegisteredTemporary(const std::string& path) : m_slot(-1) {
    if (path.size() >= sizeof g_slots[0].path) return;
    for (int i = 0; i < k_slots; ++i) {
        bool expected = false;
        if (!g_slots[i].taken.compare_exchange_strong(expected, true)) continue;
        Slot& slot = g_slots[i];
        ++slot.sequence;
        std::memcpy(slot.path, path.c_str(), path.size() + 1);
        ++slot.sequence;
        slot.active = true;
        m_slot = i;
        return;
    }
}

RegisteredTemporary::~RegisteredTemporary() {
    if (m_slot < 0) return;
    g_slots[m_slot].active = false;
    g_slots[m_slot].taken = false;
}

void remove_registered_temporaries() {
    char path[sizeof g_slots[0].path];
    for (Slot& slot : g_slots) {
        if (!slot.active) continue;
        const unsigned before = slot.sequence;
        if (before % 2 != 0) continue;
        std::memcpy(path, slot.path, sizeof path);
        if (!slot.active || slot.sequence != before) continue;
        path[sizeof path - 1] = '\0';
        ::unlink(path);
    }
}

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
        throw Error(k_exit_io, "cannot write " + quoted(path) + ": " + errno_text(saved));
    }
}

void write_file_atomically(const std::string& path, const std::string& content, unsigned mode) {
    std::error_code ec;
    fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) throw Error(k_exit_cant_create, "cannot create " + quoted(parent.string()) + ": " + ec.message());
    std::string tmp = temporary_path_for(path);
    RegisteredTemporary registered(tmp);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) throw Error(k_exit_cant_create, "cannot create " + quoted(path) + ": " + errno_text(errno));
    if (!write_all(fd, content.data(), content.size())) {
        int saved = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw Error(k_exit_io, "cannot write " + quoted(path) + ": " + errno_text(saved));
    }
    if (::close(fd) != 0) {
        int saved = errno;
        ::unlink(tmp.c_str());
        throw Error(k_exit_io, "cannot write " + quoted(path) + ": " + errno_text(saved));
    }
    commit_file(tmp, path);
}

}  // namespace clusterp
