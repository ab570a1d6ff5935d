#include "collect/collect.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>

#include "base/atomic_file.hpp"
#include "model/config.hpp"
#include "base/diag.hpp"
#include "collect/fanout.hpp"
#include "collect/host_steps.hpp"
#include "model/manifest.hpp"
#include "collect/remote_command.hpp"
#include "collect/run_log.hpp"
#include "collect/signals.hpp"
#include "collect/transport.hpp"

namespace fs = std::filesystem;

namespace clusterp {

namespace {

const char* const k_log_path = "clusterp.log";
const char* const k_raw_dir = "raw";
const char* const k_raw_run_id = "raw/.run_id";

std::string utc_text(std::time_t when, const char* format) {
    std::tm tm{};
    gmtime_r(&when, &tm);
    char text[40];
    std::strftime(text, sizeof text, format, &tm);
    return text;
}

std::string new_run_id(std::time_t when) {
    std::random_device random;
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "%04x", static_cast<unsigned>(random() & 0xffff));
    return utc_text(when, "%Y%m%dT%H%M%SZ") + "-" + suffix;
}

bool is_active(const Manifest& manifest) {
    for (const auto& record : manifest.hosts)
        if (record.status == HostState::started) return true;
    return false;
}

int fanout_width(const Config& config, const CollectOptions& options) {
    int width = options.fanout.value_or(config.fanout);
    if (width < 1) throw Error(k_exit_usage, "the fan-out must be a positive number, not " + std::to_string(width));
    return width;
}

std::unique_ptr<Connector> connector_for(const Config& config) {
    try {
        return make_connector(config);
    } catch (const HostError& e) {
        throw Error(k_exit_unavailable, e.what());
    }
}

std::unique_ptr<Session> logged_connect(RunLog& log, Connector& connector, const std::string& host) {
    log.record(host, "connect");
    try {
        return connector.connect(host);
    } catch (const HostError& e) {
        log.record(host, std::string("connect failed: ") + e.what());
        throw;
    }
}

// The manifest as hosts finish: records kept in config order, written whole
// after every change so that an interrupted tool leaves it current.
class ManifestWriter {
public:
    ManifestWriter(Manifest manifest) : m_manifest(std::move(manifest)) {}

    const Manifest& manifest() const { return m_manifest; }

    void put(const HostRecord& record) {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (auto& existing : m_manifest.hosts) {
            if (existing.host == record.host) {
                existing = record;
                write_manifest(k_manifest_path, m_manifest);
                return;
            }
        }
        m_manifest.hosts.push_back(record);
        write_manifest(k_manifest_path, m_manifest);
    }

    void order_like(const std::vector<std::string>& hosts) {
        std::lock_guard<std::mutex> lock(m_mutex);
        std::vector<HostRecord> ordered;
        for (const auto& host : hosts)
            for (const auto& record : m_manifest.hosts)
                if (record.host == host) ordered.push_back(record);
        m_manifest.hosts = std::move(ordered);
        write_manifest(k_manifest_path, m_manifest);
    }

private:
    Manifest m_manifest;
    std::mutex m_mutex;
};

// The line that says what an interrupted fan-out did and did not do:
// `interrupted: 2 started, 0 failed, 3 not begun (n3 n4 n5)TAIL`.
std::string interrupted_line(const FanoutResult& result, const std::string& done,
                             const std::vector<std::string>& hosts, const std::vector<char>& not_begun,
                             const std::string& tail) {
    const std::size_t k_named = 8;
    std::string names;
    std::size_t named = 0;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        if (!not_begun[i]) continue;
        if (named++ < k_named) names += (names.empty() ? "" : " ") + hosts[i];
    }
    if (named > k_named) names += " and " + std::to_string(named - k_named) + " more";
    return "interrupted: " + result.summary(done) + (names.empty() ? "" : " (" + names + ")") + tail;
}

}  // namespace

std::vector<std::string> side_categories(const Config& config) {
    std::vector<std::string> side;
    if (config.gpu) side.push_back("gpu");
    if (config.processes) side.push_back("processes");
    return side;
}

