#include "model/config.hpp"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "base/diag.hpp"
#include "base/read_file.hpp"
#include "model/hostlist.hpp"
#include "model/names.hpp"

namespace clusterp {

namespace {

const std::vector<std::string> k_keys = {
    "ssh_gateway", "ssh_username", "ssh_password", "ssh_port", "ssh_key", "ssh_known_hosts",
    "ssh_host_key_checking", "ssh_timeout", "fanout", "transport", "launcher", "remote_dir",
    "hosts", "filesystem_names", "net_interfaces", "gpu_alias", "interval", "report", "gpu", "processes",
};

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// Reads one YAML document and reports every mistake as `FILE:LINE: ...`.
class Loader {
public:
    explicit Loader(const std::string& path) : m_path(path) {}

    [[noreturn]] void fail(const YAML::Node& node, const std::string& key, const std::string& what) const {
        std::string where = m_path;
        if (node.Mark().line >= 0) where += ":" + std::to_string(node.Mark().line + 1);
        throw Error(k_exit_config, where + ": " + (key.empty() ? "" : key + ": ") + what);
    }

    std::string scalar(const YAML::Node& node, const std::string& key) const {
        if (!node.IsScalar()) fail(node, key, "must be a single value, not a " + kind(node));
        return node.Scalar();
    }

    std::string text(const YAML::Node& node, const std::string& key) const {
        std::string value = scalar(node, key);
        if (value.empty()) fail(node, key, "must not be empty");
        for (unsigned char c : value)
            if (std::iscntrl(c)) fail(node, key, "must not hold control characters");
        return value;
    }

    int whole_number(const YAML::Node& node, const std::string& key, int low, int high) const {
        std::string value = scalar(node, key);
        bool digits = !value.empty() && value.size() <= 9 &&
                      std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); });
        int number = digits ? std::stoi(value) : -1;
        if (!digits || number < low || number > high) {
            std::string range = high == k_unbounded ? "a whole number of at least " + std::to_string(low)
                                                    : "a whole number from " + std::to_string(low) + " to " +
                                                          std::to_string(high);
            fail(node, key, "must be " + range + ", not '" + value + "'");
        }
        return number;
    }

    // `- name` or `- name: ALIAS` items (the seed's syntax); with ranges
    // when `ranges` is set (hosts), where an alias must name as many.
    std::vector<NamedItem> named_list(const YAML::Node& node, const std::string& key, bool ranges) const {
        std::vector<NamedItem> items;
        if (node.IsNull()) return items;
        if (ranges && node.IsScalar()) {  // `hosts: node[01-16]`
            add_entry(node, nullptr, key, ranges, items);
            return items;
        }
        if (!node.IsSequence()) fail(node, key, "must be a list of names (`- name` or `- name: alias`)");
        for (const auto& entry : node) {
            if (entry.IsMap()) {
                if (entry.size() != 1) fail(entry, key, "an entry must be `- name` or `- name: alias`");
                auto pair = *entry.begin();
                add_entry(pair.first, &pair.second, key, ranges, items);
            } else {
                add_entry(entry, nullptr, key, ranges, items);
            }
        }
        return items;
    }

    // A mapping of numbers (`report:`), checked for form only.
    std::vector<ConfigNumber> numbers(const YAML::Node& node, const std::string& key) const {
        std::vector<ConfigNumber> out;
        if (node.IsNull()) return out;
        if (!node.IsMap()) fail(node, key, "must be a mapping of names to numbers");
        for (const auto& pair : node) {
            const std::string name = scalar(pair.first, key);
            const std::string value = scalar(pair.second, key + ": " + name);
            char* end = nullptr;
            const double number = std::strtod(value.c_str(), &end);
            if (value.empty() || *end != '\0' || !std::isfinite(number))
                fail(pair.second, key + ": " + name, "must be a number, not '" + value + "'");
            std::string where = m_path;
            if (pair.first.Mark().line >= 0) where += ":" + std::to_string(pair.first.Mark().line + 1);
            out.push_back({name, number, where});
        }
        return out;
    }

    static constexpr int k_unbounded = 1 << 30;

