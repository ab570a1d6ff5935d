// A command run by a program on this machine, as an Exchange: what the
// local transport (`sh -c`) and the Slurm transport (`srun ... sh -c`)
// share.  The program runs in a process group of its own (a terminal's ^C
// is not its; the group is killed whole when the bound passes or the
// exchange is dropped), its stdin a socket (writing to a program that has
// ended fails instead of raising SIGPIPE), stdout and stderr pipes, and no
// other descriptor of ours.  release() leaves it running, unwaited.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "collect/transport.hpp"

namespace clusterp {

// Starts PATH with ARGV (argv[0] included).  MERGE_ERR: its stderr goes
// into the stdout pipe (finish()'s err stays empty), for a reader that
// needs both in the order they came.  Throws HostError when it cannot be
// started.
std::unique_ptr<Exchange> start_child(const std::string& path, const std::vector<std::string>& argv,
                                      std::chrono::seconds bound, bool merge_err = false);

}  // namespace clusterp
