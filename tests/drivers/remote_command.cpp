// Driver for lib/remote_command: prints the text it builds, so that the bats
// suite can run it through real shells.
//   remote_command quote STRING...      one quoted word per line
//   remote_command start [DIR] INTERVAL [SIDE...]  start_command (DIR `-`
//                                       means unset; SIDE: side collectors)
//   remote_command stop DIR PID [CATEGORY:PID...]  stop_send_command
//   remote_command slurm-task COMMAND  slurm_task_command
//   remote_command reply               parse stdin, print `key=value` sorted
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "collect/remote_command.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: remote_command quote|start|stop|slurm-task|reply ARGS\n";
        return 64;
    }
    const std::string verb = argv[1];
    if (verb == "quote") {
        for (int i = 2; i < argc; ++i) std::cout << shell_quote(argv[i]) << "\n";
    } else if (verb == "start" && argc >= 4) {
        std::optional<std::string> dir;
        if (std::string(argv[2]) != "-") dir = argv[2];
        std::cout << start_command(dir, std::atoi(argv[3]), std::vector<std::string>(argv + 4, argv + argc)) << "\n";
    } else if (verb == "stop" && argc >= 4) {
        std::vector<SideRecord> side;
        for (int i = 4; i < argc; ++i) {
            std::string word = argv[i];
            auto colon = word.find(':');
            side.push_back({word.substr(0, colon), std::atol(word.c_str() + colon + 1)});
        }
        std::cout << stop_send_command(argv[2], std::atol(argv[3]), side) << "\n";
    } else if (verb == "slurm-task" && argc == 3) {
        std::cout << slurm_task_command(argv[2]) << "\n";
    } else if (verb == "reply") {
        std::string in((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        for (const auto& [key, values] : parse_reply(in))
            for (const auto& value : values) std::cout << key << "=" << value << "\n";
    } else {
        std::cerr << "remote_command: bad arguments\n";
        return 64;
    }
    return 0;
}
