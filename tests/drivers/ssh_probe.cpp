// ssh_probe [-v] [-t SECONDS] [-d REMOTE:LOCAL] CONFIG HOST... [-- COMMAND]...:
// drives the SSH transport without the tools.  Connects to every HOST at
// once (config.yml CONFIG gives the ssh settings), runs each COMMAND in turn
// in that one session (a command that fails or times out is reported and the
// next one still runs), downloads REMOTE into LOCAL over the exec channel
// (transfer.hpp; `%h` in LOCAL becomes the host), then prints, hosts in the order given:
//   HOST: exit STATUS
//   HOST: out LINE        (each line of stdout)
//   HOST: err LINE        (each line of stderr)
//   HOST: failed CAUSE    (a command the transport could not run)
//   HOST: downloaded N bytes
// -v shows the transport's debug messages.  A host that fails prints `ssh_probe: HOST: CAUSE` on stderr.  Exit status
// 0 when every host worked, 1 when one failed, 78 for a bad config.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "model/config.hpp"
#include "base/diag.hpp"
#include "collect/remote_command.hpp"
#include "collect/ssh/ssh_transport.hpp"
#include "collect/transfer.hpp"

namespace {

struct Outcome {
    std::string report;
    std::string error;
};

void append_lines(std::string& report, const std::string& host, const char* tag, const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) report += host + ": " + tag + " " + line + "\n";
}

std::string replace_host(std::string text, const std::string& host) {
    for (std::size_t at; (at = text.find("%h")) != std::string::npos;) text.replace(at, 2, host);
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace clusterp;
    set_program_name("ssh_probe");
    return run_guarded([&] {
        int timeout = 10;
        std::string download;
        std::vector<std::string> positional;
        std::vector<std::string> commands;
        for (int i = 1; i < argc; ++i) {
            std::string arg = argv[i];
            if (arg == "-v") {
                set_verbosity(Verbosity::verbose);
            } else if (arg == "-t" && i + 1 < argc) {
                timeout = std::atoi(argv[++i]);
            } else if (arg == "-d" && i + 1 < argc) {
                download = argv[++i];
            } else if (arg == "--") {
                commands.emplace_back();
            } else if (!commands.empty()) {
                commands.back() += (commands.back().empty() ? "" : " ") + arg;
            } else {
                positional.push_back(arg);
            }
        }
        if (positional.size() < 2 || (!download.empty() && download.find(':') == std::string::npos))
            throw Error(k_exit_usage, "usage: ssh_probe [-v] [-t SECONDS] [-d REMOTE:LOCAL] CONFIG HOST... [-- COMMAND]...");
        LoadOptions options;
        options.require_hosts = false;
        Config config = load_config(positional[0], options);
        std::unique_ptr<Connector> connector;
        try {
            connector = make_ssh_connector(config);
        } catch (const HostError& e) {
            throw Error(k_exit_unavailable, e.what());
        }
        std::vector<std::string> hosts(positional.begin() + 1, positional.end());
        std::vector<Outcome> outcomes(hosts.size());
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < hosts.size(); ++i) {
            threads.emplace_back([&, i] {
                const std::string& host = hosts[i];
                Outcome& outcome = outcomes[i];
                try {
                    auto session = connector->connect(host);
                    for (const auto& command : commands) {
                        try {
                            CommandResult result = session->run(command, std::chrono::seconds(timeout));
                            outcome.report += host + ": exit " + std::to_string(result.exit_status) + "\n";
                            append_lines(outcome.report, host, "out", result.out);
                            append_lines(outcome.report, host, "err", result.err);
                        } catch (const HostError& e) {
                            if (commands.size() == 1) throw;
                            outcome.report += host + ": failed " + e.what() + "\n";
                        }
                    }
                    if (!download.empty()) {
                        std::size_t colon = download.find(':');
                        std::string remote = download.substr(0, colon);
                        std::size_t slash = remote.rfind('/');
                        std::string dir = slash == std::string::npos ? "." : remote.substr(0, slash);
                        std::string name = remote.substr(slash + 1);
                        auto exchange = session->start(send_files_command(dir, {name}), std::chrono::seconds(timeout));
                        exchange->close_input();
                        auto bytes = receive_files(*exchange, std::string(),
                                                   {{name, replace_host(download.substr(colon + 1), host)}});
                        outcome.report += host + ": downloaded " + std::to_string(bytes[0]) + " bytes\n";
                    }
                } catch (const HostError& e) {
                    outcome.error = e.what();
                }
            });
        }
        for (auto& thread : threads) thread.join();
        int status = 0;
        for (std::size_t i = 0; i < hosts.size(); ++i) {
            std::cout << outcomes[i].report << std::flush;
            if (!outcomes[i].error.empty()) {
                print_error(hosts[i] + ": " + outcomes[i].error);
                status = 1;
            }
        }
        return status;
    });
}
