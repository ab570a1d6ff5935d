#include "collect/ssh/ssh_config.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace clusterp {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// Splits the arguments of one line: whitespace separates, double quotes
// group, an unquoted `#` starts a comment.
std::vector<std::string> split_arguments(const std::string& text) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i == text.size() || text[i] == '#') break;
        std::string word;
        bool quoted = false;
        while (i < text.size() && (quoted || !std::isspace(static_cast<unsigned char>(text[i])))) {
            if (text[i] == '"') quoted = !quoted;
            else word += text[i];
            ++i;
        }
        words.push_back(word);
    }
    return words;
}

bool glob_match(const char* pattern, const char* text) {
    for (; *pattern; ++pattern, ++text) {
        if (*pattern == '*') {
            for (; ; ++text) {
                if (glob_match(pattern + 1, text)) return true;
                if (!*text) return false;
            }
        }
        if (!*text) return false;
        if (*pattern != '?' && std::tolower(static_cast<unsigned char>(*pattern)) !=
                                   std::tolower(static_cast<unsigned char>(*text)))
            return false;
    }
    return !*text;
}

bool host_line_matches(const std::vector<std::string>& patterns, const std::string& host) {
    bool matched = false;
    for (const auto& pattern : patterns) {
        if (!pattern.empty() && pattern[0] == '!') {
            if (ssh_pattern_match(pattern.substr(1), host)) return false;
        } else if (ssh_pattern_match(pattern, host)) {
            matched = true;
        }
    }
    return matched;
}

// Expands %-tokens from `tokens` (letter, value) and %%; an unknown token is
// kept as written.
std::string expand_percent(const std::string& text, const std::vector<std::pair<char, std::string>>& tokens) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%' || i + 1 == text.size()) {
            out += text[i];
            continue;
        }
        char letter = text[++i];
        if (letter == '%') {
            out += '%';
            continue;
        }
        auto token = std::find_if(tokens.begin(), tokens.end(), [&](const auto& t) { return t.first == letter; });
        if (token == tokens.end()) {
            out += '%';
            out += letter;
        } else {
            out += token->second;
        }
    }
    return out;
}

int parse_port(const std::string& value, int line) {
    bool digits = !value.empty() && value.size() <= 5 &&
                  std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); });
    int port = digits ? std::stoi(value) : 0;
    if (port < 1 || port > 65535)
        throw std::invalid_argument("line " + std::to_string(line) + ": bad Port '" + value + "'");
    return port;
}

}  // namespace

bool ssh_pattern_match(const std::string& pattern, const std::string& host) {
    return glob_match(pattern.c_str(), host.c_str());
}

SshHostConfig ssh_host_config(const std::string& text, const std::string& host,
                              const SshConfigContext& context) {
    SshHostConfig result;
    std::vector<std::string> identity_files;
    bool proxy_jump_seen = false;
    bool active = true;  // settings before the first Host apply to every host
    std::istringstream in(text);
    std::string raw;
    for (int line = 1; std::getline(in, raw); ++line) {
        std::size_t start = raw.find_first_not_of(" \t\r");
        if (start == std::string::npos || raw[start] == '#') continue;
        std::size_t end = raw.find_first_of(" \t=", start);
        std::string keyword = lower(raw.substr(start, end - start));
        std::string rest = end == std::string::npos ? "" : raw.substr(end);
        std::size_t value_start = rest.find_first_not_of(" \t");
        if (value_start != std::string::npos && rest[value_start] == '=') rest = rest.substr(value_start + 1);
        std::vector<std::string> args = split_arguments(rest);

        if (keyword == "host") {
            active = host_line_matches(args, host);
            continue;
        }
        if (keyword == "match") {
            active = false;
            continue;
        }
        if (!active || args.empty()) continue;
        const std::string& value = args[0];
        if (keyword == "hostname") {
            if (!result.host_name) result.host_name = expand_percent(value, {{'h', host}});
        } else if (keyword == "user") {
            if (!result.user) result.user = value;
        } else if (keyword == "port") {
            if (!result.port) result.port = parse_port(value, line);
        } else if (keyword == "identityfile") {
            identity_files.push_back(value);
        } else if (keyword == "proxycommand") {
            if (proxy_jump_seen) continue;
            proxy_jump_seen = true;
            if (lower(value) == "none") continue;
            std::size_t command = rest.find_first_not_of(" \t=");
            result.proxy_command = rest.substr(command);
        } else if (keyword == "proxyjump") {
            if (proxy_jump_seen) continue;
            proxy_jump_seen = true;
            if (lower(value) == "none") continue;
            if (value.find(',') != std::string::npos)
                throw std::invalid_argument("line " + std::to_string(line) + ": ProxyJump with several hops '" +
                                            value + "' is not supported");
            std::string jump = value.rfind("ssh://", 0) == 0 ? value.substr(6) : value;
            result.proxy_jump = jump;
        }
    }

    const std::string host_name = result.host_name.value_or(host);
    const std::string remote_user = result.user.value_or(context.default_user);
    for (const auto& file : identity_files) {
        std::string path = file;
        if (path == "~" || path.rfind("~/", 0) == 0) path = context.home + path.substr(1);
        result.identity_files.push_back(expand_percent(
            path, {{'d', context.home}, {'h', host_name}, {'u', context.local_user}, {'r', remote_user}}));
    }
    return result;
}

}  // namespace clusterp
