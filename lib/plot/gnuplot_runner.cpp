#include "plot/gnuplot_runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>

#include "base/atomic_file.hpp"
#include "base/diag.hpp"
#include "base/fd.hpp"
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

// A started gnuplot and the file that holds its stderr.
struct Running {
    GnuplotJob* job;
    std::FILE* errors;
};

Running start(GnuplotJob& job, const std::string& path, Redirect in, pid_t& pid) {
    std::FILE* errors = std::tmpfile();
    if (!errors) throw Error(k_exit_io, std::string("cannot create a temporary file: ") + std::strerror(errno));
    std::vector<std::string> argv{"gnuplot"};
    argv.insert(argv.end(), job.args.begin(), job.args.end());
    SpawnOptions options;
    options.in = in;
    options.err = Redirect::to(fileno(errors));
    const Spawned spawned = spawn(path, argv, options);
    if (spawned.pid < 0) {
        std::fclose(errors);
        throw Error(k_exit_unavailable, std::string("cannot run gnuplot: ") + std::strerror(spawned.error));
    }
    pid = spawned.pid;
    return {&job, errors};
}

// gnuplot's messages, one line each, empty lines and carets dropped.
std::vector<std::string> error_lines(std::FILE* file) {
    std::vector<std::string> lines;
    std::rewind(file);
    std::string line;
    int c;
    while ((c = std::fgetc(file)) != EOF) {
        if (c != '\n') { line += char(c); continue; }
        auto first = line.find_first_not_of(" \t");
        if (first != std::string::npos && line[first] != '^') lines.push_back(line.substr(first));
        line.clear();
    }
    if (!line.empty()) lines.push_back(line);
    std::fclose(file);
    return lines;
}

// Ends one run: moves its outputs into place, or reports and removes them.
bool finish(const Running& run, int status) {
    const GnuplotJob& job = *run.job;
    std::vector<std::string> lines = error_lines(run.errors);
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) {
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
    const std::string path = jobs.empty() ? std::string() : gnuplot_path();
    std::map<pid_t, Running> running;
    std::size_t next = 0;
    int failed = 0;
    while (next < jobs.size() || !running.empty()) {
        while (next < jobs.size() && int(running.size()) < parallel) {
            GnuplotJob& job = jobs[next++];
            debug("running gnuplot on " + job.what);
            pid_t pid = -1;
            Running run = start(job, path, Redirect::null(), pid);
            running.emplace(pid, run);
        }
        const Ended ended = wait_any();
        auto it = running.find(ended.pid);
        if (it == running.end()) continue;
        if (!finish(it->second, ended.status)) ++failed;
        running.erase(it);
    }
    return failed;
}

bool run_piped(GnuplotJob& job) {
    const std::string path = gnuplot_path();
    std::optional<Pipe> pipe = make_pipe();
    if (!pipe) throw Error(k_exit_io, std::string("pipe: ") + std::strerror(errno));
    pid_t pid = -1;
    const Running run = start(job, path, Redirect::to(pipe->read.get()), pid);
    pipe->read.reset();
    std::signal(SIGPIPE, SIG_IGN);
    const char* data = job.input.data();
    std::size_t left = job.input.size();
    while (left > 0) {
        ssize_t n = ::write(pipe->write.get(), data, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // gnuplot stopped reading: its status says why
        data += n;
        left -= std::size_t(n);
    }
    pipe->write.reset();
    return finish(run, wait_for(pid));
}

}  // namespace clusterp
