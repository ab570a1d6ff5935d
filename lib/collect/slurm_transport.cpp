#include "collect/slurm_transport.hpp"

#include <sstream>

#include "base/diag.hpp"
#include "base/process.hpp"
#include "collect/child_exchange.hpp"

namespace clusterp {

namespace {

// srun's own complaint in ERR (not a task's exit, `srun: error: NODE: task
// 0: ...`), without its `srun: `, or empty.
std::string srun_complaint(const std::string& err) {
    std::istringstream lines(err);
    std::string line;
    while (std::getline(lines, line)) {
        for (const char* prefix : {"srun: error: ", "srun: fatal: "}) {
            const std::string start(prefix);
            if (line.rfind(start, 0) != 0) continue;
            const std::string what = line.substr(start.size());
            if (what.find(": task ") != std::string::npos) continue;
            return what;
        }
    }
    return "";
}

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

class SlurmSession : public Session {
public:
    SlurmSession(std::string srun, std::string node) : m_srun(std::move(srun)), m_node(std::move(node)) {}

    std::unique_ptr<Exchange> start(const std::string& command, std::chrono::seconds bound) override {
        return std::make_unique<SlurmExchange>(start_child(
            m_srun,
            {"srun", "--overlap", "--mem=0", "--gres=none", "-N1", "-n1", "-c1", "-u", "--quiet", "--job-name=clusterp",
             "-w", m_node, "/bin/sh", "-c", command},
            bound));
    }

private:
    std::string m_srun, m_node;
};

class SlurmConnector : public Connector {
public:
    explicit SlurmConnector(std::string srun) : m_srun(std::move(srun)) {}

    std::unique_ptr<Session> connect(const std::string& host) override {
        return std::make_unique<SlurmSession>(m_srun, host);
    }

private:
    std::string m_srun;
};

}  // namespace

std::unique_ptr<Connector> make_slurm_connector() {
    auto srun = find_in_path("srun");
    if (!srun) throw Error(k_exit_unavailable, "launcher slurm: srun not found in PATH");
    return std::make_unique<SlurmConnector>(*srun);
}

}  // namespace clusterp
