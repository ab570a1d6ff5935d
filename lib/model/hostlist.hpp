// pdsh/Slurm hostlists: `node[001-016,020],login1` expands to the hosts it
// names, in order, keeping the zero padding of each range's lower bound
// (`n[08-10]` is n08 n09 n10), as pdsh's hostlist.h promises.  Several
// bracket groups in one name multiply out left to right
// (`r[1-2]n[1-2]` is r1n1 r1n2 r2n1 r2n2).  Blanks after (or before) the
// commas are allowed, as pdsh, nodeset and Slurm allow them: `n1, n2` is
// `n1,n2`.  Pure: no I/O.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace clusterp {

// Thrown with what is wrong ("unbalanced '[' in 'n[1-3'"); line() is the
// line of a host file it is on, 0 for a hostlist.
class HostlistError : public std::invalid_argument {
public:
    explicit HostlistError(const std::string& what, std::size_t line = 0)
        : std::invalid_argument(what), m_line(line) {}
    std::size_t line() const { return m_line; }

private:
    std::size_t m_line;
};

// At most this many names from one list: a typo such as n[1-1000000] is an
// error, not an hour of connection attempts.
inline constexpr std::size_t k_hostlist_max = 100000;

// Expands a comma-separated hostlist; commas inside brackets belong to the
// range; spaces and tabs around an item are not part of it (inside one they
// are: an alias may hold a space).  An empty item (`a,,b`, `a, ,b`, a
// leading or trailing comma) is an error.  Throws HostlistError.
std::vector<std::string> expand_hostlist(const std::string& list);

// Expands the text of a host file (pdsh's `-w ^FILE`): one hostlist per line,
// `#` starts a comment, blank lines are skipped.  Throws HostlistError with
// the line it is on.
std::vector<std::string> expand_host_file(const std::string& text);

}  // namespace clusterp
