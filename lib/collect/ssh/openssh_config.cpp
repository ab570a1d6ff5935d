#include "collect/ssh/openssh_config.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace clusterp::ssh {
namespace {

// What ssh -G lists when no IdentityFile is configured (OpenSSH 8 and 9).
const char* const k_openssh_defaults[] = {"~/.ssh/id_rsa",     "~/.ssh/id_ecdsa",     "~/.ssh/id_ecdsa_sk",
                                          "~/.ssh/id_ed25519", "~/.ssh/id_ed25519_sk", "~/.ssh/id_xmss",
                                          "~/.ssh/id_dsa"};

int parse_port(const std::string& value) {
    bool digits = !value.empty() && value.size() <= 5 &&
                  std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); });
    int port = digits ? std::stoi(value) : 0;
    if (port < 1 || port > 65535) throw std::invalid_argument("bad port '" + value + "'");
    return port;
}

std::string expand(const std::string& text, const OpenSshHost& host, const ExpandContext& context) {
    std::string path = text;
    if (path == "~" || path.rfind("~/", 0) == 0) path = context.home + path.substr(1);
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] != '%' || i + 1 == path.size()) {
            out += path[i];
            continue;
        }
        switch (char letter = path[++i]) {
        case '%': out += '%'; break;
        case 'd': out += context.home; break;
        case 'h': out += host.host_name; break;
        case 'n': out += context.alias; break;
        case 'p': out += std::to_string(host.port); break;
        case 'r': out += host.user; break;
        case 'u': out += context.local_user; break;
        default:
            out += '%';
            out += letter;
        }
    }
    return out;
}

}  // namespace

OpenSshHost parse_ssh_g(const std::string& output, const ExpandContext& context) {
    OpenSshHost host;
    std::vector<std::string> identities;
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        std::size_t space = line.find(' ');
        if (space == std::string::npos) continue;
        const std::string key = line.substr(0, space);
        const std::string value = line.substr(space + 1);
        if (key == "hostname") host.host_name = value;
        else if (key == "user") host.user = value;
        else if (key == "port") host.port = parse_port(value);
        else if (key == "identityfile") identities.push_back(value);
        else if (key == "proxycommand") host.proxy_command = value != "none";
        else if (key == "proxyjump" && value != "none") {
            if (value.find(',') != std::string::npos)
                throw std::invalid_argument("ProxyJump with several hops '" + value + "' is not supported");
            host.proxy_jump = value;
        }
    }
    const bool defaults = identities.size() == std::size(k_openssh_defaults) &&
                          std::equal(identities.begin(), identities.end(), std::begin(k_openssh_defaults));
    if (!defaults)
        for (const auto& file : identities) host.identity_files.push_back(expand(file, host, context));
    return host;
}

std::string ssh_g_config(const std::string& home, const std::string& system_config) {
    auto quote = [](const std::string& path) { return "\"" + path + "\""; };
    return "Include " + quote(home + "/.ssh/config") + "\nInclude " + quote(system_config) + "\n";
}

JumpSpec parse_jump(const std::string& text) {
    JumpSpec spec;
    std::string rest = text.rfind("ssh://", 0) == 0 ? text.substr(6) : text;
    std::size_t at = rest.rfind('@');
    if (at != std::string::npos) {
        spec.user = rest.substr(0, at);
        rest = rest.substr(at + 1);
    }
    if (!rest.empty() && rest[0] == '[') {
        std::size_t close = rest.find(']');
        if (close == std::string::npos) throw std::invalid_argument("no ']' in '" + text + "'");
        spec.host = rest.substr(1, close - 1);
        std::string after = rest.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':') throw std::invalid_argument("bad jump host '" + text + "'");
            spec.port = parse_port(after.substr(1));
        }
    } else {
        std::size_t colon = rest.rfind(':');
        // One colon: host:port; more: a bare IPv6 address.
        if (colon != std::string::npos && rest.find(':') == colon) {
            spec.port = parse_port(rest.substr(colon + 1));
            rest = rest.substr(0, colon);
        }
        spec.host = rest;
    }
    if (spec.host.empty()) throw std::invalid_argument("no host in '" + text + "'");
    return spec;
}

}  // namespace clusterp::ssh
