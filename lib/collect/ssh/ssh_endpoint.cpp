#include "collect/ssh/ssh_endpoint.hpp"

#include <glob.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "base/diag.hpp"
#include "collect/ssh/ssh_config.hpp"

namespace clusterp::ssh {

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

Endpoint resolve_endpoint(const Shared& shared, const std::string& host, bool is_gateway, const JumpSpec* spec) {
    const Config& config = shared.config;
    SshConfigContext context{shared.home, shared.local_user,
                             config.ssh_username.value_or(shared.local_user)};
    SshHostConfig found;
    try {
        found = ssh_host_config(shared.ssh_config_text, host, context);
    } catch (const std::invalid_argument& e) {
        throw HostError(quoted(shared.home + "/.ssh/config") + ": " + e.what());
    }
    Endpoint endpoint;
    endpoint.name = host;
    endpoint.host = found.host_name.value_or(host);
    if (is_gateway) {
        endpoint.user = spec && spec->user ? *spec->user
                        : found.user       ? *found.user
                                           : config.ssh_username.value_or(shared.local_user);
        endpoint.port = spec && spec->port ? *spec->port : found.port ? *found.port : config.ssh_port.value_or(22);
    } else {
        endpoint.user = config.ssh_username ? *config.ssh_username : found.user.value_or(shared.local_user);
        endpoint.port = config.ssh_port ? *config.ssh_port : found.port.value_or(22);
        endpoint.jump = found.proxy_jump;
        endpoint.proxy_command = found.proxy_command.has_value();
    }
    if (config.ssh_key) endpoint.identities.push_back(expand_home(*config.ssh_key, shared.home));
    for (const auto& file : found.identity_files) endpoint.identities.push_back(file);
    return endpoint;
}

}  // namespace clusterp::ssh
