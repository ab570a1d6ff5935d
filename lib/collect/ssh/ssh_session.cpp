#include "collect/ssh/ssh_session.hpp"

#include <fcntl.h>
#include <libssh2_sftp.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <string>
#include <vector>

#include "base/diag.hpp"

namespace clusterp::ssh {
namespace {

// The conventional shell meaning of a death by signal.
int signal_status(const std::string& name) {
    static const std::map<std::string, int> numbers = {
        {"HUP", 1},  {"INT", 2},   {"QUIT", 3},  {"ILL", 4},   {"ABRT", 6},  {"FPE", 8},   {"KILL", 9},
        {"USR1", 10}, {"SEGV", 11}, {"USR2", 12}, {"PIPE", 13}, {"ALRM", 14}, {"TERM", 15}, {"BUS", 7}};
    auto found = numbers.find(name);
    return 128 + (found == numbers.end() ? 0 : found->second);
}

class SshSession : public Session {
public:
    SshSession(std::unique_ptr<Link> link, std::shared_ptr<Gateway> gateway, std::chrono::seconds timeout)
        : m_gateway(std::move(gateway)), m_link(std::move(link)), m_timeout(timeout) {}

    ~SshSession() override {
        if (m_sftp) {
            libssh2_session_set_blocking(m_link->session(), 1);
            libssh2_session_set_timeout(m_link->session(), std::chrono::milliseconds(k_teardown_time).count());
            libssh2_sftp_shutdown(m_sftp);
        }
    }

    CommandResult run(const std::string& command, std::chrono::seconds timeout) override {
        Deadline deadline(timeout, "command");
        LIBSSH2_SESSION* session = m_link->session();
        LIBSSH2_CHANNEL* channel = m_link->call_pointer([&] { return libssh2_channel_open_session(session); }, deadline);
        if (!channel) throw HostError("cannot open a channel: " + m_link->last_error());
        ChannelGuard guard{*m_link, channel};
        int rc = m_link->call(
            [&] {
                return libssh2_channel_process_startup(channel, "exec", 4, command.c_str(),
                                                       static_cast<unsigned>(command.size()));
            },
            deadline);
        if (rc != 0) throw HostError("cannot run a command: " + m_link->last_error());
        // No stdin: the command reads end of file at once.
        m_link->call([&] { return libssh2_channel_send_eof(channel); }, deadline);

        CommandResult result;
        char buffer[32768];
        // After EOF is seen, one more pass reads what arrived with it.
        for (bool eof = false;;) {
            for (int stream : {0, SSH_EXTENDED_DATA_STDERR}) {
                std::string& sink = stream == 0 ? result.out : result.err;
                for (;;) {
                    ssize_t n = libssh2_channel_read_ex(channel, stream, buffer, sizeof buffer);
                    if (n > 0) {
                        sink.append(buffer, static_cast<std::size_t>(n));
                        continue;
                    }
                    if (n < 0 && n != LIBSSH2_ERROR_EAGAIN)
                        throw HostError("connection lost during a command: " + m_link->last_error());
                    break;
                }
            }
            if (eof) break;
            eof = libssh2_channel_eof(channel) != 0;
            if (!eof) m_link->wait(deadline);
        }
        m_link->call([&] { return libssh2_channel_close(channel); }, deadline);
        m_link->call([&] { return libssh2_channel_wait_closed(channel); }, deadline);
        char* signal = nullptr;
        std::size_t signal_length = 0;
        libssh2_channel_get_exit_signal(channel, &signal, &signal_length, nullptr, nullptr, nullptr, nullptr);
        if (signal) {
            result.exit_status = signal_status(std::string(signal, signal_length));
            libssh2_free(session, signal);
        } else {
            result.exit_status = libssh2_channel_get_exit_status(channel);
        }
        guard.free();
        return result;
    }

