#include "collect/slurm_transport.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <sstream>

#include "base/diag.hpp"
#include "base/process.hpp"
#include "collect/child_exchange.hpp"
#include "collect/remote_command.hpp"

namespace clusterp {

namespace {

// What every step of ours asks for: nothing of the job's but its GPUs,
// shared (slurm_transport.hpp).
const char* const k_step_options[] = {"--overlap", "--mem=0", "-c1", "-u", "--quiet", "--job-name=clusterp"};

// srun's complaint in LINE (`srun: error: ...`), without its `srun: error: `,
// or empty.
std::string srun_line_complaint(const std::string& line) {
    for (const char* prefix : {"srun: error: ", "srun: fatal: "}) {
        const std::string start(prefix);
        if (line.rfind(start, 0) == 0) return line.substr(start.size());
    }
    return "";
}

// srun's own complaint in ERR (not a task's exit, `srun: error: NODE: task
// 0: ...`), or empty.
std::string srun_complaint(const std::string& err) {
    std::istringstream lines(err);
    std::string line;
    while (std::getline(lines, line)) {
        std::string what = srun_line_complaint(line);
        if (!what.empty() && what.find(": task ") == std::string::npos) return what;
    }
    return "";
}

// Whether TEXT names HOST as a word of its own (`Node failure on n2`,
// `n2: task 1: Killed`), not as part of a longer name (n21).
bool names_host(const std::string& text, const std::string& host) {
    auto part_of_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; };
    for (std::size_t at = text.find(host); at != std::string::npos; at = text.find(host, at + 1)) {
        const std::size_t end = at + host.size();
        const bool before = at == 0 || !part_of_name(text[at - 1]);
        const bool after = end == text.size() || !part_of_name(text[end]) || (text[end] == '.' && end + 1 == text.size());
        if (before && after) return true;
    }
    return false;
}

// A host's bound for its part of a shared step.
struct Deadline {
    std::chrono::steady_clock::time_point at;
    std::chrono::seconds seconds;
};

class SlurmExchange : public Exchange {
public:
    explicit SlurmExchange(std::unique_ptr<Exchange> child) : m_child(std::move(child)) {}

    void write(const std::string& data) override { m_child->write(data); }
    void close_input() override { m_child->close_input(); }
    std::size_t read(std::string& out, std::size_t max) override { return m_child->read(out, max); }
    void release() override { m_child->release(); }

    CommandResult finish() override {
        CommandResult result = m_child->finish();
        if (result.exit_status != 0) {
            std::string complaint = srun_complaint(result.err);
            if (!complaint.empty()) throw HostError(complaint);
        }
        return result;
    }

private:
    std::unique_ptr<Exchange> m_child;
};

// The one step that runs start's command on HOSTS and holds their
// collectors (slurm_transport.hpp).  Its output, srun's and the tasks'
// lines in one pipe, is read by one waiting thread at a time and handed to
// the hosts; a host's exchange reads its own part.
class HoldingStep {
public:
    HoldingStep(const std::string& srun, const std::vector<std::string>& hosts, const std::string& command,
                std::chrono::seconds bound) {
        std::string list;
        for (const auto& host : hosts) {
            list += (list.empty() ? "" : ",") + host;
            m_tasks[host];
        }
        std::vector<std::string> argv{"srun"};
        argv.insert(argv.end(), std::begin(k_step_options), std::end(k_step_options));
        for (const std::string option : {"--no-kill", "--kill-on-bad-exit=0", "-l", "--ntasks-per-node=1"})
            argv.push_back(option);
        for (const std::string& option : {std::string("-N"), std::to_string(hosts.size()), std::string("-w"), list,
                                          std::string("/bin/sh"), std::string("-c"), slurm_task_command(command)})
            argv.push_back(option);
        // Each host's exchange has its own bound; this one (twice a host's)
        // ends a start that never ends, killing srun and the collectors:
        // once start is done, nothing reads from srun any more.
        m_child = start_child(srun, argv, 2 * bound, true);
    }

    // The tasks not acknowledged read the end of their input and roll back;
    // srun runs on with the tasks that hold collectors.
    ~HoldingStep() {
        if (!m_child) return;
        try {
            m_child->close_input();
        } catch (const HostError&) {
        }
        m_child->release();
    }

