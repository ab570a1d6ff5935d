// Files fetched over a command's stdout: no SFTP subsystem needed (dropbear,
// hardened and minimal sshd have none), one command for any number of files.
//
// The stream, as send_files_command() (remote_command.hpp) prints it: a
// line `clusterp-stream gzip` or `clusterp-stream plain`, then the payload,
// gzip-compressed when the node has gzip: for each file asked for
// `file NAME SIZE CKSUM\n` and its SIZE bytes (CKSUM as POSIX cksum(1)
// prints it), or `missing NAME\n`; then `end\n`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "collect/transport.hpp"

namespace clusterp {

// One file of the stream and where it goes.
struct FileTarget {
    std::string name;        // as send_files_command() was given it
    std::string local_path;  // parents are created
};

// Reads the stream from EXCHANGE (the caller may have read its own lines
// before the stream: `buffered` holds whatever it read beyond them).  Each
// file goes to a temporary beside its local path and is checked (size and
// POSIX cksum); once `end` has arrived and every file is good, all are
// renamed into place.  Returns the bytes of each target, in order; the
// exchange stays open (the caller reads it to its end, or answers on it,
// then calls finish()).  Leaves
// no temporary file behind.  Throws HostError naming the file and the cause
// (missing on the node, short, checksum mismatch, garbled stream, transport
// failure), Error 73/74 for local files (74: disk full, nothing renamed).
std::vector<std::uint64_t> receive_files(Exchange& exchange, std::string buffered,
                                         const std::vector<FileTarget>& targets);

// POSIX cksum(1) of a byte string fed in pieces: CRC-32 (polynomial
// 0x04C11DB7, most significant bit first) over the bytes, then over the
// length; what `cksum < FILE` prints first.  Pure.
class PosixCksum {
public:
    void update(const char* data, std::size_t size);
    std::uint32_t value() const;

private:
    std::uint32_t m_crc = 0;
    std::uint64_t m_length = 0;
};

}  // namespace clusterp
