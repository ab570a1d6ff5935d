// .clusterp/run.json: what start recorded about a run, read by stop and
// parse.  Written as JSON by hand (it is flat), read with yaml-cpp, whose
// parser accepts JSON; the only other module besides config that includes it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace clusterp {

// A side collector started beside sadc (collect/remote_command): its
// category (lowercase letters: a file and shell variable name) and pid.
struct SideRecord {
    std::string category;
    long pid = 0;
};

// Where a host of the run stands.  failed: start did not start it (a
// record without a status reads as failed); stopped: its data is in raw/.
enum class HostState { started, failed, stopped };

// The state's word in run.json and in summaries: "started", "failed",
// "stopped".
const char* host_state_text(HostState state);

struct HostRecord {
    std::string host;
    std::string alias;
    HostState status = HostState::failed;
    std::string error;         // the cause when status is failed
    std::string dir;           // the node's private directory (mktemp -d)
    long pid = 0;              // sadc's pid on the node
    std::string sysstat;       // `sadc -V` version, e.g. "12.6.1"
    double clock_offset = 0;   // seconds, node clock minus controller clock
    double clock_error = -1;   // seconds, |true offset - clock_offset| at most; -1: unknown (older runs)
    long long mem_total_kib = 0;  // MemTotal, 0 when unknown
    int cpus = 0;
    std::vector<SideRecord> side;  // the side collectors running (gpu)
    std::string slurm_step;        // launcher slurm: the step holding its collectors, JOB.STEP ("42.0")
};

struct Manifest {
    int version = 1;
    std::string run_id;   // e.g. 20261125T034500Z-4f2a
    std::string started;  // ISO 8601 UTC
    int interval = 0;
    std::string transport;  // "ssh", "local" or "slurm"
    std::string slurm_job;  // launcher slurm: the allocation's job id, which stop must run in
    std::vector<HostRecord> hosts;

    const HostRecord* find(const std::string& host) const;
};

// Reads PATH; nullopt when the file does not exist.  Throws Error (65) when
// it exists but is not a manifest.
std::optional<Manifest> read_manifest(const std::string& path);
// Writes PATH atomically (temporary file and rename).  Throws Error (73).
void write_manifest(const std::string& path, const Manifest& manifest);

inline constexpr const char* k_manifest_path = ".clusterp/run.json";

}  // namespace clusterp