    // Whether Slurm started the step on every host: each task answered, and
    // is told to go on.  Else (srun's words in CAUSE) the step is ended
    // before any task began: Slurm cancels a step whose launch failed on one
    // node (tried on 22.05), which would take every other node's
    // collectors with it.
    bool started(std::string& cause, Deadline deadline) {
        std::unique_lock<std::mutex> lock(m_mutex);
        while (!m_decided) {
            bool failed = m_ended;
            for (const auto& [host, task] : m_tasks) failed = failed || task.ended;
            if (!failed && m_answered < m_tasks.size()) {
                try {
                    pump(lock, &deadline);
                    continue;
                } catch (const HostError& e) {
                    if (m_complaint.empty()) m_complaint = e.what();
                }
            }
            m_decided = true;
            m_started = m_answered == m_tasks.size() && !failed;
            if (m_started) {
                try {
                    std::lock_guard<std::mutex> writing(m_write_mutex);
                    m_child->write("go\n");
                    break;
                } catch (const HostError& e) {
                    m_started = false;
                    m_complaint = e.what();
                }
            }
            for (const auto& [host, task] : m_tasks)
                if (task.ended && m_complaint.empty()) m_complaint = host + ": " + task.complaint;
            while (m_reading) m_changed.wait(lock);
            m_ended = true;
            for (auto& [host, task] : m_tasks) task.ended = true;
            m_child.reset();
        }
        if (!m_started) cause = m_complaint.empty() ? "srun ended without starting a step" : m_complaint;
        return m_started;
    }

    std::size_t read(const std::string& host, std::string& out, std::size_t max, Deadline deadline) {
        std::unique_lock<std::mutex> lock(m_mutex);
        Task& task = m_tasks.at(host);
        while (task.out.empty() && !task.ended) pump(lock, &deadline);
        const std::size_t n = std::min(max, task.out.size());
        out.append(task.out, 0, n);
        task.out.erase(0, n);
        return n;
    }

    // Sends DATA's lines to HOST's task alone (an empty DATA: the end of
    // its input).
    void write(const std::string& host, const std::string& data, Deadline deadline) {
        std::string id;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            Task& task = m_tasks.at(host);
            while (task.id.empty() && !task.ended) pump(lock, &deadline);
            if (task.ended) {
                if (data.empty()) return;
                throw HostError(task.complaint.empty() ? "cannot write to the command: it has ended" : task.complaint);
            }
            id = task.id;
        }
        std::string text;
        if (data.empty()) text = id + "\n";
        std::istringstream lines(data);
        for (std::string line; std::getline(lines, line);) text += id + " " + line + "\n";
        std::lock_guard<std::mutex> writing(m_write_mutex);
        m_child->write(text);
    }

    CommandResult finish(const std::string& host, Deadline deadline) {
        std::unique_lock<std::mutex> lock(m_mutex);
        Task& task = m_tasks.at(host);
        while (!task.ended) pump(lock, &deadline);
        if (!task.complaint.empty()) throw HostError(task.complaint);
        CommandResult result;
        result.exit_status = task.status;
        return result;
    }

private:
    struct Task {
        std::string id;  // its task number, once it named its node
        std::string out;
        bool ended = false;  // or never began (its launch failed)
        int status = -1;
        std::string complaint;  // srun's words, when srun ended it
    };

    // Reads a piece of srun's output and hands it on, or waits while
    // another thread does (until DEADLINE, if any: then HostError).
    void pump(std::unique_lock<std::mutex>& lock, const Deadline* deadline) {
        if (m_ended) return;
        if (m_reading) {
            if (!deadline) {
                m_changed.wait(lock);
            } else if (m_changed.wait_until(lock, deadline->at) == std::cv_status::timeout) {
                throw HostError("timed out after " + std::to_string(deadline->seconds.count()) + " s");
            }
            return;
        }
        m_reading = true;
        lock.unlock();
        std::string chunk, error;
        bool end = false;
        try {
            end = m_child->read(chunk, 1 << 16) == 0;
            if (end) m_child->finish();
        } catch (const HostError& e) {
            end = true;
            error = e.what();
        }
        lock.lock();
        m_reading = false;
        m_partial += chunk;
        for (std::size_t eol; (eol = m_partial.find('\n')) != std::string::npos; m_partial.erase(0, eol + 1))
            take(m_partial.substr(0, eol));
        if (end) {
            m_ended = true;
            if (m_complaint.empty()) m_complaint = error;
            for (auto& [host, task] : m_tasks) {
                if (task.ended) continue;
                task.ended = true;
                task.complaint = m_complaint.empty() ? "its Slurm step ended" : m_complaint;
            }
        }
        m_changed.notify_all();
    }

    // One line of srun's output: a task's (`N: text`, -l) or srun's own.
    void take(std::string line) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::size_t digits = line.find_first_not_of(' '), colon = digits;
        while (colon < line.size() && std::isdigit(static_cast<unsigned char>(line[colon]))) ++colon;
        if (colon != digits && line.compare(colon, 2, ": ") == 0) {
            const std::string id = line.substr(digits, colon - digits), text = line.substr(colon + 2);
            auto named = m_ids.find(id);
            if (named == m_ids.end()) {
                auto task = text.rfind("node=", 0) == 0 ? m_tasks.find(text.substr(5)) : m_tasks.end();
                if (task != m_tasks.end() && task->second.id.empty()) {
                    task->second.id = id;
                    m_ids[id] = task->first;
                    ++m_answered;
                }
                return;
            }
            Task& task = m_tasks[named->second];
            if (task.ended) return;
            if (text.rfind("clusterp_exit=", 0) == 0) {
                task.ended = true;
                task.status = std::atoi(text.c_str() + 14);
            } else {
                task.out += text + "\n";
            }
            return;
        }
        const std::string what = srun_line_complaint(line);
        if (what.empty()) return;
        for (auto& [host, task] : m_tasks) {
            if (!names_host(what, host)) continue;
            if (!task.ended) {
                task.ended = true;
                task.complaint = what;
            }
            return;
        }
        if (m_complaint.empty()) m_complaint = what;
    }

    std::unique_ptr<Exchange> m_child;
    std::mutex m_mutex, m_write_mutex;
    std::condition_variable m_changed;
    std::map<std::string, Task> m_tasks;       // by host
    std::map<std::string, std::string> m_ids;  // task number -> host
    std::string m_partial, m_complaint;
    std::size_t m_answered = 0;  // tasks that named their node
    bool m_reading = false, m_ended = false, m_decided = false, m_started = false;
};

