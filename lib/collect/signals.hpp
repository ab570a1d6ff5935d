// How clusterp takes SIGINT, SIGTERM and SIGHUP (those ignored when it
// started stay ignored).  The handlers are installed once and stay for the
// life of the process; what they do depends on the stretch of work:
//
// - a fan-out over hosts (start, stop) under an Interruption: the first
//   signal lets every host finish its current step and begins no other
//   host (a line on stderr says so at once); a second one ends the process
//   at once (git's model: temporary files registered in base/atomic_file
//   removed first);
// - clusterp run's job (collect/job): the signal is sent on to the job's
//   process group;
// - after abort_on_signal(): a signal ends the process at once;
// - otherwise: the signal is recorded (received()) and ends
//   wait_for_signal().
#pragma once

#include <sys/types.h>

#include <string>

namespace clusterp {

// The process's signal handling.  Constructing it installs the handlers
// (once per process; an Interruption installs them too).
class Signals {
public:
    Signals();

    // Waits MILLISECONDS or until a signal came (also one that came
    // before); returns false when a signal cut it short.
    bool wait_for_signal(long milliseconds);
    // The first signal received, 0 if none.
    int received() const;
    // From now on a signal writes MESSAGE (a line) on stderr, removes the
    // registered temporary files and ends the process with STATUS, without
    // unwinding (what was written stays).
    void abort_on_signal(const std::string& message, int status);

    // While GROUP > 0, signals are sent on to process group GROUP; 0 stops
    // that.  A signal that came before is sent at once.
    static void send_to_group(pid_t group);
};

// A fan-out that a signal interrupts gracefully, as described at the top.
// AGAIN is the line written on stderr when a second signal ends the process
// (status 128+N): it says what is left and where.  One at a time.  Where
// no Signals exists (clusterp start, stop), the signals do again what they
// did before once it is gone (a chained clusterp-parse is ended by them).
class Interruption {
public:
    explicit Interruption(const std::string& again);
    ~Interruption();
    Interruption(const Interruption&) = delete;
    Interruption& operator=(const Interruption&) = delete;

    // The signal that came since construction, 0 if none.
    int signal() const;
    bool requested() const { return signal() != 0; }

private:
    bool m_installed;  // the handlers were installed for it
};

}  // namespace clusterp
