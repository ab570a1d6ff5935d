#include "model/init.hpp"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <vector>

#include "base/atomic_file.hpp"
#include "model/config.hpp"
#include "model/names.hpp"
#include "base/diag.hpp"

namespace clusterp {

namespace fs = std::filesystem;

namespace {

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// Entries of a sysfs directory, sorted, less those `skip` rejects; names
// that could not be config entries are left out too.
template <typename Skip>
std::vector<std::string> sysfs_names(const char* dir, Skip skip) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::string name = entry.path().filename().string();
        if (!skip(name) && file_name_problem(name).empty()) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string yaml_list(const std::vector<std::string>& names) {
    if (names.empty()) return " []\n";
    std::string out = "\n";
    for (const auto& name : names) out += "    - " + name + "\n";
    return out;
}

}  // namespace

std::string local_config_text() {
    char buffer[HOST_NAME_MAX + 1] = {};
    std::string host = ::gethostname(buffer, sizeof buffer - 1) == 0 ? buffer : "";
    if (!host_name_problem(host).empty()) host = "localhost";

    auto disks = sysfs_names("/sys/block", [](const std::string& name) {
        return starts_with(name, "loop") || starts_with(name, "ram") || starts_with(name, "zram") ||
               starts_with(name, "fd") || starts_with(name, "sr");
    });
    auto interfaces = sysfs_names("/sys/class/net", [](const std::string& name) { return name == "bonding_masters"; });

    return "# clusterp configuration written by `clusterp init --local`: it profiles\n"
           "# this machine without SSH.  Every key is described in clusterp.yml(5);\n"
           "# `clusterp init` writes a commented template for a cluster.\n"
           "transport: local\n"
           "hosts:\n    - " + host + "\n"
           "interval: 1\n"
           "# The block devices and network interfaces of this machine; add\n"
           "# `: ALIAS` to an entry to name it in the plots.\n"
           "filesystem_names:" + yaml_list(disks) +
           "net_interfaces:" + yaml_list(interfaces);
}

void write_new_config(const std::string& path, const std::string& text, bool force) {
    std::error_code ec;
    if (!force && fs::exists(fs::symlink_status(path, ec)))
        throw Error(k_exit_cant_create, quoted(path) + " already exists (use --force to replace it)");
    write_file_atomically(path, text, 0600);
}

std::string describe_targets(const Config& config) {
    std::string out;
    for (const auto& host : config.hosts) out += host.name + " " + host.alias + "\n";
    return out;
}

}  // namespace clusterp
