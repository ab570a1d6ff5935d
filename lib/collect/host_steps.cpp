#include "collect/host_steps.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "base/diag.hpp"
#include "collect/remote_command.hpp"
#include "collect/transfer.hpp"

namespace clusterp {
namespace {

const char k_stream_header[] = "clusterp-stream ";
const char k_clock_sync[] = "clock=sync\n";
const int k_clock_pairs = 8;

double now_seconds() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", seconds);
    return text;
}

std::string first_line(const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

// What went wrong with a command that answered without the expected keys.
std::string unexpected(const char* what, const CommandResult& result) {
    std::string cause = std::string("unexpected answer to the ") + what + " command";
    if (result.exit_status != 0) cause += " (exit status " + std::to_string(result.exit_status) + ")";
    std::string err = first_line(result.err);
    return err.empty() ? cause : cause + ": " + err;
}

void log_command(RunLog& log, const std::string& host, const std::string& command) {
    log.record(host, "run: " + command);
    debug(host + ": run: " + command);
}

// Reads EXCHANGE's stdout to its end, after OUT, and waits for the command.
CommandResult ended(Exchange& exchange, std::string out) {
    while (exchange.read(out, 1 << 16) > 0) {
    }
    CommandResult result = exchange.finish();
    result.out = std::move(out);
    return result;
}

std::string exit_text(const CommandResult& result, double begin) {
    return "exit " + std::to_string(result.exit_status) + " in " + seconds_text(now_seconds() - begin) + " s" +
           (result.err.empty() ? "" : ", stderr: " + result.err);
}

void log_clock(RunLog& log, const HostRecord& record) {
    if (record.clock_error >= 0)
        log.record(record.host, "clock offset " + seconds_text(record.clock_offset) + " s, error " +
                                    seconds_text(record.clock_error) + " s");
}

// Fills RECORD from the start command's answer; returns the cause of a
// failure, or an empty string.
std::string read_start_reply(const CommandResult& result, HostRecord& record) {
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
    record.slurm_step = reply_value(reply, "slurm_step");
    return "";
}

// The side collectors' part of the start reply: those running go into
// RECORD, the others into LOG (left out) or OUTCOME (failed).
void read_side_reply(const Reply& reply, RunLog& log, HostRecord& record, HostOutcome& outcome) {
    record.side.clear();
    for (const auto& side : side_collectors()) {
        const std::string& name = side.category;
        if (long pid = std::atol(reply_value(reply, name + "_pid").c_str()); pid > 0) {
            record.side.push_back({name, pid});
            log.record(record.host, name + ": " + side.program + " started, pid " + std::to_string(pid));
        } else if (std::string why = reply_value(reply, name + "_skip"); !why.empty()) {
            log.record(record.host, name + ": not collected: " + why);
        } else if (std::string error = reply_value(reply, name + "_error"); !error.empty()) {
            log.record(record.host, name + ": " + side.program + " failed: " + error);
            outcome.warnings.push_back(name + ": " + side.program + " did not start: " + error);
        }
    }
}

// The node's clock offset as NTP measures it, over the start command's own
// stdin and stdout once its shell is up (a slow login shell is out of the
// picture): of k_clock_pairs request/answer pairs, the one with the
// smallest round trip; the node read its clock within that round trip, so
// the offset against its midpoint is off by half of it at most.
void measure_clock(Exchange& exchange, HostRecord& record) {
    double best = -1;
    for (int pair = 0; pair < k_clock_pairs; ++pair) {
        const double sent = now_seconds();
        exchange.write("t\n");
        std::string line;
        while (line.find('\n') == std::string::npos)
            if (exchange.read(line, 64) == 0) return;
        const double received = now_seconds();
        if (line.rfind("t=", 0) != 0) return;
        const double node = std::strtod(line.c_str() + 2, nullptr);
        // A clock without fractions (a date with no %N) is truncated.
        const std::size_t dot = line.find('.');
        const double resolution = dot != std::string::npos && std::isdigit(static_cast<unsigned char>(line[dot + 1]))
                                      ? 0.0 : 1.0;
        if (node <= 0) return;
        const double error = (received - sent) / 2 + resolution / 2;
        if (best >= 0 && error >= best) continue;
        best = error;
        record.clock_offset = node + resolution / 2 - (sent + received) / 2;
        record.clock_error = error;
    }
}

// Where the file stream begins in TEXT (at a line's start), or npos.
std::size_t stream_start(const std::string& text) {
    if (text.rfind(k_stream_header, 0) == 0) return 0;
    std::size_t at = text.find(std::string("\n") + k_stream_header);
    return at == std::string::npos ? at : at + 1;
}

// The files to receive, as the convert part of the reply announced them
// (a category sadf filled nothing of is not sent: a warning), and their sizes.
void announced_files(const Reply& reply, const CommandResult& answer, const std::string& raw_dir,
                     const HostRecord& record, std::vector<FileTarget>& targets, std::vector<std::uint64_t>& sizes,
                     HostOutcome& outcome) {
    const std::string& host = record.host;
    const std::string sa_size = reply_value(reply, "sa");
    if (sa_size.empty()) throw HostError(unexpected("stop", answer));
    for (const auto& category : sadf_categories()) {
        std::string status_size = reply_value(reply, category.name);
        auto space = status_size.find(' ');
        if (space == std::string::npos) throw HostError(unexpected("stop", answer));
        std::uint64_t size = std::strtoull(status_size.c_str() + space + 1, nullptr, 10);
        if (size == 0) {
            std::string why = reply_value(reply, category.name + "_err");
            outcome.warnings.push_back(category.name + ": sadf printed nothing" + (why.empty() ? "" : ": " + why));
            continue;
        }
        targets.push_back({remote_category_name(category.name), raw_dir + "/" + category.name + "/" + host});
        sizes.push_back(size);
    }
    for (const auto& side : record.side) {
        std::string state_size = reply_value(reply, side.category);
        auto space = state_size.find(' ');
        if (space == std::string::npos) throw HostError(unexpected("stop", answer));
        const std::string state = state_size.substr(0, space);
        std::uint64_t size = std::strtoull(state_size.c_str() + space + 1, nullptr, 10);
        std::string program = side.category;
        for (const auto& known : side_collectors())
            if (known.category == side.category) program = known.program;
        if (state == "dead")
            outcome.warnings.push_back(side.category + ": " + program + " had already ended" +
                                       (size ? "; keeping what it printed until then" : ""));
        else if (state == "killed")
            outcome.warnings.push_back(side.category + ": " + program + " ignored SIGTERM and was killed");
        if (size == 0) {
            outcome.warnings.push_back(side.category + ": " + program + " printed nothing");
            continue;
        }
        targets.push_back({remote_category_name(side.category), raw_dir + "/" + side.category + "/" + host});
        sizes.push_back(size);
    }
    targets.push_back({remote_sa_name(), raw_dir + "/sa/" + host});
    sizes.push_back(std::strtoull(sa_size.c_str(), nullptr, 10));
}

}  // namespace

std::string start_host(RunLog& log, Session& session, const std::string& command, bool hold, HostRecord& record,
                       const KeepRecord& keep, HostOutcome& outcome) {
    const std::string& host = record.host;
    log_command(log, host, command);
    const double begin = now_seconds();
    try {
        auto exchange = hold ? session.start_holding(command, std::chrono::seconds(k_start_bound))
                             : session.start(command, std::chrono::seconds(k_start_bound));
        std::string out;
        std::size_t sync;
        while ((sync = out.find(k_clock_sync)) == std::string::npos)
            if (exchange->read(out, 4096) == 0) break;
        bool kept = false;
        if (sync != std::string::npos) {
            measure_clock(*exchange, record);
            // The reply's keys all came before the clock exchange.
            CommandResult so_far;
            so_far.exit_status = 0;
            so_far.out = out;
            if (read_start_reply(so_far, record).empty()) {
                read_side_reply(parse_reply(out), log, record, outcome);
                record.status = HostState::started;
                keep(record);
                kept = true;
            }
        }
        CommandResult answer;
        try {
            if (kept) exchange->write("ok\n");
            if (kept && hold) {
                // It answers `held` and runs on with its collectors, alone.
                const std::size_t from = out.size();
                while (out.find("held\n", from) == std::string::npos)
                    if (exchange->read(out, 4096) == 0) throw HostError("the start command ended with its collector");
                exchange->release();
                log.record(host, "collector held by its start command, which runs on");
                log_clock(log, record);
                return "";
            }
            exchange->close_input();
            answer = ended(*exchange, out);
        } catch (const HostError& e) {
            if (!kept) throw;
            // Recorded: whether the node heard `ok` or rolled back, stop
            // finds the host (its directory, or that it is gone).
            log.record(host, std::string("after the record: ") + e.what());
            return "";
        }
        log.record(host, exit_text(answer, begin));
        log_clock(log, record);
        return kept ? std::string() : read_start_reply(answer, record);
    } catch (const HostError& e) {
        log.record(host, std::string("failed: ") + e.what());
        throw;
    }
}

void stop_host(RunLog& log, Session& session, const std::string& raw_dir, HostRecord& record,
               HostOutcome& outcome, const KeepRecord& keep) {
    const std::string& host = record.host;
    const std::string command = stop_send_command(record.dir, record.pid, record.side);
    log_command(log, host, command);
    const double begin = now_seconds();
    try {
        auto exchange = session.start(command, std::chrono::seconds(k_stop_bound));
        // The reply's lines come first, then the stream (none when the
        // command ended early: no directory, no sadf).
        std::string text;
        std::size_t stream = std::string::npos;
        while ((stream = stream_start(text)) == std::string::npos)
            if (text.size() > (1 << 16) || exchange->read(text, 1 << 16) == 0) break;
        CommandResult answer;
        if (stream == std::string::npos) {
            answer = ended(*exchange, text);
            log.record(host, exit_text(answer, begin));
        } else {
            answer.out = text.substr(0, stream);
            answer.exit_status = 0;
        }
        Reply reply = parse_reply(answer.out);
        const std::string state = reply_value(reply, "state");
        if (state == "nodir") {
            record.status = HostState::failed;
            record.error = "remote directory " + clusterp::quoted(record.dir) + " is gone, with its data";
            outcome.fail(record.error);
            return;
        }
        if (state == "dead")
            outcome.warnings.push_back("the collector had already ended; keeping what it collected until then");
        else if (state == "killed")
            outcome.warnings.push_back("the collector ignored SIGTERM and was killed");
        else if (state != "stopped")
            throw HostError(unexpected("stop", answer));
        if (reply_value(reply, "error") == "nosadf") throw HostError("sadf not found on the node");
        if (stream == std::string::npos) throw HostError(unexpected("stop", answer));

        std::vector<FileTarget> targets;
        std::vector<std::uint64_t> sizes;
        announced_files(reply, answer, raw_dir, record, targets, sizes, outcome);
        for (const auto& target : targets)
            log.record(host, "download: " + record.dir + "/" + target.name + " -> " + target.local_path);
        std::vector<std::uint64_t> bytes = receive_files(*exchange, text.substr(stream), targets);
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < targets.size(); ++i) {
            total += bytes[i];
            if (bytes[i] != sizes[i])
                throw HostError("short download of " + clusterp::quoted(record.dir + "/" + targets[i].name) + ": " +
                                std::to_string(bytes[i]) + " of " + std::to_string(sizes[i]) + " bytes");
            outcome.output.push_back(targets[i].local_path);
        }
        log.record(host, "downloaded " + std::to_string(total) + " bytes in " + std::to_string(targets.size()) +
                             " files in " + seconds_text(now_seconds() - begin) + " s");
        record.status = HostState::stopped;
        record.error.clear();
        keep(record);

        // The data is safe here: the node may remove its copy.
        const double acknowledged = now_seconds();
        std::string why;
        try {
            exchange->write("ok\n");
            exchange->close_input();
            CommandResult removed = ended(*exchange, std::string());
            log.record(host, "acknowledged: " + exit_text(removed, acknowledged));
            if (removed.exit_status != 0) why = first_line(removed.err);
            if (removed.exit_status != 0 && why.empty()) why = "exit status " + std::to_string(removed.exit_status);
        } catch (const HostError& e) {
            log.record(host, std::string("acknowledgement failed: ") + e.what());
            why = e.what();
        }
        if (!why.empty())
            outcome.warnings.push_back("remote directory " + clusterp::quoted(record.dir) + " not removed: " + why);
    } catch (const HostError& e) {
        log.record(host, std::string("failed: ") + e.what());
        throw;
    }
}

}  // namespace clusterp
