#include "collect/ssh/ssh_transport.hpp"

#include <fcntl.h>
#include <glob.h>
#include <libssh2.h>
#include <libssh2_sftp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include "model/config.hpp"
#include "base/diag.hpp"
#include "collect/ssh/ssh_config.hpp"

namespace clusterp {
namespace {

using Clock = std::chrono::steady_clock;

// OpenSSH's preferences: curve25519 first for key exchange, ed25519 first for
// host keys (so that a known_hosts written by ssh(1) holds the key offered).
// Link::prefer drops the names this libssh2 does not know.
const char k_kex_preference[] =
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
    "ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
    "diffie-hellman-group18-sha512,diffie-hellman-group14-sha256";
const char k_hostkey_preference[] =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,"
    "rsa-sha2-256,ssh-rsa";
const char* const k_default_identities[] = {"id_ed25519", "id_ecdsa", "id_rsa"};
constexpr std::chrono::seconds k_teardown_time{2};
// Bytes a gateway tunnel holds in each direction before it stops reading.
constexpr std::size_t k_tunnel_buffer = 1 << 20;

std::string lowercase_first(std::string text) {
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' && !(text.size() > 1 && text[1] >= 'A' && text[1] <= 'Z'))
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    return text;
}

std::string errno_text(int error) { return lowercase_first(std::strerror(error)); }

// base64 without padding, as OpenSSH prints fingerprints.
std::string base64_unpadded(const unsigned char* data, std::size_t size) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < size; i += 3) {
        unsigned value = data[i] << 16;
        if (i + 1 < size) value |= data[i + 1] << 8;
        if (i + 2 < size) value |= data[i + 2];
        out += alphabet[(value >> 18) & 63];
        out += alphabet[(value >> 12) & 63];
        if (i + 1 < size) out += alphabet[(value >> 6) & 63];
        if (i + 2 < size) out += alphabet[value & 63];
    }
    return out;
}

std::string expand_home(const std::string& path, const std::string& home) {
    if (path == "~" || path.rfind("~/", 0) == 0) return home + path.substr(1);
    return path;
}

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// A point in time that every wait of one step is bounded by.
class Deadline {
public:
    Deadline(std::chrono::seconds length, std::string step)
        : m_length(length), m_end(Clock::now() + length), m_step(std::move(step)) {}
    // Milliseconds left; throws the step's timeout once none are.
    int remaining_ms() const {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_end - Clock::now()).count();
        if (left <= 0) throw HostError(message());
        return static_cast<int>(std::min<long long>(left, 1 << 30));
    }
    // For transfers: the bound counts from the last progress.
    void restart() { m_end = Clock::now() + m_length; }
    void rename(std::string step) { m_step = std::move(step); }
    std::string message() const {
        return "timed out after " + std::to_string(m_length.count()) + " s (" + m_step + ")";
    }

private:
    std::chrono::seconds m_length;
    Clock::time_point m_end;
    std::string m_step;
};

class Fd {
public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (m_fd >= 0) ::close(m_fd);
    }
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// A TCP connection within the deadline; the cause of a failure as ssh(1)
// users read it ("connection refused").
int tcp_connect(const std::string& host, int port, const Deadline& deadline) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
    if (rc != 0) throw HostError("cannot resolve " + quoted(host) + ": " + lowercase_first(::gai_strerror(rc)));
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);
    int error = 0;
    for (addrinfo* address = found; address; address = address->ai_next) {
        Fd fd(::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol));
        if (fd.get() < 0) {
            error = errno;
            continue;
        }
        set_nonblocking(fd.get());
        if (::connect(fd.get(), address->ai_addr, address->ai_addrlen) < 0) {
            if (errno != EINPROGRESS) {
                error = errno;
                continue;
            }
            pollfd waiting{fd.get(), POLLOUT, 0};
            int ready;
            while ((ready = ::poll(&waiting, 1, deadline.remaining_ms())) < 0 && errno == EINTR) {}
            if (ready == 0) throw HostError(deadline.message());
            socklen_t length = sizeof error;
            ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
            if (error != 0) continue;
        }
        int one = 1;
        ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        return fd.release();
    }
    throw HostError(errno_text(error));
}

// Everything one host's connection needs to know, resolved.
struct Endpoint {
    std::string name;  // as the user wrote it, for messages
    std::string host;  // to connect to, and to look up in known_hosts
    std::string user;
    int port = 22;
    std::vector<std::string> identities;   // explicit ones (ssh_key, IdentityFile)
    std::optional<std::string> jump;       // ProxyJump from ~/.ssh/config
    bool proxy_command = false;            // ~/.ssh/config wants a ProxyCommand
};

// State shared by every connection of one connector.
struct Shared {
    Config config;
    std::string home;
    std::string local_user;
    std::string ssh_config_text;
    std::optional<std::string> password;
    std::vector<std::string> known_hosts_read;  // files checked against
    std::string known_hosts_write;              // where accept-new appends
    std::mutex known_hosts_mutex;
    std::once_flag no_check_warning;
};

