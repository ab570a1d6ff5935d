// Reading a whole file into memory: the one way every layer does it, so that
// the messages and the exit codes of a missing or unreadable file agree.
#pragma once

#include <string>

namespace clusterp {

// PATH's bytes.  A regular file is read at once into a string of its size;
// anything else (a pipe, /dev/stdin) as it comes.  Throws Error: 66 when
// PATH cannot be opened, 74 when reading fails; the message names PATH.
std::string read_whole_file(const std::string& path);

}  // namespace clusterp
