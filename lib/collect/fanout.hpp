// Running one task per host, at most `width` at once.  A failing host never
// stops the others; what each host reports is printed in config order (a host
// waits for the ones before it), so that output is the same whatever the
// width; on a terminal a live progress line shows on stderr meanwhile.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace clusterp {

// skipped: not begun (an interruption, collect/signals); nothing printed.
enum class HostStatus { ok, failed, unreachable, skipped };

// What one host's task produced.  Messages are printed as
// `prog: HOST: text` (errors and notes) or `prog: warning: HOST: text`.
struct HostOutcome {
    HostStatus status = HostStatus::ok;
    std::vector<std::string> errors;
    std::vector<std::string> warnings;
    std::vector<std::string> notes;   // shown unless -q
    std::vector<std::string> output;  // stdout lines (file names)

    // Marks the host failed (or unreachable) with CAUSE.
    HostOutcome& fail(const std::string& cause, HostStatus status = HostStatus::failed);
};

struct FanoutResult {
    std::size_t ok = 0;
    std::size_t failed = 0;  // unreachable ones included
    std::size_t unreachable = 0;
    std::size_t skipped = 0;  // not begun

    // 0 when every host succeeded, 69 when none was reachable, else 1.
    int exit_code() const;
    // `63 started, 1 failed` with DONE = "started", then `, 5 not begun`
    // when hosts were skipped.
    std::string summary(const std::string& done) const;
};

// Runs task(i) for every i < hosts.size() on up to WIDTH threads (at least 1).
// An exception escaping a task fails that host with its message.
FanoutResult fan_out(const std::vector<std::string>& hosts, int width,
                     const std::function<HostOutcome(std::size_t)>& task);

}  // namespace clusterp
