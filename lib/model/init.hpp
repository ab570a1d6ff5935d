// clusterp-init: writing a new config.yml, and describing an existing one.
#pragma once

#include <string>

namespace clusterp {

struct Config;

// The commented template (share/clusterp/config.yml, compiled in).
extern const char k_config_template[];

// A config that profiles this machine with the local transport: its host
// name, its block devices (from /sys/block, less loop, ram, zram, floppy and
// optical drives) and its network interfaces (from /sys/class/net, lo
// included: local jobs talk over it), at a 1 s interval.
std::string local_config_text();

// Writes TEXT to PATH, mode 0600 (a config may come to hold a password).
// Refuses an existing PATH unless `force`: Error 73.
void write_new_config(const std::string& path, const std::string& text, bool force);

// `host alias` lines, one per host, in config order: what `init --check`
// prints.
std::string describe_targets(const Config& config);

}  // namespace clusterp
