// Link's authentication: the agent, the key files, then the password, never
// prompting (the order is in ssh_transport.hpp).
#include "collect/ssh/ssh_link.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/diag.hpp"
namespace clusterp::ssh {
namespace {

const char* const k_default_identities[] = {"id_ed25519", "id_ecdsa", "id_rsa"};

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// Whether a key file holds an RSA key, as far as its public half, its
// PEM header or its conventional name tell.
bool is_rsa_key(const std::string& path) {
    std::string word;
    std::ifstream(path + ".pub") >> word;
    if (!word.empty()) return word == "ssh-rsa";
    std::string line;
    std::getline(std::ifstream(path) >> std::ws, line);
    return line.find("BEGIN RSA PRIVATE KEY") != std::string::npos ||
           (path.size() >= 6 && path.compare(path.size() - 6, 6, "id_rsa") == 0);
}

}  // namespace

// Answers the first round of keyboard-interactive prompts with the
// password, later rounds with nothing (so that they fail, not loop).
void Link::keyboard_interactive(const char*, int, const char*, int, int prompts_count,
                                const LIBSSH2_USERAUTH_KBDINT_PROMPT*,
                                LIBSSH2_USERAUTH_KBDINT_RESPONSE* responses, void** abstract) {
    auto* link = static_cast<Link*>(*abstract);
    bool first = link->m_keyboard_rounds++ == 0;
    for (int i = 0; i < prompts_count; ++i) {
        const std::string text = first && link->m_keyboard_password ? *link->m_keyboard_password : std::string();
        responses[i].text = static_cast<char*>(std::malloc(text.size() + 1));
        if (!responses[i].text) {
            responses[i].length = 0;
            continue;
        }
        std::memcpy(responses[i].text, text.c_str(), text.size() + 1);
        responses[i].length = static_cast<unsigned>(text.size());
    }
}

bool Link::authenticated() const { return libssh2_userauth_authenticated(m_session) != 0; }

// A failed attempt is fine (the next method follows); a dead connection
// is not.
void Link::check_alive(int rc) const {
    if (rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || rc == LIBSSH2_ERROR_SOCKET_RECV ||
        rc == LIBSSH2_ERROR_SOCKET_SEND)
        throw HostError("connection lost during authentication: " + last_error());
}

bool Link::try_agent(const Deadline& deadline) {
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

bool Link::try_key_file(const std::string& path, const Deadline& deadline) {
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

void Link::authenticate(Shared& shared, const Deadline& deadline) {
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
            m_keyboard_password = &password;
            m_keyboard_rounds = 0;
            int rc = call(
                [&] {
                    return libssh2_userauth_keyboard_interactive_ex(
                        m_session, user.c_str(), static_cast<unsigned>(user.size()), keyboard_interactive);
                },
                deadline);
            m_keyboard_password = nullptr;
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

}  // namespace clusterp::ssh
