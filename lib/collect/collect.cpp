#include "collect/collect.hpp"

#include <unistd.h>

#include <algorithm>
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
#include "model/manifest.hpp"
#include "collect/remote_command.hpp"
#include "collect/run_log.hpp"
#include "collect/transfer.hpp"
#include "collect/transport.hpp"

namespace fs = std::filesystem;

namespace clusterp {

namespace {

const char* const k_log_path = "clusterp.log";
const char* const k_raw_dir = "raw";
const char* const k_raw_run_id = "raw/.run_id";

// Hard bounds of each remote step (clusterp.yml(5)), generous: a node that
// stops answering is abandoned after ssh_timeout already (keepalives), so
// these only end a command that answers but never finishes.  Start, stop
// and clean-up take seconds (start waits up to 5 s for sadc's first write,
// stop up to 5 s for sadc to exit); converting and fetching a long run's
// files on a slow node or link may take many minutes.
const int k_short_step_bound = 300;
const int k_long_step_bound = 3600;

double now_seconds() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

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

std::string first_line(const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

bool is_active(const Manifest& manifest) {
    for (const auto& record : manifest.hosts)
        if (record.status == "started") return true;
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

// Runs COMMAND on SESSION and logs it with its outcome.  Throws HostError.
CommandResult logged_run(RunLog& log, const std::string& host, Session& session, const std::string& command,
                         int timeout) {
    log.record(host, "run: " + command);
    debug(host + ": run: " + command);
    double begin = now_seconds();
    try {
        CommandResult result = session.run(command, std::chrono::seconds(timeout));
        char elapsed[32];
        std::snprintf(elapsed, sizeof elapsed, "%.3f", now_seconds() - begin);
        log.record(host, "exit " + std::to_string(result.exit_status) + " in " + elapsed + " s" +
                             (result.err.empty() ? "" : ", stderr: " + result.err));
        return result;
    } catch (const HostError& e) {
        log.record(host, std::string("failed: ") + e.what());
        throw;
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

// What went wrong with a command that answered without the expected keys.
std::string unexpected(const char* what, const CommandResult& result) {
    std::string cause = std::string("unexpected answer to the ") + what + " command";
    if (result.exit_status != 0) cause += " (exit status " + std::to_string(result.exit_status) + ")";
    std::string err = first_line(result.err);
    return err.empty() ? cause : cause + ": " + err;
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

// Fills RECORD from the start command's answer; returns the cause of a
// failure, or an empty string.
std::string read_start_reply(const CommandResult& result, double sent, double received, HostRecord& record) {
    Reply reply = parse_reply(result.out);
    std::string error = reply_value(reply, "error");
    auto detail = [&] {
        auto it = reply.find("detail");
        return it == reply.end() || it->second.empty() ? std::string("no message") : it->second.front();
    };
    if (error == "nosadc") return "sysstat is not installed (sadc not found)";
    if (error == "mktemp") return "cannot create a directory under " + clusterp::quoted(reply_value(reply, "base")) + ": " + detail();
    if (error == "sadc") return "sadc did not start: " + detail();
    if (!error.empty()) return unexpected("start", result);

    record.dir = reply_value(reply, "dir");
    record.pid = std::atol(reply_value(reply, "pid").c_str());
    if (record.dir.empty() || record.pid <= 0) return unexpected("start", result);
    std::string version = reply_value(reply, "version");
    const std::string prefix = "sysstat version ";
    record.sysstat = version.rfind(prefix, 0) == 0 ? version.substr(prefix.size()) : version;
    record.mem_total_kib = std::atoll(reply_value(reply, "mem").c_str());
    record.cpus = std::atoi(reply_value(reply, "cpus").c_str());

    // The node read its clock when the command began; the command's own run
    // time is taken out of the round trip before halving it.
    double clock = std::strtod(reply_value(reply, "clock").c_str(), nullptr);
    double clock_end = std::strtod(reply_value(reply, "clock_end").c_str(), nullptr);
    if (clock > 0 && clock_end >= clock) {
        double transit = std::max(0.0, (received - sent) - (clock_end - clock));
        record.clock_offset = clock - (sent + transit / 2);
    }
    return "";
}

}  // namespace

int start_collection(const Config& config, const CollectOptions& options) {
    const int width = fanout_width(config, options);
    const std::string command = start_command(config.remote_dir, config.interval);
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
            if (record.status != "started") continue;
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
    manifest.transport = config.transport == TransportKind::local ? "local" : "ssh";
    ManifestWriter writer(manifest);
    write_manifest(k_manifest_path, manifest);
    log.record("-", "start run " + manifest.run_id + " on " + std::to_string(hosts.size()) + " hosts");

    auto connector = connector_for(config);
    FanoutResult result = fan_out(hosts, width, [&](std::size_t i) {
        const std::string& host = hosts[i];
        HostOutcome outcome;
        HostRecord record;
        record.host = host;
        record.alias = config.hosts[i].alias;
        record.status = "failed";
        try {
            auto session = logged_connect(log, *connector, host);
            try {
                double sent = now_seconds();
                CommandResult answer =
                    logged_run(log, host, *session, command, k_short_step_bound);
                double received = now_seconds();
                record.error = read_start_reply(answer, sent, received, record);
                if (record.error.empty()) record.status = "started";
                else outcome.fail(record.error);
            } catch (const HostError& e) {
                record.error = e.what();
                outcome.fail(record.error);
            }
        } catch (const HostError& e) {
            record.error = e.what();
            outcome.fail(record.error, HostStatus::unreachable);
        }
        writer.put(record);
        return outcome;
    });
    writer.order_like(hosts);
    log.record("-", "start run " + manifest.run_id + ": " + result.summary("started"));
    inform(result.summary("started"));
    return result.exit_code();
}

namespace {

std::string read_raw_run_id() {
    std::ifstream in(k_raw_run_id);
    std::string id;
    std::getline(in, id);
    return id;
}

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

// Fetches the node's files NAMES (inside DIR) into LOCAL_PATHS over one
// command's stdout (no SFTP), checked and written atomically; SIZES are the
// sizes the convert step reported.  Throws HostError.
void fetch(RunLog& log, const std::string& host, Session& session, const std::string& dir,
           const std::vector<FileTarget>& targets, const std::vector<std::uint64_t>& sizes) {
    std::vector<std::string> names;
    for (const auto& target : targets) names.push_back(target.name);
    const std::string command = send_files_command(dir, names);
    for (const auto& target : targets) log.record(host, "download: " + dir + "/" + target.name + " -> " + target.local_path);
    log.record(host, "run: " + command);
    debug(host + ": run: " + command);
    try {
        auto exchange = session.start(command, std::chrono::seconds(k_long_step_bound));
        exchange->close_input();
        std::vector<std::uint64_t> bytes = receive_files(*exchange, std::string(), targets);
        std::string rest;
        while (exchange->read(rest, 1 << 16) > 0) {
        }
        CommandResult result = exchange->finish();
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < targets.size(); ++i) {
            total += bytes[i];
            if (bytes[i] != sizes[i])
                throw HostError("short download of " + clusterp::quoted(dir + "/" + targets[i].name) + ": " +
                                std::to_string(bytes[i]) + " of " + std::to_string(sizes[i]) + " bytes");
            debug(host + ": " + targets[i].name + " -> " + targets[i].local_path + " (" + std::to_string(bytes[i]) +
                  " bytes)");
        }
        log.record(host, "downloaded " + std::to_string(total) + " bytes in " + std::to_string(targets.size()) +
                             " files, exit " + std::to_string(result.exit_status) +
                             (result.err.empty() ? "" : ", stderr: " + result.err));
    } catch (const HostError& e) {
        log.record(host, std::string("download failed: ") + e.what());
        throw;
    }
}

// Stops, converts and downloads one host; updates RECORD.  The remote
// directory goes only once every file is safely local.
void stop_host(RunLog& log, Session& session, HostRecord& record, HostOutcome& outcome) {
    const std::string& host = record.host;
    CommandResult stopped =
        logged_run(log, host, session, stop_command(record.dir, record.pid), k_short_step_bound);
    Reply reply = parse_reply(stopped.out);
    std::string state = reply_value(reply, "state");
    if (state == "nodir") {
        record.status = "failed";
        record.error = "remote directory " + clusterp::quoted(record.dir) + " is gone, with its data";
        outcome.fail(record.error);
        return;
    }
    if (state == "dead")
        outcome.warnings.push_back("the collector had already ended; keeping what it collected until then");
    else if (state == "killed")
        outcome.warnings.push_back("the collector ignored SIGTERM and was killed");
    else if (state != "stopped")
        throw HostError(unexpected("stop", stopped));

    CommandResult converted =
        logged_run(log, host, session, convert_command(record.dir), k_long_step_bound);
    reply = parse_reply(converted.out);
    if (reply_value(reply, "error") == "nosadf") throw HostError("sadf not found on the node");
    std::string sa_size = reply_value(reply, "sa");
    if (sa_size.empty()) throw HostError(unexpected("convert", converted));

    std::vector<FileTarget> targets;
    std::vector<std::uint64_t> sizes;
    for (const auto& category : sadf_categories()) {
        std::string status_size = reply_value(reply, category.name);
        auto space = status_size.find(' ');
        if (space == std::string::npos) throw HostError(unexpected("convert", converted));
        std::uint64_t size = std::strtoull(status_size.c_str() + space + 1, nullptr, 10);
        if (size == 0) {
            std::string why = reply_value(reply, category.name + "_err");
            outcome.warnings.push_back(category.name + ": sadf printed nothing" + (why.empty() ? "" : ": " + why));
            continue;
        }
        targets.push_back({remote_category_name(category.name), std::string(k_raw_dir) + "/" + category.name + "/" + host});
        sizes.push_back(size);
    }
    targets.push_back({remote_sa_name(), std::string(k_raw_dir) + "/sa/" + host});
    sizes.push_back(std::strtoull(sa_size.c_str(), nullptr, 10));
    fetch(log, host, session, record.dir, targets, sizes);
    std::vector<std::string> written;
    for (const auto& target : targets) written.push_back(target.local_path);
    outcome.output = written;

    CommandResult cleaned = logged_run(log, host, session, cleanup_command(record.dir), k_short_step_bound);
    if (cleaned.exit_status != 0) {
        std::string why = first_line(cleaned.err);
        outcome.warnings.push_back("remote directory " + clusterp::quoted(record.dir) + " not removed" +
                                   (why.empty() ? "" : ": " + why));
    }
    record.status = "stopped";
    record.error.clear();
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
            if (record.status == "started" && std::find(config.excluded_hosts.begin(), config.excluded_hosts.end(),
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
            if (!record || record->status != "started") continue;
            std::cout << host << ": " << stop_command(record->dir, record->pid) << '\n'
                      << host << ": " << convert_command(record->dir) << '\n'
                      << host << ": " << cleanup_command(record->dir) << '\n';
        }
        return {};
    }

    RunLog log(k_log_path);
    claim_raw(*manifest, options.force);
    ManifestWriter writer(*manifest);
    auto connector = connector_for(config);
    log.record("-", "stop run " + manifest->run_id + " on " + std::to_string(hosts.size()) + " hosts");

    FanoutResult result = fan_out(hosts, width, [&](std::size_t i) {
        const std::string& host = hosts[i];
        HostOutcome outcome;
        const HostRecord* found = writer.manifest().find(host);
        if (!found) return outcome.fail("not part of run " + manifest->run_id);
        HostRecord record = *found;
        if (record.status == "stopped") {
            outcome.notes.push_back("already stopped; its data is in raw/");
            return outcome;
        }
        if (record.status != "started")
            return outcome.fail("was not started" + (record.error.empty() ? "" : ": " + record.error));
        try {
            auto session = logged_connect(log, *connector, host);
            try {
                stop_host(log, *session, record, outcome);
            } catch (const HostError& e) {
                record.error = e.what();
                outcome.fail(record.error + " (its data stays on the node: stop it again with -H " + host + ")");
            }
        } catch (const HostError& e) {
            record.error = e.what();
            outcome.fail(record.error, HostStatus::unreachable);
        }
        writer.put(record);
        return outcome;
    });
    log.record("-", "stop run " + manifest->run_id + ": " + result.summary("stopped"));
    inform(result.summary("stopped"));

    return {result.exit_code(), result.ok};
}

}  // namespace clusterp