// One authenticated libssh2 session over one socket (TCP or the local end of
// a gateway tunnel), non-blocking, every wait bounded by a Deadline.
class Link {
public:
    Link(int fd, const Endpoint& endpoint, Shared& shared, const Deadline& deadline)
        : m_fd(fd), m_endpoint(endpoint),
          m_owner(libssh2_session_init_ex(nullptr, nullptr, nullptr, nullptr)), m_session(m_owner.get()) {
        if (!m_session) throw HostError("cannot create an ssh session");
        libssh2_session_set_blocking(m_session, 0);
        prefer(LIBSSH2_METHOD_KEX, k_kex_preference);
        prefer(LIBSSH2_METHOD_HOSTKEY, k_hostkey_preference);
        Deadline handshake(deadline);
        handshake.rename("ssh handshake");
        int rc = call([&] { return libssh2_session_handshake(m_session, m_fd.get()); }, handshake);
        if (rc != 0) throw HostError("ssh handshake failed: " + last_error());
        const char* kex = libssh2_session_methods(m_session, LIBSSH2_METHOD_KEX);
        const char* host_key = libssh2_session_methods(m_session, LIBSSH2_METHOD_HOSTKEY);
        debug(endpoint.name + ": key exchange " + (kex ? kex : "?") + ", host key " + (host_key ? host_key : "?"));
        check_host_key(shared);
        Deadline authentication(deadline);
        authentication.rename("authentication");
        authenticate(shared, authentication);
    }
    Link(const Link&) = delete;
    Link& operator=(const Link&) = delete;

    LIBSSH2_SESSION* session() const { return m_session; }
    int fd() const { return m_fd.get(); }

    // Calls `step` until it stops asking to be called again (EAGAIN), waiting
    // for the socket in between; returns its last result.
    template <typename Step>
    auto call(Step step, const Deadline& deadline) -> decltype(step()) {
        for (;;) {
            auto rc = step();
            if (rc != LIBSSH2_ERROR_EAGAIN) return rc;
            wait(deadline);
        }
    }

    // The same for functions that return a pointer (null and EAGAIN: again).
    template <typename Step>
    auto call_pointer(Step step, const Deadline& deadline) -> decltype(step()) {
        for (;;) {
            auto pointer = step();
            if (pointer || libssh2_session_last_errno(m_session) != LIBSSH2_ERROR_EAGAIN) return pointer;
            wait(deadline);
        }
    }

    void wait(const Deadline& deadline) {
        int directions = libssh2_session_block_directions(m_session);
        short events = 0;
        if (directions & LIBSSH2_SESSION_BLOCK_INBOUND) events |= POLLIN;
        if (directions & LIBSSH2_SESSION_BLOCK_OUTBOUND) events |= POLLOUT;
        int timeout = deadline.remaining_ms();
        // No direction: libssh2 holds buffered data; look again soon.
        if (events == 0) timeout = std::min(timeout, 10);
        pollfd waiting{m_fd.get(), events ? events : short(POLLIN), 0};
        int ready;
        while ((ready = ::poll(&waiting, 1, timeout)) < 0 && errno == EINTR) {}
        if (ready == 0 && events != 0) deadline.remaining_ms();  // throws once the time is up
    }

    std::string last_error() const {
        char* message = nullptr;
        int length = 0;
        libssh2_session_last_error(m_session, &message, &length, 0);
        return lowercase_first(message && length > 0 ? std::string(message, length) : "unknown error");
    }

private:
    // Passes libssh2 only the names it supports: libssh2 1.10 copies
    // overlapping memory when it drops one itself.
    void prefer(int method, const char* wanted) {
        const char** supported = nullptr;
        int count = libssh2_session_supported_algs(m_session, method, &supported);
        if (count <= 0) return;
        std::string list;
        std::stringstream names(wanted);
        std::string name;
        while (std::getline(names, name, ','))
            if (std::find(supported, supported + count, name) != supported + count)
                list += (list.empty() ? "" : ",") + name;
        libssh2_free(m_session, supported);
        if (!list.empty()) libssh2_session_method_pref(m_session, method, list.c_str());
    }

    static int key_type_bits(int type) {
        switch (type) {
        case LIBSSH2_HOSTKEY_TYPE_RSA: return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
        case LIBSSH2_HOSTKEY_TYPE_DSS: return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
        case LIBSSH2_HOSTKEY_TYPE_ED25519: return LIBSSH2_KNOWNHOST_KEY_ED25519;
        default: return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
        }
    }

    static const char* key_type_name(int type) {
        switch (type) {
        case LIBSSH2_HOSTKEY_TYPE_RSA: return "RSA";
        case LIBSSH2_HOSTKEY_TYPE_DSS: return "DSA";
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return "ECDSA";
        case LIBSSH2_HOSTKEY_TYPE_ED25519: return "ED25519";
        default: return "unknown";
        }
    }