private:
    static std::string kind(const YAML::Node& node) {
        if (node.IsSequence()) return "list";
        if (node.IsMap()) return "mapping";
        return "null value";
    }

    // alias_node: the value of `- name: ALIAS`, null for a plain `- name`.
    void add_entry(const YAML::Node& name_node, const YAML::Node* alias_value, const std::string& key,
                   bool ranges, std::vector<NamedItem>& items) const {
        std::string name = text(name_node, key);
        bool has_alias = alias_value && !alias_value->IsNull();
        const YAML::Node& alias_node = has_alias ? *alias_value : name_node;
        std::string alias = has_alias ? scalar(alias_node, key) : name;
        if (alias.empty()) fail(alias_node, key, "alias of '" + name + "' is empty");
        std::vector<std::string> names{name}, aliases{alias};
        if (ranges) {
            names = expand(name_node, key, name);
            aliases = has_alias ? expand(alias_node, key, alias) : names;
            if (aliases.size() != names.size())
                fail(alias_node, key,
                     "alias '" + alias + "' names " + std::to_string(aliases.size()) + " but '" + name +
                         "' names " + std::to_string(names.size()));
        }
        for (std::size_t i = 0; i < names.size(); ++i) {
            std::string problem = ranges ? host_name_problem(names[i]) : file_name_problem(names[i]);
            if (!problem.empty()) fail(name_node, key, "'" + names[i] + "' " + problem);
            problem = file_name_problem(aliases[i]);
            if (!problem.empty()) fail(alias_node, key, "alias '" + aliases[i] + "' " + problem);
            for (const auto& item : items) {
                if (item.name == names[i]) fail(name_node, key, "'" + names[i] + "' is listed twice");
                if (item.alias == aliases[i])
                    fail(alias_node, key, "alias '" + aliases[i] + "' is used twice");
            }
            items.push_back({names[i], aliases[i]});
        }
    }

    std::vector<std::string> expand(const YAML::Node& node, const std::string& key, const std::string& list) const {
        try {
            return expand_hostlist(list);
        } catch (const HostlistError& e) {
            fail(node, key, e.what());
        }
    }

    std::string m_path;
};

std::string alias_in(const std::vector<NamedItem>& items, const std::string& name, const std::string& otherwise) {
    for (const auto& item : items)
        if (item.name == name) return item.alias;
    return otherwise;
}

void check_gateway(const Loader& loader, const YAML::Node& node, const std::string& gateway) {
    std::string host = gateway.substr(gateway.find('@') == std::string::npos ? 0 : gateway.find('@') + 1);
    std::size_t colon = host.rfind(':');
    if (colon != std::string::npos && host.find(':') == colon) {  // host:port, not a bare IPv6 address
        std::string port = host.substr(colon + 1);
        host = host.substr(0, colon);
        bool digits = !port.empty() && port.size() <= 5 &&
                      std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); });
        if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535)
            loader.fail(node, "ssh_gateway", "bad port '" + port + "' in '" + gateway + "'");
    }
    std::string problem = host_name_problem(host);
    if (!problem.empty()) loader.fail(node, "ssh_gateway", "'" + host + "' " + problem);
}

void warn_if_password_readable(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)))
        warn(quoted(path) + " holds ssh_password and is readable by others (chmod 600 " + path + ")");
}

// The hosts SPEC names (a hostlist, or `^FILE`: a host file), each checked;
// ORIGIN (-H, -x, SLURM_JOB_NODELIST) starts every message.
std::vector<std::string> target_names(const std::string& spec, const std::string& origin) {
    std::vector<std::string> names;
    if (spec.size() > 1 && spec[0] == '^') {
        const std::string file = spec.substr(1);
        std::string text;
        try {
            text = read_whole_file(file);
        } catch (const Error& e) {
            throw Error(e.code(), origin + ": " + e.what());
        }
        try {
            names = expand_host_file(text);
        } catch (const HostlistError& e) {
            throw Error(k_exit_config, origin + ": " + file + ":" + std::to_string(e.line()) + ": " + e.what());
        }
        if (names.empty()) throw Error(k_exit_config, origin + ": " + quoted(file) + " names no host");
    } else {
        try {
            names = expand_hostlist(spec);
        } catch (const HostlistError& e) {
            throw Error(k_exit_config, origin + ": " + e.what());
        }
    }
    for (const auto& name : names) {
        std::string problem = host_name_problem(name);
        if (!problem.empty()) throw Error(k_exit_config, origin + ": '" + name + "' " + problem);
    }
    return names;
}

