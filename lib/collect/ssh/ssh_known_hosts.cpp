#include "collect/ssh/ssh_known_hosts.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>

#include "base/diag.hpp"

namespace clusterp::ssh {
namespace {

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

int key_type_bits(int type) {
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

const char* key_type_name(int type) {
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
std::vector<std::string> read_known_hosts(LIBSSH2_KNOWNHOSTS* known, const std::string& path) {
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

void record_host_key(LIBSSH2_SESSION* session, LIBSSH2_KNOWNHOSTS* known, const std::string& path, const std::string& name,
                     const char* key, std::size_t length, int type_mask) {
    libssh2_knownhost* added = nullptr;
    if (libssh2_knownhost_addc(known, name.c_str(), nullptr, key, length, nullptr, 0, type_mask, &added) != 0)
        throw HostError("cannot record the host key: " + session_error(session));
    std::vector<char> line(16384);
    std::size_t written = 0;
    if (libssh2_knownhost_writeline(known, added, line.data(), line.size(), &written,
                                    LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0)
        throw HostError("cannot record the host key: " + session_error(session));
    std::string directory = path.substr(0, path.rfind('/') == std::string::npos ? 0 : path.rfind('/'));
    if (!directory.empty()) ::mkdir(directory.c_str(), 0700);
    Fd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
    if (fd.get() < 0 || ::write(fd.get(), line.data(), written) != static_cast<ssize_t>(written))
        throw HostError("cannot write " + quoted(path) + ": " + errno_text(errno));
}

}  // namespace

void check_host_key(LIBSSH2_SESSION* session, const Endpoint& endpoint, Shared& shared) {
    std::size_t length = 0;
    int type = 0;
    const char* key = libssh2_session_hostkey(session, &length, &type);
    const char* hash = libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256);
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
    const int port = endpoint.port == 22 ? -1 : endpoint.port;
    const std::string name =
        port < 0 ? endpoint.host : "[" + endpoint.host + "]:" + std::to_string(endpoint.port);
    const int type_mask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | key_type_bits(type);

    std::lock_guard<std::mutex> lock(shared.known_hosts_mutex);
    std::unique_ptr<LIBSSH2_KNOWNHOSTS, decltype(&libssh2_knownhost_free)> known(
        libssh2_knownhost_init(session), libssh2_knownhost_free);
    if (!known) throw HostError("cannot check the host key: " + session_error(session));
    const std::string key_base64 = base64_unpadded(reinterpret_cast<const unsigned char*>(key), length);
    for (const auto& path : shared.known_hosts_read) {
        auto revoked = read_known_hosts(known.get(), path);
        if (std::find(revoked.begin(), revoked.end(), key_base64) != revoked.end())
            throw HostError("host key for " + name + " (" + fingerprint + ") is revoked in " + quoted(path));
    }
    libssh2_knownhost* entry = nullptr;
    int result = libssh2_knownhost_checkp(known.get(), endpoint.host.c_str(), port, key, length,
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
            record_host_key(session, known.get(), shared.known_hosts_write, name, key, length, type_mask);
            inform(endpoint.name + ": added " + name + " (" + fingerprint + ") to " + file);
            return;
        }
        throw HostError("host key for " + name + " is unknown (" + fingerprint + ", not in " + file +
                        "); add it with ssh-keyscan or set ssh_host_key_checking: accept-new");
    default: throw HostError("cannot check the host key: " + session_error(session));
    }
}

}  // namespace clusterp::ssh
