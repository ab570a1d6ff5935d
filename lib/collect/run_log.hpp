// clusterp.log: an append-only record, per host, of every remote command a
// tool ran and how it ended, for the sysadmin who asks afterwards what was
// done on a node.  Lines look like
//   2026-11-25T03:45:00.123Z clusterp-start[4242] n1: run: export LC_ALL=C ...
//   2026-11-25T03:45:00.154Z clusterp-start[4242] n1: exit 0 in 0.031 s
// Commands hold no secrets (passwords never reach remote_command), and no
// password is ever passed to this module.
#pragma once

#include <mutex>
#include <string>

namespace clusterp {

class RunLog {
public:
    // Opens PATH for appending (created 0644).  Throws Error (73).
    explicit RunLog(const std::string& path);
    ~RunLog();
    RunLog(const RunLog&) = delete;
    RunLog& operator=(const RunLog&) = delete;

    // One line `TIME PROGRAM[PID] HOST: TEXT`; newlines in TEXT are written
    // as `\n` so that a line is always one record.  Thread-safe, and one
    // write(2) per line, so concurrent tools do not interleave.
    void record(const std::string& host, const std::string& text);

private:
    int m_fd = -1;
    std::mutex m_mutex;
};

}  // namespace clusterp
