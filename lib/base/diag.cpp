#include "base/diag.hpp"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>

namespace clusterp {

namespace {
std::string g_program = "clusterp";
Verbosity g_verbosity = Verbosity::normal;
// Fan-out threads report concurrently; a line must never be interleaved.
std::mutex g_stderr_mutex;

void emit(const std::string& line) {
    std::lock_guard<std::mutex> lock(g_stderr_mutex);
    std::fputs(line.c_str(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
}
}  // namespace

void set_program_name(const std::string& name) { g_program = name; }
const std::string& program_name() { return g_program; }
void set_verbosity(Verbosity verbosity) { g_verbosity = verbosity; }
Verbosity verbosity() { return g_verbosity; }

void print_error(const std::string& message) { emit(g_program + ": " + message); }

void warn(const std::string& message) {
    if (g_verbosity != Verbosity::quiet) emit(g_program + ": warning: " + message);
}

void inform(const std::string& message) {
    if (g_verbosity != Verbosity::quiet) emit(g_program + ": " + message);
}

void debug(const std::string& message) {
    if (g_verbosity == Verbosity::verbose) emit(g_program + ": " + message);
}

int run_guarded(const std::function<int()>& body) {
    try {
        return body();
    } catch (const Error& e) {
        print_error(e.what());
        return e.code();
    } catch (const std::exception& e) {
        print_error(std::string("internal error: ") + e.what());
        return k_exit_software;
    }
}

std::string quoted(const std::string& text) { return "'" + text + "'"; }

std::string errno_text(int error) {
    std::string text = std::strerror(error);
    if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return text;
}

}  // namespace clusterp
