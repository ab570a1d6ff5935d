// Diagnostics and exit codes shared by every clusterp tool.
//
// Messages follow git's style: one line on stderr, lowercase, no final full
// stop, prefixed with the program name (`clusterp-stop: n17: connection
// refused`).  stdout carries data only.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

namespace clusterp {

// sysexits(3) codes, as design.md lists them.
enum ExitCode : int {
    k_exit_ok = 0,
    k_exit_partial = 1,       // some hosts failed, each reported
    k_exit_usage = 64,
    k_exit_data = 65,         // bad input data
    k_exit_no_input = 66,
    k_exit_unavailable = 69,  // no host reachable, missing program
    k_exit_software = 70,     // internal error, or a verb not built yet
    k_exit_cant_create = 73,
    k_exit_io = 74,
    k_exit_config = 78,
};

// A failure that ends the tool: what() is the message (without the program
// name), code() the exit status.
class Error : public std::runtime_error {
public:
    Error(int code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    int code() const { return m_code; }

private:
    int m_code;
};

enum class Verbosity { quiet, normal, verbose };

void set_program_name(const std::string& name);
const std::string& program_name();
void set_verbosity(Verbosity verbosity);
Verbosity verbosity();

// `prog: message`, always shown.
void print_error(const std::string& message);
// `prog: warning: message`, hidden by -q.
void warn(const std::string& message);
// `prog: message`, hidden by -q: progress and summaries.
void inform(const std::string& message);
// `prog: message`, shown only with -v.
void debug(const std::string& message);

// Runs body() and turns what escapes it into one line on stderr and an exit
// status: Error keeps its code, anything else is an internal error (70).
int run_guarded(const std::function<int()>& body);

// `'path'`: how file names are quoted in messages.
std::string quoted(const std::string& text);

// strerror(ERROR) in the style of our messages: first letter lowercase
// (`cannot open 'x': no such file or directory`).
std::string errno_text(int error);

}  // namespace clusterp
