// The job that `clusterp run` profiles: started in a process group of its
// own, signals forwarded to that group, its output passed through unchanged
// while lines `clusterp-mark: ...` in it are recorded as markers.
//
// Why a process group of its own: clusterp must be able to signal the whole
// job (make and its compilers, mpirun and its ranks) and nothing else, also
// when clusterp shares its group with a shell script that started it.  When
// clusterp is the foreground of a terminal, the job's group is made the
// foreground for as long as it runs (as a shell does), so that the job reads
// the terminal, and the terminal's ^C, ^\ and ^Z reach the job directly;
// clusterp takes the terminal back when the job ends, and stops itself when
// the job is stopped (^Z), handing the terminal back on `fg`.
//
// Why output is scanned only when it is not a terminal: scanning needs a
// pipe between the job and the output, and a job that finds a pipe where it
// had a terminal behaves differently (buffering, colours, progress bars).
// Standard output and standard error are each passed through a pipe when
// they are not a terminal (a file, a pipe: a batch job's output), and left
// to the job untouched when they are.  Standard input is always the job's.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/markers.hpp"

namespace clusterp {

// Markers found in the job's output, as they pass.
using MarkerSink = std::function<void(const Marker&)>;

// One job: run() starts it and waits for its process; its output goes on
// being passed through (from what the job left running) until
// finish_output() or the destructor.
class Job {
public:
    // SINK is called from a thread of its own for each marker line.  A
    // Signals (collect/signals) must exist: its handlers send signals on to
    // the job.
    explicit Job(MarkerSink sink);
    ~Job();
    Job(const Job&) = delete;
    Job& operator=(const Job&) = delete;

    // Runs ARGV (ARGV[0] searched in $PATH unless it holds a '/') as
    // described at the top and returns its status as `bash -c` reports it:
    // the exit code, 128+N for signal N, 127 (not found) or 126 (cannot be
    // run), with a message for the last two, as bash does.
    int run(const std::vector<std::string>& argv);

    // Stops passing output on: what is already in the pipes is passed, then
    // they are closed (a process of the job still writing gets SIGPIPE).
    void finish_output();

private:
    struct Relay;
    MarkerSink m_sink;
    std::unique_ptr<Relay> m_relay;
};

}  // namespace clusterp
