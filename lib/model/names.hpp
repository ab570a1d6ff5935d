// The one check of names that become file names (design.md, "Safety
// rules").  A host, alias, device or interface name ends up in paths such as
// raw/CATEGORY/HOST or plot/disk/ALIAS.svg; wherever it was read from (the
// config, -H, SLURM_JOB_NODELIST, .clusterp/run.json, a CSV column), it is
// used there only after passing these, so that no name can reach outside the
// working directory.  Pure: no I/O.
#pragma once

#include <string>

namespace clusterp {

// A name that may become a file name (alias, device, interface): not empty,
// no '/', no leading '.', no control characters.  Returns what is wrong
// ("must not contain '/'"), or an empty string.
std::string file_name_problem(const std::string& name);

// A host name or IP address (letters, digits, '-', '.', '_', ':' in IPv6;
// not starting with '-' or '.'): returns what is wrong, or an empty string.
// Every name it accepts also passes file_name_problem.
std::string host_name_problem(const std::string& host);

}  // namespace clusterp