int start_collection(const Config& config, const CollectOptions& options) {
    const int width = fanout_width(config, options);
    const bool hold = holds_collector(config);
    const std::string command = start_command(config.remote_dir, config.interval, side_categories(config), hold);
    std::vector<std::string> hosts;
    for (const auto& item : config.hosts) hosts.push_back(item.name);
    if (hosts.empty()) throw Error(k_exit_usage, "-x leaves no host to profile");

    if (options.dry_run) {
        for (const auto& host : hosts) std::cout << host << ": " << command << '\n';
        return k_exit_ok;
    }

    RunLog log(k_log_path);
    if (auto previous = read_manifest(k_manifest_path); previous && is_active(*previous)) {
        if (!options.force)
            throw Error(k_exit_cant_create, "run " + previous->run_id +
                                                " is still active (stop it with clusterp stop, or start anyway with --force)");
        std::size_t left = 0;
        for (const auto& record : previous->hosts) {
            if (record.status != HostState::started) continue;
            ++left;
            log.record(record.host, "left running by --force: run " + previous->run_id + ", pid " +
                                        std::to_string(record.pid) + " in " + record.dir);
        }
        warn("run " + previous->run_id + " was still active: its collectors on " + std::to_string(left) +
             " hosts keep running (clusterp.log lists them)");
    }

    std::time_t started = std::time(nullptr);
    Manifest manifest;
    manifest.run_id = new_run_id(started);
    manifest.started = utc_text(started, "%Y-%m-%dT%H:%M:%SZ");
    manifest.interval = config.interval;
    manifest.transport = transport_name(config.transport);
    manifest.slurm_job = config.slurm_job;
    ManifestWriter writer(manifest);
    write_manifest(k_manifest_path, manifest);
    log.record("-", "start run " + manifest.run_id + " on " + std::to_string(hosts.size()) + " hosts");

    auto connector = connector_for(config);
    // A first signal: the hosts under way finish their start (recorded, or
    // rolled back by their nodes), no other begins.
    Interruption interruption(
        "interrupted again: ended at once; a node whose start was under way removes its collector itself, "
        "clusterp stop stops the ones '.clusterp/run.json' records");
    std::vector<char> not_begun(hosts.size(), 0);
    FanoutResult result = fan_out(hosts, width, [&](std::size_t i) {
        const std::string& host = hosts[i];
        HostOutcome outcome;
        auto skip = [&] {
            not_begun[i] = 1;
            outcome.status = HostStatus::skipped;
            return outcome;
        };
        if (interruption.requested()) return skip();
        HostRecord record;
        record.host = host;
        record.alias = config.hosts[i].alias;
        record.status = HostState::failed;
        bool kept = false;
        auto keep = [&](const HostRecord& started) {
            writer.put(started);
            kept = true;
        };
        try {
            auto session = logged_connect(log, *connector, host);
            if (interruption.requested()) {
                log.record(host, "not begun: interrupted");
                return skip();
            }
            try {
                record.error = start_host(log, *session, command, hold, record, keep, outcome);
                if (!record.error.empty()) {
                    record.status = HostState::failed;
                    outcome.fail(record.error);
                }
            } catch (const HostError& e) {
                record.status = HostState::failed;
                record.error = e.what();
                outcome.fail(record.error);
            }
        } catch (const HostError& e) {
            record.error = e.what();
            outcome.fail(record.error, HostStatus::unreachable);
        }
        if (!kept || record.status != HostState::started) writer.put(record);
        return outcome;
    });
    writer.order_like(hosts);
    if (interruption.requested()) {
        const std::string line = interrupted_line(result, host_state_text(HostState::started), hosts, not_begun,
                                                  "; clusterp stop stops the ones started");
        log.record("-", "start run " + manifest.run_id + ": " + line);
        print_error(line);
        return 128 + interruption.signal();
    }
    log.record("-", "start run " + manifest.run_id + ": " + result.summary(host_state_text(HostState::started)));
    inform(result.summary(host_state_text(HostState::started)));
    return result.exit_code();
}

std::string read_raw_run_id() {
    std::ifstream in(k_raw_run_id);
    std::string id;
    std::getline(in, id);
    return id;
}

namespace {

// Makes raw/ this run's, or refuses: another run's data is never mixed with
// or silently replaced by this one's.
void claim_raw(const Manifest& manifest, bool force) {
    std::error_code ec;
    bool holds_data = fs::exists(k_raw_dir, ec) && !fs::is_empty(k_raw_dir, ec);
    std::string owner = read_raw_run_id();
    if (holds_data && owner != manifest.run_id) {
        std::string which = owner.empty() ? "data of an unknown run" : "run " + owner;
        if (!force)
            throw Error(k_exit_cant_create,
                        "raw/ holds " + which + " (move it away, or replace it with --force)");
        warn("replacing raw/, which held " + which);
        fs::remove_all(k_raw_dir, ec);
        if (ec) throw Error(k_exit_cant_create, "cannot remove 'raw': " + ec.message());
    }
    if (owner != manifest.run_id) write_file_atomically(k_raw_run_id, manifest.run_id + "\n");
}

}  // namespace

