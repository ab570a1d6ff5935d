// ssh-config CONFIG HOST...: prints where the SSH transport would reach each
// HOST (config.yml CONFIG, ~/.ssh/config and /etc/ssh/ssh_config as `ssh -G`
// resolves them), `ssh_target_text` lines as they are; a failure prints
// `ssh-config: HOST: cause` and exits 1.  Drives tests/cluster/ssh-config.bats.
#include <iostream>

#include "base/diag.hpp"
#include "collect/ssh/ssh_transport.hpp"
#include "collect/transport.hpp"
#include "model/config.hpp"

int main(int argc, char** argv) {
    using namespace clusterp;
    set_program_name("ssh-config");
    return run_guarded([&] {
        if (argc < 3) throw Error(k_exit_usage, "usage: ssh-config CONFIG HOST...");
        LoadOptions options;
        options.require_hosts = false;
        const Config config = load_config(argv[1], options);
        for (int i = 2; i < argc; ++i) {
            try {
                std::cout << ssh_target_text(config, argv[i]);
            } catch (const HostError& e) {
                print_error(std::string(argv[i]) + ": " + e.what());
                return 1;
            }
        }
        return 0;
    });
}