    std::uint64_t download(const std::string& remote_path, const std::string& local_path) override {
        Deadline deadline(m_timeout, "download of " + quoted(remote_path));
        LIBSSH2_SESSION* session = m_link->session();
        if (!m_sftp) {
            m_sftp = m_link->call_pointer([&] { return libssh2_sftp_init(session); }, deadline);
            if (!m_sftp) throw HostError("cannot start sftp: " + m_link->last_error());
        }
        LIBSSH2_SFTP_HANDLE* handle = m_link->call_pointer(
            [&] {
                return libssh2_sftp_open_ex(m_sftp, remote_path.c_str(), static_cast<unsigned>(remote_path.size()),
                                            LIBSSH2_FXF_READ, 0, LIBSSH2_SFTP_OPENFILE);
            },
            deadline);
        if (!handle) throw HostError("cannot open remote " + quoted(remote_path) + ": " + sftp_error());
        struct HandleGuard {
            Link& link;
            LIBSSH2_SFTP_HANDLE* handle;
            ~HandleGuard() {
                Deadline closing(k_teardown_time, "closing a remote file");
                try {
                    link.call([&] { return libssh2_sftp_close_handle(handle); }, closing);
                } catch (const HostError&) {
                }
            }
        } handle_guard{*m_link, handle};

        LIBSSH2_SFTP_ATTRIBUTES attributes{};
        if (m_link->call([&] { return libssh2_sftp_fstat_ex(handle, &attributes, 0); }, deadline) != 0)
            throw HostError("cannot stat remote " + quoted(remote_path) + ": " + sftp_error());

        Fd out(::open(local_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (out.get() < 0) throw HostError("cannot create " + quoted(local_path) + ": " + errno_text(errno));
        std::uint64_t total = 0;
        std::vector<char> buffer(1 << 16);
        for (;;) {
            ssize_t n = libssh2_sftp_read(handle, buffer.data(), buffer.size());
            if (n == LIBSSH2_ERROR_EAGAIN) {
                m_link->wait(deadline);
                continue;
            }
            if (n < 0) throw HostError("cannot read remote " + quoted(remote_path) + ": " + sftp_error());
            if (n == 0) break;
            deadline.restart();
            for (ssize_t done = 0; done < n;) {
                ssize_t written = ::write(out.get(), buffer.data() + done, static_cast<std::size_t>(n - done));
                if (written < 0) {
                    if (errno == EINTR) continue;
                    throw HostError("cannot write " + quoted(local_path) + ": " + errno_text(errno));
                }
                done += written;
            }
            total += static_cast<std::uint64_t>(n);
        }
        if (::fsync(out.get()) != 0 || ::close(out.release()) != 0)
            throw HostError("cannot write " + quoted(local_path) + ": " + errno_text(errno));
        if ((attributes.flags & LIBSSH2_SFTP_ATTR_SIZE) && attributes.filesize != total)
            throw HostError("short download of " + quoted(remote_path) + ": " + std::to_string(total) + " of " +
                            std::to_string(attributes.filesize) + " bytes");
        return total;
    }

private:
    // Frees a channel on every path out of run(); after a timeout the
    // channel may be in any state, so freeing is bounded and best effort.
    struct ChannelGuard {
        Link& link;
        LIBSSH2_CHANNEL* channel;
        void free() {
            if (!channel) return;
            Deadline closing(k_teardown_time, "closing a channel");
            try {
                link.call([&] { return libssh2_channel_free(channel); }, closing);
            } catch (const HostError&) {
            }
            channel = nullptr;
        }
        ~ChannelGuard() {
            if (channel) {
                libssh2_channel_close(channel);
                free();
            }
        }
    };

    std::string sftp_error() const {
        if (libssh2_session_last_errno(m_link->session()) != LIBSSH2_ERROR_SFTP_PROTOCOL) return m_link->last_error();
        switch (libssh2_sftp_last_error(m_sftp)) {
        case LIBSSH2_FX_NO_SUCH_FILE: return "no such file";
        case LIBSSH2_FX_PERMISSION_DENIED: return "permission denied";
        default: return "sftp error " + std::to_string(libssh2_sftp_last_error(m_sftp));
        }
    }

    // Declared first so that it outlives the link that runs inside it.
    std::shared_ptr<Gateway> m_gateway;
    std::unique_ptr<Link> m_link;
    std::chrono::seconds m_timeout;
    LIBSSH2_SFTP* m_sftp = nullptr;
};

}  // namespace

std::unique_ptr<Session> make_session(std::unique_ptr<Link> link, std::shared_ptr<Gateway> gateway,
                                      std::chrono::seconds timeout) {
    return std::make_unique<SshSession>(std::move(link), std::move(gateway), timeout);
}

}  // namespace clusterp::ssh