    // Reads known_hosts files line by line, so that a line libssh2 cannot
    // parse (a @cert-authority marker, a key type it lacks) is skipped
    // rather than losing the whole file.  Returns the keys (base64, no
    // padding) that @revoked lines name, for any host.
    static std::vector<std::string> read_known_hosts(LIBSSH2_KNOWNHOSTS* known, const std::string& path) {
        std::vector<std::string> revoked;
        std::ifstream in(path);
        std::string line;
        while (std::getline(in, line)) {
            std::size_t start = line.find_first_not_of(" \t");
            if (start == std::string::npos || line[start] == '#') continue;
            if (line[start] == '@') {
                std::istringstream words(line.substr(start));
                std::string marker, hosts, type, key;
                if (words >> marker >> hosts >> type >> key && marker == "@revoked")
                    revoked.push_back(key.substr(0, key.find_last_not_of('=') + 1));
                continue;
            }
            line += '\n';
            libssh2_knownhost_readline(known, line.c_str(), line.size(), LIBSSH2_KNOWNHOST_FILE_OPENSSH);
        }
        return revoked;
    }

    void check_host_key(Shared& shared) {
        std::size_t length = 0;
        int type = 0;
        const char* key = libssh2_session_hostkey(m_session, &length, &type);
        const char* hash = libssh2_hostkey_hash(m_session, LIBSSH2_HOSTKEY_HASH_SHA256);
        if (!key || !hash) throw HostError("the server sent no host key");
        const std::string fingerprint =
            std::string(key_type_name(type)) + " key SHA256:" +
            base64_unpadded(reinterpret_cast<const unsigned char*>(hash), 32);
        const HostKeyChecking mode = shared.config.ssh_host_key_checking;
        if (mode == HostKeyChecking::no) {
            std::call_once(shared.no_check_warning, [] {
                warn("host keys are not checked (ssh_host_key_checking: no)");
            });
            return;
        }
        const int port = m_endpoint.port == 22 ? -1 : m_endpoint.port;
        const std::string name =
            port < 0 ? m_endpoint.host : "[" + m_endpoint.host + "]:" + std::to_string(m_endpoint.port);
        const int type_mask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | key_type_bits(type);

        std::lock_guard<std::mutex> lock(shared.known_hosts_mutex);
        std::unique_ptr<LIBSSH2_KNOWNHOSTS, decltype(&libssh2_knownhost_free)> known(
            libssh2_knownhost_init(m_session), libssh2_knownhost_free);
        if (!known) throw HostError("cannot check the host key: " + last_error());
        const std::string key_base64 = base64_unpadded(reinterpret_cast<const unsigned char*>(key), length);
        for (const auto& path : shared.known_hosts_read) {
            auto revoked = read_known_hosts(known.get(), path);
            if (std::find(revoked.begin(), revoked.end(), key_base64) != revoked.end())
                throw HostError("host key for " + name + " (" + fingerprint + ") is revoked in " + quoted(path));
        }
        libssh2_knownhost* entry = nullptr;
        int result = libssh2_knownhost_checkp(known.get(), m_endpoint.host.c_str(), port, key, length,
                                              type_mask, &entry);
        const std::string file = quoted(shared.known_hosts_write);
        switch (result) {
        case LIBSSH2_KNOWNHOST_CHECK_MATCH: return;
        case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
            throw HostError("host key for " + name + " has changed (now " + fingerprint +
                            "): possible man-in-the-middle attack; if the change is expected, remove the old key from " +
                            file);
        case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
            if (mode == HostKeyChecking::accept_new) {
                record_host_key(known.get(), shared.known_hosts_write, name, key, length, type_mask);
                inform(m_endpoint.name + ": added " + name + " (" + fingerprint + ") to " + file);
                return;
            }
            throw HostError("host key for " + name + " is unknown (" + fingerprint + ", not in " + file +
                            "); add it with ssh-keyscan or set ssh_host_key_checking: accept-new");
        default: throw HostError("cannot check the host key: " + last_error());
        }
    }

