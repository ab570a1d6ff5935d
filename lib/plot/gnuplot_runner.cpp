#include "plot/gnuplot_runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <sstream>

#include "base/atomic_file.hpp"
#include "base/diag.hpp"
#include "base/process.hpp"

namespace clusterp {

namespace {

namespace fs = std::filesystem;

std::string gnuplot_path() {
    std::optional<std::string> path = find_in_path("gnuplot");
    if (!path)
        throw Error(k_exit_unavailable, "gnuplot not found in PATH; install it (Debian: apt-get install gnuplot-nox)");
    return *path;
}

// JOB as base/process runs it: stderr captured for the messages, stdout
// left to this process (stream mode's plot may go there).
Command gnuplot_command(const std::string& path, const GnuplotJob& job, Redirect in) {
    Command command;
    command.path = path;
    command.argv = {"gnuplot"};
    command.argv.insert(command.argv.end(), job.args.begin(), job.args.end());
    command.streams.out = false;
    command.options.in = in;
    return command;
}

// gnuplot's messages, one line each, empty lines and carets dropped.
std::vector<std::string> error_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        auto first = line.find_first_not_of(" \t");
        if (first != std::string::npos && line[first] != '^') lines.push_back(line.substr(first));
    }
    return lines;
}

// Ends one run: moves its outputs into place, or reports and removes them.
bool finish(const GnuplotJob& job, const Captured& run) {
    if (run.error != 0) throw Error(k_exit_unavailable, "cannot run gnuplot: " + errno_text(run.error));
    std::vector<std::string> lines = error_lines(run.err);
    if (!run.ok()) {
        const int status = run.status;
        std::string cause = lines.empty() ? (WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                                                  : "exit status " + std::to_string(WEXITSTATUS(status)))
                                          : lines.back();
        print_error("gnuplot failed on " + job.what + ": " + cause);
        for (const auto& output : job.outputs) ::unlink(output.first.c_str());
        return false;
    }
    for (const std::string& line : lines) debug(job.what + ": gnuplot: " + line);
    for (const auto& output : job.outputs) {
        std::error_code ec;
        if (!fs::exists(output.first, ec)) continue;  // stdout
        commit_file(output.first, output.second);
    }
    return true;
}

}  // namespace

void require_gnuplot() { gnuplot_path(); }

int run_jobs(std::vector<GnuplotJob>& jobs, int parallel) {
    if (jobs.empty()) return 0;
    const std::string path = gnuplot_path();
    std::atomic<int> failed{0};
    run_parallel(
        jobs.size(), parallel,
        [&](std::size_t i) {
            debug("running gnuplot on " + jobs[i].what);
            return gnuplot_command(path, jobs[i], Redirect::null());
        },
        [&](std::size_t i, Captured& run) {
            if (!finish(jobs[i], run)) ++failed;
        });
    return failed;
}

bool run_piped(GnuplotJob& job) {
    Command command = gnuplot_command(gnuplot_path(), job, Redirect::inherit());
    command.streams.input = &job.input;
    return finish(job, pipe_command(command.path, command.argv, command.streams, command.options));
}

}  // namespace clusterp
