// clusterp: the dispatcher.  `clusterp VERB ARGS...` runs clusterp-VERB, the
// way git runs git-VERB.
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "base/diag.hpp"
#include "base/exec_path.hpp"
#include "base/version.hpp"

using namespace clusterp;

namespace {

const char* const k_usage =
    "usage: clusterp [-h] {init,start,stop,parse,plot,report,compare,run,mark} ...\n"
    "\n"
    "Cluster profiling made easy: sysstat on every node over SSH, CSV and gnuplot plots.\n"
    "\n"
    "verbs:\n"
    "  init    write a commented config.yml, or check one (--check)\n"
    "  start   start the collector on every node\n"
    "  stop    stop the collectors and download their data into raw/\n"
    "  parse   turn raw sysstat output into CSV in parsed/\n"
    "  plot    draw parsed/ with gnuplot into plot/\n"
    "  report  name the host, resource and phase that held the job back\n"
    "  compare say what changed from one run to another, per phase, host and resource\n"
    "  run     start, run a command, stop, parse, report and plot; exit with its status\n"
    "  mark    record a marker or a phase in the active run\n"
    "\n"
    "'clusterp VERB -h' lists a verb's options; 'clusterp help VERB' shows its manual.\n";

bool is_verb_name(const std::string& verb) {
    if (verb.empty() || verb[0] == '-') return false;
    for (char c : verb)
        if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-'))
            return false;
    return true;
}

// `clusterp help VERB`: the page beside the build tree before install, the
// installed one after.
int show_manual(const std::string& verb) {
    std::string page = verb == "clusterp" ? verb : "clusterp-" + verb;
    std::string source_page = own_directory() + "/../../man/" + page + ".1";
    if (::access(source_page.c_str(), R_OK) == 0) return run_program("man", {"-l", source_page});
    return run_program("man", {page});
}

}  // namespace

int main(int argc, char** argv) {
    set_program_name("clusterp");
    return run_guarded([&] {
        std::vector<std::string> args(argv + 1, argv + argc);
        if (args.empty()) {
            std::cerr << k_usage;
            return static_cast<int>(k_exit_usage);
        }
        const std::string verb = args[0];
        if (verb == "-h" || verb == "--help") {
            std::cout << k_usage;
            return 0;
        }
        if (verb == "--version") {
            std::cout << "clusterp " << k_version << "\n";
            return 0;
        }
        if (verb == "help") {
            if (args.size() < 2) {
                std::cout << k_usage;
                return 0;
            }
            if (!is_verb_name(args[1])) throw Error(k_exit_usage, quoted(args[1]) + " is not a clusterp verb");
            return show_manual(args[1]);
        }
        if (!is_verb_name(verb))
            throw Error(k_exit_usage, "unknown option " + quoted(verb) + " (see 'clusterp -h')");
        auto program = find_program("clusterp-" + verb);
        if (!program) throw Error(k_exit_usage, quoted(verb) + " is not a clusterp verb (see 'clusterp -h')");
        exec_program(*program, {args.begin() + 1, args.end()});
        throw Error(k_exit_software, "cannot run " + quoted(*program) + ": " + errno_text(errno));
    });
}