    void record_host_key(LIBSSH2_KNOWNHOSTS* known, const std::string& path, const std::string& name,
                         const char* key, std::size_t length, int type_mask) {
        libssh2_knownhost* added = nullptr;
        if (libssh2_knownhost_addc(known, name.c_str(), nullptr, key, length, nullptr, 0, type_mask, &added) != 0)
            throw HostError("cannot record the host key: " + last_error());
        std::vector<char> line(16384);
        std::size_t written = 0;
        if (libssh2_knownhost_writeline(known, added, line.data(), line.size(), &written,
                                        LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0)
            throw HostError("cannot record the host key: " + last_error());
        std::string directory = path.substr(0, path.rfind('/') == std::string::npos ? 0 : path.rfind('/'));
        if (!directory.empty()) ::mkdir(directory.c_str(), 0700);
        Fd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
        if (fd.get() < 0 || ::write(fd.get(), line.data(), written) != static_cast<ssize_t>(written))
            throw HostError("cannot write " + quoted(path) + ": " + errno_text(errno));
    }

    struct KeyboardAnswer {
        const std::string* password = nullptr;
        int rounds = 0;
    };

    // Answers the first round of keyboard-interactive prompts with the
    // password, later rounds with nothing (so that they fail, not loop).
    static void keyboard_interactive(const char*, int, const char*, int, int prompts_count,
                                     const LIBSSH2_USERAUTH_KBDINT_PROMPT*,
                                     LIBSSH2_USERAUTH_KBDINT_RESPONSE* responses, void** abstract) {
        auto* answer = static_cast<KeyboardAnswer*>(*abstract);
        bool first = answer->rounds++ == 0;
        for (int i = 0; i < prompts_count; ++i) {
            const std::string text = first ? *answer->password : std::string();
            responses[i].text = static_cast<char*>(std::malloc(text.size() + 1));
            if (!responses[i].text) {
                responses[i].length = 0;
                continue;
            }
            std::memcpy(responses[i].text, text.c_str(), text.size() + 1);
            responses[i].length = static_cast<unsigned>(text.size());
        }
    }

    bool authenticated() const { return libssh2_userauth_authenticated(m_session) != 0; }

    // A failed attempt is fine (the next method follows); a dead connection
    // is not.
    void check_alive(int rc) const {
        if (rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || rc == LIBSSH2_ERROR_SOCKET_RECV ||
            rc == LIBSSH2_ERROR_SOCKET_SEND)
            throw HostError("connection lost during authentication: " + last_error());
    }

    bool try_agent(const Deadline& deadline) {
        const char* socket = std::getenv("SSH_AUTH_SOCK");
        if (!socket || !*socket) return false;
        std::unique_ptr<LIBSSH2_AGENT, decltype(&libssh2_agent_free)> agent(libssh2_agent_init(m_session),
                                                                            libssh2_agent_free);
        if (!agent || libssh2_agent_connect(agent.get()) != 0) {
            debug(m_endpoint.name + ": cannot reach the ssh-agent at " + quoted(socket));
            return false;
        }
        bool done = false;
        if (libssh2_agent_list_identities(agent.get()) == 0) {
            libssh2_agent_publickey* identity = nullptr;
            while (!done && libssh2_agent_get_identity(agent.get(), &identity, identity) == 0) {
                int rc = call([&] { return libssh2_agent_userauth(agent.get(), m_endpoint.user.c_str(), identity); },
                              deadline);
                check_alive(rc);
                if (rc != 0 && identity->blob_len > 11 && std::memcmp(identity->blob + 4, "ssh-rsa", 7) == 0)
                    m_rsa_refused = true;
                done = rc == 0 && authenticated();
            }
        }
        libssh2_agent_disconnect(agent.get());
        return done;
    }

    // Whether a key file holds an RSA key, as far as its public half, its
    // PEM header or its conventional name tell.
    static bool is_rsa_key(const std::string& path) {
        std::string word;
        std::ifstream(path + ".pub") >> word;
        if (!word.empty()) return word == "ssh-rsa";
        std::string line;
        std::getline(std::ifstream(path) >> std::ws, line);
        return line.find("BEGIN RSA PRIVATE KEY") != std::string::npos ||
               (path.size() >= 6 && path.compare(path.size() - 6, 6, "id_rsa") == 0);
    }

    bool try_key_file(const std::string& path, const Deadline& deadline) {
        const std::string public_key = path + ".pub";
        const bool has_public = file_exists(public_key);
        int rc = call(
            [&] {
                return libssh2_userauth_publickey_fromfile_ex(m_session, m_endpoint.user.c_str(),
                                                              static_cast<unsigned>(m_endpoint.user.size()),
                                                              has_public ? public_key.c_str() : nullptr,
                                                              path.c_str(), nullptr);
            },
            deadline);
        check_alive(rc);
        if (rc != 0) {
            debug(m_endpoint.name + ": key " + quoted(path) + " not accepted: " + last_error());
            if (is_rsa_key(path)) m_rsa_refused = true;
        }
        return rc == 0 && authenticated();
    }

    void authenticate(Shared& shared, const Deadline& deadline) {
        const std::string& user = m_endpoint.user;
        char* offered = call_pointer(
            [&] { return libssh2_userauth_list(m_session, user.c_str(), static_cast<unsigned>(user.size())); },
            deadline);
        if (!offered) {
            if (authenticated()) return;  // the server took "none"
            throw HostError("cannot authenticate: " + last_error());
        }
        const std::string methods = offered;
        auto offers = [&](const std::string& method) {
            std::stringstream list(methods);
            std::string item;
            while (std::getline(list, item, ','))
                if (item == method) return true;
            return false;
        };
        std::vector<std::string> tried;
        std::vector<std::string> missing;

        if (offers("publickey")) {
            if (std::getenv("SSH_AUTH_SOCK") && *std::getenv("SSH_AUTH_SOCK")) {
                tried.push_back("ssh-agent");
                if (try_agent(deadline)) return debug(m_endpoint.name + ": authenticated by the ssh-agent");
            }
            std::vector<std::string> files;
            for (const auto& path : m_endpoint.identities) {
                if (!file_exists(path)) {
                    missing.push_back(path);
                    continue;
                }
                if (std::find(files.begin(), files.end(), path) == files.end()) files.push_back(path);
            }
            for (const char* name : k_default_identities) {
                std::string path = shared.home + "/.ssh/" + name;
                if (file_exists(path) && std::find(files.begin(), files.end(), path) == files.end())
                    files.push_back(path);
            }
            for (const auto& path : files) {
                tried.push_back("key " + quoted(path));
                if (try_key_file(path, deadline)) return debug(m_endpoint.name + ": authenticated by " + quoted(path));
            }
        }
        if (shared.password) {
            const std::string& password = *shared.password;
            if (offers("password")) {
                tried.push_back("password");
                int rc = call(
                    [&] {
                        return libssh2_userauth_password_ex(m_session, user.c_str(), static_cast<unsigned>(user.size()),
                                                            password.c_str(),
                                                            static_cast<unsigned>(password.size()), nullptr);
                    },
                    deadline);
                check_alive(rc);
                if (rc == 0 && authenticated()) return debug(m_endpoint.name + ": authenticated by password");
                if (rc == LIBSSH2_ERROR_PASSWORD_EXPIRED) throw HostError("the password of " + user + " has expired");
            } else if (offers("keyboard-interactive")) {
                tried.push_back("keyboard-interactive");
                KeyboardAnswer answer{&password, 0};
                *libssh2_session_abstract(m_session) = &answer;
                int rc = call(
                    [&] {
                        return libssh2_userauth_keyboard_interactive_ex(
                            m_session, user.c_str(), static_cast<unsigned>(user.size()), keyboard_interactive);
                    },
                    deadline);
                *libssh2_session_abstract(m_session) = nullptr;
                check_alive(rc);
                if (rc == 0 && authenticated())
                    return debug(m_endpoint.name + ": authenticated by keyboard-interactive");
            }
        }

        std::string message = "permission denied for " + user;
        if (tried.empty()) {
            message += ": no credential to offer (the server accepts " + methods + ")";
            if (!shared.password && (offers("password") || offers("keyboard-interactive")))
                message += "; set ssh_password or CLUSTERP_SSH_PASSWORD";
        } else {
            message += " (tried ";
            for (std::size_t i = 0; i < tried.size(); ++i) message += (i ? ", " : "") + tried[i];
            message += ")";
        }
        for (const auto& path : missing) message += "; identity file " + quoted(path) + " does not exist";
        // libssh2 before 1.11 signs with ssh-rsa (SHA-1) only, which
        // OpenSSH 8.8 and later refuse by default.
        if (m_rsa_refused && !libssh2_version(0x010b00))
            message += "; RSA keys need rsa-sha2 signatures, which libssh2 " + std::string(libssh2_version(0)) +
                       " lacks: use an ed25519 or ecdsa key";
        throw HostError(message);
    }

    struct SessionCloser {
        void operator()(LIBSSH2_SESSION* session) const {
            // Blocking with a short timeout: closing must not hang on a dead
            // peer.
            libssh2_session_set_blocking(session, 1);
            libssh2_session_set_timeout(session, std::chrono::milliseconds(k_teardown_time).count());
            libssh2_session_disconnect(session, "bye");
            libssh2_session_free(session);
        }
    };

    Fd m_fd;  // declared first: closed after the session
    Endpoint m_endpoint;
    bool m_rsa_refused = false;
    std::unique_ptr<LIBSSH2_SESSION, SessionCloser> m_owner;
    LIBSSH2_SESSION* m_session;
};

// One direct-tcpip channel of a gateway and the socket pair that carries it
// to the node's own session.
struct Tunnel {
    LIBSSH2_CHANNEL* channel = nullptr;
    int fd = -1;                // the pump's end
    std::string to_node;        // read from the channel, not yet written to fd
    std::string to_channel;     // read from fd, not yet written to the channel
    bool node_closed = false;   // fd said EOF: the node's session is gone
    bool channel_eof = false;
    bool node_shut = false;     // EOF passed on to the node
};

// A shared session to a gateway and the one thread that moves bytes between
// its channels and the nodes' sockets: a libssh2 session is not
// thread-safe, so only that thread and open() (under m_mutex) touch it.
class Gateway {
public:
    Gateway(const Endpoint& endpoint, Shared& shared) : m_name(endpoint.name) {
        const std::chrono::seconds timeout(shared.config.ssh_timeout);
        try {
            Deadline deadline(timeout, "connecting");
            m_link = std::make_unique<Link>(tcp_connect(endpoint.host, endpoint.port, deadline), endpoint, shared,
                                            deadline);
        } catch (const HostError& e) {
            throw HostError("gateway " + m_name + ": " + e.what());
        }
        if (::pipe2(m_wake, O_CLOEXEC | O_NONBLOCK) != 0) throw HostError("cannot create a pipe: " + errno_text(errno));
        m_pump = std::thread([this] { pump(); });
    }
    Gateway(const Gateway&) = delete;
    Gateway& operator=(const Gateway&) = delete;

