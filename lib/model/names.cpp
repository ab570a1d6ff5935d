#include "model/names.hpp"

#include <cctype>

namespace clusterp {

std::string file_name_problem(const std::string& name) {
    if (name.empty()) return "is empty";
    if (name.find('/') != std::string::npos) return "must not contain '/'";
    if (name[0] == '.') return "must not start with '.'";
    for (unsigned char c : name)
        if (std::iscntrl(c)) return "must not hold control characters";
    return "";
}

std::string host_name_problem(const std::string& host) {
    if (host.empty()) return "is empty";
    if (host.size() > 253) return "is too long for a host name";
    bool ipv6 = host.find(':') != std::string::npos;
    for (unsigned char c : host) {
        bool ok = std::isalnum(c) || c == '-' || c == '.' || c == '_' || (ipv6 && c == ':');
        if (!ok) return "is not a host name or IP address";
    }
    if (host[0] == '-' || host[0] == '.') return "is not a host name or IP address";
    return "";
}

}  // namespace clusterp
