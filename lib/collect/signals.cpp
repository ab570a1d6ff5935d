#include "collect/signals.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>

#include "base/atomic_file.hpp"
#include "base/diag.hpp"
#include "base/fd.hpp"

namespace clusterp {

namespace {

// What the handler reads and writes: nothing else is safe there.
volatile sig_atomic_t g_first_signal = 0;
volatile sig_atomic_t g_job_group = 0;  // > 0: signals go on to this group
volatile sig_atomic_t g_interruptible = 0;
volatile sig_atomic_t g_interrupted = 0;  // the signal that interrupted the fan-out
volatile sig_atomic_t g_abort = 0;
volatile sig_atomic_t g_abort_status = 0;
int g_wake_write = -1, g_wake_read = -1;

// A line for the handler to write: filled before it is armed.
struct Message {
    char text[1024];
    std::size_t length = 0;

    void set(const std::string& line) {
        std::string full = program_name() + ": " + line + "\n";
        length = std::min(full.size(), sizeof text);
        std::memcpy(text, full.data(), length);
    }
    void write() const {
        ssize_t ignored = ::write(2, text, length);
        (void)ignored;
    }
};
Message g_abort_message, g_first_message, g_again_message;

constexpr int k_signals[] = {SIGINT, SIGTERM, SIGHUP};

void on_signal(int sig) {
    const int saved = errno;
    if (g_abort) {
        g_abort_message.write();
        remove_registered_temporaries();
        ::_exit(g_abort_status);
    }
    if (g_interruptible) {
        if (g_interrupted) {
            g_again_message.write();
            remove_registered_temporaries();
            ::_exit(128 + sig);
        }
        g_interrupted = sig;
        g_first_message.write();
    }
    if (!g_first_signal) g_first_signal = sig;
    if (g_job_group > 0) ::kill(-static_cast<pid_t>(g_job_group), sig);
    char byte = 0;
    ssize_t ignored = ::write(g_wake_write, &byte, 1);
    (void)ignored;
    errno = saved;
}

struct sigaction g_previous[sizeof k_signals / sizeof k_signals[0]];
bool g_installed = false;
std::mutex g_install_mutex;

// Installs the handlers unless they are; returns whether it did.
bool install_handlers() {
    std::lock_guard<std::mutex> lock(g_install_mutex);
    if (g_installed) return false;
    if (g_wake_read < 0) {
        auto wake = make_pipe();
        if (!wake) throw Error(k_exit_software, "cannot make a pipe: " + errno_text(errno));
        g_wake_read = wake->read.release();
        g_wake_write = wake->write.release();
        ::fcntl(g_wake_read, F_SETFL, O_NONBLOCK);
        ::fcntl(g_wake_write, F_SETFL, O_NONBLOCK);
    }
    for (std::size_t i = 0; i < sizeof k_signals / sizeof k_signals[0]; ++i) {
        ::sigaction(k_signals[i], nullptr, &g_previous[i]);
        if (g_previous[i].sa_handler == SIG_IGN) continue;
        struct sigaction action {};
        action.sa_handler = on_signal;
        action.sa_flags = SA_RESTART;
        sigemptyset(&action.sa_mask);
        ::sigaction(k_signals[i], &action, nullptr);
    }
    g_installed = true;
    return true;
}

// Gives the signals back what they did before install_handlers().
void restore_handlers() {
    std::lock_guard<std::mutex> lock(g_install_mutex);
    for (std::size_t i = 0; i < sizeof k_signals / sizeof k_signals[0]; ++i)
        ::sigaction(k_signals[i], &g_previous[i], nullptr);
    g_installed = false;
}

}  // namespace

Signals::Signals() { install_handlers(); }

bool Signals::wait_for_signal(long milliseconds) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::milliseconds(milliseconds);
    while (!g_first_signal) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
        if (left <= 0) return true;
        pollfd wake{g_wake_read, POLLIN, 0};
        if (::poll(&wake, 1, static_cast<int>(left)) > 0) {
            char drain[64];
            while (::read(g_wake_read, drain, sizeof drain) > 0) {
            }
        }
    }
    return false;
}

int Signals::received() const { return g_first_signal; }

void Signals::abort_on_signal(const std::string& message, int status) {
    g_abort_message.set(message);
    g_abort_status = status;
    g_abort = 1;
}

void Signals::send_to_group(pid_t group) {
    g_job_group = group;
    if (group > 0 && g_first_signal) ::kill(-group, g_first_signal);
}

Interruption::Interruption(const std::string& again) : m_installed(install_handlers()) {
    g_first_message.set("interrupted: the hosts under way finish, no other begins (a second signal ends at once)");
    g_again_message.set(again);
    g_interrupted = 0;
    g_interruptible = 1;
}

Interruption::~Interruption() {
    g_interruptible = 0;
    if (m_installed) restore_handlers();
}

int Interruption::signal() const { return g_interrupted; }

}  // namespace clusterp