    ~Gateway() {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stopping = true;
        }
        wake();
        m_pump.join();
        for (auto& tunnel : m_tunnels) {
            libssh2_channel_free(tunnel.channel);
            ::close(tunnel.fd);
        }
        for (auto* channel : m_closing) libssh2_channel_free(channel);
        ::close(m_wake[0]);
        ::close(m_wake[1]);
    }

    // A socket that reaches host:port from the gateway.  The pump thread
    // opens the channel: it alone touches the gateway's session.
    int open(const std::string& host, int port, const Deadline& deadline) {
        auto request = std::make_shared<OpenRequest>();
        request->host = host;
        request->port = port;
        std::unique_lock<std::mutex> lock(m_mutex);
        m_opens.push_back(request);
        wake();
        while (!request->done) {
            int left;
            try {
                left = deadline.remaining_ms();
            } catch (const HostError&) {
                request->abandoned = true;
                throw;
            }
            m_opened.wait_for(lock, std::chrono::milliseconds(left));
        }
        if (!request->error.empty()) throw HostError(request->error);
        return request->fd;
    }

private:
    struct OpenRequest {
        std::string host;
        int port = 22;
        bool done = false;
        bool abandoned = false;  // its open() timed out
        int fd = -1;
        std::string error;
    };

    void finish(OpenRequest& request) {
        request.done = true;
        m_opened.notify_all();
    }

