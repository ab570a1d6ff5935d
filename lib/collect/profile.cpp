#include "collect/profile.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "base/diag.hpp"
#include "collect/job.hpp"
#include "collect/signals.hpp"
#include "model/config.hpp"
#include "model/manifest.hpp"
#include "model/markers.hpp"

namespace fs = std::filesystem;

namespace clusterp {

namespace {

const char* const k_job_label = "job";
// Beyond one interval, so that a sample late by up to this much (a loaded
// node) still lies before the job's begin and after its end.
const long k_wait_margin_ms = 500;

std::size_t started_hosts(const Manifest& manifest) {
    std::size_t started = 0;
    for (const auto& record : manifest.hosts)
        if (record.status == HostState::started) ++started;
    return started;
}

bool has_data() {
    std::error_code ec;
    return fs::exists("raw", ec) && !fs::is_empty("raw", ec);
}

// raw/ holds this run's data, not what an earlier run left there (--force
// replaces that only once a host's data comes in).
bool has_data_of(const std::optional<Manifest>& manifest) {
    return manifest && read_raw_run_id() == manifest->run_id && has_data();
}

}  // namespace

ProfileResult profile_command(const Config& config, const CollectOptions& options, const std::vector<std::string>& command) {
    if (!options.force && has_data())
        throw Error(k_exit_cant_create,
                    "raw/ holds a previous run's data (run in another directory, or replace it with --force)");
    // clusterp's own output (stop's list of files) is not the job's.
    std::cout.setstate(std::ios::badbit);
    Signals signals;

    int start_status = start_collection(config, options);
    const auto manifest = read_manifest(k_manifest_path);
    const std::size_t started = manifest ? started_hosts(*manifest) : 0;
    if (started == 0)
        warn("no collector started (start exited " + std::to_string(start_status) +
             "): running the command without profiling it");

    auto mark = [&](const Marker& marker) {
        if (!manifest) return;
        try {
            append_marker(k_markers_path, manifest->run_id, marker);
        } catch (const Error& e) {
            print_error(e.what());
        }
    };
    Job job(mark);
    int status;
    const long wait_ms = config.interval * 1000L + k_wait_margin_ms;
    bool ran = started == 0 || signals.wait_for_signal(wait_ms);
    if (ran) {
        std::error_code ec;
        ::setenv("CLUSTERP_DIR", fs::current_path(ec).c_str(), 1);
        mark({marker_clock_ms(), MarkerKind::begin, k_job_label});
        status = job.run(command);
        mark({marker_clock_ms(), MarkerKind::end, k_job_label});
        if (started > 0) signals.wait_for_signal(wait_ms);
    } else {
        status = 128 + signals.received();
        warn("interrupted before the command ran: not running it");
    }

    // After a first signal (the job's, or one before it ran), the next ends
    // clusterp at once; else the stop takes a first one as its own
    // interruption (the hosts under way finish, no other begins).
    const std::string abort_message =
        "interrupted: the hosts not yet stopped stay active in '.clusterp/run.json' (clusterp stop finishes the run)";
    if (signals.received()) signals.abort_on_signal(abort_message, status);
    bool interrupted = false;
    if (started > 0) {
        CollectOptions stop = options;
        stop.hosts_given = false;
        try {
            interrupted = stop_collection(config, stop).interrupted;
        } catch (const std::exception& e) {
            print_error(e.what());
        }
    }
    signals.abort_on_signal(abort_message, status);
    job.finish_output();
    ProfileResult result;
    result.status = status;
    const bool collected = has_data_of(manifest);
    result.collected = ran && collected && !interrupted;
    if (!collected) print_error("no data was collected");
    return result;
}

}  // namespace clusterp