// launcher slurm reaches only the nodes of the allocation it runs in.
void check_allocation(const Config& config, const char* nodelist) {
    const char* job = std::getenv("SLURM_JOB_ID");
    if (!job || !*job || !nodelist || !*nodelist)
        throw Error(k_exit_config, "launcher slurm works inside a Slurm allocation, and SLURM_JOB_ID or "
                                   "SLURM_JOB_NODELIST is not set (run it inside sbatch or salloc, or use launcher ssh)");
    const std::vector<std::string> nodes = target_names(nodelist, "SLURM_JOB_NODELIST");
    const std::set<std::string> allocated(nodes.begin(), nodes.end());
    for (const auto& host : config.hosts)
        if (!allocated.count(host.name))
            throw Error(k_exit_config, "launcher slurm: '" + host.name + "' is not a node of Slurm job " + job +
                                           " (" + nodelist + ")");
}

}  // namespace

const char* transport_name(TransportKind kind) {
    switch (kind) {
    case TransportKind::local: return "local";
    case TransportKind::slurm: return "slurm";
    case TransportKind::ssh: break;
    }
    return "ssh";
}

std::string Config::host_alias(const std::string& host) const { return alias_in(hosts, host, host); }
std::string Config::host_alias(const std::string& host, const std::string& otherwise) const {
    return alias_in(hosts, host, otherwise);
}
std::string Config::device_alias(const std::string& device) const { return alias_in(filesystem_names, device, device); }
std::string Config::iface_alias(const std::string& iface) const { return alias_in(net_interfaces, iface, iface); }
std::string Config::gpu_alias(const std::string& host, const std::string& index, const std::string& uuid,
                              const std::string& model) const {
    for (const std::string& name : {host + ":" + index, uuid, index, model}) {
        if (name.empty()) continue;
        std::string alias = alias_in(gpu_aliases, name, "");
        if (!alias.empty()) return alias;
    }
    return "";
}