    // Opens the requested channels, first come first served: libssh2 keeps
    // the state of one pending open in the session, so a request, even an
    // abandoned one, is carried through before the next begins.
    void open_channels() {
        while (!m_opens.empty()) {
            OpenRequest& request = *m_opens.front();
            if (!m_failure.empty()) {
                request.error = "gateway " + m_name + ": " + m_failure;
                finish(request);
                m_opens.pop_front();
                continue;
            }
            LIBSSH2_CHANNEL* channel = libssh2_channel_direct_tcpip_ex(m_link->session(), request.host.c_str(),
                                                                        request.port, "127.0.0.1", 22);
            if (!channel && libssh2_session_last_errno(m_link->session()) == LIBSSH2_ERROR_EAGAIN) return;
            int pair[2];
            if (!channel) {
                request.error = "gateway " + m_name + " cannot reach " + request.host + ":" +
                                std::to_string(request.port) + ": " + m_link->last_error();
            } else if (request.abandoned) {
                m_closing.push_back(channel);
            } else if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
                request.error = "cannot create a socket pair: " + errno_text(errno);
                m_closing.push_back(channel);
            } else {
                set_nonblocking(pair[0]);
                set_nonblocking(pair[1]);
                Tunnel tunnel;
                tunnel.channel = channel;
                tunnel.fd = pair[1];
                m_tunnels.push_back(std::move(tunnel));
                request.fd = pair[0];
            }
            finish(request);
            m_opens.pop_front();
        }
    }

    void wake() {
        char byte = 0;
        [[maybe_unused]] ssize_t ignored = ::write(m_wake[1], &byte, 1);
    }

    // Moves what can be moved without waiting; true when anything moved.
    bool move_bytes(Tunnel& tunnel) {
        bool moved = false;
        char buffer[32768];
        while (!tunnel.channel_eof && tunnel.to_node.size() < k_tunnel_buffer) {
            ssize_t n = libssh2_channel_read(tunnel.channel, buffer, sizeof buffer);
            if (n > 0) {
                tunnel.to_node.append(buffer, static_cast<std::size_t>(n));
                moved = true;
            } else if (n == LIBSSH2_ERROR_EAGAIN) {
                break;
            } else {
                tunnel.channel_eof = n < 0 || libssh2_channel_eof(tunnel.channel);
                if (n == 0 && !tunnel.channel_eof) break;
            }
        }
        if (!tunnel.to_node.empty()) {
            ssize_t n = ::send(tunnel.fd, tunnel.to_node.data(), tunnel.to_node.size(), MSG_NOSIGNAL);
            if (n > 0) {
                tunnel.to_node.erase(0, static_cast<std::size_t>(n));
                moved = true;
            } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                tunnel.node_closed = true;
            }
        }
        if (tunnel.channel_eof && tunnel.to_node.empty() && !tunnel.node_shut) {
            ::shutdown(tunnel.fd, SHUT_WR);
            tunnel.node_shut = true;
        }
        while (!tunnel.node_closed && tunnel.to_channel.size() < k_tunnel_buffer) {
            ssize_t n = ::recv(tunnel.fd, buffer, sizeof buffer, 0);
            if (n > 0) {
                tunnel.to_channel.append(buffer, static_cast<std::size_t>(n));
                moved = true;
            } else {
                if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) tunnel.node_closed = true;
                break;
            }
        }
        while (!tunnel.to_channel.empty() && !tunnel.channel_eof) {
            ssize_t n = libssh2_channel_write(tunnel.channel, tunnel.to_channel.data(), tunnel.to_channel.size());
            if (n > 0) {
                tunnel.to_channel.erase(0, static_cast<std::size_t>(n));
                moved = true;
            } else {
                // EAGAIN, or BAD_USE while another channel's packet is half
                // sent: retried on the next round.
                if (n != LIBSSH2_ERROR_EAGAIN && n != LIBSSH2_ERROR_BAD_USE) tunnel.channel_eof = true;
                break;
            }
        }
        return moved;
    }

    void pump() {
        std::unique_lock<std::mutex> lock(m_mutex);
        std::vector<pollfd> waiting;
        while (!m_stopping) {
            open_channels();
            bool moved = true;
            for (int round = 0; moved && round < 64; ++round) {
                moved = false;
                for (auto& tunnel : m_tunnels) moved |= move_bytes(tunnel);
            }
            // A tunnel ends when the node's session has closed its socket
            // (after its last words reached the channel).
            for (auto it = m_tunnels.begin(); it != m_tunnels.end();) {
                if (it->node_closed && (it->to_channel.empty() || it->channel_eof)) {
                    m_closing.push_back(it->channel);
                    ::close(it->fd);
                    it = m_tunnels.erase(it);
                } else {
                    ++it;
                }
            }
            // Non-blocking, a channel is freed over several rounds.
            m_closing.erase(std::remove_if(m_closing.begin(), m_closing.end(),
                                           [](LIBSSH2_CHANNEL* channel) {
                                               return libssh2_channel_free(channel) != LIBSSH2_ERROR_EAGAIN;
                                           }),
                            m_closing.end());
            if (m_failure.empty() && libssh2_session_last_errno(m_link->session()) == LIBSSH2_ERROR_SOCKET_DISCONNECT) {
                m_failure = "connection lost";
                for (auto& tunnel : m_tunnels) ::shutdown(tunnel.fd, SHUT_RDWR);
            }
            waiting.clear();
            int directions = libssh2_session_block_directions(m_link->session());
            short gateway_events = POLLIN;
            if (directions & LIBSSH2_SESSION_BLOCK_OUTBOUND) gateway_events |= POLLOUT;
            // Wait for the gateway's data only when a channel will take it
            // (otherwise poll would return at once, again and again); an
            // open() in progress reads for itself.
            bool reading = !m_closing.empty() || !m_opens.empty() ||
                           std::any_of(m_tunnels.begin(), m_tunnels.end(), [](const Tunnel& tunnel) {
                               return !tunnel.channel_eof && tunnel.to_node.size() < k_tunnel_buffer;
                           });
            if (!reading) gateway_events &= ~POLLIN;
            waiting.push_back({m_link->fd(), gateway_events, 0});
            waiting.push_back({m_wake[0], POLLIN, 0});
            for (const auto& tunnel : m_tunnels) {
                short events = 0;
                if (!tunnel.node_closed && tunnel.to_channel.size() < k_tunnel_buffer) events |= POLLIN;
                if (!tunnel.to_node.empty()) events |= POLLOUT;
                waiting.push_back({tunnel.fd, events, 0});
            }
            lock.unlock();
            ::poll(waiting.data(), waiting.size(), 50);
            char drain[64];
            while (::read(m_wake[0], drain, sizeof drain) > 0) {}
            lock.lock();
        }
    }

    std::string m_name;
    std::unique_ptr<Link> m_link;
    std::mutex m_mutex;  // guards what follows, shared with open()
    std::condition_variable m_opened;
    std::deque<std::shared_ptr<OpenRequest>> m_opens;
    std::list<Tunnel> m_tunnels;
    std::vector<LIBSSH2_CHANNEL*> m_closing;
    std::string m_failure;
    bool m_stopping = false;
    int m_wake[2] = {-1, -1};
    std::thread m_pump;
};

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

