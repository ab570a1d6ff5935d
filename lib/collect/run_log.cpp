#include "collect/run_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include "base/diag.hpp"

namespace clusterp {

namespace {

std::string utc_now_with_millis() {
    auto now = std::chrono::system_clock::now();
    std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[40];
    std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(millis));
    return text;
}

}  // namespace

RunLog::RunLog(const std::string& path) {
    m_fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0) throw Error(k_exit_cant_create, "cannot open " + quoted(path) + ": " + errno_text(errno));
}

RunLog::~RunLog() {
    if (m_fd >= 0) ::close(m_fd);
}

void RunLog::record(const std::string& host, const std::string& text) {
    std::string line = utc_now_with_millis() + " " + program_name() + "[" + std::to_string(::getpid()) + "] " +
                       host + ": ";
    for (char c : text) {
        if (c == '\n') line += "\\n";
        else if (c != '\r') line += c;
    }
    line += '\n';
    std::lock_guard<std::mutex> lock(m_mutex);
    // A log that cannot be written must not stop a collection in progress.
    if (::write(m_fd, line.data(), line.size()) < 0) return;
}

}  // namespace clusterp