// One host's part of a HoldingStep.
class HeldExchange : public Exchange {
public:
    HeldExchange(std::shared_ptr<HoldingStep> step, std::string host, std::chrono::seconds bound)
        : m_step(std::move(step)), m_host(std::move(host)), m_deadline{std::chrono::steady_clock::now() + bound, bound} {}

    void write(const std::string& data) override {
        if (!data.empty()) m_step->write(m_host, data, m_deadline);
    }
    void close_input() override {
        if (!m_closed) m_step->write(m_host, "", m_deadline);
        m_closed = true;
    }
    std::size_t read(std::string& out, std::size_t max) override { return m_step->read(m_host, out, max, m_deadline); }
    CommandResult finish() override { return m_step->finish(m_host, m_deadline); }
    // The step is let go of with the connector, once every host is done.
    void release() override {}

private:
    std::shared_ptr<HoldingStep> m_step;
    std::string m_host;
    Deadline m_deadline;
    bool m_closed = false;
};

class SlurmConnector : public Connector {
public:
    SlurmConnector(std::string srun, std::vector<std::string> hosts) : m_srun(std::move(srun)), m_hosts(std::move(hosts)) {}

    std::unique_ptr<Session> connect(const std::string& host) override;

    std::unique_ptr<Exchange> start(const std::string& host, const std::string& command, std::chrono::seconds bound) {
        std::vector<std::string> argv{"srun"};
        argv.insert(argv.end(), std::begin(k_step_options), std::end(k_step_options));
        argv.push_back("--gres=none");  // stop's commands need no GPU
        for (const std::string& option : {std::string("-N1"), std::string("-n1"), std::string("-w"), host,
                                          std::string("/bin/sh"), std::string("-c"), command})
            argv.push_back(option);
        return std::make_unique<SlurmExchange>(start_child(m_srun, argv, bound));
    }

    // HOST's part of the one step, started by the first host; a step Slurm
    // refused is tried again for HOST alone, to name its own cause.
    std::unique_ptr<Exchange> start_holding(const std::string& host, const std::string& command,
                                            std::chrono::seconds bound) {
        std::shared_ptr<HoldingStep> step;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (!m_all && std::find(m_hosts.begin(), m_hosts.end(), host) != m_hosts.end())
                m_all = std::make_shared<HoldingStep>(m_srun, m_hosts, command, bound);
            step = m_all;
        }
        const Deadline deadline{std::chrono::steady_clock::now() + bound, bound};
        std::string cause;
        if (!step || !step->started(cause, deadline)) {
            step = std::make_shared<HoldingStep>(m_srun, std::vector<std::string>{host}, command, bound);
            if (!step->started(cause, deadline)) throw HostError(cause);
            std::lock_guard<std::mutex> lock(m_mutex);
            m_alone.push_back(step);
        }
        return std::make_unique<HeldExchange>(step, host, bound);
    }

private:
    std::string m_srun;
    std::vector<std::string> m_hosts;
    std::mutex m_mutex;
    std::shared_ptr<HoldingStep> m_all;
    std::vector<std::shared_ptr<HoldingStep>> m_alone;
};

class SlurmSession : public Session {
public:
    SlurmSession(SlurmConnector& connector, std::string node) : m_connector(connector), m_node(std::move(node)) {}

    std::unique_ptr<Exchange> start(const std::string& command, std::chrono::seconds bound) override {
        return m_connector.start(m_node, command, bound);
    }

    std::unique_ptr<Exchange> start_holding(const std::string& command, std::chrono::seconds bound) override {
        return m_connector.start_holding(m_node, command, bound);
    }

private:
    SlurmConnector& m_connector;
    std::string m_node;
};

std::unique_ptr<Session> SlurmConnector::connect(const std::string& host) {
    return std::make_unique<SlurmSession>(*this, host);
}

}  // namespace

std::unique_ptr<Connector> make_slurm_connector(const std::vector<std::string>& hosts) {
    auto srun = find_in_path("srun");
    if (!srun) throw Error(k_exit_unavailable, "launcher slurm: srun not found in PATH");
    return std::make_unique<SlurmConnector>(*srun, hosts);
}

}  // namespace clusterp