// An ssh_config(5) file with each Include line replaced by the files it
// names (globs; relative names under ~/.ssh; 16 levels at most), followed by
// the Host or Match line in force before it: OpenSSH restores that state
// after an included file.
std::string read_ssh_config(const std::string& path, const std::string& home, int depth) {
    std::ifstream in(path);
    std::string out;
    std::string line;
    std::string block = "Host *";
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string keyword;
        words >> keyword;
        std::transform(keyword.begin(), keyword.end(), keyword.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (keyword == "host" || keyword == "match") block = line;
        if (keyword != "include" || depth >= 16) {
            out += line + "\n";
            continue;
        }
        for (std::string pattern; words >> pattern;) {
            if (pattern.rfind("~/", 0) == 0) pattern = home + pattern.substr(1);
            else if (pattern[0] != '/') pattern = home + "/.ssh/" + pattern;
            glob_t found{};
            if (::glob(pattern.c_str(), 0, nullptr, &found) == 0)
                for (std::size_t i = 0; i < found.gl_pathc; ++i)
                    out += read_ssh_config(found.gl_pathv[i], home, depth + 1);
            ::globfree(&found);
        }
        out += block + "\n";
    }
    return out;
}

// `[user@]host[:port]` as ssh_gateway and ProxyJump write it.
struct JumpSpec {
    std::optional<std::string> user;
    std::string host;
    std::optional<int> port;
};

JumpSpec parse_jump(const std::string& text) {
    JumpSpec spec;
    std::string rest = text;
    std::size_t at = rest.rfind('@');
    if (at != std::string::npos) {
        spec.user = rest.substr(0, at);
        rest = rest.substr(at + 1);
    }
    std::size_t colon = rest.rfind(':');
    if (colon != std::string::npos && rest.find(':') == colon) {
        const std::string port = rest.substr(colon + 1);
        bool digits = !port.empty() && port.size() <= 5 &&
                      std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); });
        if (digits) {
            spec.port = std::stoi(port);
            rest = rest.substr(0, colon);
        }
    }
    spec.host = rest;
    return spec;
}

