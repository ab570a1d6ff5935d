// pdsh/Slurm hostlists: `node[001-016,020],login1` expands to the hosts it
// names, in order, keeping the zero padding of each range's lower bound
// (`n[08-10]` is n08 n09 n10), as pdsh's hostlist.h promises.  Several
// bracket groups in one name multiply out left to right
// (`r[1-2]n[1-2]` is r1n1 r1n2 r2n1 r2n2).  Pure: no I/O.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace clusterp {

// Thrown with what is wrong ("unbalanced '[' in 'n[1-3'").
class HostlistError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// At most this many names from one list: a typo such as n[1-1000000] is an
// error, not an hour of connection attempts.
inline constexpr std::size_t k_hostlist_max = 100000;

// Expands a comma-separated hostlist; commas inside brackets belong to the
// range.  Empty items are an error.  Throws HostlistError.
std::vector<std::string> expand_hostlist(const std::string& list);

}  // namespace clusterp