StopResult stop_collection(const Config& config, const CollectOptions& options) {
    const int width = fanout_width(config, options);
    auto manifest = read_manifest(k_manifest_path);
    if (!manifest)
        throw Error(k_exit_no_input,
                    "no run to stop: " + clusterp::quoted(k_manifest_path) + " does not exist (run clusterp start first)");

    // What to do per host: the run's active hosts, or exactly those -H names;
    // never one -x names.
    std::vector<std::string> hosts;
    if (options.hosts_given) {
        for (const auto& item : config.hosts) hosts.push_back(item.name);
    } else {
        for (const auto& record : manifest->hosts)
            if (record.status == HostState::started && std::find(config.excluded_hosts.begin(), config.excluded_hosts.end(),
                                                        record.host) == config.excluded_hosts.end())
                hosts.push_back(record.host);
        if (hosts.empty() && config.excluded_hosts.empty()) {
            inform("nothing to stop: run " + manifest->run_id + " has no active collector");
            return {};
        }
    }
    if (hosts.empty()) {
        inform("nothing to stop: -x leaves no host of run " + manifest->run_id);
        return {};
    }

    if (options.dry_run) {
        for (const auto& host : hosts) {
            const HostRecord* record = manifest->find(host);
            if (!record || record->status != HostState::started) continue;
            std::cout << host << ": " << stop_send_command(record->dir, record->pid, record->side) << '\n';
        }
        return {};
    }

    // The steps holding a Slurm run's collectors belong to its allocation:
    // stopped from another, they are out of reach (or long gone with it).
    if (!manifest->slurm_job.empty() && config.transport == TransportKind::slurm &&
        config.slurm_job != manifest->slurm_job) {
        if (!options.force)
            throw Error(k_exit_config, "run " + manifest->run_id + " was started in Slurm job " + manifest->slurm_job +
                                           ", not in this job " + config.slurm_job + " (stop it inside job " +
                                           manifest->slurm_job + ", or with --force to fetch what its collectors left)");
        warn("run " + manifest->run_id + " was started in Slurm job " + manifest->slurm_job + ", stopped from job " +
             config.slurm_job);
    }

    RunLog log(k_log_path);
    claim_raw(*manifest, options.force);
    ManifestWriter writer(*manifest);
    auto connector = connector_for(config);
    log.record("-", "stop run " + manifest->run_id + " on " + std::to_string(hosts.size()) + " hosts");

    // A local file that cannot be written (a full disk) fails the hosts it
    // hits, whose data stays on their nodes, and makes the exit status its
    // own (74, 73) once every host is done.
    std::atomic<int> local_error{0};
    // A first signal: the hosts under way finish their stop (their data
    // home, or left on the node), no other begins.
    Interruption interruption(
        "interrupted again: ended at once; the hosts not yet stopped keep their data on their nodes "
        "(clusterp stop finishes them)");
    std::vector<char> not_begun(hosts.size(), 0);
    FanoutResult result = fan_out(hosts, width, [&](std::size_t i) {
        const std::string& host = hosts[i];
        HostOutcome outcome;
        auto skip = [&] {
            not_begun[i] = 1;
            outcome.status = HostStatus::skipped;
            return outcome;
        };
        if (interruption.requested()) return skip();
        const HostRecord* found = writer.manifest().find(host);
        if (!found) return outcome.fail("not part of run " + manifest->run_id);
        HostRecord record = *found;
        if (record.status == HostState::stopped) {
            outcome.notes.push_back("already stopped; its data is in raw/");
            return outcome;
        }
        if (record.status != HostState::started)
            return outcome.fail("was not started" + (record.error.empty() ? "" : ": " + record.error));
        bool kept = false;
        auto keep = [&](const HostRecord& stopped) {
            writer.put(stopped);
            kept = true;
        };
        try {
            auto session = logged_connect(log, *connector, host);
            if (interruption.requested()) {
                log.record(host, "not begun: interrupted");
                return skip();
            }
            try {
                stop_host(log, *session, k_raw_dir, record, outcome, keep);
            } catch (const HostError& e) {
                record.error = e.what();
                outcome.fail(record.error + " (its data stays on the node: stop it again with -H " + host + ")");
            } catch (const Error& e) {
                log.record(host, std::string("failed here: ") + e.what());
                local_error = e.code();
                outcome.fail(std::string(e.what()) + " (its data stays on the node)");
                return outcome;  // the manifest keeps it started
            }
        } catch (const HostError& e) {
            record.error = e.what();
            outcome.fail(record.error, HostStatus::unreachable);
        }
        if (!kept) writer.put(record);
        return outcome;
    });
    if (interruption.requested()) {
        const std::string line = interrupted_line(result, host_state_text(HostState::stopped), hosts, not_begun,
                                                  "; clusterp stop finishes the hosts not stopped");
        log.record("-", "stop run " + manifest->run_id + ": " + line);
        print_error(line);
        return {128 + interruption.signal(), result.ok, true};
    }
    log.record("-", "stop run " + manifest->run_id + ": " + result.summary(host_state_text(HostState::stopped)));
    inform(result.summary(host_state_text(HostState::stopped)));

    return {local_error != 0 ? local_error.load() : result.exit_code(), result.ok};
}

}  // namespace clusterp