class SshConnector : public Connector {
public:
    explicit SshConnector(const Config& config) {
        m_shared.config = config;
        const char* home = std::getenv("HOME");
        const passwd* entry = ::getpwuid(::getuid());
        m_shared.home = home && *home ? home : entry ? entry->pw_dir : "/";
        m_shared.local_user = entry ? entry->pw_name : "root";
        m_shared.ssh_config_text = read_ssh_config(m_shared.home + "/.ssh/config", m_shared.home, 0);
        if (config.ssh_password) m_shared.password = config.ssh_password;
        else if (const char* password = std::getenv("CLUSTERP_SSH_PASSWORD")) m_shared.password = std::string(password);
        if (config.ssh_known_hosts) {
            m_shared.known_hosts_write = expand_home(*config.ssh_known_hosts, m_shared.home);
            m_shared.known_hosts_read = {m_shared.known_hosts_write};
        } else {
            m_shared.known_hosts_write = m_shared.home + "/.ssh/known_hosts";
            m_shared.known_hosts_read = {m_shared.known_hosts_write, "/etc/ssh/ssh_known_hosts"};
        }
        if (config.ssh_gateway) m_gateways[*config.ssh_gateway] = open_gateway(*config.ssh_gateway);
    }

    std::unique_ptr<Session> connect(const std::string& host) override {
        Endpoint endpoint = resolve(host, false);
        // Going around a ProxyCommand could reach another machine, or none.
        if (endpoint.proxy_command && !m_shared.config.ssh_gateway)
            throw HostError("~/.ssh/config gives it a ProxyCommand, which clusterp does not run (use ProxyJump or "
                            "ssh_gateway)");
        std::shared_ptr<Gateway> gateway;
        if (m_shared.config.ssh_gateway) gateway = m_gateways.at(*m_shared.config.ssh_gateway);
        else if (endpoint.jump) gateway = jump_gateway(*endpoint.jump);

        const std::chrono::seconds timeout(m_shared.config.ssh_timeout);
        Deadline deadline(timeout, "connecting");
        int fd = gateway ? gateway->open(endpoint.host, endpoint.port, deadline)
                         : tcp_connect(endpoint.host, endpoint.port, deadline);
        auto link = std::make_unique<Link>(fd, endpoint, m_shared, deadline);
        return std::make_unique<SshSession>(std::move(link), std::move(gateway), timeout);
    }

private:
    // config.yml first, then ~/.ssh/config, then the defaults.  A gateway
    // takes its user and port from its own spec first.
    Endpoint resolve(const std::string& host, bool is_gateway, const JumpSpec* spec = nullptr) {
        const Config& config = m_shared.config;
        SshConfigContext context{m_shared.home, m_shared.local_user,
                                 config.ssh_username.value_or(m_shared.local_user)};
        SshHostConfig found;
        try {
            found = ssh_host_config(m_shared.ssh_config_text, host, context);
        } catch (const std::invalid_argument& e) {
            throw HostError(quoted(m_shared.home + "/.ssh/config") + ": " + e.what());
        }
        Endpoint endpoint;
        endpoint.name = host;
        endpoint.host = found.host_name.value_or(host);
        if (is_gateway) {
            endpoint.user = spec && spec->user ? *spec->user
                            : found.user       ? *found.user
                                               : config.ssh_username.value_or(m_shared.local_user);
            endpoint.port = spec && spec->port ? *spec->port : found.port ? *found.port : config.ssh_port.value_or(22);
        } else {
            endpoint.user = config.ssh_username ? *config.ssh_username : found.user.value_or(m_shared.local_user);
            endpoint.port = config.ssh_port ? *config.ssh_port : found.port.value_or(22);
            endpoint.jump = found.proxy_jump;
            endpoint.proxy_command = found.proxy_command.has_value();
        }
        if (config.ssh_key) endpoint.identities.push_back(expand_home(*config.ssh_key, m_shared.home));
        for (const auto& file : found.identity_files) endpoint.identities.push_back(file);
        return endpoint;
    }

    std::shared_ptr<Gateway> open_gateway(const std::string& text) {
        JumpSpec spec = parse_jump(text);
        Endpoint endpoint;
        try {
            endpoint = resolve(spec.host, true, &spec);
        } catch (const HostError& e) {
            throw HostError("gateway " + spec.host + ": " + e.what());
        }
        return std::make_shared<Gateway>(endpoint, m_shared);
    }

    // One gateway per ProxyJump value, opened by the first host that needs
    // it; a failure is remembered so that the next hosts do not retry it.
    std::shared_ptr<Gateway> jump_gateway(const std::string& text) {
        std::lock_guard<std::mutex> lock(m_gateways_mutex);
        auto failed = m_gateway_failures.find(text);
        if (failed != m_gateway_failures.end()) throw HostError(failed->second);
        auto found = m_gateways.find(text);
        if (found != m_gateways.end()) return found->second;
        try {
            return m_gateways[text] = open_gateway(text);
        } catch (const HostError& e) {
            m_gateway_failures[text] = e.what();
            throw;
        }
    }

    Shared m_shared;
    std::mutex m_gateways_mutex;
    std::map<std::string, std::shared_ptr<Gateway>> m_gateways;
    std::map<std::string, std::string> m_gateway_failures;
};

}  // namespace

std::unique_ptr<Connector> make_ssh_connector(const Config& config) {
    static std::once_flag initialised;
    std::call_once(initialised, [] { libssh2_init(0); });
    return std::make_unique<SshConnector>(config);
}

}  // namespace clusterp
