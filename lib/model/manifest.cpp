#include "model/manifest.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "base/atomic_file.hpp"
#include "base/diag.hpp"
#include "model/names.hpp"

namespace clusterp {

namespace {

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char escape[8];
                std::snprintf(escape, sizeof escape, "\\u%04x", c);
                out += escape;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

std::string json_number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6f", value);
    return text;
}

template <typename T>
T field(const YAML::Node& node, const char* key, T fallback) {
    return node[key] ? node[key].as<T>() : fallback;
}

}  // namespace

const char* host_state_text(HostState state) {
    switch (state) {
    case HostState::started: return "started";
    case HostState::stopped: return "stopped";
    case HostState::failed: break;
    }
    return "failed";
}

const HostRecord* Manifest::find(const std::string& host) const {
    for (const auto& record : hosts)
        if (record.host == host) return &record;
    return nullptr;
}

std::optional<Manifest> read_manifest(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    Manifest manifest;
    try {
        YAML::Node root = YAML::Load(in);
        manifest.version = field(root, "version", 1);
        manifest.run_id = field<std::string>(root, "run_id", "");
        manifest.started = field<std::string>(root, "started", "");
        manifest.interval = field(root, "interval", 0);
        manifest.transport = field<std::string>(root, "transport", "");
        manifest.slurm_job = field<std::string>(root, "slurm_job", "");
        for (const auto& node : root["hosts"]) {
            HostRecord record;
            record.host = node["host"].as<std::string>();
            record.alias = field<std::string>(node, "alias", record.host);
            const std::string status = field<std::string>(node, "status", host_state_text(HostState::failed));
            bool known = false;
            for (HostState state : {HostState::started, HostState::failed, HostState::stopped})
                if (status == host_state_text(state)) {
                    record.status = state;
                    known = true;
                }
            if (!known)
                throw Error(k_exit_data, quoted(path) + ": host " + quoted(record.host) + " has an unknown status " +
                                             quoted(status));
            record.error = field<std::string>(node, "error", "");
            record.dir = field<std::string>(node, "dir", "");
            record.pid = field(node, "pid", 0L);
            record.sysstat = field<std::string>(node, "sysstat", "");
            record.clock_offset = field(node, "clock_offset", 0.0);
            record.clock_error = field(node, "clock_error", -1.0);
            record.mem_total_kib = field(node, "mem_total_kib", 0LL);
            record.cpus = field(node, "cpus", 0);
            record.slurm_step = field<std::string>(node, "slurm_step", "");
            for (const auto& side : node["side"]) {
                SideRecord entry{field<std::string>(side, "category", ""), field(side, "pid", 0L)};
                // It names a file (raw/CATEGORY/HOST) and a shell variable.
                const bool letters = !entry.category.empty() &&
                                     entry.category.find_first_not_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos;
                if (!letters || entry.pid <= 0)
                    throw Error(k_exit_data, quoted(path) + ": host " + quoted(record.host) + ": bad side collector " +
                                                 quoted(entry.category));
                record.side.push_back(entry);
            }
            // Host and alias become file names (raw/CATEGORY/HOST): the file
            // may have been edited since start wrote it.
            std::string problem = host_name_problem(record.host);
            if (!problem.empty())
                throw Error(k_exit_data, quoted(path) + ": host " + quoted(record.host) + " " + problem);
            problem = file_name_problem(record.alias);
            if (!problem.empty())
                throw Error(k_exit_data, quoted(path) + ": alias " + quoted(record.alias) + " of host " +
                                             quoted(record.host) + " " + problem);
            manifest.hosts.push_back(record);
        }
    } catch (const YAML::Exception& e) {
        throw Error(k_exit_data, quoted(path) + " is not a clusterp manifest: " + e.msg);
    }
    if (manifest.run_id.empty()) throw Error(k_exit_data, quoted(path) + " is not a clusterp manifest: no run_id");
    return manifest;
}

void write_manifest(const std::string& path, const Manifest& manifest) {
    std::ostringstream out;
    out << "{\n  \"version\": " << manifest.version << ",\n  \"run_id\": " << json_string(manifest.run_id)
        << ",\n  \"started\": " << json_string(manifest.started) << ",\n  \"interval\": " << manifest.interval
        << ",\n  \"transport\": " << json_string(manifest.transport);
    if (!manifest.slurm_job.empty()) out << ",\n  \"slurm_job\": " << json_string(manifest.slurm_job);
    out << ",\n  \"hosts\": [";
    const char* separator = "\n";
    for (const auto& h : manifest.hosts) {
        out << separator << "    {\"host\": " << json_string(h.host) << ", \"alias\": " << json_string(h.alias)
            << ", \"status\": " << json_string(host_state_text(h.status)) << ", \"error\": " << json_string(h.error)
            << ", \"dir\": " << json_string(h.dir) << ", \"pid\": " << h.pid
            << ", \"sysstat\": " << json_string(h.sysstat) << ", \"clock_offset\": " << json_number(h.clock_offset)
            << ", \"clock_error\": " << json_number(h.clock_error)
            << ", \"mem_total_kib\": " << h.mem_total_kib << ", \"cpus\": " << h.cpus;
        if (!h.slurm_step.empty()) out << ", \"slurm_step\": " << json_string(h.slurm_step);
        if (!h.side.empty()) {
            out << ", \"side\": [";
            for (std::size_t i = 0; i < h.side.size(); ++i)
                out << (i ? ", " : "") << "{\"category\": " << json_string(h.side[i].category)
                    << ", \"pid\": " << h.side[i].pid << "}";
            out << "]";
        }
        out << "}";
        separator = ",\n";
    }
    out << "\n  ]\n}\n";
    write_file_atomically(path, out.str());
}

}  // namespace clusterp
