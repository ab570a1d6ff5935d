// lib/base/process: capture, pipe_command and run_parallel, with real
// children (/bin/sh, cat, tee, head): their promises are about processes.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/fd.hpp"
#include "base/process.hpp"

using namespace clusterp;

namespace {

// 4 MiB of lines: far more than a pipe holds (64 KiB), so that a caller
// that writes all before it reads, or reads one stream before the other,
// waits for ever.
std::string big_input() {
    std::string text;
    for (int i = 0; text.size() < (4u << 20); ++i) text += "line " + std::to_string(i) + "\n";
    return text;
}

std::vector<std::string> sh(const std::string& script) { return {"sh", "-c", script}; }

}  // namespace

TEST_SUITE("process") {

TEST_CASE("capture: both outputs apart, and the exit status") {
    const Captured run = capture("/bin/sh", sh("echo out; echo err >&2; exit 3"));
    CHECK(run.error == 0);
    CHECK(run.out == "out\n");
    CHECK(run.err == "err\n");
    CHECK(exit_code(run.status) == 3);
    CHECK_FALSE(run.ok());
    CHECK(capture("/bin/sh", sh("true")).ok());
}

TEST_CASE("capture: stdin is /dev/null, not ours") {
    const Captured run = capture("/bin/sh", sh("cat; echo end"));
    CHECK(run.ok());
    CHECK(run.out == "end\n");
}

TEST_CASE("capture: a descriptor of ours opened without O_CLOEXEC stays out of the child; a job may keep it") {
    const int fd = ::open("/dev/null", O_RDONLY);  // as std::ifstream opens
    REQUIRE(fd > 2);
    const std::string probe = "[ -e /proc/self/fd/" + std::to_string(fd) + " ] && echo open || echo closed";
    CHECK(capture("/bin/sh", sh(probe)).out == "closed\n");
    SpawnOptions keep;
    keep.close_other_fds = false;
    CHECK(pipe_command("/bin/sh", sh(probe), {}, keep).out == "open\n");
    ::close(fd);
}

TEST_CASE("pipe_command: megabytes in, megabytes out on both streams, no deadlock") {
    const std::string input = big_input();
    PipeStreams streams;
    streams.input = &input;
    const Captured run = pipe_command("/usr/bin/tee", {"tee", "/dev/stderr"}, streams);
    REQUIRE(run.ok());
    CHECK(run.out.size() == input.size());
    CHECK(run.out == input);
    CHECK(run.err == input);
}

TEST_CASE("pipe_command: a child that stops reading early ends well, and this process gets no SIGPIPE") {
    const std::string input = big_input();
    PipeStreams streams;
    streams.input = &input;
    const Captured run = pipe_command("/usr/bin/head", {"head", "-c", "10"}, streams);
    CHECK(run.ok());
    CHECK(run.out == input.substr(0, 10));
    // A SIGPIPE would have ended this whole binary (unit.bats then fails).
}

TEST_CASE("pipe_command: a failing child, a killed one, and one that does not exist") {
    const std::string input = "x\n";
    PipeStreams streams;
    streams.input = &input;
    const Captured failed = pipe_command("/bin/sh", sh("cat >/dev/null; echo no >&2; exit 2"), streams);
    CHECK(failed.error == 0);
    CHECK(exit_code(failed.status) == 2);
    CHECK(failed.err == "no\n");
    const Captured killed = pipe_command("/bin/sh", sh("kill -TERM $$"), streams);
    CHECK(WIFSIGNALED(killed.status));
    CHECK(exit_code(killed.status) == 143);
    const Captured missing = pipe_command("/nonexistent/program", {"program"}, streams);
    CHECK(missing.error == ENOENT);
    CHECK_FALSE(missing.ok());
}

TEST_CASE("pipe_command: a stream not captured is the spawn option's") {
    auto file = make_pipe();
    REQUIRE(file);
    PipeStreams streams;
    streams.err = false;
    SpawnOptions options;
    options.err = Redirect::to(file->write.get());
    const Captured run = pipe_command("/bin/sh", sh("echo out; echo err >&2"), streams, options);
    file->write.reset();
    CHECK(run.out == "out\n");
    CHECK(run.err.empty());
    char buffer[16] = {};
    CHECK(::read(file->read.get(), buffer, sizeof buffer) == 4);
    CHECK(std::string(buffer) == "err\n");
}

TEST_CASE("run_parallel: every child once, its own output, never more than WIDTH at once") {
    char pattern[] = "/tmp/clusterp-process-test.XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    const std::string dir = pattern;
    const std::size_t count = 12;
    const int width = 3;
    std::vector<std::string> outputs(count);
    std::vector<int> seen(count, 0);
    std::atomic<int> calls{0};
    // Each child leaves a file while it runs and prints how many it sees.
    run_parallel(
        count, width,
        [&](std::size_t i) {
            Command command;
            command.path = "/bin/sh";
            command.argv = sh("cd '" + dir + "' && touch $$ && ls | wc -l && sleep 0.05 && rm $$ && echo " +
                              std::to_string(i));
            command.options.in = Redirect::null();
            return command;
        },
        [&](std::size_t i, Captured& run) {
            ++calls;
            CHECK(run.ok());
            outputs[i] = run.out;
        });
    CHECK(calls == int(count));
    for (std::size_t i = 0; i < count; ++i) {
        CAPTURE(i);
        const auto newline = outputs[i].find('\n');
        REQUIRE(newline != std::string::npos);
        const int running = std::atoi(outputs[i].c_str());
        CHECK(running >= 1);
        CHECK(running <= width);
        CHECK(outputs[i].substr(newline + 1) == std::to_string(i) + "\n");
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("run_parallel: an exception from finished starts no more children and comes out") {
    std::atomic<int> started{0};
    CHECK_THROWS_AS(run_parallel(
                        50, 2,
                        [&](std::size_t) {
                            ++started;
                            return Command{"/bin/true", {"true"}, {}, {}};
                        },
                        [&](std::size_t i, Captured&) {
                            if (i == 0) throw std::runtime_error("stop");
                        }),
                    std::runtime_error);
    CHECK(started < 50);
}

}
