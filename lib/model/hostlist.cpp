#include "model/hostlist.hpp"

#include <cctype>

namespace clusterp {

namespace {

bool all_digits(const std::string& text) {
    if (text.empty()) return false;
    for (char c : text)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

std::string padded(unsigned long value, std::size_t width) {
    std::string digits = std::to_string(value);
    if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
    return digits;
}

// The values one bracket group stands for: "001-003,7" -> 001 002 003 7.
std::vector<std::string> expand_range_set(const std::string& set, const std::string& item) {
    std::vector<std::string> values;
    std::size_t start = 0;
    while (start <= set.size()) {
        std::size_t comma = set.find(',', start);
        if (comma == std::string::npos) comma = set.size();
        std::string range = set.substr(start, comma - start);
        std::size_t dash = range.find('-');
        std::string low = range.substr(0, dash);
        std::string high = dash == std::string::npos ? low : range.substr(dash + 1);
        if (!all_digits(low) || !all_digits(high) || low.size() > 9 || high.size() > 9)
            throw HostlistError("bad range '" + range + "' in '" + item + "'");
        unsigned long lo = std::stoul(low), hi = std::stoul(high);
        if (hi < lo) throw HostlistError("range '" + range + "' runs backwards in '" + item + "'");
        if (hi - lo >= k_hostlist_max) throw HostlistError("'" + item + "' names too many hosts");
        // pdsh keeps the width of a zero-padded lower bound.
        std::size_t width = low.size() > 1 && low[0] == '0' ? low.size() : 0;
        for (unsigned long v = lo; v <= hi; ++v) values.push_back(padded(v, width));
        start = comma + 1;
    }
    return values;
}

void expand_item(const std::string& item, std::vector<std::string>& out) {
    std::vector<std::string> names{""};
    std::size_t pos = 0;
    while (pos < item.size()) {
        std::size_t open = item.find('[', pos);
        std::size_t stray = item.find(']', pos);
        if (stray < open) throw HostlistError("unbalanced ']' in '" + item + "'");
        std::string literal = item.substr(pos, open == std::string::npos ? std::string::npos : open - pos);
        for (auto& name : names) name += literal;
        if (open == std::string::npos) break;
        std::size_t close = item.find(']', open);
        if (close == std::string::npos) throw HostlistError("unbalanced '[' in '" + item + "'");
        std::vector<std::string> values = expand_range_set(item.substr(open + 1, close - open - 1), item);
        if (names.size() * values.size() > k_hostlist_max)
            throw HostlistError("'" + item + "' names too many hosts");
        std::vector<std::string> product;
        product.reserve(names.size() * values.size());
        for (const auto& name : names)
            for (const auto& value : values) product.push_back(name + value);
        names.swap(product);
        pos = close + 1;
    }
    if (out.size() + names.size() > k_hostlist_max) throw HostlistError("the hostlist names too many hosts");
    out.insert(out.end(), names.begin(), names.end());
}

}  // namespace

std::vector<std::string> expand_hostlist(const std::string& list) {
    std::vector<std::string> hosts;
    std::size_t start = 0, depth = 0;
    for (std::size_t i = 0; i <= list.size(); ++i) {
        char c = i < list.size() ? list[i] : ',';
        if (c == '[') ++depth;
        else if (c == ']' && depth > 0) --depth;
        else if (c == ',' && depth == 0) {
            std::string item = list.substr(start, i - start);
            std::size_t first = item.find_first_not_of(" \t");
            if (first == std::string::npos) throw HostlistError("empty name in hostlist '" + list + "'");
            expand_item(item.substr(first, item.find_last_not_of(" \t") + 1 - first), hosts);
            start = i + 1;
        }
    }
    if (depth != 0) throw HostlistError("unbalanced '[' in '" + list + "'");
    return hosts;
}

std::vector<std::string> expand_host_file(const std::string& text) {
    std::vector<std::string> hosts;
    std::size_t start = 0, number = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        ++number;
        line = line.substr(0, line.find('#'));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        try {
            for (auto& host : expand_hostlist(line)) {
                if (hosts.size() >= k_hostlist_max) throw HostlistError("the file names too many hosts");
                hosts.push_back(std::move(host));
            }
        } catch (const HostlistError& e) {
            throw HostlistError(e.what(), number);
        }
    }
    return hosts;
}

}  // namespace clusterp