Config load_config(const std::string& path, const LoadOptions& options) {
    std::ifstream probe(path);
    if (!probe) throw Error(k_exit_no_input, "cannot open " + quoted(path) + " (run 'clusterp init' to write one)");
    YAML::Node root;
    try {
        root = YAML::Load(probe);
    } catch (const YAML::ParserException& e) {
        throw Error(k_exit_config, path + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
    }
    Loader loader(path);
    if (!root.IsNull() && !root.IsMap()) loader.fail(root, "", "must be a mapping of keys (see clusterp.yml(5))");

    Config config;
    config.path = path;
    YAML::Node hosts_node;  // where `hosts` stood, for messages
    bool has_hosts_key = false;
    std::string launcher = "ssh";
    YAML::Node launcher_node;
    for (const auto& pair : root) {
        const std::string key = loader.scalar(pair.first, "");
        const YAML::Node& value = pair.second;
        if (key == "ssh_gateway") {
            config.ssh_gateway = loader.text(value, key);
            check_gateway(loader, value, *config.ssh_gateway);
        } else if (key == "ssh_username") {
            config.ssh_username = loader.text(value, key);
        } else if (key == "ssh_password") {
            config.ssh_password = loader.scalar(value, key);
        } else if (key == "ssh_port") {
            config.ssh_port = loader.whole_number(value, key, 1, 65535);
        } else if (key == "ssh_key") {
            config.ssh_key = loader.text(value, key);
        } else if (key == "ssh_known_hosts") {
            config.ssh_known_hosts = loader.text(value, key);
        } else if (key == "ssh_host_key_checking") {
            std::string mode = loader.scalar(value, key);
            if (mode == "yes") config.ssh_host_key_checking = HostKeyChecking::yes;
            else if (mode == "accept-new") config.ssh_host_key_checking = HostKeyChecking::accept_new;
            else if (mode == "no") config.ssh_host_key_checking = HostKeyChecking::no;
            else loader.fail(value, key, "must be yes, accept-new or no, not '" + mode + "'");
        } else if (key == "ssh_timeout") {
            config.ssh_timeout = loader.whole_number(value, key, 1, 3600);
        } else if (key == "fanout") {
            config.fanout = loader.whole_number(value, key, 1, 1024);
        } else if (key == "transport") {
            std::string kind = loader.scalar(value, key);
            if (kind == "ssh") config.transport = TransportKind::ssh;
            else if (kind == "local") config.transport = TransportKind::local;
            else loader.fail(value, key, "must be ssh or local, not '" + kind + "'");
        } else if (key == "launcher") {
            std::string kind = loader.scalar(value, key);
            if (kind != "ssh" && kind != "slurm") loader.fail(value, key, "must be ssh or slurm, not '" + kind + "'");
            launcher = kind;
            launcher_node = value;
        } else if (key == "remote_dir") {
            config.remote_dir = loader.text(value, key);
            if ((*config.remote_dir)[0] != '/') loader.fail(value, key, "must be an absolute path");
        } else if (key == "interval") {
            config.interval = loader.whole_number(value, key, 1, Loader::k_unbounded);
        } else if (key == "gpu") {
            std::string mode = loader.scalar(value, key);
            if (mode == "auto") config.gpu = true;
            else if (mode == "off") config.gpu = false;
            else loader.fail(value, key, "must be auto or off, not '" + mode + "'");
        } else if (key == "processes") {
            std::string mode = loader.scalar(value, key);
            if (mode == "on") config.processes = true;
            else if (mode == "off") config.processes = false;
            else loader.fail(value, key, "must be on or off, not '" + mode + "'");
        } else if (key == "hosts") {
            hosts_node = value;
            has_hosts_key = true;
            config.hosts = loader.named_list(value, key, true);
        } else if (key == "filesystem_names") {
            config.filesystem_names = loader.named_list(value, key, false);
        } else if (key == "net_interfaces") {
            config.net_interfaces = loader.named_list(value, key, false);
        } else if (key == "gpu_alias") {
            config.gpu_aliases = loader.named_list(value, key, false);
        } else if (key == "report") {
            config.report = loader.numbers(value, key);
        } else {
            std::string hint;
            for (const auto& known : k_keys)
                if (edit_distance(key, known) <= std::max<std::size_t>(2, known.size() / 4)) {
                    hint = " (did you mean '" + known + "'?)";
                    break;
                }
            loader.fail(pair.first, "", "unknown key '" + key + "'" + hint);
        }
    }

    if (options.launcher) {
        if (*options.launcher != "ssh" && *options.launcher != "slurm")
            throw Error(k_exit_usage, "--launcher must be ssh or slurm, not '" + *options.launcher + "'");
        launcher = *options.launcher;
    }
    if (launcher == "slurm") {
        if (config.transport == TransportKind::local) {
            if (!options.launcher) loader.fail(launcher_node, "launcher", "slurm and transport local exclude each other");
            throw Error(k_exit_config, path + ": transport: local and --launcher slurm exclude each other");
        }
        config.transport = TransportKind::slurm;
    }

    const char* slurm = std::getenv("SLURM_JOB_NODELIST");
    std::optional<std::string> override_list = options.hosts_override;
    std::string override_origin = "-H";
    if (!override_list && !has_hosts_key && slurm && *slurm) {
        override_list = slurm;
        override_origin = "SLURM_JOB_NODELIST";
    }
    if (override_list) {
        std::vector<NamedItem> chosen;
        std::set<std::string> seen;
        for (const auto& name : target_names(*override_list, override_origin))
            if (seen.insert(name).second) chosen.push_back({name, config.host_alias(name)});
        config.hosts = chosen;
    }
    if (options.require_hosts && config.transport == TransportKind::slurm) {
        check_allocation(config, slurm);
        config.slurm_job = std::getenv("SLURM_JOB_ID");
    }
    if (options.require_hosts && config.hosts.empty()) {
        if (has_hosts_key) loader.fail(hosts_node, "hosts", "lists no host");
        throw Error(k_exit_config, path + ": hosts: no host to profile (add `hosts:`, use -H, or run inside a Slurm job)");
    }
    if (options.exclude) {
        config.excluded_hosts = target_names(*options.exclude, "-x");
        std::set<std::string> excluded(config.excluded_hosts.begin(), config.excluded_hosts.end());
        config.hosts.erase(std::remove_if(config.hosts.begin(), config.hosts.end(),
                                          [&](const NamedItem& item) { return excluded.count(item.name) > 0; }),
                           config.hosts.end());
    }
    if (config.ssh_password) warn_if_password_readable(path);
    return config;
}

std::optional<Config> load_optional_config(const std::string& path, bool required) {
    struct stat st;
    if (!required && ::stat(path.c_str(), &st) != 0) return std::nullopt;
    LoadOptions load;
    load.require_hosts = false;
    return load_config(path, load);
}

}  // namespace clusterp
