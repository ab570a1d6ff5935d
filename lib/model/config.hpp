// config.yml: loading and validation (the only module, with manifest, that
// includes yaml-cpp).  Every mistake is an Error with exit status 78 and one
// line `FILE:LINE: KEY: what is wrong`.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace clusterp {

// A list entry `- name` or `- name: ALIAS`; alias equals name when none.
struct NamedItem {
    std::string name;
    std::string alias;
};

// A number of a mapping key such as `report:`, as given: its key, value
// and where it stands (`FILE:LINE`), so that the module that knows which
// keys exist can say what is wrong and where.
struct ConfigNumber {
    std::string key;
    double value = 0;
    std::string where;
};

enum class HostKeyChecking { yes, accept_new, no };
// `transport: local` or `launcher: slurm`, else ssh.
enum class TransportKind { ssh, local, slurm };
// "ssh", "local" or "slurm", as the manifest records it.
const char* transport_name(TransportKind kind);

struct Config {
    std::string path;  // the file read, for messages

    std::optional<std::string> ssh_gateway;  // host, user@host or host:port
    std::optional<std::string> ssh_username;
    std::optional<std::string> ssh_password;  // never logged, printed or passed in argv
    std::optional<int> ssh_port;              // unset: ~/.ssh/config, then 22
    std::optional<std::string> ssh_key;       // identity file
    std::optional<std::string> ssh_known_hosts;
    HostKeyChecking ssh_host_key_checking = HostKeyChecking::yes;
    int ssh_timeout = 10;  // seconds, connect and each remote command
    int fanout = 32;
    TransportKind transport = TransportKind::ssh;
    std::string slurm_job;  // launcher slurm with hosts required: the allocation's $SLURM_JOB_ID
    std::optional<std::string> remote_dir;  // unset: the node's $TMPDIR, else /tmp
    int interval = 10;                      // seconds between samples
    bool gpu = true;                        // `gpu: auto` (nvidia-smi where it runs) or `off`
    bool processes = false;                 // `processes: on` (pidstat beside sadc) or `off`

    std::vector<NamedItem> hosts;  // ranges expanded, in config order, -x applied
    std::vector<std::string> excluded_hosts;  // what -x named: never worked on
    std::vector<NamedItem> filesystem_names;
    std::vector<NamedItem> net_interfaces;
    // `gpu_alias:` entries, each naming GPUs by HOST:INDEX, UUID, INDEX or
    // model name (nvidia-smi's name).
    std::vector<NamedItem> gpu_aliases;
    // `report:` thresholds of clusterp-report, checked by it (report/rules).
    std::vector<ConfigNumber> report;

    // The alias of a host, device or interface; the name itself when the
    // config gives none or does not list it.
    std::string host_alias(const std::string& host) const;
    // The alias of a host the config lists, else OTHERWISE.
    std::string host_alias(const std::string& host, const std::string& otherwise) const;
    std::string device_alias(const std::string& device) const;
    std::string iface_alias(const std::string& iface) const;
    // The alias of a GPU of HOST: the entry naming HOST:INDEX, else its
    // UUID, else its INDEX, else its MODEL; "" when none does.
    std::string gpu_alias(const std::string& host, const std::string& index, const std::string& uuid,
                          const std::string& model) const;
};

struct LoadOptions {
    // -H LIST: replaces `hosts`.  A pdsh hostlist (`n[1-4], login1`), or
    // `^FILE`: a file of hosts, one hostlist per line (pdsh's `-w ^FILE`).
    std::optional<std::string> hosts_override;
    // When false, a config without hosts is accepted (parse and plot only
    // need aliases).
    bool require_hosts = true;
    // -x LIST: hosts to leave out (same forms as -H), whether named by the
    // config, -H or SLURM_JOB_NODELIST; recorded in excluded_hosts.
    std::optional<std::string> exclude;
    // --launcher: ssh or slurm, over the config's `launcher`.
    std::optional<std::string> launcher;
};

// Reads and validates PATH.  When `hosts` is absent and no override is given,
// SLURM_JOB_NODELIST is used.  With launcher slurm and require_hosts, the
// process must be inside an allocation (SLURM_JOB_ID and SLURM_JOB_NODELIST
// set) and every host one of its nodes.  Throws Error: 66 when the file (or a -H/-x
// host file) is missing, 78 for every mistake in it (or in -H/-x).  -x
// leaving no host is not an error here: the caller knows which hosts count.
Config load_config(const std::string& path, const LoadOptions& options = {});

// The config of a tool that needs only aliases (parse, plot): PATH loaded
// without requiring hosts, or nullopt when PATH does not exist and
// !REQUIRED (names then serve as aliases).  Throws as load_config.
std::optional<Config> load_optional_config(const std::string& path, bool required);

}  // namespace clusterp
