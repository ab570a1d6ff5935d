#include "collect/local_transport.hpp"

#include "collect/child_exchange.hpp"

namespace clusterp {

namespace {

class LocalSession : public Session {
public:
    std::unique_ptr<Exchange> start(const std::string& command, std::chrono::seconds bound) override {
        return start_child("/bin/sh", {"sh", "-c", command}, bound);
    }
};

class LocalConnector : public Connector {
public:
    std::unique_ptr<Session> connect(const std::string&) override { return std::make_unique<LocalSession>(); }
};

}  // namespace

std::unique_ptr<Connector> make_local_connector() { return std::make_unique<LocalConnector>(); }

}  // namespace clusterp
