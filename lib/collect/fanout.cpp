#include "collect/fanout.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>

#include "base/diag.hpp"
#include "base/thread_pool.hpp"

namespace clusterp {

HostOutcome& HostOutcome::fail(const std::string& cause, HostStatus new_status) {
    status = new_status;
    errors.push_back(cause);
    return *this;
}

int FanoutResult::exit_code() const {
    if (failed == 0) return k_exit_ok;
    if (ok == 0 && unreachable == failed) return k_exit_unavailable;
    return k_exit_partial;
}

std::string FanoutResult::summary(const std::string& done) const {
    return std::to_string(ok) + " " + done + ", " + std::to_string(failed) + " failed" +
           (skipped > 0 ? ", " + std::to_string(skipped) + " not begun" : "");
}

namespace {

class Reporter {
public:
    Reporter(const std::vector<std::string>& hosts)
        : m_hosts(hosts), m_outcomes(hosts.size()),
          m_live(::isatty(STDERR_FILENO) && verbosity() != Verbosity::quiet) {}

    void finish(std::size_t index, HostOutcome outcome) {
        std::lock_guard<std::mutex> lock(m_mutex);
        ++m_done;
        if (outcome.status == HostStatus::ok) ++m_result.ok;
        else if (outcome.status == HostStatus::skipped) ++m_result.skipped;
        else ++m_result.failed;
        if (outcome.status == HostStatus::unreachable) ++m_result.unreachable;
        m_outcomes[index] = std::move(outcome);
        clear_progress();
        while (m_printed < m_outcomes.size() && m_outcomes[m_printed]) {
            print(m_hosts[m_printed], *m_outcomes[m_printed]);
            m_outcomes[m_printed].reset();
            ++m_printed;
        }
        draw_progress();
    }

    FanoutResult result() {
        std::lock_guard<std::mutex> lock(m_mutex);
        clear_progress();
        return m_result;
    }

private:
    void print(const std::string& host, const HostOutcome& outcome) {
        for (const auto& line : outcome.output) std::cout << line << '\n';
        std::cout.flush();
        for (const auto& note : outcome.notes) inform(host + ": " + note);
        for (const auto& warning : outcome.warnings) warn(host + ": " + warning);
        for (const auto& error : outcome.errors) print_error(host + ": " + error);
    }

    void clear_progress() {
        if (m_live && m_drawn) std::fputs("\r\033[K", stderr);
        m_drawn = false;
    }

    void draw_progress() {
        if (!m_live || m_done == m_outcomes.size()) return;
        std::fprintf(stderr, "%s: %zu/%zu hosts, %zu failed", program_name().c_str(), m_done, m_outcomes.size(),
                     m_result.failed);
        std::fflush(stderr);
        m_drawn = true;
    }

    const std::vector<std::string>& m_hosts;
    std::vector<std::optional<HostOutcome>> m_outcomes;
    const bool m_live;
    std::mutex m_mutex;
    std::size_t m_done = 0;
    std::size_t m_printed = 0;
    bool m_drawn = false;
    FanoutResult m_result;
};

}  // namespace

FanoutResult fan_out(const std::vector<std::string>& hosts, int width,
                     const std::function<HostOutcome(std::size_t)>& task) {
    Reporter reporter(hosts);
    parallel_for(hosts.size(), width, [&](std::size_t i) {
        HostOutcome outcome;
        try {
            outcome = task(i);
        } catch (const std::exception& e) {
            outcome.fail(e.what());
        }
        reporter.finish(i, std::move(outcome));
    });
    return reporter.result();
}

}  // namespace clusterp
