// ssh-config FILE HOST...: prints what ~/.ssh/config FILE says for each HOST
// (`host: key value` lines, only the keys it sets), with home /home/me and
// local user me; a bad value prints `error: ...` and exits 1.  Drives
// tests/fast/ssh-config.bats.
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "collect/ssh/ssh_config.hpp"

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: ssh-config FILE HOST...\n";
        return 64;
    }
    std::ifstream file(argv[1]);
    std::stringstream text;
    text << file.rdbuf();
    const clusterp::SshConfigContext context{"/home/me", "me", "me"};
    for (int i = 2; i < argc; ++i) {
        const std::string host = argv[i];
        try {
            auto config = clusterp::ssh_host_config(text.str(), host, context);
            if (config.host_name) std::cout << host << ": hostname " << *config.host_name << "\n";
            if (config.user) std::cout << host << ": user " << *config.user << "\n";
            if (config.port) std::cout << host << ": port " << *config.port << "\n";
            for (const auto& identity : config.identity_files) std::cout << host << ": identityfile " << identity << "\n";
            if (config.proxy_jump) std::cout << host << ": proxyjump " << *config.proxy_jump << "\n";
            if (config.proxy_command) std::cout << host << ": proxycommand " << *config.proxy_command << "\n";
        } catch (const std::invalid_argument& e) {
            std::cout << "error: " << e.what() << "\n";
            return 1;
        }
    }
    return 0;
}
